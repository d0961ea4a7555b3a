/* sem_as_mutex.c: two threads increment a counter between sem_wait and
   sem_post on a semaphore initialised to 1, used as a mutex: each post
   orders the next successful wait.
   race-suite: race-free
*/
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

int counter;
static sem_t gate;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   for (i = 0; i < 200; i++) {
      sem_wait(&gate);
      counter++;
      sem_post(&gate);
   }
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   sem_init(&gate, 0, 1);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   sem_destroy(&gate);
   printf("sem_as_mutex: %d\n", counter);
   return 0;
}
