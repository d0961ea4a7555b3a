/* bounded_queue.c: a producer puts 20 heap strings into a 4-slot ring
   buffer guarded by a mutex and two condition variables (not full, not
   empty); the consumer takes, reads and frees them: the mutex orders each
   string's writing before its reading and freeing.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define SLOTS 4
#define NITEMS 20

static char *ring[SLOTS];
static int count, in, out;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;

__attribute__((noinline)) static void put(char *s)
{
   pthread_mutex_lock(&lock);
   while (count == SLOTS)
      pthread_cond_wait(&not_full, &lock);
   ring[in] = s;
   in = (in + 1) % SLOTS;
   count++;
   pthread_cond_signal(&not_empty);
   pthread_mutex_unlock(&lock);
}

__attribute__((noinline)) static char *take(void)
{
   char *s;
   pthread_mutex_lock(&lock);
   while (count == 0)
      pthread_cond_wait(&not_empty, &lock);
   s = ring[out];
   out = (out + 1) % SLOTS;
   count--;
   pthread_cond_signal(&not_full);
   pthread_mutex_unlock(&lock);
   return s;
}

__attribute__((noinline)) static void *producer(void *arg)
{
   int i;
   for (i = 0; i < NITEMS; i++) {
      char *s = malloc(16);
      snprintf(s, 16, "item %d", i);
      put(s);
   }
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   long total = 0;
   int i;
   for (i = 0; i < NITEMS; i++) {
      char *s = take();
      total += atoi(s + 5);
      free(s);
   }
   return (void *)total;
}

int main(void)
{
   pthread_t p, c;
   void *total;
   pthread_create(&p, NULL, producer, NULL);
   pthread_create(&c, NULL, consumer, NULL);
   pthread_join(p, NULL);
   pthread_join(c, &total);
   printf("bounded_queue: %ld\n", (long)total);
   return 0;
}
