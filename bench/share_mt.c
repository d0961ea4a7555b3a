/* share_mt.c: a sharing-heavy multi-threaded workload for the benchmark.
   4 threads; each does ITERS iterations of mostly private work (a sum over
   its own array) with, every iteration, a mutex-protected update of a
   shared table, an rwlock-protected read (and every 16th a write) of a
   shared cache, and C11 atomic increments of shared counters.  Correct
   and race-free; deterministic in what it computes.
   Usage: share_mt [iterations] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define ITERS 20000   /* default; argv[1] overrides */
#define PRIVATE 256
#define TABLE 64

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static long table[TABLE];
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static long cache[TABLE];
static atomic_long hits, misses;
static long iters = ITERS;

static void* worker(void* arg)
{
   long id = (long)arg, i, j, local = 0;
   long* mine = malloc(PRIVATE * sizeof *mine);
   for (j = 0; j < PRIVATE; j++)
      mine[j] = j * (id + 1);
   for (i = 0; i < iters; i++) {
      for (j = 0; j < PRIVATE; j++)           /* private traffic */
         local += mine[j] ^ i;
      pthread_mutex_lock(&table_lock);
      table[(i + id) % TABLE] += local & 0xff;
      pthread_mutex_unlock(&table_lock);
      if (i % 16 == 0) {
         pthread_rwlock_wrlock(&cache_lock);
         cache[i % TABLE] = local;
         pthread_rwlock_unlock(&cache_lock);
      } else {
         pthread_rwlock_rdlock(&cache_lock);
         local += cache[i % TABLE] & 1;
         pthread_rwlock_unlock(&cache_lock);
      }
      if ((local >> 3) & 1)
         atomic_fetch_add(&hits, 1);
      else
         atomic_fetch_add(&misses, 1);
   }
   free(mine);
   return NULL;
}

int main(int argc, char** argv)
{
   pthread_t t[THREADS];
   long i, sum = 0;
   if (argc > 1)
      iters = atol(argv[1]);
   for (i = 0; i < THREADS; i++)
      pthread_create(&t[i], NULL, worker, (void*)i);
   for (i = 0; i < THREADS; i++)
      pthread_join(t[i], NULL);
   for (i = 0; i < TABLE; i++)
      sum += table[i];
   printf("share_mt: %ld %ld %ld\n", sum, (long)atomic_load(&hits),
          (long)atomic_load(&misses));
   return 0;
}
