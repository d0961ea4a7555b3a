/* dcl_cas.c: double-checked locking done right: the instance pointer is
   read with atomic acquire loads and published with
   atomic_compare_exchange_strong after the object is filled in, so the
   late thread's unlocked fast path is ordered after the initialisation.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct config {
   int value;
};

static _Atomic(struct config *) instance;
static pthread_mutex_t instance_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static struct config *get_instance(void)
{
   struct config *c = atomic_load_explicit(&instance, memory_order_acquire);
   if (c == NULL) {
      pthread_mutex_lock(&instance_lock);
      c = atomic_load_explicit(&instance, memory_order_acquire);
      if (c == NULL) {
         struct config *fresh = malloc(sizeof *fresh);
         struct config *expected = NULL;
         fresh->value = 42;
         if (atomic_compare_exchange_strong(&instance, &expected, fresh))
            c = fresh;
         else
            c = expected;
      }
      pthread_mutex_unlock(&instance_lock);
   }
   return c;
}

/* The second thread (arg 1) comes 20 ms late, after the publication:
   then the pointer is already an atomic location (a CAS touched it) when
   the fast path reads it, so the plain-looking acquire load is one. */
__attribute__((noinline)) static void *worker(void *arg)
{
   struct config *c;
   if (arg != NULL)
      sleep_ms(20);
   c = get_instance();
   return (void *)(intptr_t)c->value;
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
   printf("dcl_cas: %d %d\n", (int)(intptr_t)v[0], (int)(intptr_t)v[1]);
   free(atomic_load(&instance));
   return 0;
}
