/* threads.c: main and three workers.  Workers 1 and 2 name themselves
   ("worker-1", "worker-2"); main names worker 3 ("worker-3") from outside.
   Worker k allocates 10*k blocks of 32 bytes in worker_allocate() and frees
   all but the last; main joins them all.

   Expected (tests/test_threads.py): 4 threads, numbered 1 (main) to 4;
   threads 2-4 have parent 1 and the names above; from worker_allocate:
   10, 20 and 30 allocations, 9, 19 and 29 frees, by threads 2, 3, 4. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline))
static void* worker_allocate(int k)
{
   void* last = NULL;
   int i;
   for (i = 0; i < 10 * k; i++) {
      free(last);           /* free(NULL) the first time: not counted */
      last = malloc(32);
   }
   return last;
}

static void* worker(void* arg)
{
   int k = (int)(long)arg;
   char name[16];
   if (k != 3) {
      snprintf(name, sizeof name, "worker-%d", k);
      pthread_setname_np(pthread_self(), name);
   } else {
      /* Worker 3 waits until main has named it. */
      pthread_mutex_lock(&gate);
      pthread_mutex_unlock(&gate);
   }
   return worker_allocate(k);
}

int main(void)
{
   pthread_t t[3];
   void* kept[3];
   int k;
   pthread_mutex_lock(&gate);
   for (k = 1; k <= 3; k++)
      if (pthread_create(&t[k - 1], NULL, worker, (void*)(long)k) != 0)
         return 1;
   if (pthread_setname_np(t[2], "worker-3") != 0)
      return 1;
   pthread_mutex_unlock(&gate);
   for (k = 0; k < 3; k++)
      pthread_join(t[k], &kept[k]);
   for (k = 0; k < 3; k++)
      free(kept[k]);
   printf("threads: ok\n");
   return 0;
}
