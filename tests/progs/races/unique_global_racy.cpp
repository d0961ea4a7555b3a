/* unique_global_racy.cpp: a C++17 inline variable has unique binding
   (STB_GNU_UNIQUE), which Valgrind's debug info does not name.  Two
   workers bump it without a lock.
   race-suite: racy
   race-variable: shared_total
*/
#include <pthread.h>
#include <cstdio>

inline long shared_total = 0;

__attribute__((noinline)) static void* worker(void*)
{
   for (int i = 0; i < 100; i++)
      shared_total += 2;                          /* RACE */
   return nullptr;
}

int main()
{
   pthread_t t[2];
   for (auto& th : t)
      pthread_create(&th, nullptr, worker, nullptr);
   for (auto& th : t)
      pthread_join(th, nullptr);
   std::printf("unique_global_racy: %ld\n", shared_total);
   return 0;
}
