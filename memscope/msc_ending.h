/* msc_ending.h: how the process ended: the exit status it asked for, or
   the signal whose default action killed it, with the thread it struck
   and where.  Owns what the exit system calls said and the reading of the
   core's fatal-signal state at shutdown.  Runs on the host. */

#ifndef MSC_ENDING_H
#define MSC_ENDING_H

#include "msc_basics.h"
#include "msc_logfmt.h"

typedef struct {
   MscEnding how;
   UInt code;     /* the exit status, or the signal (0: not learnt) */
   UInt thread;   /* memscope's thread number; 0 when not known */
   UInt stack;    /* for a signal, the log's id of the stack it struck */
   Addr ip;       /* for a signal, the instruction it struck; else 0 */
} MscEndingInfo;

/* Every system call, before it runs: exit and exit_group give the status. */
void MSC_(ending_pre_syscall) ( ThreadId tid, UInt sysno, UWord* args );

/* At shutdown, in the thread that runs it (after a fatal signal, the one
   it struck): decides how the process ended.  Writes the stack's records
   into the log, so it is called before the END record begins. */
void MSC_(ending_decide) ( ThreadId tid );

/* What ending_decide found (MSC_ENDING_UNKNOWN before). */
const MscEndingInfo* MSC_(ending) ( void );

/* "SIGSEGV" and the like for Linux's signal numbers; NULL for others. */
const HChar* MSC_(signal_name) ( UInt sig );

#endif /* MSC_ENDING_H */
