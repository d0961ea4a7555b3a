/* alloc_recycle.c: one thread allocates, writes and frees a block; 20 ms
   later another thread allocates a block of the same size (often at the
   same address) and writes it, with no synchronisation: a new allocation
   is new memory, so there is no race.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK_SZB 48

__attribute__((noinline)) static void sleep_ms(long ms)
{
   struct timespec ts = { 0, ms * 1000000L };
   nanosleep(&ts, NULL);
}

__attribute__((noinline)) static void *use_block(void *arg)
{
   unsigned char *p;
   unsigned sum = 0;
   int i;
   if (arg != NULL)
      sleep_ms(20);
   p = malloc(BLOCK_SZB);
   for (i = 0; i < BLOCK_SZB; i++)
      p[i] = (unsigned char)i;
   for (i = 0; i < BLOCK_SZB; i++)
      sum += p[i];
   free(p);
   return (void *)(uintptr_t)sum;
}

int main(void)
{
   pthread_t first, second;
   static int late = 1;        /* any non-NULL argument: sleep first */
   void *a, *b;
   pthread_create(&first, NULL, use_block, NULL);
   pthread_create(&second, NULL, use_block, &late);
   pthread_join(first, &a);
   pthread_join(second, &b);
   printf("alloc_recycle: %u %u\n", (unsigned)(uintptr_t)a,
          (unsigned)(uintptr_t)b);
   return 0;
}
