/* stack_var_race.c: a local variable of main's frame, named with
   MEMSCOPE_TRACK_VAR, is written by a thread through a pointer and by
   main after creating the thread, with nothing ordering the two writes.
   race-suite: racy
   race-variable: progress
*/
#include <pthread.h>
#include <stdio.h>
#include "memscope.h"

static pthread_barrier_t start;

__attribute__((noinline)) static void *worker(void *arg)
{
   int *p = arg;
   pthread_barrier_wait(&start);
   *p = 1; /* RACE */
   return NULL;
}

int main(void)
{
   pthread_t t;
   int progress = 0;
   MEMSCOPE_TRACK_VAR(progress);
   pthread_barrier_init(&start, NULL, 2);
   pthread_create(&t, NULL, worker, &progress);
   pthread_barrier_wait(&start);
   progress = 2; /* RACE */
   pthread_join(t, NULL);
   pthread_barrier_destroy(&start);
   printf("stack_var_race: %d\n", progress >= 1);
   return 0;
}
