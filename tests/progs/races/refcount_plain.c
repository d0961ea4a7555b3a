/* refcount_plain.c: a named heap object shared by main and two threads
   with a plain int reference count; the threads decrement it with no lock
   or atomic, racing with each other (main drops the last reference after
   joining them, so the free itself is ordered).
   race-suite: racy
   race-variable: shared_obj
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

struct object {
   int refs;
   int payload[4];
};

static pthread_barrier_t start;

__attribute__((noinline)) static void release_ref(struct object *o)
{
   int left = --o->refs; /* RACE */
   if (left == 0)
      free(o);
}

__attribute__((noinline)) static void *worker(void *arg)
{
   struct object *o = arg;
   int sum = o->payload[0] + o->payload[3];
   pthread_barrier_wait(&start);
   release_ref(o);
   return (void *)(long)sum;
}

int main(void)
{
   pthread_t t[2];
   int i;
   struct object *o = malloc(sizeof *o);
   MEMSCOPE_NAME_BLOCK(o, sizeof *o, "shared_obj", "struct object");
   o->refs = 3;
   for (i = 0; i < 4; i++)
      o->payload[i] = i;
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, o);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("refcount_plain: %d left before main's release\n", o->refs);
   release_ref(o);
   return 0;
}
