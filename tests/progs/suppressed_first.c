/* suppressed_first.c: a race whose first accesses are suppressed.
   Thread "writer" stores a whole 8-byte word.  Later, with no
   synchronisation, thread "user" runs library code (setup_halves: it
   writes the word's low half, then reads its high half; a suppression
   in the test covers its races) and then reads the whole word itself
   (the line marked USER-READ).  Each half is covered by one of setup_halves'
   accesses, the whole word by neither alone: the user's read must be
   checked and reported, although its thread's earlier accesses of the
   epoch cover its bytes between them. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile uint64_t *word;
static volatile uint32_t low_copy;
static volatile uint64_t whole_copy;

__attribute__((noinline)) static void *writer(void *arg)
{
   *word = 42;
   return arg;
}

__attribute__((noinline)) static void setup_halves(void)
{
   ((volatile uint32_t *)word)[0] = 1;
   low_copy = ((volatile uint32_t *)word)[1];
}

__attribute__((noinline)) static void *user(void *arg)
{
   usleep(200000);               /* after writer: no ordering either way */
   setup_halves();
   whole_copy = *word; /* USER-READ */
   return arg;
}

int main(void)
{
   pthread_t w, u;
   word = malloc(sizeof *word);
   pthread_create(&w, NULL, writer, NULL);
   pthread_create(&u, NULL, user, NULL);
   pthread_join(w, NULL);
   pthread_join(u, NULL);
   free((void *)word);
   printf("suppressed_first: done\n");
   return 0;
}
