/* prodcons.c: 3 producers put 100 items each into a bounded queue (8
   slots) guarded by one mutex and two condition variables; 2 consumers
   take 150 items each.  Every put and every take locks the mutex once
   (the condition waits are not counted as acquisitions) and signals once.
   Expected (tests/test_sync.py): queue_lock acquired 300 times by the
   producers (100 each) and 300 by the consumers (150 each); not_empty
   signalled 300 times, not_full 300 times. */
#include <pthread.h>
#include <stdio.h>

#define SLOTS 8

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int queue[SLOTS], head, count;
static long total;

static void* producer(void* arg)
{
   int i, id = (int)(long)arg;
   for (i = 0; i < 100; i++) {
      pthread_mutex_lock(&queue_lock);
      while (count == SLOTS)
         pthread_cond_wait(&not_full, &queue_lock);
      queue[(head + count++) % SLOTS] = id * 1000 + i;
      pthread_cond_signal(&not_empty);
      pthread_mutex_unlock(&queue_lock);
   }
   return NULL;
}

static void* consumer(void* arg)
{
   int i;
   long sum = 0;
   (void)arg;
   for (i = 0; i < 150; i++) {
      pthread_mutex_lock(&queue_lock);
      while (count == 0)
         pthread_cond_wait(&not_empty, &queue_lock);
      sum += queue[head];
      head = (head + 1) % SLOTS;
      count--;
      pthread_cond_signal(&not_full);
      pthread_mutex_unlock(&queue_lock);
   }
   pthread_mutex_lock(&queue_lock);
   total += sum;
   pthread_mutex_unlock(&queue_lock);
   return NULL;
}

int main(void)
{
   pthread_t p[3], c[2];
   long i;
   for (i = 0; i < 3; i++)
      pthread_create(&p[i], NULL, producer, (void*)(i + 1));
   for (i = 0; i < 2; i++)
      pthread_create(&c[i], NULL, consumer, NULL);
   for (i = 0; i < 3; i++)
      pthread_join(p[i], NULL);
   for (i = 0; i < 2; i++)
      pthread_join(c[i], NULL);
   printf("prodcons: %ld\n", total);
   return 0;
}
