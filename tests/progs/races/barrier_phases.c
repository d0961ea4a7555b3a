/* barrier_phases.c: three threads write their own slot in phase 1, wait on
   a barrier, then read the next thread's slot in phase 2: the barrier
   orders every phase-1 write before every phase-2 read.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 3

int slots[NTHREADS];
int sums[NTHREADS];
static pthread_barrier_t phase;

__attribute__((noinline)) static void *worker(void *arg)
{
   long me = (long)arg;
   slots[me] = (int)(me + 1) * 10;
   pthread_barrier_wait(&phase);
   sums[me] = slots[me] + slots[(me + 1) % NTHREADS];
   return NULL;
}

int main(void)
{
   pthread_t t[NTHREADS];
   long i;
   pthread_barrier_init(&phase, NULL, NTHREADS);
   for (i = 0; i < NTHREADS; i++)
      pthread_create(&t[i], NULL, worker, (void *)i);
   for (i = 0; i < NTHREADS; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&phase);
   printf("barrier_phases: %d %d %d\n", sums[0], sums[1], sums[2]);
   return 0;
}
