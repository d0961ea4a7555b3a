/* shared.c: shared and private data with known accesses (built -O0:
   counter++ is one load and one store).  Threads 2 and 3 each:
   increment counter 100 times holding counter_lock; read config 50
   times without a lock; write their own heap block (private_buf) 10
   times.  Main writes config once before the threads start and reads
   counter once, holding counter_lock, after they end.
   Expected (tests/test_shared.py): counter shared-modified with
   counter_lock in common, threads 2 and 3 at 100 reads, 100 writes, 200
   locked; config shared-read, no lock in common; each private_buf
   exclusive to its thread with 10 writes. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

int counter;
int config;
pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void* worker(void* arg)
{
   int i, sum = 0;
   int* private_buf = malloc(10 * sizeof *private_buf);
   MEMSCOPE_NAME_BLOCK(private_buf, 10 * sizeof *private_buf,
                       "private_buf", "int[10]");
   for (i = 0; i < 100; i++) {
      pthread_mutex_lock(&counter_lock);
      counter++;
      pthread_mutex_unlock(&counter_lock);
   }
   for (i = 0; i < 50; i++)
      sum += config;
   for (i = 0; i < 10; i++)
      private_buf[i] = sum + i;
   free(private_buf);
   return arg;
}

int main(void)
{
   pthread_t t[2];
   int i, total;
   MEMSCOPE_TRACK_VAR(counter);
   MEMSCOPE_TRACK_VAR(config);
   config = 7;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_mutex_lock(&counter_lock);
   total = counter;
   pthread_mutex_unlock(&counter_lock);
   printf("shared: %d\n", total);
   return 0;
}
