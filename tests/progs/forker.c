/* forker.c: the parent allocates 3 blocks of 24 bytes and forks; the child
   allocates 2 blocks of 40 bytes in child_work() and exits; the parent
   waits for it, then allocates 1 block of 56 bytes.
   Expected (tests/test_log.py): with %p in the log's name, two logs; the
   child's names the parent as its parent process and holds the child's 2
   allocations, the parent's log none of them. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) static void child_work(void)
{
   void* a = malloc(40);
   void* b = malloc(40);
   free(a);
   free(b);
}

int main(void)
{
   void* kept[3];
   int i, status = 0;
   pid_t pid;
   for (i = 0; i < 3; i++)
      kept[i] = malloc(24);
   fflush(stdout);
   pid = fork();
   if (pid < 0)
      return 1;
   if (pid == 0) {
      child_work();
      _exit(0);
   }
   waitpid(pid, &status, 0);
   void* last = malloc(56);
   printf("forker: child %d exited %d\n", (int)pid, WEXITSTATUS(status));
   free(last);
   for (i = 0; i < 3; i++)
      free(kept[i]);
   return 0;
}
