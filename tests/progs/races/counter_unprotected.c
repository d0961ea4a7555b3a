/* counter_unprotected.c: two threads increment a global counter 1000 times
   each with no lock; counter++ is a load and a store, and nothing orders
   one thread's accesses against the other's after the start barrier.
   race-suite: racy
   race-variable: counter
*/
#include <pthread.h>
#include <stdio.h>

int counter;
static pthread_barrier_t start;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 1000; i++)
      counter++; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("counter_unprotected: %d\n", counter);
   return 0;
}
