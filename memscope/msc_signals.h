/* msc_signals.h: signals as synchronisation.  A signal one thread sends
   to a thread of this process, or to the process, happens before the
   handler that receives it runs (pthread_kill, raise, and pthread_cancel,
   whose SIGCANCEL handler unwinds the cancelled thread): the sender's
   past is ordered before the handler.  Runs on the host. */

#ifndef MSC_SIGNALS_H
#define MSC_SIGNALS_H

#include "msc_basics.h"

/* Every system call before it runs: kill, tkill, tgkill and the
   sigqueueinfo calls aimed at this process release into the target's
   key. */
void MSC_(signals_pre_syscall) ( ThreadId tid, UInt sysno, UWord* args );

/* A signal is about to be delivered to tid (a handler will run). */
void MSC_(signals_delivered) ( ThreadId tid, Int sig, Bool alt_stack );

#endif /* MSC_SIGNALS_H */
