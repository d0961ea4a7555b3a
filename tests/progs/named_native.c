/* named_native.c: memscope.h's macros outside Valgrind: this file is
   built twice, plain and with -DNVALGRIND, and run natively; every request
   must be a no-op that returns, and the program prints "named_native: ok". */
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

int counter = 0;

int main(void)
{
   char* block = malloc(32);
   MEMSCOPE_TRACK_VAR(counter);
   MEMSCOPE_TRACK_VAR_TYPED(block, "char *");
   MEMSCOPE_NAME_BLOCK(block, 32, "block", "char[32]");
   MEMSCOPE_NAME_BLOCK(NULL, 0, NULL, NULL);
   MEMSCOPE_UNTRACK(block);
   free(block);
   printf("named_native: ok\n");
   return 0;
}
