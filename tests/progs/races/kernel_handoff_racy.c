/* kernel_handoff_racy.c: a hand-off through a pipe done wrong: the
   producer writes the pipe's byte, then fills the shared table; the
   consumer reads the byte, then the table.  The write orders what came
   before it, not what the producer does after.
   race-suite: racy
   race-variable: late_table
*/
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2];
int late_table[16];

__attribute__((noinline)) static void *producer(void *arg)
{
   int i;
   if (write(fds[1], "x", 1) != 1)
      return NULL;
   for (i = 0; i < 16; i++)
      late_table[i] = i;                            /* RACE */
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   long sum = 0;
   char byte;
   int i;
   if (read(fds[0], &byte, 1) != 1)
      return NULL;
   for (i = 0; i < 16; i++)
      sum += late_table[i];                         /* RACE */
   return (void *)sum;
}

int main(void)
{
   pthread_t t[2];
   void *sum;
   if (pipe(fds) != 0)
      return 1;
   pthread_create(&t[0], NULL, producer, NULL);
   pthread_create(&t[1], NULL, consumer, NULL);
   pthread_join(t[0], NULL);
   pthread_join(t[1], &sum);
   printf("kernel_handoff_racy: %ld\n", (long)sum);
   return 0;
}
