/* broadcast_start.c: main writes the run's parameters, then sets go under
   the mutex and broadcasts; three threads wait for go in a predicate loop
   and then read the parameters: the mutex orders the writes before the
   reads.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define NTHREADS 3

int params[4];
static int go;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start = PTHREAD_COND_INITIALIZER;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *worker(void *arg)
{
   int i, sum = 0;
   pthread_mutex_lock(&lock);
   while (!go)
      pthread_cond_wait(&start, &lock);
   pthread_mutex_unlock(&lock);
   for (i = 0; i < 4; i++)
      sum += params[i];
   return (void *)(intptr_t)sum;
}

int main(void)
{
   pthread_t t[NTHREADS];
   void *sum[NTHREADS];
   int i;
   for (i = 0; i < NTHREADS; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   /* Let the threads reach the wait (they are correct either way). */
   sleep_ms(10);
   for (i = 0; i < 4; i++)
      params[i] = i + 1;
   pthread_mutex_lock(&lock);
   go = 1;
   pthread_cond_broadcast(&start);
   pthread_mutex_unlock(&lock);
   for (i = 0; i < NTHREADS; i++)
      pthread_join(t[i], &sum[i]);
   printf("broadcast_start: %d %d %d\n", (int)(intptr_t)sum[0],
          (int)(intptr_t)sum[1], (int)(intptr_t)sum[2]);
   return 0;
}
