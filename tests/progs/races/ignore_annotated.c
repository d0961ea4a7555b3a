/* ignore_annotated.c: two threads bump a statistics counter without a
   lock, but each bump sits between drd.h's
   ANNOTATE_IGNORE_READS_AND_WRITES_BEGIN and _END (helgrind.h spells the
   same macros), so the tool records neither access: no hint.  The
   result is read by main after the joins.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include "drd.h"

int stats_hits;
static pthread_barrier_t start;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 100; i++) {
      ANNOTATE_IGNORE_READS_AND_WRITES_BEGIN();
      stats_hits++;
      ANNOTATE_IGNORE_READS_AND_WRITES_END();
   }
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("ignore_annotated: %d\n", stats_hits > 0);
   return 0;
}
