/* heap_field_race.c: two threads add to the same field of a named heap
   struct with no lock (the other field is only read): the unprotected
   read-modify-writes of bytes race.
   race-suite: racy
   race-variable: session
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

struct session {
   int id;
   long bytes;
};

static pthread_barrier_t start;

__attribute__((noinline)) static void *worker(void *arg)
{
   struct session *s = arg;
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 50; i++)
      s->bytes += s->id + i; /* RACE */
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   int i;
   long total;
   struct session *s = malloc(sizeof *s);
   MEMSCOPE_NAME_BLOCK(s, sizeof *s, "session", "struct session");
   s->id = 3;
   s->bytes = 0;
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, s);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   total = s->bytes;
   free(s);
   printf("heap_field_race: %ld\n", total);
   return 0;
}
