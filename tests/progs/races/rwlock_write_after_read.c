/* rwlock_write_after_read.c: the twin of rwlock_write_in_read without its
   race: the main thread waits under the read lock until it sees the
   writer's flag, and bumps the table's first entry only after it has
   released the read lock.  The writer does not touch the table again,
   so the read lock's acquire is what orders the writer's section before
   the update: no race.  (A lockset checker such as Helgrind's reports
   the unlocked write.)
   race-suite: race-free
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
   table[0] = 10;
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
      pthread_rwlock_unlock(&table_lock);
      if (!seen)
         sched_yield();
   }
   table[0] = table[0] + 1;
   pthread_join(t, NULL);
   printf("rwlock_write_after_read: %d\n", table[0]);
   return 0;
}
