/* c11all.c: every synchronising call of C11 <threads.h> once or twice,
   in an order that does not depend on the schedule, so that
   tests/test_sync.py can require exact counts of the SYNC records each
   call gives.  main holds `plain` while it creates the signaller, so the
   signaller cannot set `flag` before main waits: the cnd_wait always
   blocks.  The cnd_timedwait's deadline has passed already: it times
   out at once. */
#include <stdio.h>
#include <threads.h>
#include <time.h>

static mtx_t plain, timed;
static cnd_t cv;
static once_flag once = ONCE_FLAG_INIT;
static int flag, inits;

static void init(void)
{
   inits++;
}

static int signaller(void *arg)
{
   mtx_lock(&plain);
   flag = 1;
   cnd_signal(&cv);
   mtx_unlock(&plain);
   return arg != NULL;
}

static int detached(void *arg)
{
   return arg != NULL;
}

int main(void)
{
   thrd_t t, d;
   struct timespec ts;
   if (mtx_init(&plain, mtx_plain) != thrd_success
       || mtx_init(&timed, mtx_timed) != thrd_success
       || cnd_init(&cv) != thrd_success)
      return 1;
   call_once(&once, init);
   call_once(&once, init);
   mtx_lock(&plain);
   if (thrd_create(&t, signaller, NULL) != thrd_success)
      return 1;
   while (!flag)
      cnd_wait(&cv, &plain);
   timespec_get(&ts, TIME_UTC);
   ts.tv_sec -= 1;
   if (cnd_timedwait(&cv, &plain, &ts) != thrd_timedout)
      return 1;
   mtx_unlock(&plain);
   cnd_broadcast(&cv);
   thrd_join(t, NULL);
   if (mtx_trylock(&timed) == thrd_success)
      mtx_unlock(&timed);
   timespec_get(&ts, TIME_UTC);
   ts.tv_sec += 1;
   if (mtx_timedlock(&timed, &ts) == thrd_success)
      mtx_unlock(&timed);
   if (thrd_create(&d, detached, NULL) != thrd_success
       || thrd_detach(d) != thrd_success)
      return 1;
   cnd_destroy(&cv);
   mtx_destroy(&timed);
   mtx_destroy(&plain);
   printf("c11all: ok, init ran %d time(s)\n", inits);
   return 0;
}
