/* thread_limit.c: more live threads than Valgrind allows.  Main
   allocates a marker block of 4,242 bytes, then creates threads that
   block on a pipe until pthread_create fails or LIMIT are running, then
   lets them all finish.  Run with --max-threads=20 the core gives up at
   the 20th thread with its own message.  Expected
   (tests/test_torture.py::test_valgrinds_thread_limit): Valgrind's own
   "--max-threads" message, and a log that decodes (marked cut short,
   since the core stops without the tool's shutdown) up to its last
   flush, which holds the marker. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define LIMIT 100

static int gate[2];

static void* waiter(void* arg)
{
   char c;
   (void)arg;
   read(gate[0], &c, 1);
   return NULL;
}

int main(void)
{
   pthread_t t[LIMIT];
   volatile char* marker = malloc(4242);
   int n, i;
   marker[0] = 1;
   if (pipe(gate) != 0)
      return 1;
   sleep(2);                            /* past the default --flush-ms */
   for (n = 0; n < LIMIT; n++)
      if (pthread_create(&t[n], NULL, waiter, NULL) != 0)
         break;
   for (i = 0; i < n; i++)
      write(gate[1], "x", 1);
   for (i = 0; i < n; i++)
      pthread_join(t[i], NULL);
   return 0;
}
