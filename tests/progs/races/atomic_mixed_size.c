/* atomic_mixed_size.c: one thread adds to an int with atomic_fetch_add,
   another plainly stores one byte of it: a 1-byte plain store is not an
   atomic access of the 4-byte location, so it races with the atomics.
   race-suite: racy
   race-variable: hits
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

atomic_int hits;
static pthread_barrier_t start;

__attribute__((noinline)) static void *adder(void *arg)
{
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 100; i++)
      atomic_fetch_add(&hits, 1); /* RACE */
   return arg;
}

__attribute__((noinline)) static void *byte_writer(void *arg)
{
   unsigned char *low = (unsigned char *)&hits;
   pthread_barrier_wait(&start);
   *low = 0; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t a, b;
   pthread_barrier_init(&start, NULL, 2);
   pthread_create(&a, NULL, adder, NULL);
   pthread_create(&b, NULL, byte_writer, NULL);
   pthread_join(a, NULL);
   pthread_join(b, NULL);
   pthread_barrier_destroy(&start);
   printf("atomic_mixed_size: %d\n", atomic_load(&hits) <= 100);
   return 0;
}
