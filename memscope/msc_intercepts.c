/* msc_intercepts.c: memscope's pthread wrappers, in the preload library
   (vgpreload_memscope-<platform>.so).  Runs on the simulated CPU, inside
   the client.  Each wrapper calls the original and tells the tool about
   the outcome through a client request; it changes neither the return
   value nor errno.  No floating point here: preload code runs in the
   client's context.

   The allocation functions are replaced by the core's replacement
   library, linked into the same .so; memscope has no malloc wrappers.

   Since glibc 2.34 the pthread API lives in libc.so.6 and its symbols
   are versioned (pthread_create@@GLIBC_2.34, pthread_create@GLIBC_2.2.5):
   the wrappers match "name@*" in libc.so* and, for older glibc,
   libpthread.so.0.  The function names are Z-encoded (_ZZ macros):
   "Zu" is '_', "ZA" is '@', "Za" is '*'. */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>
#include "valgrind.h"
#include "msc_preload_reqs.h"

#define MSC_SONAME_LIBC      libcZdsoZa          /* libc.so*        */
#define MSC_SONAME_LIBPTHREAD libpthreadZdsoZd0  /* libpthread.so.0 */

/* Defines wrapper `ret_ty name(args)` for both sonames; the body is a
   call to the worker. */
#define MSC_WRAP(ret_ty, zname, params, worker_call)                      \
   ret_ty I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, zname) params;         \
   ret_ty I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, zname) params          \
   { return worker_call; }                                                \
   ret_ty I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBPTHREAD, zname) params;   \
   ret_ty I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBPTHREAD, zname) params    \
   { return worker_call; }

/* ---- pthread_create ------------------------------------------------------ */

/* glibc's ATTR_C11_THREAD: thrd_create calls pthread_create's code with
   it, and pthread_create's symbol shares that code's address, so this
   wrapper sees it. */
#define MSC_C11_THREAD_ATTR ((const pthread_attr_t*)(unsigned long)-1)

typedef void* (*msc_start_routine)(void*);

/* Every thread pthread_create makes starts here: the tool, told the
   start routine and its argument by the creator, hands them back, and
   learns where the program's code of the thread begins and ends (the
   C library's thread start-up and exit around it synchronise in ways the
   wrappers model).  The argument glibc passes is not used: the creator
   may be gone by now.  A C11 thread's routine returns an int, which
   glibc reads back from this return value as it would from the
   routine's. */
__attribute__((noinline))
static void* msc_thread_body ( void* unused )
{
   msc_start_routine start;
   void* arg;
   void* ret;
   (void)unused;
   start = (msc_start_routine)VALGRIND_DO_CLIENT_REQUEST_EXPR(
      0, _VG_USERREQ__MSC_THREAD_BODY, 0, 0, 0, 0, 0);
   arg = (void*)VALGRIND_DO_CLIENT_REQUEST_EXPR(
      0, _VG_USERREQ__MSC_THREAD_BODY, 1, 0, 0, 0, 0);
   ret = start(arg);
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_THREAD_BODY_END,
                                   0, 0, 0, 0, 0);
   return ret;
}

__attribute__((noinline))
static int create_worker ( pthread_t* thread, const pthread_attr_t* attr,
                           void* (*start)(void*), void* arg )
{
   int ret;
   OrigFn fn;
   int detached = 0, state;
   VALGRIND_GET_ORIG_FN(fn);
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_THREAD_CREATING,
                                   start, arg, 0, 0, 0);
   CALL_FN_W_WWWW(ret, fn, thread, attr, msc_thread_body, 0);
   /* A thread created detached is never joined: the tool frees its
      happens-before clock at its end.  glibc's thrd_create passes the
      marker (pthread_attr_t*)-1 for "a C11 thread" (joinable), not an
      attribute: it must not be read. */
   if (ret == 0 && attr != NULL && attr != MSC_C11_THREAD_ATTR
       && pthread_attr_getdetachstate(attr, &state) == 0
       && state == PTHREAD_CREATE_DETACHED)
      detached = 1;
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_THREAD_CREATED,
                                   ret == 0 ? *thread : 0, ret, detached,
                                   0, 0);
   /* The new thread starts its routine before pthread_create returns,
      as Helgrind's and DRD's wrappers have it: left to Valgrind's
      scheduler, a creator that does not block runs its whole time slice
      first, and one that exits soon after never lets the thread run,
      so that its races are never seen and runs differ with the load.
      Bounded: a thread that cannot start (a scheduler policy, a stop)
      does not hold the creator for ever. */
   if (ret == 0) {
      int tries;
      for (tries = 0; tries < 1000; tries++) {
         if (VALGRIND_DO_CLIENT_REQUEST_EXPR(
                1, _VG_USERREQ__MSC_CHILD_STARTED, 0, 0, 0, 0, 0))
            break;
         sched_yield();
      }
   }
   return ret;
}

