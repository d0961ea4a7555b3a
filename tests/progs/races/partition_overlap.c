/* partition_overlap.c: two threads fill a named heap array of 101 ints,
   one elements 0 to 50, the other 50 to 100: the partitions overlap by
   element 50, which both write with no lock.
   race-suite: racy
   race-variable: partition
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

#define N 101

struct part {
   int *a;
   int begin, end;
};

static pthread_barrier_t start;

__attribute__((noinline)) static void *fill(void *arg)
{
   struct part *p = arg;
   int i;
   pthread_barrier_wait(&start);
   for (i = p->begin; i < p->end; i++)
      p->a[i] = i * 2; /* RACE */
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   struct part parts[2];
   long sum = 0;
   int i;
   int *partition = malloc(N * sizeof *partition);
   MEMSCOPE_NAME_BLOCK(partition, N * sizeof *partition, "partition",
                       "int[101]");
   parts[0] = (struct part){ partition, 0, N / 2 + 1 };
   parts[1] = (struct part){ partition, N / 2, N };
   pthread_barrier_init(&start, NULL, 2);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, fill, &parts[i]);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_barrier_destroy(&start);
   for (i = 0; i < N; i++)
      sum += partition[i];
   free(partition);
   printf("partition_overlap: %ld\n", sum);
   return 0;
}
