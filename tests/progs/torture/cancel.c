/* cancel.c: threads cancelled (pthread_cancel) at each cancellation point
   memscope wraps.  Usage: cancel <case>, case one of
     cond        a thread waits in pthread_cond_wait with the usual cleanup
                 handler that unlocks the mutex; main cancels and joins it,
                 then locks and unlocks the mutex and writes `shared`,
                 which the thread wrote before waiting
     timedcond   the same with pthread_cond_timedwait (a far deadline)
     cond-keep   the same, but the cleanup handler does not unlock: the
                 thread exits holding the mutex, and main's trylock fails
     sem         a thread blocks in sem_wait; main cancels and joins it,
                 checks the semaphore's value is still 0, then hands
                 `shared` to a second thread through sem_post/sem_wait
     timedsem    the same with sem_timedwait
     sem-racy    as sem, but the second thread writes `shared` before its
                 sem_wait: one race
     join        thread A blocks joining thread B; main cancels A, joins
                 it, lets B end and joins B itself
     once        thread A's pthread_once routine blocks in pause(); main
                 cancels A, joins it, then calls pthread_once itself, which
                 runs the routine to its end
   Prints "<case>: ok" and exits 0 when every call returned what glibc
   promises.  Expected (tests/test_torture.py, "cancellation"): no
   warning but, for cond-keep, one "exits holding a mutex"; no race hint
   but one for sem-racy, on `shared`. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static sem_t sem, handoff;
/* Flags read and written only by atomic read-modify-writes (plain x86
   loads and stores would be no atomics to a race detector). */
static int waiting;              /* set by the thread that blocks */
static volatile int shared;
static int timed;

static void unlock_m(void* arg)
{
   pthread_mutex_unlock(arg);
}

/* Waits on c for ever (main cancels it), holding m at every return. */
static void wait_for_ever(void)
{
   for (;;) {
      if (timed) {
         struct timespec far = { time(NULL) + 3600, 0 };
         pthread_cond_timedwait(&c, &m, &far);
      } else {
         pthread_cond_wait(&c, &m);
      }
   }
}

static void* cond_waiter(void* arg)
{
   (void)arg;
   pthread_mutex_lock(&m);
   shared = 1;
   (void)__atomic_exchange_n(&waiting, 1, __ATOMIC_SEQ_CST);
   pthread_cleanup_push(unlock_m, &m);
   wait_for_ever();
   pthread_cleanup_pop(1);
   return NULL;
}

/* The same without the cleanup handler: cancelled, it ends holding m. */
static void* cond_waiter_keeping(void* arg)
{
   (void)arg;
   pthread_mutex_lock(&m);
   shared = 1;
   (void)__atomic_exchange_n(&waiting, 1, __ATOMIC_SEQ_CST);
   wait_for_ever();
   return NULL;
}

static void wait_until_blocked(void)
{
   while (!__atomic_fetch_add(&waiting, 0, __ATOMIC_SEQ_CST))
      usleep(1000);
   usleep(100000);              /* well inside the blocking call */
}

static int cond_case(int keep)
{
   pthread_t t;
   void* res;
   pthread_create(&t, NULL, keep ? cond_waiter_keeping : cond_waiter, NULL);
   wait_until_blocked();
   pthread_cancel(t);
   if (pthread_join(t, &res) != 0 || res != PTHREAD_CANCELED)
      return 0;
   if (keep)
      return pthread_mutex_trylock(&m) == EBUSY;
   pthread_mutex_lock(&m);
   shared = 2;
   pthread_mutex_unlock(&m);
   return 1;
}

static void* sem_waiter(void* arg)
{
   (void)arg;
   (void)__atomic_exchange_n(&waiting, 1, __ATOMIC_SEQ_CST);
   if (timed) {
      struct timespec far = { time(NULL) + 3600, 0 };
      sem_timedwait(&sem, &far);
   } else {
      sem_wait(&sem);
   }
   return NULL;
}

static void* handed(void* racy)
{
   if (racy)
      shared = 3;               /* before the hand-over: races with main */
   sem_wait(&handoff);
   if (!racy)
      shared = 3;
   return NULL;
}

static int sem_case(int racy)
{
   pthread_t t, u;
   void* res;
   int value = -1;
   sem_init(&sem, 0, 0);
   sem_init(&handoff, 0, 0);
   pthread_create(&t, NULL, sem_waiter, NULL);
   wait_until_blocked();
   pthread_cancel(t);
   if (pthread_join(t, &res) != 0 || res != PTHREAD_CANCELED
       || sem_getvalue(&sem, &value) != 0 || value != 0)
      return 0;
   pthread_create(&u, NULL, handed, racy ? (void*)1 : NULL);
   shared = 4;
   sem_post(&handoff);
   pthread_join(u, NULL);
   return racy || shared == 3;    /* racy: either write may come last */
}

static pthread_t b;
static int b_may_end;            /* atomic */

static void* ender(void* arg)
{
   (void)arg;
   while (!__atomic_fetch_add(&b_may_end, 0, __ATOMIC_SEQ_CST))
      usleep(1000);
   return (void*)7;
}

static void* joiner(void* arg)
{
   (void)arg;
   (void)__atomic_exchange_n(&waiting, 1, __ATOMIC_SEQ_CST);
   pthread_join(b, NULL);
   return NULL;
}

static int join_case(void)
{
   pthread_t a;
   void* res;
   pthread_create(&b, NULL, ender, NULL);
   pthread_create(&a, NULL, joiner, NULL);
   wait_until_blocked();
   pthread_cancel(a);
   if (pthread_join(a, &res) != 0 || res != PTHREAD_CANCELED)
      return 0;
   (void)__atomic_exchange_n(&b_may_end, 1, __ATOMIC_SEQ_CST);
   return pthread_join(b, &res) == 0 && res == (void*)7;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int routine_runs, routine_ends;

static void routine(void)
{
   routine_runs++;
   if (routine_runs == 1) {
      (void)__atomic_exchange_n(&waiting, 1, __ATOMIC_SEQ_CST);
      for (;;)
         pause();               /* a cancellation point */
   }
   routine_ends++;
}

static void* once_caller(void* arg)
{
   (void)arg;
   pthread_once(&once, routine);
   return NULL;
}

static int once_case(void)
{
   pthread_t a;
   void* res;
   pthread_create(&a, NULL, once_caller, NULL);
   wait_until_blocked();
   pthread_cancel(a);
   if (pthread_join(a, &res) != 0 || res != PTHREAD_CANCELED)
      return 0;
   pthread_once(&once, routine);
   return routine_runs == 2 && routine_ends == 1;
}

int main(int argc, char** argv)
{
   const char* how = argc > 1 ? argv[1] : "";
   int ok = 0;
   if (strcmp(how, "cond") == 0 || strcmp(how, "timedcond") == 0) {
      timed = how[0] == 't';
      ok = cond_case(0);
   } else if (strcmp(how, "cond-keep") == 0) {
      ok = cond_case(1);
   } else if (strcmp(how, "sem") == 0 || strcmp(how, "timedsem") == 0) {
      timed = how[0] == 't';
      ok = sem_case(0);
   } else if (strcmp(how, "sem-racy") == 0) {
      ok = sem_case(1);
   } else if (strcmp(how, "join") == 0) {
      ok = join_case();
   } else if (strcmp(how, "once") == 0) {
      ok = once_case();
   } else {
      fprintf(stderr, "cancel: unknown case '%s'\n", how);
      return 2;
   }
   printf("%s: %s\n", how, ok ? "ok" : "FAILED");
   return ok ? 0 : 1;
}
