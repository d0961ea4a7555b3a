/* read_outside_lock.c: the writer updates temperature holding sensor_lock;
   the reader reads it without the lock, so the lock orders nothing
   between the two threads.
   race-suite: racy
   race-variable: temperature
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int temperature;
static pthread_mutex_t sensor_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;

__attribute__((noinline)) static void *writer(void *arg)
{
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 20; i++) {
      pthread_mutex_lock(&sensor_lock);
      temperature = 20 + i; /* RACE */
      pthread_mutex_unlock(&sensor_lock);
   }
   return arg;
}

__attribute__((noinline)) static void *reader(void *arg)
{
   int i, sum = 0;
   pthread_barrier_wait(&start);
   for (i = 0; i < 20; i++)
      sum += temperature; /* RACE */
   return (void *)(intptr_t)sum;
}

int main(void)
{
   pthread_t w, r;
   pthread_barrier_init(&start, NULL, 2);
   pthread_create(&w, NULL, writer, NULL);
   pthread_create(&r, NULL, reader, NULL);
   pthread_join(w, NULL);
   pthread_join(r, NULL);
   pthread_barrier_destroy(&start);
   printf("read_outside_lock: %d\n", temperature);
   return 0;
}
