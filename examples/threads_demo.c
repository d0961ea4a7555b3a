/* threads_demo.c: the built-in example that `make demo` and the README's
   set-up command run under memscope.  Two producers fill a shared,
   mutex-protected ring with heap messages, two consumers free them; the
   main thread keeps a named lookup table.  Correct and race-free. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memscope.h"

#define RING_SLOTS 16
#define MESSAGES_PER_PRODUCER 500

struct ring {
   pthread_mutex_t lock;
   pthread_cond_t not_empty, not_full;
   char* slot[RING_SLOTS];
   int head, count, producers_left;
};

static struct ring ring = {
   PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
   PTHREAD_COND_INITIALIZER, {0}, 0, 0, 2
};
static long consumed_bytes = 0;

static void* producer(void* arg)
{
   int id = (int)(long)arg, i;
   char name[16];
   snprintf(name, sizeof name, "producer-%d", id);
   pthread_setname_np(pthread_self(), name);
   for (i = 0; i < MESSAGES_PER_PRODUCER; i++) {
      char* msg = malloc(16 + (size_t)(i % 48));
      snprintf(msg, 16, "p%d-%d", id, i);
      pthread_mutex_lock(&ring.lock);
      while (ring.count == RING_SLOTS)
         pthread_cond_wait(&ring.not_full, &ring.lock);
      ring.slot[(ring.head + ring.count++) % RING_SLOTS] = msg;
      pthread_cond_signal(&ring.not_empty);
      pthread_mutex_unlock(&ring.lock);
   }
   pthread_mutex_lock(&ring.lock);
   ring.producers_left--;
   pthread_cond_broadcast(&ring.not_empty);
   pthread_mutex_unlock(&ring.lock);
   return NULL;
}

static void* consumer(void* arg)
{
   int id = (int)(long)arg;
   char name[16];
   snprintf(name, sizeof name, "consumer-%d", id);
   pthread_setname_np(pthread_self(), name);
   for (;;) {
      char* msg;
      pthread_mutex_lock(&ring.lock);
      while (ring.count == 0 && ring.producers_left > 0)
         pthread_cond_wait(&ring.not_empty, &ring.lock);
      if (ring.count == 0) {
         pthread_mutex_unlock(&ring.lock);
         return NULL;
      }
      msg = ring.slot[ring.head];
      ring.head = (ring.head + 1) % RING_SLOTS;
      ring.count--;
      consumed_bytes += (long)strlen(msg);
      pthread_cond_signal(&ring.not_full);
      pthread_mutex_unlock(&ring.lock);
      free(msg);
   }
}

int main(void)
{
   pthread_t threads[4];
   int i;
   long* lookup_table = calloc(256, sizeof *lookup_table);
   MEMSCOPE_TRACK_VAR_TYPED(lookup_table, "long[256]");
   MEMSCOPE_TRACK_VAR_TYPED(ring, "struct ring");
   for (i = 0; i < 256; i++)
      lookup_table[i] = (long)i * i;
   for (i = 0; i < 2; i++) {
      pthread_create(&threads[i], NULL, producer, (void*)(long)(i + 1));
      pthread_create(&threads[2 + i], NULL, consumer, (void*)(long)(i + 1));
   }
   for (i = 0; i < 4; i++)
      pthread_join(threads[i], NULL);
   printf("threads_demo: %d messages, %ld bytes consumed\n",
          2 * MESSAGES_PER_PRODUCER, consumed_bytes);
   free(lookup_table);
   return 0;
}
