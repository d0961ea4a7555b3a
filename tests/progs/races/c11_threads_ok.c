/* c11_threads_ok.c: C11 <threads.h>: two threads made by thrd_create
   increment a global counter 1000 times each under an mtx_t; main reads
   and writes it only after thrd_join of both.  Every mtx_unlock happens
   before the next mtx_lock and each thread's end before its join, so the
   program is race-free.
   race-suite: race-free
*/
#include <stdio.h>
#include <threads.h>

int counter;
static mtx_t counter_lock;

__attribute__((noinline)) static int worker(void *arg)
{
   int i;
   for (i = 0; i < 1000; i++) {
      mtx_lock(&counter_lock);
      counter++;
      mtx_unlock(&counter_lock);
   }
   return arg != NULL;
}

int main(void)
{
   thrd_t t[2];
   int i;
   if (mtx_init(&counter_lock, mtx_plain) != thrd_success)
      return 1;
   for (i = 0; i < 2; i++)
      if (thrd_create(&t[i], worker, NULL) != thrd_success)
         return 1;
   for (i = 0; i < 2; i++)
      thrd_join(t[i], NULL);
   counter++;
   printf("c11_threads_ok: %d\n", counter);
   mtx_destroy(&counter_lock);
   return 0;
}
