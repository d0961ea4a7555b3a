/* create_join.c: main writes a global before pthread_create, the thread
   reads it and writes a result, and main reads the result after
   pthread_join: creation and join order every access.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

int input;
int output;

__attribute__((noinline)) static void *worker(void *arg)
{
   output = input * 3;
   return arg;
}

int main(void)
{
   pthread_t t;
   input = 14;
   pthread_create(&t, NULL, worker, NULL);
   pthread_join(t, NULL);
   printf("create_join: %d\n", output);
   return 0;
}
