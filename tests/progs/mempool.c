/* mempool.c: a pool allocator described to the tool with valgrind.h's
   mempool requests.  The pool is one 4,096-byte malloc'd arena; chunks
   are carved from it with a bump pointer:
   - 10 chunks of 32 bytes (VALGRIND_MEMPOOL_ALLOC), 4 of them freed
     (VALGRIND_MEMPOOL_FREE);
   - the pool is trimmed to its first 128 bytes (VALGRIND_MEMPOOL_TRIM):
     the 2 chunks still live beyond them go;
   - a chunk is moved within the arena (VALGRIND_MEMPOOL_CHANGE);
   - a second pool is created, moved (VALGRIND_MOVE_MEMPOOL) and
     destroyed with 3 live chunks (VALGRIND_DESTROY_MEMPOOL);
   - VALGRIND_MEMPOOL_EXISTS answers for both;
   - 2 chunks of the first pool stay live, the pool is never destroyed:
     at exit they are still reachable (the arena pointer is a global).
   Expected (tests/test_leaks.py): the leak summary equal to Memcheck's
   (32 bytes definitely lost: the moved chunk, whose only pointer was in
   main's dead frame; 32 still reachable: chunk 0, at the arena's start);
   totals 18 allocations, 3 frees, 9,884 bytes, where Memcheck counts 17
   and 9,852: memscope counts the chunk VALGRIND_MEMPOOL_CHANGE moved as a
   new allocation (docs/decisions.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "valgrind.h"

struct pool {
   char* arena;
   size_t used;
};

struct pool first, second;
struct pool* moved;

static void* pool_alloc(struct pool* p, size_t n)
{
   void* chunk = p->arena + p->used;
   p->used += n;
   VALGRIND_MEMPOOL_ALLOC(p, chunk, n);
   return chunk;
}

int main(void)
{
   void* chunks[10];
   int i, exists_first, exists_second;
   first.arena = malloc(4096);
   VALGRIND_CREATE_MEMPOOL(&first, 0, 0);
   for (i = 0; i < 10; i++)
      chunks[i] = pool_alloc(&first, 32);
   for (i = 0; i < 4; i++)
      VALGRIND_MEMPOOL_FREE(&first, chunks[2 * i + 1]);
   /* Live: 0, 2, 4, 6, 8, 9.  Keep the first 128 bytes: 0 and 2. */
   VALGRIND_MEMPOOL_TRIM(&first, first.arena, 128);
   /* Chunk 2 (at 64) moves to 96, still 32 bytes. */
   VALGRIND_MEMPOOL_CHANGE(&first, chunks[2], first.arena + 96, 32);

   second.arena = malloc(1024);
   VALGRIND_CREATE_MEMPOOL(&second, 0, 1);
   for (i = 0; i < 3; i++)
      pool_alloc(&second, 100);
   moved = malloc(sizeof *moved);
   *moved = second;
   VALGRIND_MOVE_MEMPOOL(&second, moved);
   exists_second = VALGRIND_MEMPOOL_EXISTS(moved);
   VALGRIND_DESTROY_MEMPOOL(moved);
   free(second.arena);
   free(moved);
   exists_first = VALGRIND_MEMPOOL_EXISTS(&first);
   printf("mempool: %d %d %d\n", exists_first, exists_second,
          VALGRIND_MEMPOOL_EXISTS(&second));
   return 0;
}
