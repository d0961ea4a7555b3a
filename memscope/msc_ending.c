/* msc_ending.c: how the process ended.  See msc_ending.h.  Runs on the
   host.

   An exit is seen in the exit and exit_group system calls.  A fatal
   signal is not told to tools: the core prints "Process terminating with
   default action of signal N", stores N in the thread's state and runs
   the tool's shutdown before it kills itself with N.  So, at the first
   system call, this module finds where the core keeps that thread state's
   OS part (lwpid, thread group, ..., exit code, fatal signal: the layout
   of the core's ThreadOSstate on Linux) by the values it must hold then,
   and reads the signal there at shutdown.  Where the layout is not found
   exactly once, the signal's number is given as unknown (0): that the
   process died of a signal is still known, because no exit call was
   seen. */

#include "msc_ending.h"
#include "msc_stacks.h"
#include "msc_threads.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_execontext.h"
#include "pub_tool_machine.h"
#include "pub_tool_options.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_vkiscnums.h"

/* Exported by the statically linked core, not declared in the tool API:
   the core's record of one thread (its layout is the core's). */
extern void* VG_(get_ThreadState) ( ThreadId tid );

/* Offsets inside the OS part of the core's thread state, from its lwpid:
   Int lwpid, Int threadgroup, ThreadId parent, Addr valgrind_stack_base,
   Addr valgrind_stack_init_SP, UWord stk_id, Word exitcode, Int fatalsig. */
#define OS_THREADGROUP   4
#define OS_STACK_BASE   16
#define OS_EXITCODE     40
#define OS_FATALSIG     48

/* --num-callers allows up to 500 frames. */
#define MSC_ENDING_MAX_FRAMES 500

static Bool  s_probed = False;
static Long  s_fatalsig_at = -1;      /* offset in a ThreadState, or -1 */

static Bool  s_exit_group_seen = False;
static Bool  s_exit_seen = False;
static UInt  s_exit_status = 0;
static UInt  s_exit_thread = 0;

static MscEndingInfo s_ending = { MSC_ENDING_UNKNOWN, 0, 0, 0, 0 };

static void probe_layout ( ThreadId tid )
{
   const UChar* ts = VG_(get_ThreadState)(tid);
   const UChar* next;
   Long size, o, found = -1;
   Int lwpid = VG_(gettid)(), pid = VG_(getpid)();
   UInt matches = 0;
   s_probed = True;
   /* The core keeps its threads' states in one array: the distance
      between two neighbours is the size of one. */
   if (VG_N_THREADS < 2)
      return;
   next = tid + 1 < VG_N_THREADS ? VG_(get_ThreadState)(tid + 1)
                                 : VG_(get_ThreadState)(tid - 1);
   size = next > ts ? next - ts : ts - next;
   if (*(const UInt*)ts != tid)
      return;
   for (o = 8; o + OS_FATALSIG + 4 <= size; o += 8) {
      if (*(const Int*)(ts + o) == lwpid
          && *(const Int*)(ts + o + OS_THREADGROUP) == pid
          && *(const Addr*)(ts + o + OS_STACK_BASE) != 0
          && *(const Word*)(ts + o + OS_EXITCODE) == 0
          && *(const Int*)(ts + o + OS_FATALSIG) == 0) {
         found = o;
         matches++;
      }
   }
   if (matches == 1)
      s_fatalsig_at = found + OS_FATALSIG;
}

void MSC_(ending_pre_syscall) ( ThreadId tid, UInt sysno, UWord* args )
{
   if (!s_probed)
      probe_layout(tid);
   if (sysno == __NR_exit_group) {
      s_exit_group_seen = True;
      s_exit_status = (UInt)(args[0] & 0xff);
      s_exit_thread = MSC_(thread_serial)(tid);
   } else if (sysno == __NR_exit && !s_exit_group_seen) {
      /* The process's status only when this was its last thread: a
         later exit_group, or a later thread's exit, overrides it. */
      s_exit_seen = True;
      s_exit_status = (UInt)(args[0] & 0xff);
      s_exit_thread = MSC_(thread_serial)(tid);
   }
}

void MSC_(ending_decide) ( ThreadId tid )
{
   Int sig = 0;
   if (tid != VG_INVALID_THREADID && s_fatalsig_at >= 0)
      sig = *(const Int*)((const UChar*)VG_(get_ThreadState)(tid)
                          + s_fatalsig_at);
   if (sig > 0 && sig < 128) {
      s_ending.how = MSC_ENDING_SIGNAL;
      s_ending.code = (UInt)sig;
   } else if (s_exit_group_seen || s_exit_seen) {
      s_ending.how = MSC_ENDING_EXIT;
      s_ending.code = s_exit_status;
      s_ending.thread = s_exit_thread;
      return;
   } else {
      /* The shutdown ran, yet no exit was asked for: a fatal signal,
         whose number the core's state did not give. */
      s_ending.how = MSC_ENDING_SIGNAL;
      s_ending.code = 0;
   }
   if (tid != VG_INVALID_THREADID) {
      /* The thread's registers are where the signal struck: the core
         runs no client code after a fatal signal.  It has already marked
         the thread's slot empty, which VG_(record_ExeContext) refuses:
         the stack is unwound from the registers directly. */
      Addr ips[MSC_ENDING_MAX_FRAMES];
      UInt n = VG_(get_StackTrace)(tid, ips,
                                   VG_(clo_backtrace_size)
                                      < MSC_ENDING_MAX_FRAMES
                                   ? VG_(clo_backtrace_size)
                                   : MSC_ENDING_MAX_FRAMES,
                                   NULL, NULL, 0);
      s_ending.thread = MSC_(thread_serial)(tid);
      if (n > 0) {
         s_ending.stack = MSC_(stack_id)(
            VG_(make_ExeContext_from_StackTrace)(ips, n));
         s_ending.ip = ips[0];
      }
   }
}

const MscEndingInfo* MSC_(ending) ( void )
{
   return &s_ending;
}

const HChar* MSC_(signal_name) ( UInt sig )
{
   static const HChar* const names[] = {
      NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
      "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
      "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
      "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
      "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
      "SIGSYS"
   };
   return sig < sizeof names / sizeof names[0] ? names[sig] : NULL;
}
