/* tls_pointer_racy.c: a thread-local variable reached from another
   thread through a pointer.  The worker hands its helper the address of
   its own __thread counter and adds to it while the helper does, with
   nothing ordering the two.
   race-suite: racy
   race-variable: tls_total (thread-local of thread #2)
*/
#include <pthread.h>
#include <stdio.h>

__thread long tls_scratch[4];
__thread long tls_total;

__attribute__((noinline)) static void *helper(void *arg)
{
   long *total = arg;
   *total += 1;                                     /* RACE */
   return NULL;
}

__attribute__((noinline)) static void *worker(void *arg)
{
   pthread_t h;
   tls_scratch[0] = 1;
   pthread_create(&h, NULL, helper, &tls_total);
   tls_total += 2;                                  /* RACE */
   pthread_join(h, NULL);
   return (void *)tls_total;
}

int main(void)
{
   pthread_t w;
   void *total;
   pthread_create(&w, NULL, worker, NULL);
   pthread_join(w, &total);
   printf("tls_pointer_racy: %ld\n", (long)total);
   return 0;
}
