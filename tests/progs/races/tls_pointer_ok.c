/* tls_pointer_ok.c: the twin of tls_pointer_racy: thread-local
   variables reached from other threads, always in order.  The worker
   hands its helper the address of its __thread counter and adds to it
   only after joining the helper; main's own thread-local table is filled
   by two threads one after the other (a mutex and a condition variable
   pass the turn); and each of four short-lived threads uses its own copy
   of a __thread buffer (the later ones reuse the earlier ones' TLS
   memory).
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>

__thread long tls_total;
__thread int tls_table[8];
__thread char tls_buffer[64];

static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn;

__attribute__((noinline)) static void *helper(void *arg)
{
   long *total = arg;
   *total += 1;
   return NULL;
}

__attribute__((noinline)) static void *worker(void *arg)
{
   pthread_t h;
   pthread_create(&h, NULL, helper, &tls_total);
   pthread_join(h, NULL);
   tls_total += 2;
   return (void *)tls_total;
}

__attribute__((noinline)) static void *filler(void *arg)
{
   int *table = arg, i;
   pthread_mutex_lock(&turn_lock);
   while (turn != 1)
      pthread_cond_wait(&turn_changed, &turn_lock);
   for (i = 4; i < 8; i++)
      table[i] = i;
   turn = 2;
   pthread_cond_signal(&turn_changed);
   pthread_mutex_unlock(&turn_lock);
   return NULL;
}

__attribute__((noinline)) static void *short_lived(void *arg)
{
   memset(tls_buffer, (int)(long)arg, sizeof tls_buffer);
   return (void *)(long)tls_buffer[63];
}

int main(void)
{
   pthread_t w, f, s;
   void *total;
   long i, sum = 0;
   pthread_create(&w, NULL, worker, NULL);
   pthread_join(w, &total);
   pthread_create(&f, NULL, filler, tls_table);
   pthread_mutex_lock(&turn_lock);
   for (i = 0; i < 4; i++)
      tls_table[i] = (int)i;
   turn = 1;
   pthread_cond_signal(&turn_changed);
   while (turn != 2)
      pthread_cond_wait(&turn_changed, &turn_lock);
   pthread_mutex_unlock(&turn_lock);
   pthread_join(f, NULL);
   for (i = 0; i < 8; i++)
      sum += tls_table[i];
   for (i = 1; i <= 4; i++) {
      pthread_create(&s, NULL, short_lived, (void *)i);
      pthread_detach(s);
   }
   printf("tls_pointer_ok: %ld %ld\n", (long)total, sum);
   pthread_exit(NULL);
}
