/* sync_object_racy.c: a mutex destroyed while another thread may still
   be using it.  The worker locks and unlocks the shared mutex; main
   "waits" for it by sleeping, then destroys the mutex, and joins only
   after.  Nothing orders the worker's unlock before the destroy.
   race-suite: racy
   race-variable: shared
*/
#include <pthread.h>
#include <stdio.h>
#include <time.h>

struct counted {
   pthread_mutex_t lock;
   int count;
} shared = { PTHREAD_MUTEX_INITIALIZER, 0 };

__attribute__((noinline)) static void *worker(void *arg)
{
   pthread_mutex_lock(&shared.lock);
   shared.count++;
   pthread_mutex_unlock(&shared.lock);              /* RACE */
   return arg;
}

int main(void)
{
   pthread_t t;
   struct timespec pause = { 0, 20 * 1000 * 1000 };
   pthread_create(&t, NULL, worker, NULL);
   nanosleep(&pause, NULL);
   pthread_mutex_destroy(&shared.lock);             /* RACE */
   pthread_join(t, NULL);
   printf("sync_object_racy: %d\n", shared.count);
   return 0;
}
