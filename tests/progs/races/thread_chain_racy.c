/* thread_chain_racy.c: a chain of twelve threads, each creating the next
   and joining it, except the sixth, which detaches its child.  The last
   link writes chain_end; main joins the first link, sleeps instead of
   synchronising, and reads it: the joins order the first six links
   before main, not the detached rest.
   race-suite: racy
   race-variable: chain_end
*/
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define LINKS 12
#define DETACHING_LINK 5

int chain_end;

__attribute__((noinline)) static void *link_thread(void *arg)
{
   long k = (long)arg;
   if (k + 1 < LINKS) {
      pthread_t next;
      pthread_create(&next, NULL, link_thread, (void *)(k + 1));
      if (k == DETACHING_LINK)
         pthread_detach(next);
      else
         pthread_join(next, NULL);
   } else {
      chain_end = 1;                                /* RACE */
   }
   return NULL;
}

int main(void)
{
   pthread_t first;
   struct timespec pause = { 0, 300 * 1000000L };
   int seen;
   pthread_create(&first, NULL, link_thread, (void *)0);
   pthread_join(first, NULL);
   nanosleep(&pause, NULL);
   seen = chain_end;                                /* RACE */
   printf("thread_chain_racy: %d\n", seen);
   return 0;
}
