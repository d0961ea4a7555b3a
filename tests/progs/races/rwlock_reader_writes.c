/* rwlock_reader_writes.c: two "readers" both hold the read lock of an
   rwlock at once (a barrier inside the read section proves it) and
   increment a global: a read lock excludes writers, not other readers.
   race-suite: racy
   race-variable: cache_hits
*/
#include <pthread.h>
#include <stdio.h>

int cache_hits;
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t both_inside;

__attribute__((noinline)) static void *reader(void *arg)
{
   pthread_rwlock_rdlock(&cache_lock);
   pthread_barrier_wait(&both_inside);
   cache_hits++; /* RACE */
   pthread_rwlock_unlock(&cache_lock);
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   pthread_barrier_init(&both_inside, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, reader, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&both_inside);
   printf("rwlock_reader_writes: %d\n", cache_hits);
   return 0;
}
