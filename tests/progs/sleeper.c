/* sleeper.c: allocates 1000 blocks of 16 bytes, says "ready" on stdout,
   then waits up to 60 s to be killed (tests/test_log.py kills it). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
   static void* blocks[1000];
   int i;
   for (i = 0; i < 1000; i++)
      blocks[i] = malloc(16);
   printf("ready\n");
   fflush(stdout);
   for (i = 0; i < 600; i++)
      usleep(100 * 1000);
   return 0;
}
