/* rwcache.c: a cache of 16 heap buffers behind one rwlock: 2 writers
   each write-lock it 50 times to refill a buffer, 4 readers each
   read-lock it 200 times to read one.  Expected (tests/test_sync.py):
   cache_lock has 900 acquisitions, 800 reads (200 per reader), 100 writes
   (50 per writer), 900 unlocks. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static char* cache[16];

static void* writer(void* arg)
{
   int i, id = (int)(long)arg;
   for (i = 0; i < 50; i++) {
      pthread_rwlock_wrlock(&cache_lock);
      memset(cache[(i + id) % 16], 'a' + id, 32);
      pthread_rwlock_unlock(&cache_lock);
   }
   return NULL;
}

static void* reader(void* arg)
{
   int i;
   long sum = 0;
   for (i = 0; i < 200; i++) {
      pthread_rwlock_rdlock(&cache_lock);
      sum += cache[i % 16][0];
      pthread_rwlock_unlock(&cache_lock);
   }
   (void)arg;
   return (void*)sum;
}

int main(void)
{
   pthread_t w[2], r[4];
   long i;
   for (i = 0; i < 16; i++) {
      cache[i] = malloc(32);
      memset(cache[i], 'x', 32);
   }
   for (i = 0; i < 2; i++)
      pthread_create(&w[i], NULL, writer, (void*)i);
   for (i = 0; i < 4; i++)
      pthread_create(&r[i], NULL, reader, (void*)i);
   for (i = 0; i < 2; i++)
      pthread_join(w[i], NULL);
   for (i = 0; i < 4; i++)
      pthread_join(r[i], NULL);
   for (i = 0; i < 16; i++)
      free(cache[i]);
   printf("rwcache: ok\n");
   return 0;
}
