/* signal_then_write.c: the producer sets the predicate under the lock and
   signals, then writes the item after unlocking; the consumer wakes and
   reads the item, which nothing orders after that late write.
   race-suite: racy
   race-variable: item
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int item;
static int ready;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

__attribute__((noinline)) static void *producer(void *arg)
{
   pthread_mutex_lock(&lock);
   ready = 1;
   pthread_cond_signal(&cond);
   pthread_mutex_unlock(&lock);
   item = 42; /* RACE */
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int value;
   pthread_mutex_lock(&lock);
   while (!ready)
      pthread_cond_wait(&cond, &lock);
   pthread_mutex_unlock(&lock);
   value = item; /* RACE */
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
   printf("signal_then_write: %d\n", (int)(intptr_t)value == 42);
   return 0;
}
