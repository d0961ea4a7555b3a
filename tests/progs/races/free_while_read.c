/* free_while_read.c: a thread sums a named heap block while main frees it
   without joining first: free() writes the whole block, and nothing
   orders it after the thread's reads.
   race-suite: racy
   race-variable: buffer
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "memscope.h"

#define BUFFER_SZB 64

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *reader(void *arg)
{
   const unsigned char *buf = arg;
   unsigned sum = 0;
   int i;
   for (i = 0; i < BUFFER_SZB; i++)
      sum += buf[i]; /* RACE */
   return (void *)(uintptr_t)sum;
}

int main(void)
{
   pthread_t t;
   void *sum;
   int i;
   unsigned char *buffer = malloc(BUFFER_SZB);
   MEMSCOPE_NAME_BLOCK(buffer, BUFFER_SZB, "buffer", "unsigned char[64]");
   for (i = 0; i < BUFFER_SZB; i++)
      buffer[i] = (unsigned char)i;
   pthread_create(&t, NULL, reader, buffer);
   /* Give the reader time to read first: the race is there in either
      order, but reading a freed block would be a second bug. */
   sleep_ms(20);
   free(buffer); /* RACE */
   pthread_join(t, &sum);
   printf("free_while_read: %u\n", (unsigned)(uintptr_t)sum);
   return 0;
}
