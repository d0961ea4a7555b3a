/* stack_escape_ok.c: threads share stack variables in the ways correct
   programs do, every access ordered.  (1) main gives each of four
   workers the address of its slot in an array of its frame (pthread_create's
   argument); each writes only its own slot, main reads them after the
   joins.  (2) A worker hands the address of its own local to a helper it
   creates; the helper fills it under a mutex and signals a condition
   variable the worker waits on.  (3) main publishes the address of a local
   in a global under a mutex (no thread argument points there); a worker
   takes it under the mutex, adds to it under the mutex, and main reads it
   after the join.  (4) Two calls of one function at the same depth reuse
   the same stack addresses, each shared with a thread of its own through
   create and join.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

struct slot {
   int id;
   long result;
};

__attribute__((noinline)) static void *fill_slot(void *arg)
{
   struct slot *s = arg;
   long sum = 0;
   for (int i = 0; i <= s->id * 10; i++)
      sum += i;
   s->result = sum;
   return NULL;
}

struct handoff {
   pthread_mutex_t m;
   pthread_cond_t filled;
   int ready;
   char text[32];
};

__attribute__((noinline)) static void *helper(void *arg)
{
   struct handoff *h = arg;
   pthread_mutex_lock(&h->m);
   snprintf(h->text, sizeof h->text, "from helper %d", 7);
   h->ready = 1;
   pthread_cond_signal(&h->filled);
   pthread_mutex_unlock(&h->m);
   return NULL;
}

__attribute__((noinline)) static void *asker(void *arg)
{
   struct handoff h;
   pthread_t t;
   (void)arg;
   pthread_mutex_init(&h.m, NULL);
   pthread_cond_init(&h.filled, NULL);
   h.ready = 0;
   pthread_create(&t, NULL, helper, &h);
   pthread_mutex_lock(&h.m);
   while (!h.ready)
      pthread_cond_wait(&h.filled, &h.m);
   pthread_mutex_unlock(&h.m);
   pthread_join(t, NULL);
   printf("stack_escape_ok: %s\n", h.text);
   pthread_cond_destroy(&h.filled);
   pthread_mutex_destroy(&h.m);
   return NULL;
}

static pthread_mutex_t board_lock = PTHREAD_MUTEX_INITIALIZER;
static long *board;

__attribute__((noinline)) static void *add_to_board(void *arg)
{
   (void)arg;
   for (int i = 0; i < 100; i++) {
      pthread_mutex_lock(&board_lock);
      if (board != NULL)
         *board += 2;
      pthread_mutex_unlock(&board_lock);
   }
   return NULL;
}

struct pair {
   long a, b;
};

__attribute__((noinline)) static void *double_pair(void *arg)
{
   struct pair *p = arg;
   p->b = p->a * 2;
   return NULL;
}

__attribute__((noinline)) static long round_with(long a)
{
   struct pair p = { a, 0 };
   pthread_t t;
   pthread_create(&t, NULL, double_pair, &p);
   pthread_join(t, NULL);
   return p.b;
}

int main(void)
{
   struct slot slots[4];
   pthread_t t[4];
   long total = 0, mine = 0;

   for (int i = 0; i < 4; i++) {
      slots[i].id = i;
      pthread_create(&t[i], NULL, fill_slot, &slots[i]);
   }
   for (int i = 0; i < 4; i++) {
      pthread_join(t[i], NULL);
      total += slots[i].result;
   }

   pthread_create(&t[0], NULL, asker, NULL);
   pthread_join(t[0], NULL);

   pthread_mutex_lock(&board_lock);
   board = &mine;
   pthread_mutex_unlock(&board_lock);
   pthread_create(&t[1], NULL, add_to_board, NULL);
   pthread_join(t[1], NULL);
   pthread_mutex_lock(&board_lock);
   board = NULL;
   pthread_mutex_unlock(&board_lock);

   printf("stack_escape_ok: %ld %ld %ld %ld\n", total, mine,
          round_with(3), round_with(5));
   return 0;
}
