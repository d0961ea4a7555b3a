/* thread_chain_ok.c: a chain of threads, each creating the next and
   joining it, joined by main, three rounds of twelve: more thread stacks
   than glibc caches, so a join frees the stacks and thread-local storage
   of threads that the joiner is ordered after only through the joins.
   Each link writes its own slot of links_seen, which main reads after
   the join of the first link.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

#define LINKS 12
#define ROUNDS 3

int links_seen[LINKS];

__attribute__((noinline)) static void *link_thread(void *arg)
{
   long k = (long)arg;
   links_seen[k]++;
   if (k + 1 < LINKS) {
      pthread_t next;
      pthread_create(&next, NULL, link_thread, (void *)(k + 1));
      pthread_join(next, NULL);
   }
   return NULL;
}

int main(void)
{
   int round, k, total = 0;
   for (round = 0; round < ROUNDS; round++) {
      pthread_t first;
      pthread_create(&first, NULL, link_thread, (void *)0);
      pthread_join(first, NULL);
      for (k = 0; k < LINKS; k++)
         total += links_seen[k];
   }
   printf("thread_chain_ok: %d\n", total);
   return 0;
}
