/* clockall.c: every clock and timed variant of the pthread API that
   syncall.c does not call (the clock variants of glibc 2.30 and the GNU
   joins), each a known number of times with known results, in an order
   no schedule changes; tests/test_sync.py counts them exactly. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static sem_t go;

static void *waiter(void *arg)
{
   sem_wait(&go);
   return arg;
}

static void *quick(void *arg)
{
   return arg;
}

static struct timespec from_now(clockid_t clock, int seconds)
{
   struct timespec t;
   clock_gettime(clock, &t);
   t.tv_sec += seconds;
   return t;
}

int main(void)
{
   pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
   pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
   pthread_cond_t c = PTHREAD_COND_INITIALIZER;
   sem_t sem;
   pthread_t slow, fast;
   struct timespec later = from_now(CLOCK_MONOTONIC, 30);
   struct timespec past = {0, 0};
   int bad = 0;

   bad |= pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &later);
   bad |= pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &past) != ETIMEDOUT;
   pthread_mutex_unlock(&m);

   bad |= pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &later);
   pthread_rwlock_unlock(&rw);
   bad |= pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &later);
   pthread_rwlock_unlock(&rw);

   sem_init(&sem, 0, 0);
   bad |= sem_clockwait(&sem, CLOCK_MONOTONIC, &past) != -1 || errno != ETIMEDOUT;
   sem_post(&sem);
   bad |= sem_clockwait(&sem, CLOCK_MONOTONIC, &later);
   sem_destroy(&sem);

   /* slow waits for `go`: not joinable yet, then joined. */
   sem_init(&go, 0, 0);
   pthread_create(&slow, NULL, waiter, NULL);
   bad |= pthread_tryjoin_np(slow, NULL) != EBUSY;
   bad |= pthread_timedjoin_np(slow, NULL, &past) != ETIMEDOUT;
   sem_post(&go);
   bad |= pthread_clockjoin_np(slow, NULL, CLOCK_MONOTONIC, &later);
   sem_destroy(&go);

   pthread_create(&fast, NULL, quick, NULL);
   later = from_now(CLOCK_REALTIME, 30);
   bad |= pthread_timedjoin_np(fast, NULL, &later);

   printf("clockall: %s\n", bad ? "FAILED" : "ok");
   return bad;
}
