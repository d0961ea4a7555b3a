/* badreq.c: bad client requests, each of which memscope must answer with
   one warning and otherwise ignore; the program must run to its end.
   Expected (tests/test_names.py): 7 warnings, in this order:
   NULL name, unterminated name, NULL address, absurd size, unknown flags,
   untrack of an unnamed address, unknown request code; the 1 MiB name is
   accepted and cut to 1023 bytes.  Every request returns 0 except that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "memscope.h"

static unsigned long request(unsigned long code, void* a1, unsigned long a2,
                             const char* a3, const char* a4, unsigned long a5)
{
   return VALGRIND_DO_CLIENT_REQUEST_EXPR(0, code, a1, a2, a3, a4, a5);
}

int main(void)
{
   static int object;
   long page = sysconf(_SC_PAGESIZE);
   char* pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   char* big = malloc(1 << 20);
   unsigned long r[8];
   if (pages == MAP_FAILED || big == NULL)
      return 1;
   memset(pages, 'A', 2 * page);
   munmap(pages + page, page);                 /* the name runs into this */
   memset(big, 'n', (1 << 20) - 1);
   big[(1 << 20) - 1] = 0;

   r[0] = request(VG_USERREQ__MEMSCOPE_NAME_OBJECT, &object, 4, NULL, "int", 0);
   r[1] = request(VG_USERREQ__MEMSCOPE_NAME_OBJECT, &object, 4,
                  pages + page - 10, NULL, 0);
   r[2] = request(VG_USERREQ__MEMSCOPE_NAME_OBJECT, NULL, 4, "nothing", NULL, 0);
   r[3] = request(VG_USERREQ__MEMSCOPE_NAME_OBJECT, &object, (unsigned long)-16,
                  "huge", NULL, 0);
   r[4] = request(VG_USERREQ__MEMSCOPE_NAME_OBJECT, &object, 4, "flags", NULL,
                  0x80);
   r[5] = request(VG_USERREQ__MEMSCOPE_UNTRACK, &object, 0, NULL, NULL, 0);
   r[6] = request(VG_USERREQ__MEMSCOPE_UNTRACK + 40, &object, 0, NULL, NULL, 0);
   r[7] = request(VG_USERREQ__MEMSCOPE_NAME_OBJECT, &object, 4, big, NULL, 0);
   printf("badreq: done %lu %lu %lu %lu %lu %lu %lu %lu\n", r[0], r[1], r[2],
          r[3], r[4], r[5], r[6], r[7]);
   free(big);
   return 0;
}
