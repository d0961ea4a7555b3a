/* cas_retry_ok.c: the twin of cas_failed_racy done right.  The reader
   retries its compare-and-swap (yielding between tries) until the
   publisher's succeeding one has stored the flag it waits for; only that
   success publishes the data, and the reader's failed tries order
   nothing in either direction.
   race-suite: race-free
*/
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static int published;
static int flag;

__attribute__((noinline)) static void *publisher(void *arg)
{
   int expected = 0;
   published = 42;
   if (!__atomic_compare_exchange_n(&flag, &expected, 1, 0,
                                    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
      return NULL;
   return arg;
}

__attribute__((noinline)) static void *reader(void *arg)
{
   int expected = 1;
   while (!__atomic_compare_exchange_n(&flag, &expected, 2, 0,
                                       __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
      expected = 1;
      sched_yield();
   }
   return (void *)(long)published;
}

int main(void)
{
   pthread_t t[2];
   void *seen;
   /* The reader first: it fails until the publisher runs. */
   pthread_create(&t[1], NULL, reader, NULL);
   pthread_create(&t[0], NULL, publisher, NULL);
   pthread_join(t[0], NULL);
   pthread_join(t[1], &seen);
   printf("cas_retry_ok: %ld\n", (long)seen);
   return 0;
}
