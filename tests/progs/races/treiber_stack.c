/* treiber_stack.c: a lock-free Treiber stack: two threads each push 50
   heap nodes and pop 50 with compare-and-swap on the head; nodes are
   filled before the CAS that publishes them and never freed or pushed
   twice until main frees them after the joins, so there is no race.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define PER_THREAD 50

struct node {
   struct node *next;
   int value;
};

static _Atomic(struct node *) head;
static struct node *nodes;

__attribute__((noinline)) static void push(struct node *n)
{
   struct node *old = atomic_load_explicit(&head, memory_order_acquire);
   do
      n->next = old;
   while (!atomic_compare_exchange_weak_explicit(&head, &old, n,
                                                 memory_order_release,
                                                 memory_order_acquire));
}

__attribute__((noinline)) static struct node *pop(void)
{
   struct node *old = atomic_load_explicit(&head, memory_order_acquire);
   while (old != NULL
          && !atomic_compare_exchange_weak_explicit(&head, &old, old->next,
                                                    memory_order_acquire,
                                                    memory_order_acquire))
      ;
   return old;
}

/* Each thread pushes before it pops as many, so pop never finds the
   stack empty. */
__attribute__((noinline)) static void *worker(void *arg)
{
   long me = (long)arg;
   long sum = 0;
   int i;
   for (i = 0; i < PER_THREAD; i++) {
      struct node *n = &nodes[1 + me * PER_THREAD + i];
      n->value = (int)(me * PER_THREAD + i);
      push(n);
   }
   for (i = 0; i < PER_THREAD; i++)
      sum += pop()->value;
   return (void *)sum;
}

int main(void)
{
   pthread_t t[2];
   void *sum[2];
   long i;
   nodes = malloc((1 + 2 * PER_THREAD) * sizeof *nodes);
   /* A first node pushed by main: the head is an atomic location (a CAS
      touched it) before either thread reads it. */
   nodes[0].value = -1;
   push(&nodes[0]);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, (void *)i);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], &sum[i]);
   /* One node is left, not always main's: print the sum of all. */
   printf("treiber_stack: %ld\n",
          (long)sum[0] + (long)sum[1] + pop()->value);
   free(nodes);
   return 0;
}
