/* unique_global_ok.cpp: the twin of unique_global_racy: the inline
   variable and a class template's static member (both unique symbols)
   are bumped under a mutex that is itself a template's static member.
   race-suite: race-free
*/
#include <pthread.h>
#include <cstdio>

inline long shared_total = 0;

template <typename T> struct Guarded {
   static T value;
   static pthread_mutex_t lock;
};
template <typename T> T Guarded<T>::value = 0;
template <typename T> pthread_mutex_t Guarded<T>::lock =
   PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void* worker(void*)
{
   for (int i = 0; i < 100; i++) {
      pthread_mutex_lock(&Guarded<int>::lock);
      shared_total += 2;
      Guarded<int>::value++;
      pthread_mutex_unlock(&Guarded<int>::lock);
   }
   return nullptr;
}

int main()
{
   pthread_t t[2];
   for (auto& th : t)
      pthread_create(&th, nullptr, worker, nullptr);
   for (auto& th : t)
      pthread_join(th, nullptr);
   std::printf("unique_global_ok: %ld %d\n", shared_total,
               Guarded<int>::value);
   return 0;
}
