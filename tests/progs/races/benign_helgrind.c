/* benign_helgrind.c: benign_memscope.c with helgrind.h: the unlocked
   statistics counter stats_lookups is declared with
   ANNOTATE_BENIGN_RACE_SIZED, so no hint is due.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include "helgrind.h"

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
   ANNOTATE_BENIGN_RACE_SIZED(&stats_lookups, sizeof stats_lookups,
                              "statistics only");
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("benign_helgrind: %ld, about %ld lookups\n", total, stats_lookups);
   return 0;
}
