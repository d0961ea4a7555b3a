/* volatile_flag.c: the producer writes data then sets a plain volatile
   int ready; the consumer spins on ready, then reads data.  volatile is
   not synchronisation: the flag and the data both race.
   race-suite: racy
   race-variable: data
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

int data;
volatile int ready;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *producer(void *arg)
{
   data = 42; /* RACE */
   ready = 1; /* RACE */
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int value;
   while (ready == 0) /* RACE */
      sleep_ms(1);
   value = data; /* RACE */
   return (void *)(intptr_t)value;
}

int main(void)
{
   pthread_t p, c;
   void *value;
   pthread_create(&c, NULL, consumer, NULL);
   pthread_create(&p, NULL, producer, NULL);
   pthread_join(p, NULL);
   pthread_join(c, &value);
   printf("volatile_flag: %d\n", (int)(intptr_t)value);
   return 0;
}
