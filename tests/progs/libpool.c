/* libpool.c: a small shared library, loaded with dlopen by ffi.c:
   pool_make() allocates a block that the executable frees, and
   pool_release() frees a block that the executable allocated. */
#include <stdlib.h>

void* pool_make(unsigned long size)
{
   return malloc(size);
}

void pool_release(void* block)
{
   free(block);
}
