/* readonly_globals.c: main initialises a global table and a scale factor
   before creating three threads that only read them: reads never race
   with reads, and creation orders main's writes before them.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int lookup[8];
int scale;

__attribute__((noinline)) static void *worker(void *arg)
{
   int i, sum = 0;
   for (i = 0; i < 8; i++)
      sum += lookup[i] * scale;
   return (void *)(intptr_t)sum;
}

int main(void)
{
   pthread_t t[3];
   void *sum[3];
   int i;
   for (i = 0; i < 8; i++)
      lookup[i] = i;
   scale = 2;
   for (i = 0; i < 3; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 3; i++)
      pthread_join(t[i], &sum[i]);
   printf("readonly_globals: %d %d %d\n", (int)(intptr_t)sum[0],
          (int)(intptr_t)sum[1], (int)(intptr_t)sum[2]);
   return 0;
}
