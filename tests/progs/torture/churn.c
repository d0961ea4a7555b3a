/* churn.c: thread churn.  WAVES waves of PER_WAVE short-lived threads:
   in each wave, every fifth thread is detached (half of them created
   detached through their attributes, half with pthread_detach), the
   others are joined;
   each thread allocates a block of 40 bytes, adds one to a counter under
   a mutex, frees its block and ends.  Main waits for the detached ones
   of a wave (a semaphore) before the next wave, so that at most PER_WAVE
   threads live at once.  Usage: churn [waves].  Prints with write():
     threads <n> counter <n>
   Expected (tests/test_torture.py::test_thread_churn): 2,000 threads by
   default, the counter equal, exactly 2,000 allocations of 40 bytes,
   2,001 threads in the log, no race hint. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PER_WAVE 100

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static sem_t detached_done;

static void* body(void* arg)
{
   volatile char* p = malloc(40);
   p[0] = 1;
   pthread_mutex_lock(&lock);
   counter++;
   pthread_mutex_unlock(&lock);
   free((void*)p);
   if (arg != NULL)
      sem_post(&detached_done);
   return NULL;
}

int main(int argc, char** argv)
{
   int waves = argc > 1 ? atoi(argv[1]) : 20, w, i, n;
   long threads = 0;
   char line[64];
   pthread_attr_t detached_attr;
   pthread_attr_init(&detached_attr);
   pthread_attr_setdetachstate(&detached_attr, PTHREAD_CREATE_DETACHED);
   sem_init(&detached_done, 0, 0);
   for (w = 0; w < waves; w++) {
      pthread_t t[PER_WAVE];
      int detached = 0;
      for (i = 0; i < PER_WAVE; i++) {
         int detach = i % 5 == 4, by_attr = i % 10 == 4;
         if (pthread_create(&t[i], by_attr ? &detached_attr : NULL, body,
                            detach ? (void*)1 : NULL) != 0)
            return 1;
         threads++;
         if (detach) {
            if (!by_attr)
               pthread_detach(t[i]);
            detached++;
         }
      }
      for (i = 0; i < PER_WAVE; i++)
         if (i % 5 != 4)
            pthread_join(t[i], NULL);
      while (detached-- > 0)
         while (sem_wait(&detached_done) != 0)
            ;
   }
   /* A detached thread may still be on its way out after its post. */
   usleep(100000);
   n = snprintf(line, sizeof line, "threads %ld counter %ld\n", threads,
                counter);
   write(1, line, n);
   return 0;
}
