/* reqstorm.c: bad client requests from many threads at once.  THREADS
   threads each make ROUNDS rounds of four bad requests: a name that
   points into an unmapped page (a dangling pointer), a size that wraps
   around the address space, an untrack of an address never named, and a
   name of 1 MiB; then one good name each.  Prints "done" with write().
   Expected (tests/test_torture.py::test_request_storm_from_many_threads):
   the program runs to its end; --warn-limit warnings are printed, then
   one line saying the rest are only logged, then the total at exit:
   1 + THREADS * ROUNDS * 3 warnings (the long name is accepted, cut).
   The first, from main, names an object with an escape sequence, a
   direction override, a backslash, a lone C1 control byte (CSI) and an
   accented letter: printed escaped, the letter as it is. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "memscope.h"

#define THREADS 8
#define ROUNDS 100

static char* dangling;
static char* long_name;

static void* storm(void* arg)
{
   static __thread char mine[32];
   int i;
   (void)arg;
   for (i = 0; i < ROUNDS; i++) {
      char local[16];
      MEMSCOPE_NAME_BLOCK(local, sizeof local, dangling, NULL);
      MEMSCOPE_NAME_BLOCK(local, ~(size_t)0 - 8, "wraps", NULL);
      MEMSCOPE_UNTRACK(local + 1);
      MEMSCOPE_NAME_BLOCK(mine, sizeof mine, long_name, NULL);
   }
   MEMSCOPE_NAME_BLOCK(mine, sizeof mine, "good", NULL);
   return NULL;
}

int main(void)
{
   long page = sysconf(_SC_PAGESIZE);
   pthread_t t[THREADS];
   int i;
   dangling = mmap(NULL, page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (dangling == MAP_FAILED)
      return 1;
   munmap(dangling, page);
   long_name = malloc(1 << 20);
   memset(long_name, 'n', (1 << 20) - 1);
   long_name[(1 << 20) - 1] = 0;
   /* First, a hostile name in a warning: printed escaped. */
   MEMSCOPE_NAME_BLOCK(NULL, 8, "esc\x1b[2J\xe2\x80\xaert\\x\x9b" "31m"
                       "\xc3\xa9", NULL);
   for (i = 0; i < THREADS; i++)
      pthread_create(&t[i], NULL, storm, NULL);
   for (i = 0; i < THREADS; i++)
      pthread_join(t[i], NULL);
   write(1, "done\n", 5);
   return 0;
}
