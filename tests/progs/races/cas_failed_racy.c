/* cas_failed_racy.c: a compare-and-swap that fails publishes nothing.
   The publisher writes the data, then tries to swap the flag from 0,
   which fails (the flag is already 1); the reader swaps it from 1 and
   reads the data.  In C11 the failed exchange is a load: nothing orders
   the write before the read.
   race-suite: racy
   race-variable: published
*/
#include <pthread.h>
#include <stdio.h>

int published;
static int flag = 1;

__attribute__((noinline)) static void *publisher(void *arg)
{
   int expected = 0;
   published = 42;                                  /* RACE */
   if (__atomic_compare_exchange_n(&flag, &expected, 5, 0, __ATOMIC_SEQ_CST,
                                   __ATOMIC_SEQ_CST))
      return NULL;
   return arg;
}

__attribute__((noinline)) static void *reader(void *arg)
{
   int expected = 1;
   while (!__atomic_compare_exchange_n(&flag, &expected, 2, 0,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      expected = 1;
   return (void *)(long)published;                  /* RACE */
}

int main(void)
{
   pthread_t t[2];
   void *seen;
   pthread_create(&t[0], NULL, publisher, NULL);
   pthread_create(&t[1], NULL, reader, NULL);
   pthread_join(t[0], NULL);
   pthread_join(t[1], &seen);
   printf("cas_failed_racy: %ld\n", (long)seen);
   return 0;
}
