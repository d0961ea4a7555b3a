/* heap_halves.c: two threads fill disjoint halves of a named heap array
   with no lock, and main sums it only after joining both: no element is
   shared between the threads, and the join orders main's reads.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

#define N 100

struct half {
   int *a;
   int begin, end;
};

__attribute__((noinline)) static void *fill(void *arg)
{
   struct half *h = arg;
   int i;
   for (i = h->begin; i < h->end; i++)
      h->a[i] = i * 2;
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   struct half halves[2];
   long sum = 0;
   int i;
   int *values = malloc(N * sizeof *values);
   MEMSCOPE_NAME_BLOCK(values, N * sizeof *values, "values", "int[100]");
   halves[0] = (struct half){ values, 0, N / 2 };
   halves[1] = (struct half){ values, N / 2, N };
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, fill, &halves[i]);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   for (i = 0; i < N; i++)
      sum += values[i];
   free(values);
   printf("heap_halves: %ld\n", sum);
   return 0;
}
