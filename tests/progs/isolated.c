/* isolated.c: three threads that share nothing of their own: each
   allocates, names ("buffer"), fills and sums its own block, and keeps its
   count in its own stack.  Expected (tests/test_shared.py): the three
   named blocks are exclusive, each to the thread that made it, with 64
   writes and 64 reads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

__attribute__((noinline)) static void* worker(void* arg)
{
   long sum = 0;
   int i;
   int* buffer = malloc(64 * sizeof *buffer);
   MEMSCOPE_NAME_BLOCK(buffer, 64 * sizeof *buffer, "buffer", "int[64]");
   for (i = 0; i < 64; i++)
      buffer[i] = i;
   for (i = 0; i < 64; i++)
      sum += buffer[i];
   free(buffer);
   return (void*)sum;
}

int main(void)
{
   pthread_t t[3];
   void* r;
   long total = 0;
   int i;
   for (i = 0; i < 3; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 3; i++) {
      pthread_join(t[i], &r);
      total += (long)r;
   }
   printf("isolated: %ld\n", total);
   return 0;
}
