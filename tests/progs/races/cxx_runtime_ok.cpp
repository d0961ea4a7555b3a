/* cxx_runtime_ok.cpp: the C++ runtime's own synchronisation, from four
   std::threads: a std::shared_ptr copied into each and released there
   (the last release frees the payload), a function-local static
   initialised on first use (__cxa_guard), std::call_once, a
   std::condition_variable waited on with wait_for and wait_until, and
   std::cout written by every thread.
   race-suite: race-free
*/
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct Table {
   int cells[8];
};

static std::once_flag table_once;
static int table_size;
static std::mutex ready_lock;
static std::condition_variable ready_cv;
static int ready_count;

__attribute__((noinline)) static Table build_table()
{
   Table t;
   for (int i = 0; i < 8; i++)
      t.cells[i] = i + 1;
   return t;
}

__attribute__((noinline)) static const Table &lookup_table()
{
   static const Table table = build_table();     /* guarded, once */
   return table;
}

__attribute__((noinline)) static void worker(std::shared_ptr<Table> mine,
                                             int id)
{
   int sum = 0;
   std::call_once(table_once, [] { table_size = 8; });
   for (int i = 0; i < table_size; i++)
      sum += mine->cells[i] + lookup_table().cells[i];
   std::cout << "cxx_runtime_ok: thread " << id << " sum " << sum
             << std::endl;
   mine.reset();
   {
      std::lock_guard<std::mutex> hold(ready_lock);
      ready_count++;
   }
   ready_cv.notify_all();
   std::unique_lock<std::mutex> wait(ready_lock);
   while (!ready_cv.wait_for(wait, std::chrono::milliseconds(20),
                             [] { return ready_count == 4; })) {
   }
   ready_cv.wait_until(wait, std::chrono::steady_clock::now(),
                       [] { return ready_count == 4; });
}

int main()
{
   auto shared = std::make_shared<Table>();
   for (int i = 0; i < 8; i++)
      shared->cells[i] = i;
   std::vector<std::thread> threads;
   for (int id = 0; id < 4; id++)
      threads.emplace_back(worker, shared, id);
   shared.reset();
   for (auto &t : threads)
      t.join();
   std::cout << "cxx_runtime_ok: " << ready_count << std::endl;
   return 0;
}
