/* sem_annotated.c: a home-made semaphore (a counter and a spin on a
   plain volatile int, no atomic read-modify-write, declared benign)
   hands a heap message from a producer to a consumer; drd.h's
   ANNOTATE_SEM_POST_PRE and ANNOTATE_SEM_WAIT_POST tell the tools about
   the hand-off, and ANNOTATE_BARRIER_WAIT_BEFORE/AFTER around a
   home-made barrier order the final read.  Without the annotations the
   message and the result race; with them, none.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "drd.h"
#include "memscope.h"

static volatile int tokens;
static volatile int arrived;
static char *message;
static int result;

__attribute__((noinline)) static void *producer(void *arg)
{
   message = malloc(32);
   strcpy(message, "hand-off");
   ANNOTATE_SEM_POST_PRE(&tokens);
   tokens = 1;
   return arg;
}

__attribute__((noinline)) static void *consumer(void *arg)
{
   while (tokens == 0)
      usleep(1000);
   ANNOTATE_SEM_WAIT_POST(&tokens);
   result = (int)strlen(message);
   free(message);
   ANNOTATE_BARRIER_WAIT_BEFORE(&arrived);
   arrived = 1;
   return arg;
}

int main(void)
{
   pthread_t p, c;
   MEMSCOPE_BENIGN_RACE((void *)&tokens, sizeof tokens, "home-made semaphore");
   MEMSCOPE_BENIGN_RACE((void *)&arrived, sizeof arrived, "home-made barrier");
   ANNOTATE_BENIGN_RACE_SIZED(&tokens, sizeof tokens, "home-made semaphore");
   ANNOTATE_BENIGN_RACE_SIZED(&arrived, sizeof arrived, "home-made barrier");
   ANNOTATE_SEM_INIT_PRE(&tokens, 0);
   ANNOTATE_BARRIER_INIT(&arrived, 2, 0);
   pthread_create(&c, NULL, consumer, NULL);
   pthread_create(&p, NULL, producer, NULL);
   while (arrived == 0)
      usleep(1000);
   ANNOTATE_BARRIER_WAIT_AFTER(&arrived);
   printf("sem_annotated: %d\n", result);
   pthread_join(p, NULL);
   pthread_join(c, NULL);
   return 0;
}