MSC_WRAP(int, pthreadZucreateZAZa,
         ( pthread_t* thread, const pthread_attr_t* attr,
           void* (*start)(void*), void* arg ),
         create_worker(thread, attr, start, arg))

/* ---- the C library's streams ------------------------------------------------ */

/* glibc's list of open streams (exported; its type there is internal).
   Weak: a C library without it leaves stream locks as other locks. */
extern struct _IO_FILE* _IO_list_all __attribute__((weak));

/* Tells the tool where the streams are, so that it knows a stream's lock
   when printf takes it (msc_stdio.h). */
__attribute__((constructor))
static void msc_stdio_layout ( void )
{
   if (&_IO_list_all != NULL)
      VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_STDIO_LAYOUT,
                                      &_IO_list_all,
                                      offsetof(FILE, _chain),
                                      offsetof(FILE, _lock),
                                      offsetof(FILE, _mode), 0);
}

/* flockfile and ftrylockfile are locks of the program's: after one, the
   thread is ordered after every earlier use of the stream. */
void I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, flockfile) ( FILE* fp );
void I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, flockfile) ( FILE* fp )
{
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   CALL_FN_v_W(fn, fp);
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_STREAM_LOCKED,
                                   fp->_lock, 0, 0, 0, 0);
}

/* glibc keeps a memory stream out of its list of streams: its lock is
   told here. */
static FILE* memstream_opened ( FILE* fp )
{
   if (fp != NULL)
      VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_STREAM_OPENED,
                                      fp, fp->_lock, 0, 0, 0);
   return fp;
}

FILE* I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, openZumemstream)
   ( char** ptr, size_t* size );
FILE* I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, openZumemstream)
   ( char** ptr, size_t* size )
{
   OrigFn fn;
   FILE* fp;
   VALGRIND_GET_ORIG_FN(fn);
   CALL_FN_W_WW(fp, fn, ptr, size);
   return memstream_opened(fp);
}

FILE* I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, openZuwmemstream)
   ( wchar_t** ptr, size_t* size );
FILE* I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, openZuwmemstream)
   ( wchar_t** ptr, size_t* size )
{
   OrigFn fn;
   FILE* fp;
   VALGRIND_GET_ORIG_FN(fn);
   CALL_FN_W_WW(fp, fn, ptr, size);
   return memstream_opened(fp);
}

int I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, ftrylockfile) ( FILE* fp );
int I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, ftrylockfile) ( FILE* fp )
{
   OrigFn fn;
   int ret;
   VALGRIND_GET_ORIG_FN(fn);
   CALL_FN_W_W(ret, fn, fp);
   if (ret == 0)
      VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_STREAM_LOCKED,
                                      fp->_lock, 0, 0, 0, 0);
   return ret;
}

/* ---- pthread_setname_np ---------------------------------------------------- */

__attribute__((noinline))
static int setname_worker ( pthread_t target, const char* name )
{
   int ret;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   CALL_FN_W_WW(ret, fn, target, name);
   if (ret == 0)
      VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_THREAD_NAMED,
                                      target,
                                      pthread_equal(target, pthread_self()),
                                      name, 0, 0);
   return ret;
}

MSC_WRAP(int, pthreadZusetnameZunpZAZa,
         ( pthread_t target, const char* name ),
         setname_worker(target, name))

/* ---- synchronisation calls -------------------------------------------------- */
/* Every wrapper below: tell the tool the call begins (it may block), call
   the original, tell the tool it returned and with what.  A release is
   announced before the original runs, because the original may wake a
   waiter that then runs before this thread returns. */

#define SYNC_PRE(op, obj, other) \
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_SYNC_PRE, (op), (obj), \
                                   (other), 0, 0)
