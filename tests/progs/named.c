/* named.c: names from memscope.h.  Expected (tests/test_names.py):
     counter   variable, global, 4 bytes, type ""
     head      variable (8 bytes, "struct node *") and the 24-byte block it
               points to (named through it, type "struct node *")
     buffer    64-byte heap block, type "char[]", then untracked
     table     variable, 8 x int on main's stack, type "int[8]"
     ratio     a global named with "": its name from debug info, "double"
     limits+8  the second half of a global array, named with ""
   and no warnings. */
#include <stdio.h>
#include <stdlib.h>
#include "memscope.h"

struct node {
   struct node* next;
   long value;
   long spare;
};

int counter = 0;
double ratio = 0.5;
long limits[2] = {1, 2};

int main(void)
{
   struct node* head = malloc(sizeof *head);
   char* buffer = malloc(64);
   int table[8] = {0};
   MEMSCOPE_TRACK_VAR(counter);
   MEMSCOPE_TRACK_VAR_TYPED(head, "struct node *");
   MEMSCOPE_NAME_BLOCK(buffer, 64, "buffer", "char[]");
   MEMSCOPE_TRACK_VAR_TYPED(table, "int[8]");
   MEMSCOPE_NAME_BLOCK(&ratio, sizeof ratio, "", "double");
   MEMSCOPE_NAME_BLOCK(&limits[1], sizeof limits[1], "", "long");
   MEMSCOPE_UNTRACK(buffer);
   counter = table[0] + 1;
   free(buffer);
   free(head);
   printf("named: ok %d\n", counter);
   return 0;
}
