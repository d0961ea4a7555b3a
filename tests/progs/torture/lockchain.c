/* lockchain.c: a long hand-over-hand chain of mutexes.  N mutexes
   (default 100,000; argv[1] overrides) in one array; mutex i is held
   while mutex i-1 is taken, which orders each before the one below it.
   Then main takes mutex 0 and, holding it, mutex N-1: against the order
   the chain made, through all N locks.  Then every mutex is destroyed.
   Expected (tests/test_torture.py::test_a_long_lock_chain): exactly one
   LockOrder error (mutex N-1 taken while holding mutex 0), and a run
   whose cost grows with N, not N squared (each step of the chain and
   each destroy costs what touches that lock). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 100000, i;
   pthread_mutex_t* m = malloc(n * sizeof *m);
   if (m == NULL || n < 2)
      return 1;
   for (i = 0; i < n; i++) {
      pthread_mutex_init(&m[i], NULL);
      pthread_mutex_lock(&m[i]);
      if (i > 0) {
         pthread_mutex_lock(&m[i - 1]);
         pthread_mutex_unlock(&m[i - 1]);
      }
      pthread_mutex_unlock(&m[i]);
   }
   pthread_mutex_lock(&m[0]);
   pthread_mutex_lock(&m[n - 1]);
   pthread_mutex_unlock(&m[n - 1]);
   pthread_mutex_unlock(&m[0]);
   for (i = 0; i < n; i++)
      pthread_mutex_destroy(&m[i]);
   free(m);
   write(1, "chain: done\n", 12);
   return 0;
}
