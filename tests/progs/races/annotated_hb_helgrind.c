/* annotated_hb_helgrind.c: annotated_hb_memscope.c with helgrind.h's
   macros: ANNOTATE_HAPPENS_BEFORE(&ready) before the producer sets the
   plain volatile flag and ANNOTATE_HAPPENS_AFTER(&ready) after the
   consumer sees it order the data; the flag itself is declared with
   ANNOTATE_BENIGN_RACE_SIZED.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "helgrind.h"

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
   ANNOTATE_HAPPENS_BEFORE(&ready);
   ready = 1;
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int value;
   while (ready == 0)
      sleep_ms(1);
   ANNOTATE_HAPPENS_AFTER(&ready);
   value = data;
   return (void *)(intptr_t)value;
}

int main(void)
{
   pthread_t p, c;
   void *value;
   ANNOTATE_BENIGN_RACE_SIZED(&ready, sizeof ready, "polled flag");
   pthread_create(&c, NULL, consumer, NULL);
   pthread_create(&p, NULL, producer, NULL);
   pthread_join(p, NULL);
   pthread_join(c, &value);
   printf("annotated_hb_helgrind: %d\n", (int)(intptr_t)value);
   return 0;
}
