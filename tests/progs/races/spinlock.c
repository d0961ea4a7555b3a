/* spinlock.c: two threads increment a counter under a spinlock built from
   atomic_exchange (acquire) and an atomic_store release unlock: the lock
   word is an atomic location, so each unlock orders the next holder.
   race-suite: race-free
*/
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

int counter;
static atomic_int spin;

__attribute__((noinline)) static void spin_lock(void)
{
   while (atomic_exchange_explicit(&spin, 1, memory_order_acquire) != 0)
      sched_yield();
}

__attribute__((noinline)) static void spin_unlock(void)
{
   atomic_store_explicit(&spin, 0, memory_order_release);
}

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   for (i = 0; i < 200; i++) {
      spin_lock();
      counter++;
      spin_unlock();
   }
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("spinlock: %d\n", counter);
   return 0;
}
