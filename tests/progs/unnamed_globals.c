/* unnamed_globals.c: globals as a stripped binary leaves them: no symbol
   names them.  Two workers each add 1000 to `hits` without a lock (the
   race), add 1000 to `guarded` holding guard_lock, and each fill its own
   half of `slots` (no race).  Each global has a 64-byte line of its own,
   so that the object a stripped run makes of its unnamed bytes is
   exactly its line.  Expected (tests/test_races.py): with symbols one
   hint on "hits" at the line marked; stripped, the race on hits only,
   named ".bss+OFFSET in unnamed_globals" with OFFSET its place in .bss,
   and the exit summary says that the executable has no symbol table. */
#include <pthread.h>
#include <stdio.h>

__attribute__((aligned(64))) long hits;
__attribute__((aligned(64))) long guarded;
__attribute__((aligned(64))) int slots[16];
__attribute__((aligned(64))) pthread_mutex_t guard_lock =
   PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void* worker(void* arg)
{
   long half = (long)arg, i;
   for (i = 0; i < 1000; i++) {
      hits++;                                     /* the race */
      pthread_mutex_lock(&guard_lock);
      guarded++;
      pthread_mutex_unlock(&guard_lock);
   }
   for (i = 0; i < 8; i++)
      slots[half * 8 + i] = (int)i;
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   long i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, (void*)i);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("unnamed_globals: %ld %d\n", guarded, slots[0] + slots[15]);
   return 0;
}
