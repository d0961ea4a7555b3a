/* philosophers.c: five dining philosophers, each taking the fork on its
   left, then the one on its right: philosopher 4 takes fork 4 then fork
   0, closing the cycle fork 0 -> 1 -> 2 -> 3 -> 4 -> 0 (a potential
   deadlock).  The philosophers eat one after another (each is joined
   before the next starts), so the run itself never deadlocks.
   With argument "ordered", every philosopher takes the lower-numbered
   fork first: a global order, no cycle.
   Expected (tests/test_races.py): one LockOrder error without the
   argument, naming forks[0] and forks[4]; none with it. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define N 5
pthread_mutex_t forks[N];
static int ordered;
static int meals;

__attribute__((noinline)) static void take(int fork)
{
   pthread_mutex_lock(&forks[fork]);
}

static void* philosopher(void* arg)
{
   int me = (int)(long)arg;
   int left = me, right = (me + 1) % N;
   int first = left, second = right;
   if (ordered && second < first) {
      first = right;
      second = left;
   }
   take(first);
   take(second);
   meals++;
   pthread_mutex_unlock(&forks[second]);
   pthread_mutex_unlock(&forks[first]);
   return NULL;
}

int main(int argc, char** argv)
{
   pthread_t t;
   int i;
   ordered = argc > 1 && strcmp(argv[1], "ordered") == 0;
   for (i = 0; i < N; i++)
      pthread_mutex_init(&forks[i], NULL);
   for (i = 0; i < N; i++) {
      pthread_create(&t, NULL, philosopher, (void*)(long)i);
      pthread_join(t, NULL);
   }
   printf("philosophers: %d meals\n", meals);
   return 0;
}
