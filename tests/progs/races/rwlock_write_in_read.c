/* rwlock_write_in_read.c: a writer sets the table's first entry under the
   write lock; the main thread waits, under the read lock, until it sees
   the writer's flag, and then bumps the entry while still holding only
   the read lock.  The read lock orders main's reads after the writer's
   section, but not its writes: any other reader could be inside with it,
   so a write under a read lock is unprotected (Helgrind reports it, DRD
   does not).
   race-suite: racy
   race-variable: table
*/
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

int table[4];
int table_ready;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;

__attribute__((noinline)) static void *writer(void *arg)
{
   pthread_rwlock_wrlock(&table_lock);
   table[0] = 10; /* RACE */
   table_ready = 1;
   pthread_rwlock_unlock(&table_lock);
   return arg;
}

int main(void)
{
   pthread_t t;
   int seen = 0;
   pthread_create(&t, NULL, writer, NULL);
   while (!seen) {
      pthread_rwlock_rdlock(&table_lock);
      seen = table_ready;
      if (seen)
         table[0] = table[0] + 1; /* RACE */
      pthread_rwlock_unlock(&table_lock);
      if (!seen)
         sched_yield();
   }
   pthread_join(t, NULL);
   printf("rwlock_write_in_read: %d\n", table[0]);
   return 0;
}
