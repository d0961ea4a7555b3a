/* pool.c: a program with its own allocator, described to Valgrind with
   valgrind.h's requests: a bump pool hands out 100, 200 and 50 bytes
   (VALGRIND_MALLOCLIKE_BLOCK), shrinks the 200-byte block to 120 in place
   (VALGRIND_RESIZEINPLACE_BLOCK) and takes back the first two
   (VALGRIND_FREELIKE_BLOCK); one malloc/free beside.  No stdio.
   Expected (tests/test_heap.py): totals equal Memcheck's: 4 allocs,
   3 frees, 360 bytes; 50 bytes live at exit in 1 block (the pool's). */
#include <stdlib.h>
#include <unistd.h>
#include "valgrind.h"

static char arena[4096];
static size_t used;

static void* pool_get(size_t n)
{
   void* p = arena + used;
   used += (n + 15) & ~(size_t)15;
   VALGRIND_MALLOCLIKE_BLOCK(p, n, 0, 0);
   return p;
}

static void pool_put(void* p)
{
   VALGRIND_FREELIKE_BLOCK(p, 0);
}

int main(void)
{
   char* a = pool_get(100);
   char* b = pool_get(200);
   char* c = pool_get(50);
   char* d = malloc(10);
   VALGRIND_RESIZEINPLACE_BLOCK(b, 200, 120, 0);
   a[0] = b[0] = c[0] = d[0] = 1;
   pool_put(a);
   pool_put(b);
   free(d);
   write(1, "pool: ok\n", 9);
   return c[0] - 1;
}
