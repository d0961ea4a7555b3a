/* sem_handoff.c: the producer writes payload then posts a semaphore; the
   consumer reads payload only after sem_wait returns: the post orders the
   write before the read.
   race-suite: race-free
*/
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>

int payload;
static sem_t filled;

__attribute__((noinline)) static void *producer(void *arg)
{
   payload = 42;
   sem_post(&filled);
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int value;
   sem_wait(&filled);
   value = payload;
   return (void *)(intptr_t)value;
}

int main(void)
{
   pthread_t p, c;
   void *value;
   sem_init(&filled, 0, 0);
   pthread_create(&c, NULL, consumer, NULL);
   pthread_create(&p, NULL, producer, NULL);
   pthread_join(p, NULL);
   pthread_join(c, &value);
   sem_destroy(&filled);
   printf("sem_handoff: %d\n", (int)(intptr_t)value);
   return 0;
}
