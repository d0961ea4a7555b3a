/* own_library_main.c: two workers each call own_library.c's lib_bump
   100 times.  Expected (tests/test_races.py): one hint, on
   "lib_counter", at own_library.c's marked line. */
#include <pthread.h>
#include <stdio.h>

void lib_bump(void);
extern long lib_counter;

static void* worker(void* arg)
{
   int i;
   for (i = 0; i < 100; i++)
      lib_bump();
   return NULL;
}

int main(void)
{
   pthread_t t[2];
   int i;
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, worker, NULL);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   printf("own_library: %ld\n", lib_counter);
   return 0;
}
