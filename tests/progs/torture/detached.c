/* detached.c: race hints with detached threads, whose happens-before
   clocks memscope frees at their end.  Thread A (detached) writes `x`
   and posts a semaphore; main waits, sleeps until A has surely ended
   (and its clock is gone), then reads and writes `x`: ordered by the
   semaphore, no hint.  Thread B
   (detached) writes `y` while main reads it with no synchronisation:
   one race.  Expected (tests/test_torture.py::test_detached_threads):
   exactly one Race error, on `y`, naming main's read and B's write at
   the lines marked so below. */
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

int x, y;
static sem_t x_ready;

static void* thread_a(void* arg)
{
   (void)arg;
   x = 1;
   sem_post(&x_ready);
   return NULL;
}

static void* thread_b(void* arg)
{
   (void)arg;
   y = 2;                                    /* B writes y */
   return NULL;
}

int main(void)
{
   pthread_t a, b;
   int v;
   sem_init(&x_ready, 0, 0);
   pthread_create(&a, NULL, thread_a, NULL);
   pthread_detach(a);
   while (sem_wait(&x_ready) != 0)
      ;
   usleep(200000);                           /* A has ended by now */
   v = x;
   x = v + 1;
   pthread_create(&b, NULL, thread_b, NULL);
   pthread_detach(b);
   usleep(200000);
   v = y;                                    /* main reads y */
   return v == 2 ? 0 : 0;
}
