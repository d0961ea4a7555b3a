// mismatch.cpp: three blocks released by the wrong family, as Memcheck
// reports them: new[] + delete, malloc + delete, new + free.  Expected
// (tests/test_errors.py): three MismatchedFree errors, the same count and
// kind as Memcheck's; the program runs on.
#include <cstdio>
#include <cstdlib>

int main()
{
   int* array = new int[4];
   char* raw = static_cast<char*>(std::malloc(8));
   int* one = new int(1);
   delete array;                 // new[] released by delete
   delete raw;                   // malloc released by delete
   std::free(one);               // new released by free
   std::printf("mismatch: ran on\n");
   return 0;
}
