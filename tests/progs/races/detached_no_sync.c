/* detached_no_sync.c: a detached thread writes answer and main, after a
   sleep instead of any synchronisation, reads it: a sleep orders nothing.
   race-suite: racy
   race-variable: answer
*/
#include <pthread.h>
#include <stdio.h>
#include <time.h>

int answer;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *worker(void *arg)
{
   answer = 42; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t t;
   pthread_attr_t attr;
   int seen;
   pthread_attr_init(&attr);
   pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
   pthread_create(&t, &attr, worker, NULL);
   pthread_attr_destroy(&attr);
   sleep_ms(20);
   seen = answer; /* RACE */
   printf("detached_no_sync: %d\n", seen);
   return 0;
}
