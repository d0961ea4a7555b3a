/* msc_signals.c: signals as synchronisation.  See msc_signals.h.  Runs on
   the host.

   Keys: one per kernel thread id (a signal aimed at one thread) and one
   for the process (kill, sigqueue: any thread may take it), in a range
   of the key space no program address reaches (the top of the 64-bit
   space, above any user mapping).  A handler acquires both. */

#include "msc_signals.h"
#include "msc_syncev.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_vkiscnums.h"

#define SIGNAL_KEY_BASE   0xfff0000000000000ULL
#define PROCESS_KEY       (SIGNAL_KEY_BASE | 0xffffffffULL)

static Addr thread_key ( Int lwpid )
{
   return (Addr)(SIGNAL_KEY_BASE | (ULong)(UInt)lwpid);
}

void MSC_(signals_pre_syscall) ( ThreadId tid, UInt sysno, UWord* args )
{
   switch (sysno) {
   case __NR_kill:
   case __NR_rt_sigqueueinfo:         /* (pid, sig, ...) */
      if (args[1] != 0 && (Int)args[0] == VG_(getpid)())
         MSC_(syncev_release)(tid, PROCESS_KEY);
      break;
   case __NR_tkill:                    /* (tid, sig) */
      if (args[1] != 0)
         MSC_(syncev_release)(tid, thread_key((Int)args[0]));
      break;
   case __NR_tgkill:
   case __NR_rt_tgsigqueueinfo:       /* (tgid, tid, sig, ...) */
      if (args[2] != 0 && (Int)args[0] == VG_(getpid)())
         MSC_(syncev_release)(tid, thread_key((Int)args[1]));
      break;
   default:
      break;
   }
}

void MSC_(signals_delivered) ( ThreadId tid, Int sig, Bool alt_stack )
{
   /* The handler runs on the receiving thread's kernel task. */
   MSC_(syncev_acquire)(tid, thread_key(VG_(gettid)()));
   MSC_(syncev_acquire)(tid, PROCESS_KEY);
}
