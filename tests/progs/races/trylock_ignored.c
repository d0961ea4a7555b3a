/* trylock_ignored.c: the second thread calls pthread_mutex_trylock while
   the first holds the lock, ignores the EBUSY and increments the counter
   anyway: its write is ordered against nothing of the holder's.
   race-suite: racy
   race-variable: shared_count
*/
#include <pthread.h>
#include <stdio.h>

int shared_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t holding, done;

/* Holds the lock from before the first barrier until after the second,
   so the other thread's trylock always fails. */
__attribute__((noinline)) static void *holder(void *arg)
{
   pthread_mutex_lock(&lock);
   pthread_barrier_wait(&holding);
   shared_count++; /* RACE */
   pthread_barrier_wait(&done);
   pthread_mutex_unlock(&lock);
   return arg;
}

__attribute__((noinline)) static void *careless(void *arg)
{
   int got;
   pthread_barrier_wait(&holding);
   got = pthread_mutex_trylock(&lock) == 0;
   shared_count++; /* RACE */
   if (got)
      pthread_mutex_unlock(&lock);
   pthread_barrier_wait(&done);
   return arg;
}

int main(void)
{
   pthread_t a, b;
   pthread_barrier_init(&holding, NULL, 2);
   pthread_barrier_init(&done, NULL, 2);
   pthread_create(&a, NULL, holder, NULL);
   pthread_create(&b, NULL, careless, NULL);
   pthread_join(a, NULL);
   pthread_join(b, NULL);
   pthread_barrier_destroy(&holding);
   pthread_barrier_destroy(&done);
   printf("trylock_ignored: %d\n", shared_count);
   return 0;
}
