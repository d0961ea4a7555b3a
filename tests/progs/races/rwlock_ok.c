/* rwlock_ok.c: two readers read config_value under the read lock while a
   writer updates it under the write lock: readers only read, and every
   write-unlock orders the next lock.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int config_value = 1;
static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;

__attribute__((noinline)) static void *reader(void *arg)
{
   int i, sum = 0;
   for (i = 0; i < 50; i++) {
      pthread_rwlock_rdlock(&config_lock);
      sum += config_value;
      pthread_rwlock_unlock(&config_lock);
   }
   return (void *)(intptr_t)sum;
}

__attribute__((noinline)) static void *writer(void *arg)
{
   int i;
   for (i = 0; i < 10; i++) {
      pthread_rwlock_wrlock(&config_lock);
      config_value = config_value + 1;
      pthread_rwlock_unlock(&config_lock);
   }
   return arg;
}

int main(void)
{
   pthread_t t[3];
   int i;
   pthread_create(&t[0], NULL, reader, NULL);
   pthread_create(&t[1], NULL, writer, NULL);
   pthread_create(&t[2], NULL, reader, NULL);
   for (i = 0; i < 3; i++)
      pthread_join(t[i], NULL);
   printf("rwlock_ok: %d\n", config_value);
   return 0;
}
