/* forkstorm.c: processes logging at the same time.  The parent starts a
   thread that allocates, then forks CHILDREN children while it runs;
   child k allocates and frees 100 * (k + 1) blocks of 4,000 + k bytes,
   and every second child then execs /bin/true.  The parent allocates and
   frees 500 blocks of 3,999 bytes, waits for all, and prints "children
   <n> ok <n>" with write().  Expected
   (tests/test_torture.py::test_forked_children_log_apart): with
   --memscope-out-file=<dir>/fork.%p.msc, one complete log per process
   (and with --trace-children=yes one more per exec'd image), each
   holding exactly its own blocks. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 4

static volatile int stop;

/* 1,000 blocks of 3,998 bytes, then idle until told to stop (the log's
   size must not depend on the scheduler). */
static void* background(void* arg)
{
   int i;
   (void)arg;
   for (i = 0; i < 1000; i++)
      free(malloc(3998));
   while (!stop)
      usleep(1000);
   return NULL;
}

int main(void)
{
   pthread_t t;
   pid_t pids[CHILDREN];
   int k, i, ok = 0, n;
   char line[64];
   pthread_create(&t, NULL, background, NULL);
   for (k = 0; k < CHILDREN; k++) {
      pids[k] = fork();
      if (pids[k] == 0) {
         for (i = 0; i < 100 * (k + 1); i++)
            free(malloc(4000 + k));
         if (k % 2 == 1)
            execl("/bin/true", "true", (char*)NULL);
         _exit(0);
      }
   }
   for (i = 0; i < 500; i++)
      free(malloc(3999));
   for (k = 0; k < CHILDREN; k++) {
      int status;
      if (waitpid(pids[k], &status, 0) == pids[k] && WIFEXITED(status)
          && WEXITSTATUS(status) == 0)
         ok++;
   }
   stop = 1;
   pthread_join(t, NULL);
   n = snprintf(line, sizeof line, "children %d ok %d\n", CHILDREN, ok);
   write(1, line, n);
   return 0;
}
