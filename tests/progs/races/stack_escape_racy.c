/* stack_escape_racy.c: main keeps a tally in its frame and puts its
   address in a job allocated on the heap (the threads' argument points to
   the heap, not to the stack).  Two workers add to the tally, each under
   a lock of its own: the locks differ, so nothing orders the two
   workers' updates.  Built with -O2, where the tally lives at the stack
   pointer plus a constant.
   race-suite: racy
   race-variable: frame of main
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job {
   long *tally;
   pthread_mutex_t lock;
   int rounds;
};

__attribute__((noinline)) static void *worker(void *arg)
{
   struct job *j = arg;
   for (int i = 0; i < j->rounds; i++) {
      pthread_mutex_lock(&j->lock);
      *j->tally += 1; /* RACE */
      pthread_mutex_unlock(&j->lock);
   }
   return NULL;
}

int main(void)
{
   long tally = 0;
   struct job *jobs = calloc(2, sizeof *jobs);
   pthread_t t[2];
   for (int i = 0; i < 2; i++) {
      jobs[i].tally = &tally;
      jobs[i].rounds = 50;
      pthread_mutex_init(&jobs[i].lock, NULL);
      pthread_create(&t[i], NULL, worker, &jobs[i]);
   }
   for (int i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("stack_escape_racy: %ld\n", tally);
   for (int i = 0; i < 2; i++)
      pthread_mutex_destroy(&jobs[i].lock);
   free(jobs);
   return 0;
}
