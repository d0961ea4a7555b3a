/* objnest.c: objects inside objects, as custom allocators make them.
   One thread, no stdio.
   (a) an arena of 1 MiB from malloc with two chunks of 64 bytes
       (VALGRIND_MALLOCLIKE_BLOCK) at +64 and +4096; the first is freed;
       then one write to the arena's byte 0 and 100 to the second chunk;
   (b) in an mmap'ed page, a chunk of 8 bytes at +24, then one at +16 (in
       the same 16-byte granule): 100 writes to the first, 10 to the
       second;
   (c) an arena of 1 MiB with a chunk of 16 bytes at +16; a write to the
       arena's byte 100 while the chunk lives (the chunk starts last below
       it and does not hold it: not counted), then the chunk is freed and
       100 writes go to byte 100, which the arena holds again.
   Expected (tests/test_shared.py::test_nested_objects): arena (a) 1
   write, its second chunk 100; chunk +24 100, chunk +16 10; arena (c)
   100. */
#include <stdlib.h>
#include <sys/mman.h>
#include "valgrind.h"

int main(void)
{
   volatile char* a = malloc(1 << 20);
   volatile char* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   volatile char* c = malloc(1 << 20);
   int i;
   if (a == NULL || page == MAP_FAILED || c == NULL)
      return 1;
   /* (a) */
   VALGRIND_MALLOCLIKE_BLOCK(a + 64, 64, 0, 0);
   VALGRIND_MALLOCLIKE_BLOCK(a + 4096, 64, 0, 0);
   VALGRIND_FREELIKE_BLOCK(a + 64, 0);
   a[0] = 1;
   for (i = 0; i < 100; i++)
      a[4096 + i % 64] = 1;
   /* (b) */
   VALGRIND_MALLOCLIKE_BLOCK(page + 24, 8, 0, 0);
   VALGRIND_MALLOCLIKE_BLOCK(page + 16, 8, 0, 0);
   for (i = 0; i < 100; i++)
      page[24 + i % 8] = 1;
   for (i = 0; i < 10; i++)
      page[16 + i % 8] = 1;
   /* (c) */
   VALGRIND_MALLOCLIKE_BLOCK(c + 16, 16, 0, 0);
   c[100] = 1;
   VALGRIND_FREELIKE_BLOCK(c + 16, 0);
   for (i = 0; i < 100; i++)
      c[100] = 1;
   VALGRIND_FREELIKE_BLOCK(a + 4096, 0);
   VALGRIND_FREELIKE_BLOCK(page + 16, 0);
   VALGRIND_FREELIKE_BLOCK(page + 24, 0);
   free((void*)a);
   free((void*)c);
   return 0;
}
