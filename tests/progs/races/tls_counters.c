/* tls_counters.c: three threads count in a __thread variable (each its own
   copy) and store the total in their own element of a global array, read
   by main after joining: no memory is shared without order.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 3

static __thread int tls_count;
int totals[NTHREADS];

__attribute__((noinline)) static void *worker(void *arg)
{
   long me = (long)arg;
   int i;
   for (i = 0; i < 100 * (me + 1); i++)
      tls_count++;
   totals[me] = tls_count;
   return NULL;
}

int main(void)
{
   pthread_t t[NTHREADS];
   long i;
   for (i = 0; i < NTHREADS; i++)
      pthread_create(&t[i], NULL, worker, (void *)i);
   for (i = 0; i < NTHREADS; i++)
      pthread_join(t[i], NULL);
   printf("tls_counters: %d %d %d\n", totals[0], totals[1], totals[2]);
   return 0;
}
