/* detached_sem.c: a detached thread computes answer and posts a semaphore;
   main reads answer after sem_wait (it cannot join a detached thread):
   the post orders the write before the read.
   race-suite: race-free
*/
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

int answer;
static sem_t done;

__attribute__((noinline)) static void *worker(void *arg)
{
   answer = 6 * 7;
   sem_post(&done);
   return arg;
}

int main(void)
{
   pthread_t t;
   pthread_attr_t attr;
   int seen;
   sem_init(&done, 0, 0);
   pthread_attr_init(&attr);
   pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
   pthread_create(&t, &attr, worker, NULL);
   pthread_attr_destroy(&attr);
   sem_wait(&done);
   seen = answer;
   printf("detached_sem: %d\n", seen);
   return 0;
}
