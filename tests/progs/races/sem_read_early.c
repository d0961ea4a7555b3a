/* sem_read_early.c: the producer writes payload then posts a semaphore;
   the consumer reads payload once before its sem_wait (and once after):
   the early read is not ordered against the producer's write.
   race-suite: racy
   race-variable: payload
*/
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

int payload;
static sem_t filled;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *producer(void *arg)
{
   sleep_ms(10);
   payload = 42; /* RACE */
   sem_post(&filled);
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int early, late;
   early = payload; /* RACE */
   sem_wait(&filled);
   late = payload;
   return (void *)(intptr_t)(late - early);
}

int main(void)
{
   pthread_t p, c;
   void *diff;
   sem_init(&filled, 0, 0);
   pthread_create(&c, NULL, consumer, NULL);
   pthread_create(&p, NULL, producer, NULL);
   pthread_join(p, NULL);
   pthread_join(c, &diff);
   sem_destroy(&filled);
   printf("sem_read_early: %d\n", (int)(intptr_t)diff);
   return 0;
}
