// allocs_cxx.cpp: every C++ allocation operator once, from main.
// Expected from main's own calls (tests/test_heap.py): 8 blocks by kind
// new x2 (one nothrow), new[] x2 (one nothrow), aligned new x2 (one
// nothrow), aligned new[] x2 (one nothrow); all deleted with the matching
// operator. libstdc++ allocates its own blocks at start-up too, which
// Memcheck counts as well.
#include <cstdint>
#include <cstdio>
#include <new>

struct alignas(64) Wide {
   char bytes[64];
};

static int failures = 0;

static void check(bool ok, const char* what)
{
   if (!ok) {
      std::printf("FAIL: %s\n", what);
      failures++;
   }
}

int main()
{
   int* one = new int(7);
   int* many = new int[10];
   char* quiet = new (std::nothrow) char;
   char* quiet_many = new (std::nothrow) char[5];
   Wide* wide = new Wide;
   Wide* wides = new Wide[3];
   Wide* quiet_wide = new (std::nothrow) Wide;
   Wide* quiet_wides = new (std::nothrow) Wide[2];
   check(reinterpret_cast<std::uintptr_t>(wide) % 64 == 0, "aligned new");
   check(reinterpret_cast<std::uintptr_t>(wides) % 64 == 0, "aligned new[]");
   check(*one == 7, "new int(7)");
   delete one;
   delete[] many;
   delete quiet;
   delete[] quiet_many;
   delete wide;
   delete[] wides;
   delete quiet_wide;
   delete[] quiet_wides;
   std::printf("allocs_cxx: %s\n", failures ? "FAILED" : "ok");
   return failures ? 1 : 0;
}
