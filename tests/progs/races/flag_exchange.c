/* flag_exchange.c: the producer writes data then sets flag with
   atomic_store_explicit(release); the consumer loops on
   atomic_exchange_explicit(&flag, 0, acquire) until it gets 1, then reads
   data: release/acquire on a flag that RMWs touch orders the data.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

int data;
static atomic_int flag;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *producer(void *arg)
{
   data = 42;
   atomic_store_explicit(&flag, 1, memory_order_release);
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int value;
   while (atomic_exchange_explicit(&flag, 0, memory_order_acquire) != 1)
      sleep_ms(1);
   value = data;
   return (void *)(intptr_t)value;
}

int main(void)
{
   pthread_t p, c;
   void *value;
   /* Clear the flag with an exchange before any thread runs: the flag is
      an atomic location from then on, whichever of the producer's store
      and the consumer's first exchange the scheduler runs first. */
   atomic_exchange_explicit(&flag, 0, memory_order_relaxed);
   pthread_create(&c, NULL, consumer, NULL);
   pthread_create(&p, NULL, producer, NULL);
   pthread_join(p, NULL);
   pthread_join(c, &value);
   printf("flag_exchange: %d\n", (int)(intptr_t)value);
   return 0;
}
