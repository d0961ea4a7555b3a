/* benign_memscope.c: two threads add to total under a lock and count
   stats_lookups without one, a race on purpose (an approximate
   statistic) declared with MEMSCOPE_BENIGN_RACE, so no hint is due.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include "memscope.h"

long total;             /* under total_lock */
long stats_lookups;     /* statistics: updated without the lock on purpose */
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 100; i++) {
      pthread_mutex_lock(&total_lock);
      total += i;
      pthread_mutex_unlock(&total_lock);
      stats_lookups++;
   }
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   MEMSCOPE_BENIGN_RACE(&stats_lookups, sizeof stats_lookups,
                        "statistics only");
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("benign_memscope: %ld, about %ld lookups\n", total, stats_lookups);
   return 0;
}
