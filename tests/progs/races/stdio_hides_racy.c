/* stdio_hides_racy.c: a worker records its progress in a global and
   logs a line; the main thread logs a line of its own, then reads the
   progress without waiting for the worker.  Both printf calls take
   stdout's lock, so in the schedule of a run one thread's access comes
   before the other's, but nothing in the program decides which: the
   stream's lock orders the printing, not what each thread did around it.
   race-suite: racy
   race-variable: worker_progress
*/
#include <pthread.h>
#include <stdio.h>

int worker_progress;

__attribute__((noinline)) static void *worker(void *arg)
{
   (void)arg;
   worker_progress = 1;                              /* RACE */
   printf("stdio_hides_racy: worker started\n");
   return NULL;
}

int main(void)
{
   pthread_t t;
   int seen;
   pthread_create(&t, NULL, worker, NULL);
   printf("stdio_hides_racy: main waiting\n");
   seen = worker_progress;                           /* RACE */
   pthread_join(t, NULL);
   printf("stdio_hides_racy: progress %d\n", seen);
   return 0;
}
