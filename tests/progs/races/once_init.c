/* once_init.c: three threads call pthread_once to initialise a global
   table, then read it: pthread_once orders the one initialisation before
   every caller's return.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define TABLE_LEN 16

int table[TABLE_LEN];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

__attribute__((noinline)) static void init_table(void)
{
   int i;
   for (i = 0; i < TABLE_LEN; i++)
      table[i] = i * i;
}

__attribute__((noinline)) static void *worker(void *arg)
{
   int i, sum = 0;
   pthread_once(&table_once, init_table);
   for (i = 0; i < TABLE_LEN; i++)
      sum += table[i];
   return (void *)(intptr_t)sum;
}

int main(void)
{
   pthread_t t[3];
   void *sum[3];
   int i;
   for (i = 0; i < 3; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 3; i++)
      pthread_join(t[i], &sum[i]);
   printf("once_init: %d %d %d\n", (int)(intptr_t)sum[0],
          (int)(intptr_t)sum[1], (int)(intptr_t)sum[2]);
   return 0;
}
