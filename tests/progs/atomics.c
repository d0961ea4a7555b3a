/* atomics.c: atomic instructions with known counts, on named variables.
   Threads 2-4 (k = 0..2) each: 1000 atomic_fetch_add on atomic_counter
   (LOCK XADD: read-modify-writes), 10 atomic_exchange on flags[k] (XCHG),
   and on cas_slots[k] 5 compare-exchanges that succeed and 5 that fail.
   Main: 100 __sync_fetch_and_add on sync_counter, 7 fences, 50 atomic
   increments of a named heap block (heap_counter) that it then frees.
   Expected counts: tests/test_atomics.py. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

atomic_long atomic_counter;
atomic_int flags[4];
atomic_long cas_slots[3];
long sync_counter;

static void* worker(void* arg)
{
   long k = (long)arg, i;
   for (i = 0; i < 1000; i++)
      atomic_fetch_add(&atomic_counter, 1);
   for (i = 0; i < 10; i++)
      atomic_exchange(&flags[k], (int)i);
   for (i = 0; i < 5; i++) {
      long expected = i;             /* right: the slot holds i */
      atomic_compare_exchange_strong(&cas_slots[k], &expected, i + 1);
      expected = 1000;               /* wrong */
      atomic_compare_exchange_strong(&cas_slots[k], &expected, 0);
   }
   return NULL;
}

int main(void)
{
   pthread_t t[3];
   long i;
   atomic_long* heap_counter = malloc(sizeof *heap_counter);
   MEMSCOPE_TRACK_VAR(atomic_counter);
   MEMSCOPE_TRACK_VAR_TYPED(flags, "atomic_int[4]");
   MEMSCOPE_TRACK_VAR(cas_slots);
   MEMSCOPE_TRACK_VAR(sync_counter);
   MEMSCOPE_NAME_BLOCK(heap_counter, sizeof *heap_counter, "heap_counter",
                       "atomic_long");
   atomic_init(heap_counter, 0);
   for (i = 0; i < 3; i++)
      pthread_create(&t[i], NULL, worker, (void*)i);
   for (i = 0; i < 3; i++)
      pthread_join(t[i], NULL);
   for (i = 0; i < 100; i++)
      __sync_fetch_and_add(&sync_counter, 1);
   for (i = 0; i < 7; i++)
      atomic_thread_fence(memory_order_seq_cst);
   for (i = 0; i < 50; i++)
      atomic_fetch_add(heap_counter, 1);
   free(heap_counter);
   printf("atomics: %ld %ld\n", (long)atomic_load(&atomic_counter),
          sync_counter);
   return 0;
}
