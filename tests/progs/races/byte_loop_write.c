/* byte_loop_write.c: one thread fills a heap buffer a byte at a time;
   another, with no synchronisation, reads a byte in the middle of a
   granule the first thread wrote (not the granule's first byte).  The
   second thread sleeps first (a sleep is no synchronisation), so that
   the first has touched the whole buffer alone by then: the race is
   found only if the bytes a thread adds one by one to its own accesses
   of a word are all seen by the other thread's check.
   race-suite: racy
   race-variable: buffer
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "memscope.h"

static volatile char *buffer;

__attribute__((noinline)) static void *fill(void *arg)
{
   int i;
   for (i = 0; i < 64; i++)
      buffer[i] = (char)i; /* RACE */
   return arg;
}

__attribute__((noinline)) static void *peek(void *arg)
{
   usleep(200000);
   *(char *)arg = buffer[13]; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t a, b;
   char seen = 0;
   buffer = malloc(64);
   MEMSCOPE_NAME_BLOCK((void *)buffer, 64, "buffer", "char[64]");
   pthread_create(&a, NULL, fill, NULL);
   pthread_create(&b, NULL, peek, &seen);
   pthread_join(a, NULL);
   pthread_join(b, NULL);
   printf("byte_loop_write: done\n");
   free((void *)buffer);
   return 0;
}