#define SYNC_POST(op, obj, result, value) \
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_SYNC_POST, (op), (obj), \
                                   (result), (value), 0)

/* Cancellation points.  A thread cancelled inside the original
   (pthread_cancel, acted on at the call) is unwound straight through the
   wrapper by glibc, which would leave the tool believing the call still
   runs (for a condition wait: that the mutex, which glibc takes again
   before the program's cleanup handlers run, is free).  A cleanup
   handler around the original tells the tool the call ended cancelled,
   with ECANCELED as its result: none of these calls returns it. */
typedef struct {
   unsigned long op, value;
   void* obj;
} Cancellable;

static void tell_cancelled ( void* arg )
{
   const Cancellable* c = arg;
   SYNC_POST(c->op, c->obj, ECANCELED, c->value);
}

/* Runs `call` (which sets ret) as a cancellation point of `op` on obj. */
#define CANCELLATION_POINT(op_, obj_, value_, call)                       \
   do {                                                                   \
      Cancellable cancellable_ = { (op_), (unsigned long)(value_),        \
                                   (void*)(obj_) };                       \
      pthread_cleanup_push(tell_cancelled, &cancellable_);                \
      call;                                                               \
      pthread_cleanup_pop(0);                                             \
   } while (0)

/* The body of a worker whose call is a cancellation point: `call` sets
   ret; SYNC_POST tells `result` (an expression of ret), with `value`
   (the mutex of a condition wait, else 0). */
#define CANCELLABLE_BODY(op, obj, pre_other, value, call, result)         \
   int ret;                                                               \
   OrigFn fn;                                                             \
   VALGRIND_GET_ORIG_FN(fn);                                              \
   SYNC_PRE(op, obj, pre_other);                                          \
   CANCELLATION_POINT(op, obj, value, call);                              \
   SYNC_POST(op, obj, result, value);                                     \
   return ret

