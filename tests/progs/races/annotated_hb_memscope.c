/* annotated_hb_memscope.c: a home-made flag: the producer writes data,
   calls MEMSCOPE_HAPPENS_BEFORE(&ready) and sets a plain volatile int
   ready; the consumer polls ready, calls MEMSCOPE_HAPPENS_AFTER(&ready)
   and reads data, so the annotation orders the data.  The polling of the
   flag itself races by design and is declared with MEMSCOPE_BENIGN_RACE.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "memscope.h"

int data;
volatile int ready;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *producer(void *arg)
{
   data = 42;
   MEMSCOPE_HAPPENS_BEFORE(&ready);
   ready = 1;
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int value;
   while (ready == 0)
      sleep_ms(1);
   MEMSCOPE_HAPPENS_AFTER(&ready);
   value = data;
   return (void *)(intptr_t)value;
}

int main(void)
{
   pthread_t p, c;
   void *value;
   MEMSCOPE_BENIGN_RACE(&ready, sizeof ready, "polled flag");
   pthread_create(&c, NULL, consumer, NULL);
   pthread_create(&p, NULL, producer, NULL);
   pthread_join(p, NULL);
   pthread_join(c, &value);
   printf("annotated_hb_memscope: %d\n", (int)(intptr_t)value);
   return 0;
}
