/* refcount_atomic.c: main and two threads share a named heap object whose
   reference count is dropped with atomic_fetch_sub; whoever drops the
   last reference frees it, ordered after every other owner's accesses by
   the chain of RMWs on the count.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

struct object {
   atomic_int refs;
   int payload[4];
};

__attribute__((noinline)) static void release_ref(struct object *o)
{
   if (atomic_fetch_sub(&o->refs, 1) == 1)
      free(o);
}

__attribute__((noinline)) static void *worker(void *arg)
{
   struct object *o = arg;
   int sum = o->payload[0] + o->payload[3];
   release_ref(o);
   return (void *)(long)sum;
}

int main(void)
{
   pthread_t t[2];
   void *sum[2];
   int i;
   struct object *o = malloc(sizeof *o);
   MEMSCOPE_NAME_BLOCK(o, sizeof *o, "shared_obj", "struct object");
   atomic_init(&o->refs, 3);
   for (i = 0; i < 4; i++)
      o->payload[i] = i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, o);
   release_ref(o);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], &sum[i]);
   printf("refcount_atomic: %ld\n", (long)sum[0] + (long)sum[1]);
   return 0;
}
