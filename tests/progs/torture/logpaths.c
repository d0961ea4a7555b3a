/* logpaths.c: what a program does to the place its log lives.  Usage:
     logpaths system               system("true") (a fork and an exec of sh)
     logpaths chdir-exec DIR PROG [ARG...]
                                   changes to DIR, then execs PROG
     logpaths execve PROG [ARG...] execs PROG directly, in place
     logpaths spawn PROG [ARG...]  posix_spawn()s PROG and waits for it
     logpaths rmlog LOG [DIR]      removes the file LOG (its own log), then
                                   the directory DIR if given
     logpaths replacelog LOG       removes LOG and writes a file of its own
                                   under that name ("user data\n")
     logpaths sleep MS             sleeps MS milliseconds
     logpaths clone                calls clone(CLONE_VM) without the thread
                                   flags, which Valgrind refuses
   Each mode first allocates a marker block of 7,000 + its number bytes
   (system 7001, chdir-exec 7002, execve 7003, spawn 7004, rmlog 7005,
   replacelog 7006, sleep 7007, clone 7008) and frees it before a normal
   end; it exits with status 0 (a failed call: 2).  Expected: see
   tests/test_torture.py's "log paths" section and docs/reliability.md. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static int child_fn(void* arg)
{
   (void)arg;
   return 0;
}

int main(int argc, char** argv)
{
   static const char* const modes[] = { "system", "chdir-exec", "execve",
      "spawn", "rmlog", "replacelog", "sleep", "clone" };
   const char* mode = argc > 1 ? argv[1] : "";
   char* marker = NULL;
   size_t i;
   for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
      if (strcmp(mode, modes[i]) == 0)
         marker = malloc(7001 + i);
   if (marker == NULL) {
      fprintf(stderr, "logpaths: unknown mode '%s'\n", mode);
      return 2;
   }
   marker[0] = 1;
   if (strcmp(mode, "system") == 0) {
      if (system("true") != 0)
         return 2;
   } else if (strcmp(mode, "chdir-exec") == 0 && argc > 3) {
      if (chdir(argv[2]) != 0)
         return 2;
      execv(argv[3], argv + 3);
      return 2;
   } else if (strcmp(mode, "execve") == 0 && argc > 2) {
      execve(argv[2], argv + 2, environ);
      return 2;
   } else if (strcmp(mode, "spawn") == 0 && argc > 2) {
      pid_t pid;
      int status;
      if (posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ) != 0
          || waitpid(pid, &status, 0) != pid || status != 0)
         return 2;
   } else if (strcmp(mode, "rmlog") == 0 && argc > 2) {
      if (unlink(argv[2]) != 0 || (argc > 3 && rmdir(argv[3]) != 0))
         return 2;
   } else if (strcmp(mode, "replacelog") == 0 && argc > 2) {
      int fd;
      if (unlink(argv[2]) != 0
          || (fd = open(argv[2], O_CREAT | O_EXCL | O_WRONLY, 0644)) < 0
          || write(fd, "user data\n", 10) != 10)
         return 2;
      close(fd);
   } else if (strcmp(mode, "sleep") == 0 && argc > 2) {
      long ms = atol(argv[2]);
      struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
      nanosleep(&ts, NULL);
   } else if (strcmp(mode, "clone") == 0) {
      static char stack[64 * 1024];
      clone(child_fn, stack + sizeof stack, CLONE_VM | SIGCHLD, NULL);
      return 2;                       /* Valgrind stops before this */
   } else {
      return 2;
   }
   free(marker);
   return 0;
}
