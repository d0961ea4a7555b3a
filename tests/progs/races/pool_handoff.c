/* pool_handoff.c: main fills heap work items and enqueues them on a
   mutex-protected queue; two workers dequeue and process them in place;
   main reads the results after joining: the queue's lock orders each
   item's filling before its processing.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NITEMS 6
#define NWORKERS 2

struct work {
   int input;
   int result;
};

static struct work *queue[NITEMS + NWORKERS];
static int head, tail;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_nonempty = PTHREAD_COND_INITIALIZER;

__attribute__((noinline)) static void enqueue(struct work *w)
{
   pthread_mutex_lock(&queue_lock);
   queue[tail++] = w;
   pthread_cond_signal(&queue_nonempty);
   pthread_mutex_unlock(&queue_lock);
}

__attribute__((noinline)) static struct work *dequeue(void)
{
   struct work *w;
   pthread_mutex_lock(&queue_lock);
   while (head == tail)
      pthread_cond_wait(&queue_nonempty, &queue_lock);
   w = queue[head++];
   pthread_mutex_unlock(&queue_lock);
   return w;
}

/* A NULL item tells a worker to stop. */
__attribute__((noinline)) static void *worker(void *arg)
{
   struct work *w;
   while ((w = dequeue()) != NULL)
      w->result = w->input * w->input;
   return arg;
}

int main(void)
{
   pthread_t t[NWORKERS];
   struct work *items[NITEMS];
   int i, total = 0;
   for (i = 0; i < NWORKERS; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < NITEMS; i++) {
      items[i] = malloc(sizeof *items[i]);
      items[i]->input = i;
      items[i]->result = -1;
      enqueue(items[i]);
   }
   for (i = 0; i < NWORKERS; i++)
      enqueue(NULL);
   for (i = 0; i < NWORKERS; i++)
      pthread_join(t[i], NULL);
   for (i = 0; i < NITEMS; i++) {
      total += items[i]->result;
      free(items[i]);
   }
   printf("pool_handoff: %d\n", total);
   return 0;
}
