/* two_mutexes.c: two threads increment the same global, each holding a
   lock, but not the same lock (lock_a and lock_b): the locks order nothing
   between the threads.
   race-suite: racy
   race-variable: hits
*/
#include <pthread.h>
#include <stdio.h>

int hits;
static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;

__attribute__((noinline)) static void *worker(void *arg)
{
   pthread_mutex_t *lock = arg;
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 100; i++) {
      pthread_mutex_lock(lock);
      hits++; /* RACE */
      pthread_mutex_unlock(lock);
   }
   return NULL;
}

int main(void)
{
   pthread_t a, b;
   pthread_barrier_init(&start, NULL, 2);
   pthread_create(&a, NULL, worker, &lock_a);
   pthread_create(&b, NULL, worker, &lock_b);
   pthread_join(a, NULL);
   pthread_join(b, NULL);
   pthread_barrier_destroy(&start);
   printf("two_mutexes: %d\n", hits);
   return 0;
}
