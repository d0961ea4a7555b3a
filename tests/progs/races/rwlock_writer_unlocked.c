/* rwlock_writer_unlocked.c: two readers read table_version under the read
   lock, but the writer stores it without taking the write lock, so the
   lock orders nothing between the writer and the readers.
   race-suite: racy
   race-variable: table_version
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int table_version = 1;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t start;

__attribute__((noinline)) static void *reader(void *arg)
{
   int seen;
   pthread_barrier_wait(&start);
   pthread_rwlock_rdlock(&table_lock);
   seen = table_version; /* RACE */
   pthread_rwlock_unlock(&table_lock);
   return (void *)(intptr_t)seen;
}

__attribute__((noinline)) static void *writer(void *arg)
{
   pthread_barrier_wait(&start);
   table_version = 2; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t t[3];
   int i;
   pthread_barrier_init(&start, NULL, 3);
   pthread_create(&t[0], NULL, reader, NULL);
   pthread_create(&t[1], NULL, reader, NULL);
   pthread_create(&t[2], NULL, writer, NULL);
   for (i = 0; i < 3; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("rwlock_writer_unlocked: %d\n", table_version);
   return 0;
}
