/* rwlock_annotated.c: a home-made reader-writer lock built from C11
   atomics (a CAS loop on a counter, -1 while a writer holds it), described
   to the tools with helgrind.h's ANNOTATE_RWLOCK_CREATE, _ACQUIRED and
   _RELEASED; two writers update a table only inside the write section and
   two readers read it only inside read sections, so there is no race.
   race-suite: race-free
*/
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include "helgrind.h"

#define TABLE_LEN 4

int table[TABLE_LEN];
/* n >= 0: n readers inside; -1: a writer inside.  Only RMWs touch it
   before the writer's release store, so it is an atomic location from
   its first access on. */
static atomic_int rw;

__attribute__((noinline)) static void read_lock(void)
{
   int seen = 0;
   while (!atomic_compare_exchange_weak(&rw, &seen, seen + 1)) {
      if (seen < 0) {
         seen = 0;
         sched_yield();
      }
   }
   ANNOTATE_RWLOCK_ACQUIRED(&rw, 0);
}

__attribute__((noinline)) static void read_unlock(void)
{
   ANNOTATE_RWLOCK_RELEASED(&rw, 0);
   atomic_fetch_sub(&rw, 1);
}

__attribute__((noinline)) static void write_lock(void)
{
   int idle = 0;
   while (!atomic_compare_exchange_weak(&rw, &idle, -1)) {
      idle = 0;
      sched_yield();
   }
   ANNOTATE_RWLOCK_ACQUIRED(&rw, 1);
}

__attribute__((noinline)) static void write_unlock(void)
{
   ANNOTATE_RWLOCK_RELEASED(&rw, 1);
   atomic_store_explicit(&rw, 0, memory_order_release);
}

__attribute__((noinline)) static void *writer(void *arg)
{
   int i;
   for (i = 0; i < 20; i++) {
      write_lock();
      table[i % TABLE_LEN] += 1;
      write_unlock();
   }
   return arg;
}

__attribute__((noinline)) static void *reader(void *arg)
{
   int i, j, sum = 0;
   for (i = 0; i < 20; i++) {
      read_lock();
      for (j = 0; j < TABLE_LEN; j++)
         sum += table[j];
      read_unlock();
   }
   return (void *)(intptr_t)sum;
}

int main(void)
{
   pthread_t t[4];
   int i, total = 0;
   ANNOTATE_RWLOCK_CREATE(&rw);
   pthread_create(&t[0], NULL, writer, NULL);
   pthread_create(&t[1], NULL, reader, NULL);
   pthread_create(&t[2], NULL, writer, NULL);
   pthread_create(&t[3], NULL, reader, NULL);
   for (i = 0; i < 4; i++)
      pthread_join(t[i], NULL);
   ANNOTATE_RWLOCK_DESTROY(&rw);
   for (i = 0; i < TABLE_LEN; i++)
      total += table[i];
   printf("rwlock_annotated: %d\n", total);
   return 0;
}
