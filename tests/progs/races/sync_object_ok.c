/* sync_object_ok.c: synchronisation objects ended correctly after other
   threads used them: a mutex destroyed after the join; a mutex inside a
   reference-counted block that the last of three threads to drop its
   reference destroys and frees; a mutex re-initialised after the join; a
   semaphore a worker posts and main destroys after its wait; a
   condition variable and its mutex destroyed after the waiter is joined;
   a barrier destroyed after every thread passed it and was joined; and
   a pthread_once control every thread goes through.
   race-suite: race-free
*/
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 3

static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
static int plain_count;

struct refcounted {
   pthread_mutex_t lock;
   int refs;
   int uses;
};
static struct refcounted *block;

static sem_t posted;
static pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready;
static pthread_barrier_t barrier;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_value;

static void init_once(void)
{
   once_value = 7;
}

__attribute__((noinline)) static void *plain_user(void *arg)
{
   pthread_mutex_lock(&plain);
   plain_count++;
   pthread_mutex_unlock(&plain);
   return arg;
}

__attribute__((noinline)) static void *block_user(void *arg)
{
   struct refcounted *b = block;
   int last;
   pthread_mutex_lock(&b->lock);
   b->uses++;
   last = --b->refs == 0;
   pthread_mutex_unlock(&b->lock);
   if (last) {
      pthread_mutex_destroy(&b->lock);
      free(b);
   }
   return arg;
}

__attribute__((noinline)) static void *poster(void *arg)
{
   sem_post(&posted);
   return arg;
}

__attribute__((noinline)) static void *waiter(void *arg)
{
   pthread_mutex_lock(&cond_lock);
   while (!ready)
      pthread_cond_wait(&cond, &cond_lock);
   pthread_mutex_unlock(&cond_lock);
   return arg;
}

__attribute__((noinline)) static void *barrier_user(void *arg)
{
   pthread_barrier_wait(&barrier);
   pthread_once(&once, init_once);
   return (void *)(long)once_value;
}

int main(void)
{
   pthread_t t[THREADS];
   int i;

   for (i = 0; i < THREADS; i++)
      pthread_create(&t[i], NULL, plain_user, NULL);
   for (i = 0; i < THREADS; i++)
      pthread_join(t[i], NULL);
   pthread_mutex_destroy(&plain);
   pthread_mutex_init(&plain, NULL);
   pthread_create(&t[0], NULL, plain_user, NULL);
   pthread_join(t[0], NULL);

   block = malloc(sizeof *block);
   pthread_mutex_init(&block->lock, NULL);
   block->refs = THREADS;
   block->uses = 0;
   for (i = 0; i < THREADS; i++)
      pthread_create(&t[i], NULL, block_user, NULL);
   for (i = 0; i < THREADS; i++)
      pthread_join(t[i], NULL);

   sem_init(&posted, 0, 0);
   pthread_create(&t[0], NULL, poster, NULL);
   sem_wait(&posted);
   sem_destroy(&posted);
   pthread_join(t[0], NULL);

   pthread_create(&t[0], NULL, waiter, NULL);
   pthread_mutex_lock(&cond_lock);
   ready = 1;
   pthread_cond_signal(&cond);
   pthread_mutex_unlock(&cond_lock);
   pthread_join(t[0], NULL);
   pthread_cond_destroy(&cond);
   pthread_mutex_destroy(&cond_lock);

   pthread_barrier_init(&barrier, NULL, THREADS);
   for (i = 0; i < THREADS; i++)
      pthread_create(&t[i], NULL, barrier_user, NULL);
   for (i = 0; i < THREADS; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&barrier);

   printf("sync_object_ok: %d %d\n", plain_count, once_value);
   return 0;
}
