/* alloc_limits.c: allocation sizes at the limits.  Each line printed
   (with write()) says what a call returned: "null" or "ok", and errno
   when null.  Expected (tests/test_torture.py::test_allocation_limits):
   the same lines natively, under memscope and under Memcheck. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void show(const char* what, void* p)
{
   char line[128];
   int n = p != NULL ? snprintf(line, sizeof line, "%s ok\n", what)
                     : snprintf(line, sizeof line, "%s null %s\n", what,
                                errno == ENOMEM ? "ENOMEM" : "other");
   write(1, line, n);
}

/* Through volatiles: the compiler would warn about the constants. */
static volatile size_t size_max = SIZE_MAX, two32 = (size_t)1 << 32;

int main(void)
{
   void* p;
   void* q;
   int r;
   errno = 0;
   p = malloc(0);
   show("malloc(0)", p);
   free(p);
   errno = 0;
   show("malloc(SIZE_MAX)", malloc(size_max));
   errno = 0;
   show("malloc(SIZE_MAX/2)", malloc(size_max / 2));
   errno = 0;
   show("calloc(SIZE_MAX/2, 4)", calloc(size_max / 2, 4));
   errno = 0;
   show("calloc(2^32, 2^32)", calloc(two32, two32));
   errno = 0;
   p = calloc(0, 16);
   show("calloc(0, 16)", p);
   free(p);
   p = malloc(16);
   errno = 0;
   q = realloc(p, size_max);
   show("realloc(p, SIZE_MAX)", q);
   if (q == NULL)
      free(p);
   errno = 0;
   p = NULL;
   r = posix_memalign(&p, 3, 16);
   write(1, r == EINVAL ? "posix_memalign(3) EINVAL\n"
                        : "posix_memalign(3) other\n", r == EINVAL ? 25 : 24);
   free(p);
   p = NULL;
   r = posix_memalign(&p, 64, 100);
   show("posix_memalign(64, 100)", r == 0 ? p : NULL);
   if (p != NULL && ((uintptr_t)p & 63) == 0)
      write(1, "aligned\n", 8);
   free(p);
   free(NULL);
   write(1, "free(NULL) ok\n", 14);
   return 0;
}
