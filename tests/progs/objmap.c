/* objmap.c: accesses land on the right object wherever the tool keeps it:
   small blocks (the block map), large ones (the ordered index), a pool
   chunk inside a block from malloc and a name inside a block (both move
   the block to the index), and blocks whose sizes end inside a 16-byte
   granule, still live at exit.  One thread, no stdio.
   Expected (tests/test_shared.py::test_objects_found_wherever_kept):
   - 40 blocks of 1..40 bytes, live at exit: one write each, at the last
     byte;
   - blocks of 65,536 and 65,537 bytes: two writes each (first and last
     byte);
   - a 1,024-byte arena: one write (byte 0); the 100-byte pool chunk at
     arena+64: two writes (bytes 0 and 99);
   - a 256-byte block: one write (byte 0); "inner", 8 bytes named at
     block+32: three writes. */
#include <stdlib.h>
#include "memscope.h"
#include "valgrind.h"

int main(void)
{
   volatile char* small[40];
   volatile char* big = malloc(65536);
   volatile char* bigger = malloc(65537);
   volatile char* arena = malloc(1024);
   volatile char* chunk = arena + 64;
   volatile char* holder = malloc(256);
   int i;
   for (i = 0; i < 40; i++) {
      small[i] = malloc(i + 1);
      small[i][i] = 1;
   }
   big[0] = big[65535] = 1;
   bigger[0] = bigger[65536] = 1;
   VALGRIND_MALLOCLIKE_BLOCK(chunk, 100, 0, 0);
   arena[0] = 1;
   chunk[0] = chunk[99] = 1;
   MEMSCOPE_NAME_BLOCK((char*)holder + 32, 8, "inner", "long");
   holder[0] = 1;
   holder[32] = holder[33] = holder[39] = 1;
   VALGRIND_FREELIKE_BLOCK(chunk, 0);
   free((void*)arena);
   free((void*)holder);
   free((void*)big);
   free((void*)bigger);
   return 0;
}
