/* trylock_loop.c: two threads take a mutex by looping on
   pthread_mutex_trylock until it succeeds, then increment a counter and
   unlock: only a successful trylock enters, so each unlock orders the
   next holder.
   race-suite: race-free
*/
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

int counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   for (i = 0; i < 200; i++) {
      while (pthread_mutex_trylock(&lock) != 0)
         sched_yield();
      counter++;
      pthread_mutex_unlock(&lock);
   }
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("trylock_loop: %d\n", counter);
   return 0;
}
