/* join_wrong_thread.c: main starts threads a and b, joins only a, then
   reads result_b, which thread b writes: joining a orders nothing of b's
   (b is joined only after the read).
   race-suite: racy
   race-variable: result_b
*/
#include <pthread.h>
#include <stdio.h>
#include <time.h>

int result_a;
int result_b;

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *thread_a(void *arg)
{
   result_a = 5;
   return arg;
}

/* b is late, so main's read comes first (the race is there either way). */
__attribute__((noinline)) static void *thread_b(void *arg)
{
   sleep_ms(20);
   result_b = 7; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t a, b;
   int seen;
   pthread_create(&a, NULL, thread_a, NULL);
   pthread_create(&b, NULL, thread_b, NULL);
   pthread_join(a, NULL);
   seen = result_a + result_b; /* RACE */
   pthread_join(b, NULL);
   printf("join_wrong_thread: %d\n", seen >= 5);
   return 0;
}
