/* stdio_racy.c: two threads increment a global counter without a lock
   and print it after each increment.  The FILE lock inside printf orders
   the printing, not the increments before it: they race.
   race-suite: racy
   race-variable: printed_count
*/
#include <pthread.h>
#include <stdio.h>

int printed_count;

__attribute__((noinline)) static void *counter_printer(void *arg)
{
   int i;
   for (i = 0; i < 20; i++) {
      printed_count++;                              /* RACE */
      printf("stdio_racy: %ld\n", (long)arg);
   }
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   long i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, counter_printer, (void *)i);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("stdio_racy: %d\n", printed_count);
   return 0;
}
