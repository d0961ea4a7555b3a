/* bytes_disjoint.c: two threads write different chars of one 8-byte
   struct, 500 times each, with no lock: they never touch the same byte,
   so there is no race (races are per byte, not per word).
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

struct eight {
   char c[8];
} bytes;

__attribute__((noinline)) static void *worker(void *arg)
{
   long slot = (long)arg;
   int i;
   for (i = 0; i < 500; i++)
      bytes.c[slot] = (char)(i % 100 + slot);
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
   printf("bytes_disjoint: %d %d\n", bytes.c[0], bytes.c[1]);
   return 0;
}
