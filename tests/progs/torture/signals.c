/* signals.c: signal handlers that allocate while the program allocates.
   A SIGALRM storm (a real-time interval timer every 200 microseconds)
   runs during a loop of LOOP malloc/free pairs of 48 bytes; each
   alarm's handler allocates and frees a block of 777 bytes.  Then main
   sends SIGUSR1 to a worker thread USR1 times with pthread_kill; the
   worker's handler allocates and frees a block of 555 bytes.  The
   program counts the handlers that ran and prints, with write():
     loop <LOOP> alarms <n> usr1 <USR1>
   Expected (tests/test_torture.py::test_signal_handlers_that_allocate):
   the log holds exactly LOOP allocations of 48 bytes, n of 777 and USR1
   of 555, each freed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define LOOP 20000
#define USR1 50

static volatile sig_atomic_t alarms, usr1s;
static sem_t handled;

/* malloc in a handler is not async-signal-safe in general; under the
   tool (and with this program's own calls) it must still be counted. */
static void on_alarm(int sig)
{
   (void)sig;
   free(malloc(777));
   alarms++;
}

static void on_usr1(int sig)
{
   (void)sig;
   free(malloc(555));
   usr1s++;
   sem_post(&handled);
}

static volatile int done;

static void* worker(void* arg)
{
   (void)arg;
   while (!done)
      usleep(1000);
   return NULL;
}

int main(void)
{
   struct itimerval every = { { 0, 200 }, { 0, 200 } }, off = { { 0, 0 },
                                                             { 0, 0 } };
   struct sigaction sa;
   pthread_t t;
   sigset_t mask;
   char line[96];
   int i, n;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = on_alarm;
   sa.sa_flags = SA_RESTART;
   sigaction(SIGALRM, &sa, NULL);
   sa.sa_handler = on_usr1;
   sigaction(SIGUSR1, &sa, NULL);
   sem_init(&handled, 0, 0);
   /* Only the worker takes SIGUSR1. */
   sigemptyset(&mask);
   sigaddset(&mask, SIGUSR1);
   pthread_create(&t, NULL, worker, NULL);
   pthread_sigmask(SIG_BLOCK, &mask, NULL);

   setitimer(ITIMER_REAL, &every, NULL);
   for (i = 0; i < LOOP; i++) {
      volatile char* p = malloc(48);
      p[0] = (char)i;
      free((void*)p);
   }
   setitimer(ITIMER_REAL, &off, NULL);

   for (i = 0; i < USR1; i++) {
      pthread_kill(t, SIGUSR1);
      while (sem_wait(&handled) != 0)
         ;
   }
   done = 1;
   pthread_join(t, NULL);
   n = snprintf(line, sizeof line, "loop %d alarms %d usr1 %d\n", LOOP,
                (int)alarms, (int)usr1s);
   write(1, line, n);
   return 0;
}
