/* msc_preload_reqs.h: the client requests that memscope's preload library
   (msc_intercepts.c, running on the simulated CPU) sends to the tool.
   Internal: not installed, not an ABI promise to programs; kept on a base
   of its own ('M','s') so it can never collide with the public requests in
   memscope.h ('M','S'). */

#ifndef MSC_PRELOAD_REQS_H
#define MSC_PRELOAD_REQS_H

#include "valgrind.h"

typedef enum {
   /* The calling thread's pthread_create returned.
      arg1: the new thread's pthread_t; arg2: pthread_create's result. */
   _VG_USERREQ__MSC_THREAD_CREATED = VG_USERREQ_TOOL_BASE('M', 's'),
   /* pthread_setname_np succeeded.
      arg1: the target's pthread_t; arg2: 1 when the target is the caller;
      arg3: the name (NUL-terminated). */
   _VG_USERREQ__MSC_THREAD_NAMED
} Vg_MscPreloadRequest;

#endif /* MSC_PRELOAD_REQS_H */
