/* realloc_read.c: a thread reads a named shared buffer while main grows it
   with realloc(); moving the block frees the old one, a write to all of it
   that nothing orders after the thread's reads.
   race-suite: racy
   race-variable: shared_buf
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "memscope.h"

#define OLD_SZB 32
#define NEW_SZB 4096

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *reader(void *arg)
{
   const char *buf = arg;
   unsigned sum = 0;
   int i;
   for (i = 0; i < OLD_SZB; i++)
      sum += (unsigned char)buf[i]; /* RACE */
   return (void *)(uintptr_t)sum;
}

int main(void)
{
   pthread_t t;
   void *sum;
   int i;
   char *shared_buf = malloc(OLD_SZB);
   MEMSCOPE_NAME_BLOCK(shared_buf, OLD_SZB, "shared_buf", "char[]");
   for (i = 0; i < OLD_SZB; i++)
      shared_buf[i] = (char)i;
   pthread_create(&t, NULL, reader, shared_buf);
   /* The reader reads first (reading the old block after the move would
      be a use after free besides the race). */
   sleep_ms(20);
   shared_buf = realloc(shared_buf, NEW_SZB); /* RACE */
   MEMSCOPE_NAME_BLOCK(shared_buf, NEW_SZB, "shared_buf", "char[]");
   shared_buf[NEW_SZB - 1] = 1;
   pthread_join(t, &sum);
   free(shared_buf);
   printf("realloc_read: %u\n", (unsigned)(uintptr_t)sum);
   return 0;
}