/* int f(T* obj): the common shape. */
#define MSC_SYNC_1(zname, T, op)                                          \
   __attribute__((noinline)) static int zname##_worker ( T* obj )         \
   {                                                                      \
      int ret;                                                            \
      OrigFn fn;                                                          \
      VALGRIND_GET_ORIG_FN(fn);                                           \
      SYNC_PRE(op, obj, 0);                                               \
      CALL_FN_W_W(ret, fn, obj);                                          \
      SYNC_POST(op, obj, ret, 0);                                         \
      return ret;                                                         \
   }                                                                      \
   MSC_WRAP(int, zname, ( T* obj ), zname##_worker(obj))

/* int f(T* obj, U arg): the call's second argument is passed through. */
#define MSC_SYNC_2(zname, T, U, op)                                       \
   __attribute__((noinline)) static int zname##_worker ( T* obj, U arg )  \
   {                                                                      \
      int ret;                                                            \
      OrigFn fn;                                                          \
      VALGRIND_GET_ORIG_FN(fn);                                           \
      SYNC_PRE(op, obj, 0);                                               \
      CALL_FN_W_WW(ret, fn, obj, arg);                                    \
      SYNC_POST(op, obj, ret, 0);                                         \
      return ret;                                                         \
   }                                                                      \
   MSC_WRAP(int, zname, ( T* obj, U arg ), zname##_worker(obj, arg))

/* int f(T* obj, U arg, V arg2): both passed through (the clock
   variants: a clock and a deadline). */
#define MSC_SYNC_3(zname, T, U, V, op)                                    \
   __attribute__((noinline)) static int zname##_worker ( T* obj, U arg,   \
                                                        V arg2 )          \
   {                                                                      \
      int ret;                                                            \
      OrigFn fn;                                                          \
      VALGRIND_GET_ORIG_FN(fn);                                           \
      SYNC_PRE(op, obj, 0);                                               \
      CALL_FN_W_WWW(ret, fn, obj, arg, arg2);                             \
      SYNC_POST(op, obj, ret, 0);                                         \
      return ret;                                                         \
   }                                                                      \
   MSC_WRAP(int, zname, ( T* obj, U arg, V arg2 ),                        \
            zname##_worker(obj, arg, arg2))

/* A call made as it is (the other calls' way: see CANCELLATION_POINT). */
#define PLAIN_CALL(op_, obj_, value_, call) call

/* Semaphores return -1 and set errno: the tool gets the error number,
   the caller gets errno untouched.  `how`: PLAIN_CALL, or
   CANCELLATION_POINT for sem_wait. */
#define MSC_SEM_1_AS(zname, op, how)                                      \
   __attribute__((noinline)) static int zname##_worker ( sem_t* sem )     \
   {                                                                      \
      int ret;                                                            \
      OrigFn fn;                                                          \
      VALGRIND_GET_ORIG_FN(fn);                                           \
      SYNC_PRE(op, sem, 0);                                               \
      how(op, sem, 0, CALL_FN_W_W(ret, fn, sem));                         \
      SYNC_POST(op, sem, ret == 0 ? 0 : errno, 0);                        \
      return ret;                                                         \
   }                                                                      \
   MSC_WRAP(int, zname, ( sem_t* sem ), zname##_worker(sem))
#define MSC_SEM_1(zname, op) MSC_SEM_1_AS(zname, op, PLAIN_CALL)

/* Mutexes.  Only the default version exists: plain names. */
__attribute__((noinline))
static int mutex_init_worker ( pthread_mutex_t* m,
                               const pthread_mutexattr_t* attr )
{
   int ret, type = PTHREAD_MUTEX_DEFAULT;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   if (attr != NULL && pthread_mutexattr_gettype(attr, &type) != 0)
      type = PTHREAD_MUTEX_DEFAULT;
   SYNC_PRE(MSC_SYNC_MUTEX_INIT, m, 0);
   CALL_FN_W_WW(ret, fn, m, attr);
   SYNC_POST(MSC_SYNC_MUTEX_INIT, m, ret, type);
   return ret;
}
MSC_WRAP(int, pthreadZumutexZuinit,
         ( pthread_mutex_t* m, const pthread_mutexattr_t* attr ),
         mutex_init_worker(m, attr))
MSC_SYNC_1(pthreadZumutexZudestroy, pthread_mutex_t, MSC_SYNC_MUTEX_DESTROY)
MSC_SYNC_1(pthreadZumutexZulock, pthread_mutex_t, MSC_SYNC_MUTEX_LOCK)
MSC_SYNC_1(pthreadZumutexZuunlock, pthread_mutex_t, MSC_SYNC_MUTEX_UNLOCK)
/* These two also exist as GLIBC_2.34 defaults and 2.2.5 compatibility
   symbols: "name@*". */
MSC_SYNC_1(pthreadZumutexZutrylockZAZa, pthread_mutex_t,
           MSC_SYNC_MUTEX_TRYLOCK)
MSC_SYNC_2(pthreadZumutexZutimedlockZAZa, pthread_mutex_t,
           const struct timespec*, MSC_SYNC_MUTEX_TIMEDLOCK)
/* The clock variants (glibc 2.30) are the timed ones with a choice of
   clock: the same operation to the tool and in the log. */
MSC_SYNC_3(pthreadZumutexZuclocklockZAZa, pthread_mutex_t, clockid_t,
           const struct timespec*, MSC_SYNC_MUTEX_TIMEDLOCK)

/* Reader-writer locks, spinlocks, barriers, semaphores, once, join,
   detach: versioned (GLIBC_2.34 and 2.2.5). */
MSC_SYNC_2(pthreadZurwlockZuinitZAZa, pthread_rwlock_t,
           const pthread_rwlockattr_t*, MSC_SYNC_RWLOCK_INIT)
MSC_SYNC_1(pthreadZurwlockZudestroyZAZa, pthread_rwlock_t,
           MSC_SYNC_RWLOCK_DESTROY)
MSC_SYNC_1(pthreadZurwlockZurdlockZAZa, pthread_rwlock_t,
           MSC_SYNC_RWLOCK_RDLOCK)
MSC_SYNC_1(pthreadZurwlockZuwrlockZAZa, pthread_rwlock_t,
           MSC_SYNC_RWLOCK_WRLOCK)
MSC_SYNC_1(pthreadZurwlockZutryrdlockZAZa, pthread_rwlock_t,
           MSC_SYNC_RWLOCK_TRYRDLOCK)
MSC_SYNC_1(pthreadZurwlockZutrywrlockZAZa, pthread_rwlock_t,
           MSC_SYNC_RWLOCK_TRYWRLOCK)
MSC_SYNC_2(pthreadZurwlockZutimedrdlockZAZa, pthread_rwlock_t,
           const struct timespec*, MSC_SYNC_RWLOCK_TIMEDRDLOCK)
MSC_SYNC_2(pthreadZurwlockZutimedwrlockZAZa, pthread_rwlock_t,
           const struct timespec*, MSC_SYNC_RWLOCK_TIMEDWRLOCK)
MSC_SYNC_3(pthreadZurwlockZuclockrdlockZAZa, pthread_rwlock_t, clockid_t,
           const struct timespec*, MSC_SYNC_RWLOCK_TIMEDRDLOCK)
MSC_SYNC_3(pthreadZurwlockZuclockwrlockZAZa, pthread_rwlock_t, clockid_t,
           const struct timespec*, MSC_SYNC_RWLOCK_TIMEDWRLOCK)
MSC_SYNC_1(pthreadZurwlockZuunlockZAZa, pthread_rwlock_t,
           MSC_SYNC_RWLOCK_UNLOCK)

MSC_SYNC_2(pthreadZuspinZuinitZAZa, pthread_spinlock_t, int,
           MSC_SYNC_SPIN_INIT)
MSC_SYNC_1(pthreadZuspinZudestroyZAZa, pthread_spinlock_t,
           MSC_SYNC_SPIN_DESTROY)
MSC_SYNC_1(pthreadZuspinZulockZAZa, pthread_spinlock_t, MSC_SYNC_SPIN_LOCK)
MSC_SYNC_1(pthreadZuspinZutrylockZAZa, pthread_spinlock_t,
           MSC_SYNC_SPIN_TRYLOCK)
MSC_SYNC_1(pthreadZuspinZuunlockZAZa, pthread_spinlock_t,
           MSC_SYNC_SPIN_UNLOCK)

/* Condition variables: GLIBC_2.3.2 defaults and 2.2.5 compatibility
   symbols; the wait releases and reacquires its mutex. */
MSC_SYNC_2(pthreadZucondZuinitZAZa, pthread_cond_t,
           const pthread_condattr_t*, MSC_SYNC_COND_INIT)
MSC_SYNC_1(pthreadZucondZudestroyZAZa, pthread_cond_t,
           MSC_SYNC_COND_DESTROY)
MSC_SYNC_1(pthreadZucondZusignalZAZa, pthread_cond_t, MSC_SYNC_COND_SIGNAL)
MSC_SYNC_1(pthreadZucondZubroadcastZAZa, pthread_cond_t,
           MSC_SYNC_COND_BROADCAST)

__attribute__((noinline))
static int cond_wait_worker ( pthread_cond_t* c, pthread_mutex_t* m )
{
   CANCELLABLE_BODY(MSC_SYNC_COND_WAIT, c, m, m,
                    CALL_FN_W_WW(ret, fn, c, m), ret);
}
MSC_WRAP(int, pthreadZucondZuwaitZAZa,
         ( pthread_cond_t* c, pthread_mutex_t* m ), cond_wait_worker(c, m))

__attribute__((noinline))
static int cond_timedwait_worker ( pthread_cond_t* c, pthread_mutex_t* m,
                                   const struct timespec* abstime )
{
   CANCELLABLE_BODY(MSC_SYNC_COND_TIMEDWAIT, c, m, m,
                    CALL_FN_W_WWW(ret, fn, c, m, abstime), ret);
}
MSC_WRAP(int, pthreadZucondZutimedwaitZAZa,
         ( pthread_cond_t* c, pthread_mutex_t* m,
           const struct timespec* abstime ),
         cond_timedwait_worker(c, m, abstime))

__attribute__((noinline))
static int cond_clockwait_worker ( pthread_cond_t* c, pthread_mutex_t* m,
                                   clockid_t clock,
                                   const struct timespec* abstime )
{
   CANCELLABLE_BODY(MSC_SYNC_COND_TIMEDWAIT, c, m, m,
                    CALL_FN_W_WWWW(ret, fn, c, m, clock, abstime), ret);
}
MSC_WRAP(int, pthreadZucondZuclockwaitZAZa,
         ( pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
           const struct timespec* abstime ),
         cond_clockwait_worker(c, m, clock, abstime))

/* Semaphores. */
__attribute__((noinline))
static int sem_init_worker ( sem_t* sem, int pshared, unsigned value )
{
   int ret;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   SYNC_PRE(MSC_SYNC_SEM_INIT, sem, 0);
   CALL_FN_W_WWW(ret, fn, sem, pshared, value);
   SYNC_POST(MSC_SYNC_SEM_INIT, sem, ret == 0 ? 0 : errno, value);
   return ret;
}
MSC_WRAP(int, semZuinitZAZa, ( sem_t* sem, int pshared, unsigned value ),
         sem_init_worker(sem, pshared, value))
MSC_SEM_1(semZudestroyZAZa, MSC_SYNC_SEM_DESTROY)
MSC_SEM_1_AS(semZuwaitZAZa, MSC_SYNC_SEM_WAIT, CANCELLATION_POINT)
MSC_SEM_1(semZutrywaitZAZa, MSC_SYNC_SEM_TRYWAIT)
MSC_SEM_1(semZupostZAZa, MSC_SYNC_SEM_POST)

__attribute__((noinline))
static int sem_timedwait_worker ( sem_t* sem, const struct timespec* t )
{
   CANCELLABLE_BODY(MSC_SYNC_SEM_TIMEDWAIT, sem, 0, 0,
                    CALL_FN_W_WW(ret, fn, sem, t), ret == 0 ? 0 : errno);
}
MSC_WRAP(int, semZutimedwaitZAZa, ( sem_t* sem, const struct timespec* t ),
         sem_timedwait_worker(sem, t))

__attribute__((noinline))
static int sem_clockwait_worker ( sem_t* sem, clockid_t clock,
                                  const struct timespec* t )
{
   CANCELLABLE_BODY(MSC_SYNC_SEM_TIMEDWAIT, sem, 0, 0,
                    CALL_FN_W_WWW(ret, fn, sem, clock, t),
                    ret == 0 ? 0 : errno);
}
MSC_WRAP(int, semZuclockwaitZAZa,
         ( sem_t* sem, clockid_t clock, const struct timespec* t ),
         sem_clockwait_worker(sem, clock, t))

/* Barriers. */
__attribute__((noinline))
static int barrier_init_worker ( pthread_barrier_t* b,
                                 const pthread_barrierattr_t* attr,
                                 unsigned count )
{
   int ret;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   SYNC_PRE(MSC_SYNC_BARRIER_INIT, b, 0);
   CALL_FN_W_WWW(ret, fn, b, attr, count);
   SYNC_POST(MSC_SYNC_BARRIER_INIT, b, ret, count);
   return ret;
}
MSC_WRAP(int, pthreadZubarrierZuinitZAZa,
         ( pthread_barrier_t* b, const pthread_barrierattr_t* attr,
           unsigned count ),
         barrier_init_worker(b, attr, count))
MSC_SYNC_1(pthreadZubarrierZudestroyZAZa, pthread_barrier_t,
           MSC_SYNC_BARRIER_DESTROY)
/* pthread_barrier_wait returns PTHREAD_BARRIER_SERIAL_THREAD (-1) to one
   thread: a success, told to the tool as 0. */
__attribute__((noinline))
static int barrier_wait_worker ( pthread_barrier_t* b )
{
   int ret;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   SYNC_PRE(MSC_SYNC_BARRIER_WAIT, b, 0);
   CALL_FN_W_W(ret, fn, b);
   SYNC_POST(MSC_SYNC_BARRIER_WAIT, b,
             ret == PTHREAD_BARRIER_SERIAL_THREAD ? 0 : ret, 0);
   return ret;
}
MSC_WRAP(int, pthreadZubarrierZuwaitZAZa, ( pthread_barrier_t* b ),
         barrier_wait_worker(b))

/* Once, join, detach, exit. */
/* pthread_once: the init routine runs inside the original, and the
   callers it lets through may return before the caller that ran it: the
   routine's end is told to the tool from a trampoline, in the thread that
   ran it and before the others are woken.  The trampoline takes no
   argument: the tool, told the routine at PRE, hands it back (no
   thread-local variables here: they would make the C library allocate
   for this library and change the program's heap totals). */
typedef void (*msc_once_routine)(void);

static void once_trampoline ( void )
{
   msc_once_routine fn = (msc_once_routine)VALGRIND_DO_CLIENT_REQUEST_EXPR(
      0, _VG_USERREQ__MSC_ONCE_RUN, 0, 0, 0, 0, 0);
   if (fn != 0)
      fn();
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_ONCE_DONE, 0, 0, 0, 0, 0);
}

__attribute__((noinline))
static int once_worker ( pthread_once_t* ctl, msc_once_routine fn )
{
   int ret;
   OrigFn orig;
   VALGRIND_GET_ORIG_FN(orig);
   SYNC_PRE(MSC_SYNC_ONCE, ctl, fn);
   /* The init routine may be cancelled: glibc then resets the control
      for the next caller, and the tool forgets this call's routine. */
   CANCELLATION_POINT(MSC_SYNC_ONCE, ctl, 0,
                      CALL_FN_W_WW(ret, orig, ctl, once_trampoline));
   SYNC_POST(MSC_SYNC_ONCE, ctl, ret, 0);
   return ret;
}
MSC_WRAP(int, pthreadZuonceZAZa, ( pthread_once_t* ctl, msc_once_routine fn ),
         once_worker(ctl, fn))

__attribute__((noinline))
static int join_worker ( pthread_t thread, void** value )
{
   /* Cancelled, the join did not happen: the thread stays joinable. */
   CANCELLABLE_BODY(MSC_SYNC_JOIN, thread, thread, 0,
                    CALL_FN_W_WW(ret, fn, thread, value), ret);
}
MSC_WRAP(int, pthreadZujoinZAZa, ( pthread_t thread, void** value ),
         join_worker(thread, value))

/* The GNU joins that may not join: busy (tryjoin) or out of time
   (timedjoin, clockjoin) they return EBUSY or ETIMEDOUT, and the thread
   stays joinable: the tool orders nothing then. */
__attribute__((noinline))
static int tryjoin_worker ( pthread_t thread, void** value )
{
   int ret;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   SYNC_PRE(MSC_SYNC_JOIN, thread, thread);
   CALL_FN_W_WW(ret, fn, thread, value);
   SYNC_POST(MSC_SYNC_JOIN, thread, ret, 0);
   return ret;
}
MSC_WRAP(int, pthreadZutryjoinZunpZAZa, ( pthread_t thread, void** value ),
         tryjoin_worker(thread, value))

__attribute__((noinline))
static int timedjoin_worker ( pthread_t thread, void** value,
                              const struct timespec* abstime )
{
   CANCELLABLE_BODY(MSC_SYNC_JOIN, thread, thread, 0,
                    CALL_FN_W_WWW(ret, fn, thread, value, abstime), ret);
}
MSC_WRAP(int, pthreadZutimedjoinZunpZAZa,
         ( pthread_t thread, void** value, const struct timespec* abstime ),
         timedjoin_worker(thread, value, abstime))

__attribute__((noinline))
static int clockjoin_worker ( pthread_t thread, void** value, clockid_t clock,
                              const struct timespec* abstime )
{
   CANCELLABLE_BODY(MSC_SYNC_JOIN, thread, thread, 0,
                    CALL_FN_W_WWWW(ret, fn, thread, value, clock, abstime),
                    ret);
}
MSC_WRAP(int, pthreadZuclockjoinZunpZAZa,
         ( pthread_t thread, void** value, clockid_t clock,
           const struct timespec* abstime ),
         clockjoin_worker(thread, value, clock, abstime))

__attribute__((noinline))
static int detach_worker ( pthread_t thread )
{
   int ret;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   SYNC_PRE(MSC_SYNC_DETACH, thread, thread);
   CALL_FN_W_W(ret, fn, thread);
   SYNC_POST(MSC_SYNC_DETACH, thread, ret, 0);
   return ret;
}
MSC_WRAP(int, pthreadZudetachZAZa, ( pthread_t thread ),
         detach_worker(thread))

__attribute__((noinline, noreturn))
static void exit_worker ( void* value )
{
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   SYNC_PRE(MSC_SYNC_EXIT, 0, 0);
   CALL_FN_v_W(fn, value);
   __builtin_unreachable();
}
__attribute__((noreturn))
void I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, pthreadZuexit) ( void* value );
__attribute__((noreturn))
void I_WRAP_SONAME_FNNAME_ZZ(MSC_SONAME_LIBC, pthreadZuexit) ( void* value )
{
   exit_worker(value);
}
