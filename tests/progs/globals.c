/* globals.c: globals that nobody names, shared by two threads.  Each
   thread adds to `hits` 100 times holding hits_lock, and reads `limit` 10
   times.  Expected (tests/test_shared.py): hits and limit are tracked from
   debug info under their names: hits shared-modified under hits_lock
   (100 reads, 100 writes per worker), limit shared-read. */
#include <pthread.h>
#include <stdio.h>

long hits;
long limit = 42;
pthread_mutex_t hits_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void* worker(void* arg)
{
   long i, seen = 0;
   for (i = 0; i < 100; i++) {
      pthread_mutex_lock(&hits_lock);
      hits++;
      pthread_mutex_unlock(&hits_lock);
   }
   for (i = 0; i < 10; i++)
      seen += limit;
   return (void*)seen;
}

int main(void)
{
   pthread_t t[2];
   int i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   pthread_mutex_lock(&hits_lock);
   printf("globals: %ld\n", hits);
   pthread_mutex_unlock(&hits_lock);
   return 0;
}
