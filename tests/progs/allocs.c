/* allocs.c: every C allocation entry point once, with known totals.
   Checks the allocator's behaviour itself (alignment, zeroing, realloc
   copying, NULL on absurd sizes) and exits 1 on any failure.

   The program's own calls: 110 allocs, 59 frees, 6,254 bytes allocated;
   2,600 bytes in 51 blocks live at the end.  printf adds its 4,096-byte
   stdout buffer (freed at exit by __libc_freeres), which makes the peak:
   6,697 bytes in 53 blocks, the zero-byte block counting one byte in live
   and peak figures as DHAT counts it.  tests/test_heap.py checks the totals against
   these numbers, Memcheck and DHAT. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures = 0;

static void check(int ok, const char* what)
{
   if (!ok) {
      printf("FAIL: %s\n", what);
      failures++;
   }
}

static int aligned(const void* p, size_t a)
{
   return ((uintptr_t)p % a) == 0;
}

int main(void)
{
   void* p[100];
   size_t i;
   char* a = malloc(100);                           /* alloc 1 */
   char* b = calloc(10, 20);                        /* alloc 2 */
   int zero = 1;
   for (i = 0; i < 200; i++)
      zero &= b[i] == 0;
   check(zero, "calloc zeroes");
   memset(a, 'x', 100);
   a = realloc(a, 300);                             /* alloc 3, free 1 */
   check(a[0] == 'x' && a[99] == 'x', "realloc grow keeps the contents");
   a = realloc(a, 50);                              /* alloc 4, free 2 */
   check(a[0] == 'x' && a[49] == 'x', "realloc shrink keeps the contents");
   check(malloc_usable_size(a) == 50, "malloc_usable_size is the size");
   char* c = realloc(NULL, 64);                     /* alloc 5 */
   check(realloc(c, 0) == NULL, "realloc(p, 0) frees"); /* free 3 */
   void* d = memalign(64, 128);                     /* alloc 6 */
   check(aligned(d, 64), "memalign aligns");
   void* e = NULL;
   check(posix_memalign(&e, 256, 256) == 0 && aligned(e, 256),
         "posix_memalign aligns");                  /* alloc 7 */
   void* f = aligned_alloc(32, 96);                 /* alloc 8 */
   check(aligned(f, 32), "aligned_alloc aligns");
   void* g = valloc(10);                            /* alloc 9 */
   check(aligned(g, (size_t)sysconf(_SC_PAGESIZE)), "valloc aligns");
   void* h = malloc(0);                             /* alloc 10 */
   check(h != NULL, "malloc(0) gives a block");
   free(NULL);                                      /* not counted */
   check(malloc(SIZE_MAX / 2 + 10) == NULL, "negative-looking size fails");
   check(malloc((size_t)1 << 46) == NULL, "64 TiB fails");
   check(calloc(SIZE_MAX / 2, 4) == NULL, "overflowing calloc fails");
   free(b);                                         /* frees 4-8 */
   free(d);
   free(e);
   free(f);
   free(g);
   for (i = 0; i < 100; i++)                        /* allocs 11-110 */
      p[i] = malloc(i + 1);
   for (i = 0; i < 100; i += 2)                     /* frees 9-58 */
      free(p[i]);
   printf("allocs: %s\n", failures ? "FAILED" : "ok");
   free(h);                    /* free 59: live over the peak, where DHAT
                                  and memscope count it as one byte */
   return failures ? 1 : 0;
}
