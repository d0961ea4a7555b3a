/* string_neighbours_ok.c: one thread writes a 32-byte block while
   another takes strlen of the 16-byte block right after it, both made
   with VALGRIND_MALLOCLIKE_BLOCK at the end of a page.  glibc's
   vectorised strlen reads the aligned 32 bytes around a string that
   ends a page, which start in the neighbour; memscope's byte-exact
   strlen reads the string only.  No byte is shared.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "valgrind.h"

static char arena[8192] __attribute__((aligned(4096)));
static char *neighbour, *text;
static pthread_barrier_t start;

__attribute__((noinline)) static void *writer(void *arg)
{
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 1000; i++)
      memset(neighbour, 'a' + i % 26, 32);
   return arg;
}

__attribute__((noinline)) static void *measurer(void *arg)
{
   size_t total = 0;
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 1000; i++)
      total += strlen(text);
   return (void *)total;
}

int main(void)
{
   char *page_end = arena + 4096;
   pthread_t t[2];
   void *total;
   neighbour = page_end - 48;
   text = page_end - 16;
   VALGRIND_MALLOCLIKE_BLOCK(neighbour, 32, 0, 0);
   VALGRIND_MALLOCLIKE_BLOCK(text, 16, 0, 0);
   memset(neighbour, 'z', 32);
   memcpy(text, "fifteen chars..", 16);
   pthread_barrier_init(&start, NULL, 2);
   pthread_create(&t[0], NULL, writer, NULL);
   pthread_create(&t[1], NULL, measurer, NULL);
   pthread_join(t[0], NULL);
   pthread_join(t[1], &total);
   printf("string_neighbours_ok: %zu\n", (size_t)total);
   VALGRIND_FREELIKE_BLOCK(text, 0);
   VALGRIND_FREELIKE_BLOCK(neighbour, 0);
   return 0;
}
