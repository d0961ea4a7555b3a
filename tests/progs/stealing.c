/* stealing.c: a work-stealing pool of 4 workers with a deliberately
   unbalanced start: all 200 tasks begin in worker 0's deque.  Each worker
   pops from its own deque (its own mutex) and, when empty, steals from
   the others; a task is some private computation.  Every task runs once:
   tasks_done ends at 200 and the sums agree.  Expected (tests/test_sync.py):
   exactly 200 atomic increments of tasks_done in all, deque 0's lock
   taken by more than one thread (others stole), the work spread over the
   four workers. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include "memscope.h"

#define WORKERS 4
#define TASKS 200

struct deque {
   pthread_mutex_t lock;
   int task[TASKS];
   int count;
};

static struct deque deques[WORKERS];
static atomic_int tasks_done;
static long results[WORKERS];

static int take(int victim)
{
   int t = -1;
   pthread_mutex_lock(&deques[victim].lock);
   if (deques[victim].count > 0)
      t = deques[victim].task[--deques[victim].count];
   pthread_mutex_unlock(&deques[victim].lock);
   return t;
}

__attribute__((noinline)) static long run_task(int t)
{
   long x = t, i;
   for (i = 0; i < 4000; i++)
      x = (x * 1103515245 + 12345) & 0x7fffffff;
   return x & 0xff;
}

static void* worker(void* arg)
{
   int me = (int)(long)arg, v;
   long sum = 0;
   while (atomic_load(&tasks_done) < TASKS) {
      int t = take(me);
      for (v = 1; t < 0 && v < WORKERS; v++)
         t = take((me + v) % WORKERS);
      if (t < 0) {
         sched_yield();          /* nothing to steal: let the others run */
         continue;
      }
      sum += run_task(t);
      atomic_fetch_add(&tasks_done, 1);
   }
   results[me] = sum;
   return NULL;
}

int main(void)
{
   pthread_t t[WORKERS];
   long i, total = 0;
   MEMSCOPE_TRACK_VAR(tasks_done);
   for (i = 0; i < WORKERS; i++)
      pthread_mutex_init(&deques[i].lock, NULL);
   for (i = 0; i < TASKS; i++)
      deques[0].task[deques[0].count++] = (int)i;
   for (i = 0; i < WORKERS; i++)
      pthread_create(&t[i], NULL, worker, (void*)i);
   for (i = 0; i < WORKERS; i++)
      pthread_join(t[i], NULL);
   for (i = 0; i < WORKERS; i++)
      total += results[i];
   printf("stealing: %d %ld\n", atomic_load(&tasks_done), total);
   return 0;
}
