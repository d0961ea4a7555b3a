/* single_access.c: two threads each write the global winner exactly once,
   with no synchronisation between them after the start barrier: one
   access per thread is enough for a race.
   race-suite: racy
   race-variable: winner
*/
#include <pthread.h>
#include <stdio.h>

int winner;
static pthread_barrier_t start;

__attribute__((noinline)) static void *contender(void *arg)
{
   pthread_barrier_wait(&start);
   winner = (int)(long)arg; /* RACE */
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   long i;
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, contender, (void *)(i + 1));
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("single_access: winner %d\n", winner != 0);
   return 0;
}
