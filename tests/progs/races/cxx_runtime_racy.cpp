/* cxx_runtime_racy.cpp: the same runtime machinery as cxx_runtime_ok
   (a shared_ptr released in each thread, a function-local static,
   std::cout), and a plain counter every thread increments without a
   lock once all three have met at a barrier: the increments race.
   race-suite: racy
   race-variable: served
*/
#include <pthread.h>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

int served;
static pthread_barrier_t all_started;

__attribute__((noinline)) static int compute_base()
{
   return 40;
}

__attribute__((noinline)) static int base_value()
{
   static const int base = compute_base();      /* guarded, once */
   return base;
}

__attribute__((noinline)) static void worker(std::shared_ptr<int> mine)
{
   pthread_barrier_wait(&all_started);
   for (int i = 0; i < 10; i++)
      served++;                                     /* RACE */
   std::cout << "cxx_runtime_racy: " << *mine + base_value() << std::endl;
   mine.reset();
}

int main()
{
   pthread_barrier_init(&all_started, nullptr, 3);
   auto shared = std::make_shared<int>(2);
   std::vector<std::thread> threads;
   for (int id = 0; id < 3; id++)
      threads.emplace_back(worker, shared);
   shared.reset();
   for (auto &t : threads)
      t.join();
   std::cout << "cxx_runtime_racy: " << served << std::endl;
   return 0;
}
