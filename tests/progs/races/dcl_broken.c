/* dcl_broken.c: broken double-checked locking: get_instance() tests the
   global pointer without the lock, so the second thread reads the pointer
   and the object it points to with nothing ordering them after the first
   thread's writes under the lock.
   race-suite: racy
   race-variable: instance
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct config {
   int value;
};

struct config *instance;
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static struct config *get_instance(void)
{
   if (instance == NULL) { /* RACE */
      pthread_mutex_lock(&instance_lock);
      if (instance == NULL) {
         struct config *c = malloc(sizeof *c);
         c->value = 42; /* RACE */
         instance = c; /* RACE */
      }
      pthread_mutex_unlock(&instance_lock);
   }
   return instance; /* RACE */
}

/* The second thread (arg 1) comes late, so it takes the unlocked path. */
__attribute__((noinline)) static void *worker(void *arg)
{
   struct config *c;
   int value;
   if (arg != NULL)
      sleep_ms(20);
   c = get_instance();
   value = c->value; /* RACE */
   return (void *)(intptr_t)value;
}

int main(void)
{
   pthread_t t[2];
   void *v[2];
   long i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, (void *)i);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], &v[i]);
   printf("dcl_broken: %d %d\n", (int)(intptr_t)v[0], (int)(intptr_t)v[1]);
   free(instance);
   return 0;
}
