/* alloc_mt.c: an allocation-heavy multi-threaded workload for the
   benchmark.  4 threads; each runs ROUNDS rounds over its own table of
   SLOTS pointers: mixed sizes from malloc and calloc, reallocs that grow
   and shrink, and a live set that grows for half of each round and
   shrinks for the other half.  Deterministic: the same calls every run.
   Usage: alloc_mt [rounds] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define SLOTS 2048
#define ROUNDS 12   /* default; argv[1] overrides */

static unsigned long next(unsigned long* s)
{
   *s = *s * 6364136223846793005UL + 1442695040888963407UL;
   return *s >> 33;
}

static int rounds = ROUNDS;

static void* worker(void* arg)
{
   unsigned long seed = (unsigned long)arg + 1, sum = 0;
   char** slot = calloc(SLOTS, sizeof *slot);
   int round, i;
   for (round = 0; round < rounds; round++) {
      for (i = 0; i < SLOTS; i++) {           /* grow: fill every slot */
         size_t size = 8 + next(&seed) % 512;
         slot[i] = (i & 3) ? malloc(size) : calloc(1, size);
         memset(slot[i], i & 0xff, 8);
      }
      for (i = 0; i < SLOTS; i += 3) {        /* resize a third */
         size_t size = 8 + next(&seed) % 1024;
         slot[i] = realloc(slot[i], size);
         sum += (unsigned char)slot[i][0];
      }
      for (i = 0; i < SLOTS; i++) {           /* shrink: free them all */
         free(slot[i]);
         slot[i] = NULL;
      }
   }
   free(slot);
   return (void*)sum;
}

int main(int argc, char** argv)
{
   pthread_t t[THREADS];
   unsigned long total = 0;
   void* r;
   int i;
   if (argc > 1)
      rounds = atoi(argv[1]);
   for (i = 0; i < THREADS; i++)
      pthread_create(&t[i], NULL, worker, (void*)(long)i);
   for (i = 0; i < THREADS; i++) {
      pthread_join(t[i], &r);
      total += (unsigned long)r;
   }
   printf("alloc_mt: %lu\n", total);
   return 0;
}
