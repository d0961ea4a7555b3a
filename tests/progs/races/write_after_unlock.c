/* write_after_unlock.c: each thread adds to balance under balance_lock,
   then subtracts a fee after unlocking: the write outside the lock is not
   ordered against the other thread's accesses.
   race-suite: racy
   race-variable: balance
*/
#include <pthread.h>
#include <stdio.h>

int balance;
static pthread_mutex_t balance_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < 10; i++) {
      pthread_mutex_lock(&balance_lock);
      balance += 10; /* RACE */
      pthread_mutex_unlock(&balance_lock);
      balance -= 1; /* RACE */
   }
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i;
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   printf("write_after_unlock: %d\n", balance);
   return 0;
}
