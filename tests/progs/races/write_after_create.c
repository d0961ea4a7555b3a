/* write_after_create.c: main sets a global before pthread_create (ordered)
   and again after it, while the new thread reads it: the second write is
   not ordered against the thread's read.
   race-suite: racy
   race-variable: setting
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

int setting;

__attribute__((noinline)) static void *reader(void *arg)
{
   int seen = setting; /* RACE */
   return (void *)(intptr_t)seen;
}

int main(void)
{
   pthread_t t;
   void *seen;
   setting = 1;
   pthread_create(&t, NULL, reader, NULL);
   setting = 2; /* RACE */
   pthread_join(t, &seen);
   printf("write_after_create: read %d\n", (int)(intptr_t)seen >= 1);
   return 0;
}
