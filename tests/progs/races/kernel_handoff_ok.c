/* kernel_handoff_ok.c: three hand-offs through the kernel, each a block
   filled by one thread and read by another after the other learnt of it
   by a read: through a pipe (the block's address written as the
   message), through a socket pair (a byte), and through an eventfd (a
   count).  What the writer did before writing happens before what the
   reader does after its read.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static int pipe_fds[2], pair_fds[2], counter_fd;
static int *pair_block, *counter_block;

__attribute__((noinline)) static void *producer(void *arg)
{
   int *piped = malloc(16 * sizeof *piped);
   uint64_t one = 1;
   int i;
   for (i = 0; i < 16; i++)
      piped[i] = i;
   if (write(pipe_fds[1], &piped, sizeof piped) != sizeof piped)
      abort();
   for (i = 0; i < 16; i++)
      pair_block[i] = 2 * i;
   if (write(pair_fds[0], "x", 1) != 1)
      abort();
   for (i = 0; i < 16; i++)
      counter_block[i] = 3 * i;
   if (write(counter_fd, &one, sizeof one) != sizeof one)
      abort();
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   int *piped, i;
   long sum = 0;
   char byte;
   uint64_t count;
   if (read(pipe_fds[0], &piped, sizeof piped) != sizeof piped)
      abort();
   for (i = 0; i < 16; i++)
      sum += piped[i];
   free(piped);
   if (read(pair_fds[1], &byte, 1) != 1)
      abort();
   for (i = 0; i < 16; i++)
      sum += pair_block[i];
   if (read(counter_fd, &count, sizeof count) != sizeof count)
      abort();
   for (i = 0; i < 16; i++)
      sum += counter_block[i];
   return (void *)sum;
}

int main(void)
{
   pthread_t t[2];
   void *sum;
   if (pipe(pipe_fds) != 0
       || socketpair(AF_UNIX, SOCK_STREAM, 0, pair_fds) != 0
       || (counter_fd = eventfd(0, 0)) < 0)
      return 1;
   pair_block = calloc(16, sizeof *pair_block);
   counter_block = calloc(16, sizeof *counter_block);
   pthread_create(&t[1], NULL, consumer, NULL);
   pthread_create(&t[0], NULL, producer, NULL);
   pthread_join(t[0], NULL);
   pthread_join(t[1], &sum);
   printf("kernel_handoff_ok: %ld\n", (long)sum);
   free(pair_block);
   free(counter_block);
   return 0;
}
