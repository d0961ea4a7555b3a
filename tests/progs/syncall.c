/* syncall.c: every wrapped synchronisation call, each a known number of
   times, so that tests/test_sync.py can prove each wrapper engages and
   count exactly.  Also three misuses: an unlock of a mutex not held
   (errorcheck: EPERM), a destroy of a held mutex (EBUSY), a thread that
   exits holding a mutex, and a lock and an unlock of a destroyed mutex.  Expected counts are in test_sync.py. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static int signalled = 0;
static pthread_barrier_t barrier;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t left_locked = PTHREAD_MUTEX_INITIALIZER;

static void init_once(void) {}

static void* idle(void* arg)
{
   return arg;
}

static void* signaller(void* arg)
{
   (void)arg;
   pthread_mutex_lock(&gate);
   signalled = 1;
   pthread_cond_signal(&ready);
   pthread_mutex_unlock(&gate);
   pthread_barrier_wait(&barrier);
   return NULL;
}

static void* exiter(void* arg)
{
   (void)arg;
   pthread_mutex_lock(&left_locked);
   pthread_exit(NULL);
}

static void in_future(struct timespec* t)
{
   clock_gettime(CLOCK_REALTIME, t);
   t->tv_sec += 5;
}

int main(void)
{
   pthread_mutex_t m, busy;
   pthread_mutexattr_t attr;
   pthread_rwlock_t rw;
   pthread_spinlock_t spin;
   pthread_cond_t c;
   sem_t sem;
   pthread_t t1, t2;
   struct timespec soon, past = {0, 0};
   int bad = 0;

   pthread_mutexattr_init(&attr);
   pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
   pthread_mutex_init(&m, &attr);
   pthread_mutex_lock(&m);
   pthread_mutex_unlock(&m);
   bad |= pthread_mutex_trylock(&m);
   pthread_mutex_unlock(&m);
   in_future(&soon);
   bad |= pthread_mutex_timedlock(&m, &soon);
   pthread_mutex_unlock(&m);
   if (pthread_mutex_unlock(&m) != EPERM)
      bad = 1;
   pthread_mutex_destroy(&m);
   pthread_mutex_init(&busy, NULL);
   pthread_mutex_lock(&busy);
   if (pthread_mutex_destroy(&busy) != EBUSY)
      bad = 1;
   pthread_mutex_unlock(&busy);
   pthread_mutex_destroy(&busy);
   /* Used after its destroy: glibc refuses (EINVAL, EPERM); memscope must
      not trip over the destroyed lock's state. */
   if (pthread_mutex_lock(&busy) == 0)
      bad = 1;
   pthread_mutex_unlock(&busy);

   pthread_rwlock_init(&rw, NULL);
   pthread_rwlock_rdlock(&rw);
   pthread_rwlock_unlock(&rw);
   pthread_rwlock_wrlock(&rw);
   pthread_rwlock_unlock(&rw);
   bad |= pthread_rwlock_tryrdlock(&rw);
   pthread_rwlock_unlock(&rw);
   bad |= pthread_rwlock_trywrlock(&rw);
   pthread_rwlock_unlock(&rw);
   in_future(&soon);
   bad |= pthread_rwlock_timedrdlock(&rw, &soon);
   pthread_rwlock_unlock(&rw);
   bad |= pthread_rwlock_timedwrlock(&rw, &soon);
   pthread_rwlock_unlock(&rw);
   pthread_rwlock_destroy(&rw);

   pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
   pthread_spin_lock(&spin);
   pthread_spin_unlock(&spin);
   bad |= pthread_spin_trylock(&spin);
   pthread_spin_unlock(&spin);
   pthread_spin_destroy(&spin);

   pthread_cond_init(&c, NULL);
   pthread_cond_signal(&c);
   pthread_cond_broadcast(&c);
   pthread_mutex_lock(&gate);
   if (pthread_cond_timedwait(&c, &gate, &past) != ETIMEDOUT)
      bad = 1;
   pthread_mutex_unlock(&gate);
   pthread_cond_destroy(&c);

   sem_init(&sem, 0, 0);
   sem_post(&sem);
   sem_wait(&sem);
   sem_post(&sem);
   bad |= sem_trywait(&sem);
   sem_post(&sem);
   in_future(&soon);
   bad |= sem_timedwait(&sem, &soon);
   sem_destroy(&sem);

   pthread_once(&once, init_once);
   pthread_barrier_init(&barrier, NULL, 2);

   pthread_mutex_lock(&gate);
   pthread_create(&t1, NULL, signaller, NULL);
   while (!signalled)
      pthread_cond_wait(&ready, &gate);
   pthread_mutex_unlock(&gate);
   pthread_barrier_wait(&barrier);
   pthread_join(t1, NULL);
   pthread_barrier_destroy(&barrier);

   pthread_create(&t2, NULL, exiter, NULL);
   pthread_join(t2, NULL);

   pthread_create(&t1, NULL, idle, NULL);
   pthread_detach(t1);
   printf("syncall: %s\n", bad ? "FAILED" : "ok");
   return bad;
}
