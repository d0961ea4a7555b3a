/* msc_preload_reqs.h: the client requests that memscope's preload library
   (msc_intercepts.c, running on the simulated CPU) sends to the tool.
   Internal: not installed, not an ABI promise to programs; kept on a base
   of its own ('M','s') so it can never collide with the public requests in
   memscope.h ('M','S'). */

#ifndef MSC_PRELOAD_REQS_H
#define MSC_PRELOAD_REQS_H

#include "valgrind.h"
#include "msc_logfmt.h"   /* MscSyncOp: the preload sends these codes */

typedef enum {
   /* The calling thread's pthread_create returned.
      arg1: the new thread's pthread_t; arg2: pthread_create's result;
      arg3: 1 when its attributes made it detached. */
   _VG_USERREQ__MSC_THREAD_CREATED = VG_USERREQ_TOOL_BASE('M', 's'),
   /* pthread_setname_np succeeded.
      arg1: the target's pthread_t; arg2: 1 when the target is the caller;
      arg3: the name (NUL-terminated). */
   _VG_USERREQ__MSC_THREAD_NAMED,
   /* A wrapped synchronisation call begins.
      arg1: MscSyncOp; arg2: the object; arg3: a second object (the mutex
      of a condition wait, the thread of a join), else 0. */
   _VG_USERREQ__MSC_SYNC_PRE,
   /* The wrapped call returned.
      arg1: MscSyncOp; arg2: the object; arg3: its result (0 for success,
      else the error number); arg4: a value (the mutex type of an init,
      the count of a barrier, the value of a semaphore), else 0. */
   _VG_USERREQ__MSC_SYNC_POST,
   /* pthread_once's trampoline is running the init routine: returns
      the routine given at the SYNC_PRE of the innermost pending
      pthread_once of the calling thread (0 when none). */
   _VG_USERREQ__MSC_ONCE_RUN,
   /* The init routine returned, in the thread that ran it, before
      pthread_once lets the other callers through. */
   _VG_USERREQ__MSC_ONCE_DONE,
   /* The calling thread's pthread_create begins (it ends with
      _VG_USERREQ__MSC_THREAD_CREATED).  arg1: the start routine; arg2:
      its argument.  The new thread starts in the preload's thread body,
      which asks for them back. */
   _VG_USERREQ__MSC_THREAD_CREATING,
   /* In the new thread's body.  arg1 0: returns the start routine; 1:
      returns its argument, and the start routine runs from now. */
   _VG_USERREQ__MSC_THREAD_BODY,
   /* The start routine returned: the rest is the library's thread exit.
      No arguments. */
   _VG_USERREQ__MSC_THREAD_BODY_END,
   /* In the creator, after pthread_create succeeded: returns 1 once the
      new thread has begun its start routine (or ended), else 0. */
   _VG_USERREQ__MSC_CHILD_STARTED,
   /* At the preload's start-up, the C library's list of streams: arg1 the
      address of its head (glibc's _IO_list_all), arg2 and arg3 the
      offsets of a FILE's next-stream and lock pointers, arg4 that of its
      orientation (_mode, which printf sets before locking). */
   _VG_USERREQ__MSC_STDIO_LAYOUT,
   /* After flockfile, or an ftrylockfile that succeeded: arg1 the
      stream's lock (its FILE's lock pointer). */
   _VG_USERREQ__MSC_STREAM_LOCKED,
   /* After open_memstream or open_wmemstream, whose FILE glibc keeps out
      of its list: arg1 the FILE, arg2 its lock pointer. */
   _VG_USERREQ__MSC_STREAM_OPENED
} Vg_MscPreloadRequest;

#endif /* MSC_PRELOAD_REQS_H */
