/* sprintf_after_print_racy.c: a worker writes a status line into a
   global buffer and prints; the main thread prints, then formats a new
   status into the same buffer with sprintf, without waiting for the
   worker.  The two printf calls take stdout's lock, but sprintf runs
   outside any stream's lock: its write of the buffer is the program's,
   and races with the worker's.
   race-suite: racy
   race-variable: status_line
*/
#include <pthread.h>
#include <stdio.h>

char status_line[32];

__attribute__((noinline)) static void *worker(void *arg)
{
   (void)arg;
   status_line[0] = 'w';                             /* RACE */
   printf("sprintf_after_print_racy: worker\n");
   return NULL;
}

int main(void)
{
   pthread_t t;
   pthread_create(&t, NULL, worker, NULL);
   printf("sprintf_after_print_racy: main\n");
   sprintf(status_line, "%d", 42);                   /* RACE */
   pthread_join(t, NULL);
   return status_line[0] == '4' ? 0 : 1;
}
