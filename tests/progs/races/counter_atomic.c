/* counter_atomic.c: four threads each add 1 to a global counter 1000
   times with atomic_fetch_add; main reads it after joining them: every
   access is atomic or ordered by the joins.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

atomic_int counter;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   for (i = 0; i < 1000; i++)
      atomic_fetch_add(&counter, 1);
   return arg;
}

int main(void)
{
   pthread_t t[4];
   int i;
   for (i = 0; i < 4; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 4; i++)
      pthread_join(t[i], NULL);
   printf("counter_atomic: %d\n", atomic_load(&counter));
   return 0;
}
