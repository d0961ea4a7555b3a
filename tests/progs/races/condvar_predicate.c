/* condvar_predicate.c: the producer writes item and sets the predicate
   under the mutex, then signals; the consumer waits in a predicate loop
   and reads item holding the mutex: the unlock/lock pair orders them.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

int item;
static int ready;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

/* Late, so that the consumer really waits. */
__attribute__((noinline)) static void *producer(void *arg)
{
   sleep_ms(10);
   pthread_mutex_lock(&lock);
   item = 42;
   ready = 1;
   pthread_cond_signal(&cond);
   pthread_mutex_unlock(&lock);
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int value;
   pthread_mutex_lock(&lock);
   while (!ready)
      pthread_cond_wait(&cond, &lock);
   value = item;
   pthread_mutex_unlock(&lock);
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
   printf("condvar_predicate: %d\n", (int)(intptr_t)value);
   return 0;
}
