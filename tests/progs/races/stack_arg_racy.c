/* stack_arg_racy.c: main passes the address of a struct in its frame as
   the thread's argument.  The struct's `limit` is written by main before
   the thread starts and only read after (ordered by creation); its
   `progress` is written by the thread and read by main while the thread
   runs, with no lock and no other ordering.  Built with -O2.
   race-suite: racy
   race-variable: frame of main
*/
#include <pthread.h>
#include <stdio.h>

struct work {
   int limit;
   int progress;
};

__attribute__((noinline)) static void *count_up(void *arg)
{
   struct work *w = arg;
   w->progress = w->limit / 2; /* RACE */
   return NULL;
}

int main(void)
{
   struct work w = { 2000, 0 };
   pthread_t t;
   int seen;
   pthread_create(&t, NULL, count_up, &w);
   seen = w.progress; /* RACE */
   pthread_join(t, NULL);
   printf("stack_arg_racy: %d %d\n", seen >= 0, w.progress);
   return 0;
}
