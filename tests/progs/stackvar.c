/* stackvar.c: a named stack variable dies with its frame.  named_local()
   names its local `scratch` and writes it 5 times; after it returns,
   unnamed_local() has a local at the same place (same frame shape) and
   writes it 7 times.  Expected (tests/test_shared.py): scratch's record
   has 5 writes, none of the 7 later ones. */
#include <stdio.h>
#include "memscope.h"

__attribute__((noinline)) static long named_local(void)
{
   volatile long scratch = 0;
   int i;
   MEMSCOPE_TRACK_VAR(scratch);
   for (i = 0; i < 5; i++)
      scratch = i;
   return scratch;
}

__attribute__((noinline)) static long unnamed_local(void)
{
   volatile long other = 0;
   int i;
   for (i = 0; i < 7; i++)
      other = i;
   return other;
}

int main(void)
{
   long a = named_local();
   long b = unnamed_local();
   printf("stackvar: %ld %ld\n", a, b);
   return 0;
}
