/* many_blocks.c: millions of live blocks.  Allocates N blocks of 16
   bytes (default 1,000,000; argv[1] overrides), links each to the one
   before through its first word (so that all stay reachable from one
   root), writes to each, and exits with all of them live.  Expected
   (tests/test_torture.py::test_a_million_live_blocks): the summary
   counts N live blocks more than the run with N = 0, all still
   reachable; bench/run_bench.py measures the tool's memory per block
   with it. */
#include <stdlib.h>

void** volatile root;

int main(int argc, char** argv)
{
   long n = argc > 1 ? atol(argv[1]) : 1000000, i;
   for (i = 0; i < n; i++) {
      void** p = malloc(16);
      if (p == NULL)
         return 1;
      p[0] = (void*)root;
      p[1] = (void*)i;
      root = p;
   }
   return 0;
}
