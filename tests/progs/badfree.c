/* badfree.c: frees that are not of live blocks.  memscope ignores each
   (one warning, an INVALID_FREE record) and counts it as a free, as
   Memcheck does.  Expected (tests/test_heap.py), without stdio so that no
   buffer is allocated: 3 allocs, 6 frees, 40 bytes allocated; 4 invalid
   frees: a double free, a stack address, an interior pointer, and a
   realloc of a stack address (which returns NULL). */
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
   long on_stack = 0;
   char* p = malloc(10);
   char* q = malloc(20);
   free(p);
   free(p);                                  /* double free */
   free(&on_stack);                          /* not heap */
   free(q + 4);                              /* interior */
   free(q);
   if (realloc(&on_stack, 10) != NULL)       /* not heap */
      return 1;
   write(1, "badfree: ok\n", 12);
   return 0;
}
