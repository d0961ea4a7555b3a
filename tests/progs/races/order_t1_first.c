/* order_t1_first.c: x is written by thread 1 (writer_one), then 10 ms later by
   thread 2 (writer_two): the pair of order_t2_first.c in the other order.
   No synchronisation orders the two writes, so the order is the
   scheduler's (here forced by a sleep) and the race is there either way.
   race-suite: racy
   race-variable: x
*/
#include <pthread.h>
#include <stdio.h>
#include <time.h>

int x;
static pthread_barrier_t start;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *writer_one(void *arg)
{
   pthread_barrier_wait(&start);
   if (arg != NULL)
      sleep_ms(10);
   x = 1; /* RACE */
   return NULL;
}

__attribute__((noinline)) static void *writer_two(void *arg)
{
   pthread_barrier_wait(&start);
   if (arg != NULL)
      sleep_ms(10);
   x = 2; /* RACE */
   return NULL;
}

int main(void)
{
   pthread_t one, two;
   static int late = 1;        /* any non-NULL argument: sleep first */
   pthread_barrier_init(&start, NULL, 2);
   pthread_create(&one, NULL, writer_one, NULL);
   pthread_create(&two, NULL, writer_two, &late);
   pthread_join(one, NULL);
   pthread_join(two, NULL);
   pthread_barrier_destroy(&start);
   printf("order_t1_first: x = %d\n", x);
   return 0;
}
