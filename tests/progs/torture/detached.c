/* detached.c: race hints with detached threads, whose happens-before
   clocks memscope frees at their end.  Thread A (pthread_detach) writes
   `x` and posts a semaphore; main waits, sleeps until A has surely ended
   (its clock gone), then reads and writes `x`: ordered by the semaphore,
   no hint.  Thread B (created detached through its attributes) writes
   `y` while main reads it with no synchronisation: one race.  Expected
   (tests/test_torture.py::test_detached_threads): exactly one Race
   error, on `y`, naming main's read and B's write at the lines marked
   so below. */
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
   pthread_attr_t attr;
   int v;
   sem_init(&x_ready, 0, 0);
   pthread_create(&a, NULL, thread_a, NULL);
   pthread_detach(a);
   while (sem_wait(&x_ready) != 0)
      ;
   usleep(200000);                           /* A has ended by now */
   v = x;
   x = v + 1;
   pthread_attr_init(&attr);
   pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
   pthread_create(&b, &attr, thread_b, NULL);
   usleep(200000);
   v = y;                                    /* main reads y */
   return v == 2 ? 0 : 0;
}
