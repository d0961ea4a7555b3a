/* c11_threads_racy.c: C11 <threads.h>: two threads made by thrd_create
   increment a global counter 1000 times each, one of them without taking
   the mtx_t the other holds: the increments race.
   race-suite: racy
   race-variable: counter
*/
#include <stdio.h>
#include <threads.h>

int counter;
static mtx_t counter_lock;

__attribute__((noinline)) static int locked_worker(void *arg)
{
   int i;
   for (i = 0; i < 1000; i++) {
      mtx_lock(&counter_lock);
      counter++;                                    /* RACE */
      mtx_unlock(&counter_lock);
   }
   return arg != NULL;
}

__attribute__((noinline)) static int unlocked_worker(void *arg)
{
   int i;
   for (i = 0; i < 1000; i++)
      counter++;                                    /* RACE */
   return arg != NULL;
}

int main(void)
{
   thrd_t t[2];
   int i;
   if (mtx_init(&counter_lock, mtx_plain) != thrd_success)
      return 1;
   if (thrd_create(&t[0], locked_worker, NULL) != thrd_success
       || thrd_create(&t[1], unlocked_worker, NULL) != thrd_success)
      return 1;
   for (i = 0; i < 2; i++)
      thrd_join(t[i], NULL);
   printf("c11_threads_racy: %d\n", counter);
   mtx_destroy(&counter_lock);
   return 0;
}
