/* barrier_same_phase.c: each thread writes its slot and reads the other
   thread's slot in the same barrier phase (before the barrier that should
   separate them), so each read races with the other thread's write.
   race-suite: racy
   race-variable: slots
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int slots[2];
static pthread_barrier_t phase;

__attribute__((noinline)) static void *worker(void *arg)
{
   long me = (long)arg;
   int seen;
   pthread_barrier_wait(&phase);
   slots[me] = (int)me + 1; /* RACE */
   seen = slots[1 - me]; /* RACE */
   pthread_barrier_wait(&phase);
   return (void *)(intptr_t)seen;
}

int main(void)
{
   pthread_t t[2];
   long i;
   pthread_barrier_init(&phase, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, (void *)i);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&phase);
   printf("barrier_same_phase: %d %d\n", slots[0], slots[1]);
   return 0;
}
