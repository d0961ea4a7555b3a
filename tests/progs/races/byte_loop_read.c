/* byte_loop_read.c: one thread sums a heap buffer a byte at a time;
   another, with no synchronisation, writes a byte in the middle of a
   granule the first thread read (not the granule's first byte).  The
   second thread sleeps first (a sleep is no synchronisation), so that
   the first has read the whole buffer alone by then: the race is found
   only if the bytes a thread adds one by one to its own reads of a word
   are all seen by the other thread's check.
   race-suite: racy
   race-variable: table
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "memscope.h"

static volatile unsigned char *table;
static unsigned sum;

__attribute__((noinline)) static void *add_up(void *arg)
{
   int i;
   for (i = 0; i < 64; i++)
      sum += table[i]; /* RACE */
   return arg;
}

__attribute__((noinline)) static void *poke(void *arg)
{
   usleep(200000);
   table[21] = 7; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t a, b;
   table = calloc(64, 1);
   MEMSCOPE_NAME_BLOCK((void *)table, 64, "table", "unsigned char[64]");
   pthread_create(&a, NULL, add_up, NULL);
   pthread_create(&b, NULL, poke, NULL);
   pthread_join(a, NULL);
   pthread_join(b, NULL);
   printf("byte_loop_read: done\n");
   free((void *)table);
   return 0;
}
