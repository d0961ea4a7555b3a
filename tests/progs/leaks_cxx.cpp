// leaks_cxx.cpp: blocks reached only through interior pointers that
// Memcheck's default leak heuristics explain, so they count as still
// reachable, and one they do not explain (possibly lost):
// - `things`: new[] of 5 objects with a destructor; the pointer the
//   program keeps is 8 bytes into the block, after the element count
//   (newarray: 48 bytes);
// - `as_b`: a C made with new, kept as its second base B, 16 bytes in
//   (multipleinheritance: 32 bytes);
// - `sized`: a block starting with its remaining length, kept past that
//   length (length64: 48 bytes);
// - `loose`: 8 bytes into a block whose first word explains nothing
//   (possibly lost: 40 bytes).
// Expected (tests/test_leaks.py, equal to Memcheck): still reachable
// 128 bytes in 3 blocks, possibly lost 40 bytes in 1 block.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

struct Thing {
   ~Thing() { value = 0; }
   long value = 1;
};

struct A {
   virtual ~A() {}
   long a = 1;
};

struct B {
   virtual ~B() {}
   long b = 2;
};

struct C : A, B {
   ~C() override {}
};

Thing* things;
B* as_b;
char* sized;
char* loose;

int main()
{
   things = new Thing[5];
   as_b = new C;
   std::uint64_t* s = static_cast<std::uint64_t*>(std::malloc(48));
   s[0] = 40;
   sized = reinterpret_cast<char*>(s + 1);
   std::uint64_t* l = static_cast<std::uint64_t*>(std::malloc(40));
   l[0] = 0;
   loose = reinterpret_cast<char*>(l + 1);
   std::printf("leaks_cxx: %ld %ld\n", things[4].value, as_b->b);
   return 0;
}
