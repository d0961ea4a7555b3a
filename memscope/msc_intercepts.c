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

#include <pthread.h>
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

__attribute__((noinline))
static int create_worker ( pthread_t* thread, const pthread_attr_t* attr,
                           void* (*start)(void*), void* arg )
{
   int ret;
   OrigFn fn;
   VALGRIND_GET_ORIG_FN(fn);
   CALL_FN_W_WWWW(ret, fn, thread, attr, start, arg);
   VALGRIND_DO_CLIENT_REQUEST_STMT(_VG_USERREQ__MSC_THREAD_CREATED,
                                   ret == 0 ? *thread : 0, ret, 0, 0, 0);
   return ret;
}

MSC_WRAP(int, pthreadZucreateZAZa,
         ( pthread_t* thread, const pthread_attr_t* attr,
           void* (*start)(void*), void* arg ),
         create_worker(thread, attr, start, arg))

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
