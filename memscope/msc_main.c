/* msc_main.c: memscope's wiring: the tool's details, the core's needs and
   tracking callbacks, module initialisation, the instrumenter's loop and
   the shutdown order.  Logic lives in the modules.  Runs on the host. */

#include "msc_access.h"
#include "msc_atomics.h"
#include "msc_basics.h"
#include "msc_channels.h"
#include "msc_clientreq.h"
#include "msc_clock.h"
#include "msc_ending.h"
#include "msc_errors.h"
#include "msc_heap.h"
#include "msc_leaks.h"
#include "msc_lockorder.h"
#include "msc_locksets.h"
#include "msc_log.h"
#include "msc_names.h"
#include "msc_options.h"
#include "msc_race.h"
#include "msc_signals.h"
#include "msc_stacks.h"
#include "msc_summary.h"
#include "msc_sync.h"
#include "msc_stdio.h"
#include "msc_syncev.h"
#include "msc_threads.h"
#include "msc_warn.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"

/* A mapping that came with debug info (di_handle not 0), at start-up or
   from an mmap: a new object, whose data sections may hold the
   program's globals. */
static void msc_new_mem_mapped ( Addr a, SizeT len, Bool rr, Bool ww,
                                 Bool xx, ULong di_handle )
{
   if (di_handle != 0)
      MSC_(access_object_mapped)();
}

static void msc_post_clo_init ( void )
{
   MSC_(check_options)();
   MSC_(errors_add_default_suppressions)();
   MSC_(log_open)();
   MSC_(stacks_init)();
   MSC_(heap_init)();
   MSC_(names_init)();
   MSC_(locksets_init)();
   MSC_(sync_init)();
   MSC_(atomics_init)();
   MSC_(access_init)();
   MSC_(lockorder_init)();
   /* Heap blocks and named variables are followed by atomics, then access
      tracking: a freed block's ATOMIC, then ACCESS summaries come before
      its FREE record. */
   MSC_(objects_observe)(&MSC_(atomics_objects));
   MSC_(objects_observe)(&MSC_(access_objects));
   MSC_(objects_observe)(&MSC_(stdio_objects));
   /* Only with access tracking: the core then calls back at every stack
      pointer increase, which costs on every function return. */
   if (MSC_(clo_track_access)) {
      VG_(track_die_mem_stack)(MSC_(access_stack_died));
      VG_(track_pre_mem_read)(MSC_(access_syscall_read));
      VG_(track_post_mem_write)(MSC_(access_syscall_wrote));
   }
   VG_(track_new_mem_startup)(msc_new_mem_mapped);
   VG_(track_new_mem_mmap)(msc_new_mem_mapped);
   MSC_(threads_init)();
   MSC_(race_init)();
}

static IRSB* msc_instrument ( VgCallbackClosure* closure, IRSB* sbIn,
                              const VexGuestLayout* layout,
                              const VexGuestExtents* vge,
                              const VexArchInfo* archinfo_host,
                              IRType gWordTy, IRType hWordTy )
{
   IRSB* sbOut = deepCopyIRSBExceptStmts(sbIn);
   Int i = 0, pending_instrs = 0;
   MscAtomicsSB atomics;
   /* Statements before the first IMark (the preamble) are copied as is. */
   while (i < sbIn->stmts_used && sbIn->stmts[i]->tag != Ist_IMark)
      addStmtToIRSB(sbOut, sbIn->stmts[i++]);
   MSC_(atomics_sb_begin)(&atomics, sbIn);
   MSC_(access_sb_begin)(sbIn, layout->offset_SP);
   for (; i < sbIn->stmts_used; i++) {
      IRStmt* st = sbIn->stmts[i];
      if (st == NULL || st->tag == Ist_NoOp)
         continue;
      MSC_(clock_instrument_stmt)(sbOut, st, &pending_instrs);
      MSC_(access_instrument_stmt)(sbOut, sbIn, i);
      addStmtToIRSB(sbOut, st);
      MSC_(atomics_instrument_stmt)(&atomics, sbOut, st, hWordTy);
   }
   MSC_(clock_instrument_stmt)(sbOut, NULL, &pending_instrs);
   MSC_(atomics_sb_end)(&atomics);
   return sbOut;
}

/* A clone that Valgrind does not support (neither a thread, a fork nor a
   vfork: the core's own test) ends the run in the core, which calls no
   tool shutdown: the log says why and has everything up to here. */
static void flush_before_unsupported_clone ( ThreadId tid, UWord flags )
{
   switch (flags & (VKI_CLONE_VM | VKI_CLONE_FS | VKI_CLONE_FILES
                    | VKI_CLONE_VFORK)) {
   case VKI_CLONE_VM | VKI_CLONE_FS | VKI_CLONE_FILES:
   case VKI_CLONE_VFORK | VKI_CLONE_VM:
   case VKI_CLONE_VFORK:
   case 0:
      return;
   default:
      MSC_(warn)(tid, "clone() with flags %#lx, which Valgrind does not "
                 "support: Valgrind ends the run here, without the tool's "
                 "exit summary; the log holds everything up to this call",
                 flags);
      MSC_(log_flush)();
   }
}

/* A successful exec replaces the tool's image: what is buffered must be
   on disk before.  Any system call may block: a sleeping program's log
   still reaches the disk within --flush-ms. */
