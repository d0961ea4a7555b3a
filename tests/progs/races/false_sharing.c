/* false_sharing.c: two threads write adjacent ints of a global array (one
   cache line, even one 8-byte word) 1000 times each with no lock: false
   sharing is slow but no byte is shared, so there is no race.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

int pair[2];

__attribute__((noinline)) static void *worker(void *arg)
{
   long slot = (long)arg;
   int i;
   for (i = 0; i < 1000; i++)
      pair[slot] += 1;
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   long i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, (void *)i);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("false_sharing: %d %d\n", pair[0], pair[1]);
   return 0;
}
