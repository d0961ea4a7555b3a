/* counter_mutex.c: two threads increment a global counter 1000 times each,
   always holding counter_lock: every unlock happens before the next lock,
   so the increments are ordered and the program is race-free.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

int counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   for (i = 0; i < 1000; i++) {
      pthread_mutex_lock(&counter_lock);
      counter++;
      pthread_mutex_unlock(&counter_lock);
   }
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("counter_mutex: %d\n", counter);
   return 0;
}