static void msc_pre_syscall ( ThreadId tid, UInt syscallno, UWord* args,
                              UInt nArgs )
{
   MSC_(log_tick)();
   MSC_(ending_pre_syscall)(tid, syscallno, args);
   MSC_(signals_pre_syscall)(tid, syscallno, args);
   MSC_(channels_pre_syscall)(tid, syscallno, args);
#if defined(__NR_execveat)
   if (syscallno == __NR_execveat)
      MSC_(log_flush)();
#endif
   if (syscallno == __NR_execve)
      MSC_(log_flush)();
   else if (syscallno == __NR_clone)
      flush_before_unsupported_clone(tid, args[0]);
}

static void msc_post_syscall ( ThreadId tid, UInt syscallno, UWord* args,
                               UInt nArgs, SysRes res )
{
   MSC_(channels_post_syscall)(tid, syscallno, args, res);
}

/* Called each time a thread resumes client code: after every system
   call, time slice and allocation call (the malloc replacement returns
   through the scheduler).  Checking the flush deadline costs a clock read,
   a system call: too dear per allocation, so only every 64th resume; a
   program that computes without events still passes here at each time
   slice, and one that sleeps at each system call (msc_pre_syscall). */
static void msc_start_client_code ( ThreadId tid, ULong bbs_done )
{
   static UInt resumes = 0;
   if ((++resumes & 63) == 0)
      MSC_(log_tick)();
   MSC_(access_thread_running)(tid);
   MSC_(leaks_thread_running)(tid);
   MSC_(threads_start_client_code)(tid, bbs_done);
}

/* A new thread: numbered first, then its history starts from its
   parent's. */
static void msc_thread_create ( ThreadId parent, ThreadId child )
{
   UWord start;
   MSC_(threads_ll_create)(parent, child);
   /* Made by the pthread_create wrapper, the thread runs the C library's
      start-up until its start routine begins (see msc_intercepts). */
   MSC_(syncev_primitive_reset)(child);
   if (MSC_(threads_start_routine)(child, 0, &start))
      MSC_(syncev_primitive_enter)(child);
   MSC_(syncev_thread_started)(parent, child);
}

/* Locks still held by an exiting thread get their hint before the
   thread's exit record; its stack's named variables end with it. */
static void msc_thread_exit ( ThreadId tid )
{
   UInt serial = MSC_(thread_serial)(tid);
   MSC_(sync_thread_exit)(tid);
   MSC_(access_thread_exited)(tid);
   if (MSC_(threads_ll_exit)(tid))
      MSC_(syncev_thread_gone)(serial);     /* detached: nobody joins it */
}

static void msc_atfork_pre ( ThreadId tid )
{
   MSC_(log_flush)();
}

/* The child's log starts with the state it inherits: its one thread and
   the live blocks, so that it accounts for everything the child frees. */
static void msc_atfork_child ( ThreadId tid )
{
   MSC_(log_reopen_in_child)();
   if (!MSC_(log_is_open)())
      return;
   MSC_(threads_restart_in_child)(tid);
   MSC_(heap_restart_in_child)();
}

static void msc_fini ( Int exitcode )
{
   MscLeakTotals leaks;
   ThreadId tid = VG_(get_running_tid)();
   MSC_(ending_decide)(tid);
   /* After the exit-time frees the core ran (__libc_freeres), as
      Memcheck's leak check. */
   if (MSC_(clo_heap_scan))
      MSC_(leaks_scan)(tid != VG_INVALID_THREADID ? tid : 1, MSC_SCAN_EXIT,
                       &leaks);
   MSC_(atomics_fini)();
   MSC_(access_fini)();
   MSC_(warn_log_fini)();
   MSC_(summary_write_end)();
   MSC_(log_flush)();
   VG_(umsg)("\n");
   MSC_(summary_print)(MSC_(clo_heap_scan) ? &leaks : NULL, True,
                       VG_(umsg));
   MSC_(log_close)();
   MSC_(warn_fini)();
}

static void msc_pre_clo_init ( void )
{
   VG_(details_name)            ("memscope");
   VG_(details_version)         (MSC_VERSION);
   VG_(details_description)     ("a memory and thread analyser");
   VG_(details_copyright_author)("Copyright (C) 2026, the memscope authors.");
   VG_(details_bug_reports_to)  ("the memscope issue tracker");
   VG_(details_avg_translation_sizeB)(275);

   VG_(basic_tool_funcs)        (msc_post_clo_init, msc_instrument, msc_fini);
   VG_(needs_command_line_options)(MSC_(process_cmd_line_option),
                                   MSC_(print_usage),
                                   MSC_(print_debug_usage));
   VG_(needs_client_requests)   (MSC_(handle_client_request));
   VG_(needs_syscall_wrapper)   (msc_pre_syscall, msc_post_syscall);
   MSC_(heap_register_replacement)();
   MSC_(errors_register)();
   /* Have the core run glibc's and libstdc++'s exit-time frees, as
      Memcheck and DHAT do, so that the totals agree with theirs. */
   VG_(needs_libc_freeres)();
   VG_(needs_cxx_freeres)();

   VG_(track_pre_thread_ll_create)(msc_thread_create);
   VG_(track_pre_thread_ll_exit)  (msc_thread_exit);
   VG_(track_start_client_code)   (msc_start_client_code);
   VG_(track_pre_deliver_signal)  (MSC_(signals_delivered));
   VG_(atfork)(msc_atfork_pre, NULL, msc_atfork_child);
}

VG_DETERMINE_INTERFACE_VERSION(msc_pre_clo_init)
