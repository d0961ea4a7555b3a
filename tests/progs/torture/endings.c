/* endings.c: the ways a program ends.  Usage: endings <how>, how one of
     exit-main       main returns while nothing else runs (the baseline)
     exit-thread     a second thread calls exit() while main waits in join
     exit-running    main calls exit() while two threads still run (each
                     allocates and frees 1,000 blocks of 64 bytes)
     _exit           main calls _exit()
     abort           main calls abort()
     segv            main writes through a null pointer
     segv-thread     a second thread writes through a null pointer while
                     main waits in join
   Before ending, main allocates a marker block of 4,242 bytes and frees a
   block of 4,243, and prints "ending <how>" with write().  Expected
   (tests/test_torture.py::test_every_ending_leaves_a_complete_log): the
   log decodes to its END record and holds the marker's ALLOC and the
   FREE of the other block; the exit status is the program's own. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int stop;

static void say(const char* how)
{
   write(1, "ending ", 7);
   write(1, how, strlen(how));
   write(1, "\n", 1);
}

static void* exiter(void* arg)
{
   say(arg);
   exit(3);
}

static void* segfaulter(void* arg)
{
   say(arg);
   *(volatile int*)0 = 1;
   return NULL;
}

static volatile int churned;

/* Allocates a bounded amount (the log's size must not depend on the
   scheduler), then keeps running without allocating. */
static void* churner(void* arg)
{
   int i;
   (void)arg;
   for (i = 0; i < 1000; i++) {
      free(malloc(64));
      churned++;
   }
   while (!stop)
      usleep(1000);
   return NULL;
}

int main(int argc, char** argv)
{
   const char* how = argc > 1 ? argv[1] : "exit-main";
   volatile char* marker = malloc(4242);
   free(malloc(4243));
   marker[0] = 1;
   if (strcmp(how, "exit-thread") == 0) {
      pthread_t t;
      pthread_create(&t, NULL, exiter, (void*)how);
      pthread_join(t, NULL);
      return 99;                        /* not reached */
   }
   if (strcmp(how, "segv-thread") == 0) {
      pthread_t t;
      pthread_create(&t, NULL, segfaulter, (void*)how);
      pthread_join(t, NULL);
      return 99;                        /* not reached */
   }
   if (strcmp(how, "exit-running") == 0) {
      pthread_t t[2];
      int i;
      for (i = 0; i < 2; i++)
         pthread_create(&t[i], NULL, churner, NULL);
      while (churned < 100)
         usleep(1000);
      say(how);
      exit(4);
   }
   say(how);
   if (strcmp(how, "_exit") == 0)
      _exit(5);
   if (strcmp(how, "abort") == 0)
      abort();
   if (strcmp(how, "segv") == 0)
      *(volatile int*)0 = 1;
   return 0;
}
