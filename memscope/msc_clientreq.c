/* msc_clientreq.c: the client-request dispatcher.  Runs on the host.
   See msc_clientreq.h. */

#include "msc_clientreq.h"
#include "memscope.h"
/* The annotations of programs written for Helgrind or DRD are honoured:
   their request codes are matched by the names these headers give them
   (drd.h is written to be included after helgrind.h). */
#include "helgrind.h"
#include "drd.h"
#include "msc_access.h"
#include "msc_heap.h"
#include "msc_leaks.h"
#include "msc_names.h"
#include "msc_preload_reqs.h"
#include "msc_summary.h"
#include "msc_sync.h"
#include "msc_stdio.h"
#include "msc_syncev.h"
#include "msc_threads.h"
#include "msc_warn.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_gdbserver.h"
#include "pub_tool_vki.h"

/* Longest name or type kept, in bytes (memscope.h promises 1023). */
#define MSC_NAME_MAX 1023
/* Larger objects are refused as absurd: no user address space on a
   supported platform is larger. */
#define MSC_OBJECT_MAX_SZB (1ULL << 48)

typedef enum {
   STR_OK,          /* copied whole */
   STR_NULL,        /* the pointer was NULL */
   STR_UNREADABLE   /* unmapped before its NUL: dangling or unterminated */
} StrStatus;

/* Copies the NUL-terminated client string at `a` into `out` (at most
   MSC_NAME_MAX bytes, longer ones are cut), reading only memory that is
   mapped readable for the client. */
static StrStatus copy_client_string ( Addr a, HChar out[MSC_NAME_MAX + 1] )
{
   SizeT i;
   Addr checked_up_to = a;     /* [a, checked_up_to) is readable */
   if (a == 0)
      return STR_NULL;
   for (i = 0; i < MSC_NAME_MAX; i++) {
      if (a + i >= checked_up_to) {
         Addr page_end = VG_PGROUNDDN(a + i) + VKI_PAGE_SIZE;
         if (!VG_(am_is_valid_for_client)(a + i, page_end - (a + i),
                                          VKI_PROT_READ))
            return STR_UNREADABLE;
         checked_up_to = page_end;
      }
      out[i] = *(const HChar*)(a + i);
      if (out[i] == 0)
         return STR_OK;
   }
   out[MSC_NAME_MAX] = 0;
   return STR_OK;
}

static const HChar* str_problem ( StrStatus st )
{
   return st == STR_NULL ? "is NULL" : "points to unreadable memory "
                                       "(dangling or unterminated)";
}

static UWord handle_name_object ( ThreadId tid, const UWord* args )
{
   static HChar name[MSC_NAME_MAX + 1], type[MSC_NAME_MAX + 1];
   HChar shown[64];
   Addr  addr = args[1], pointee;
   SizeT size = args[2];
   UWord flags = args[5];
   StrStatus st;

   st = copy_client_string(args[3], name);
   if (st != STR_OK) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request for %#lx: the name %s; "
                 "request ignored", addr, str_problem(st));
      return 0;
   }
   MSC_(printable)(name, shown, sizeof shown);
   if (addr == 0) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s': address is NULL; "
                 "request ignored", shown);
      return 0;
   }
   if ((ULong)size > MSC_OBJECT_MAX_SZB || addr + size < addr) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s' at %#lx: absurd size "
                 "%lu; request ignored", shown, addr, size);
      return 0;
   }
   if (flags & ~(UWord)MEMSCOPE_FLAG_VARIABLE) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s': unknown flags %#lx; "
                 "request ignored", shown, flags);
      return 0;
   }
   st = copy_client_string(args[4], type);
   if (st == STR_NULL) {
      type[0] = 0;
   } else if (st != STR_OK) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s': the type name %s; "
                 "request ignored", shown, str_problem(st));
      return 0;
   }
   MSC_(names_name_object)(tid, addr, size, name, type,
                           (flags & MEMSCOPE_FLAG_VARIABLE) != 0, &pointee);
   return 1;
}

static UWord handle_untrack ( ThreadId tid, const UWord* args )
{
   if (MSC_(names_untrack)(tid, args[1]))
      return 1;
   MSC_(warn)(tid, "MEMSCOPE_UNTRACK(%#lx): nothing is named at this "
              "address; request ignored", args[1]);
   return 0;
}

static void handle_thread_named ( ThreadId tid, const UWord* args )
{
   static HChar name[MSC_NAME_MAX + 1];
   StrStatus st = copy_client_string(args[3], name);
   if (st != STR_OK)
      return;   /* pthread_setname_np itself refused it already */
   if (!MSC_(threads_named)(tid, args[1], args[2] != 0, name)) {
      HChar shown[64];
      MSC_(warn)(tid, "pthread_setname_np(%#lx, \"%s\"): not a thread "
                 "memscope saw created; name not recorded", args[1],
                 MSC_(printable)(name, shown, sizeof shown));
   }
}

/* ---- gdbserver monitor commands ------------------------------------------- */

/* `monitor <command>` from gdb or vgdb: 1 when it is memscope's. */
static UWord handle_monitor_command ( ThreadId tid, const HChar* command )
{
   HChar buf[1100];
   HChar* word;
   HChar* file;
   HChar* save = NULL;
   MscLeakTotals totals;
   VG_(strncpy)(buf, command != NULL ? command : "", sizeof buf - 1);
   buf[sizeof buf - 1] = 0;
   word = VG_(strtok_r)(buf, " ", &save);
   switch (VG_(keyword_id)("help snapshot stats", word, kwd_report_all)) {
   case 0:
      VG_(gdb_printf)(
         "memscope monitor commands:\n"
         "  snapshot [<file>]  scan the heap now: pointer graph and leak\n"
         "                     classes into the log, the leak summary here;\n"
         "                     with <file>, into a new log of the current\n"
         "                     state there instead (for memscope-report)\n"
         "  stats              the current totals\n");
      return 1;
   case 1:
      file = VG_(strtok_r)(NULL, " ", &save);
      if (file != NULL) {
         MSC_(summary_snapshot_file)(tid, file, VG_(gdb_printf));
         return 1;
      }
      MSC_(leaks_scan)(tid, MSC_SCAN_MONITOR, &totals);
      MSC_(leaks_print)(&totals, VG_(gdb_printf));
      return 1;
   case 2:
      MSC_(summary_print)(NULL, False, VG_(gdb_printf));
      return 1;
   default:
      return 0;
   }
}

/* ---- ordering annotations ------------------------------------------------ */

/* A range given by an annotation: False (with a warning) when empty or
   wrapping around the address space. */
static Bool good_range ( ThreadId tid, const HChar* what, Addr a, SizeT len )
{
   if (len > 0 && a + len > a && (ULong)len <= MSC_OBJECT_MAX_SZB)
      return True;
   MSC_(warn)(tid, "%s(%#lx, %lu): empty or absurd range; request ignored",
              what, a, len);
   return False;
}

/* Helgrind's and DRD's annotations that carry their name as a string
   (ANNOTATE_IGNORE_*, DRD's ANNOTATE_BARRIER_*): those memscope can
   honour; the rest are ignored silently, as the headers allow. */
static void handle_named_annotation ( ThreadId tid, Addr name_a,
                                      const UWord* args )
{
   static HChar name[MSC_NAME_MAX + 1];
   if (copy_client_string(name_a, name) != STR_OK)
      return;
   if (VG_(strcmp)(name, "ANNOTATE_IGNORE_READS_BEGIN") == 0)
      MSC_(syncev_ignore)(tid, True, True);
   else if (VG_(strcmp)(name, "ANNOTATE_IGNORE_READS_END") == 0)
      MSC_(syncev_ignore)(tid, True, False);
   else if (VG_(strcmp)(name, "ANNOTATE_IGNORE_WRITES_BEGIN") == 0)
      MSC_(syncev_ignore)(tid, False, True);
   else if (VG_(strcmp)(name, "ANNOTATE_IGNORE_WRITES_END") == 0)
      MSC_(syncev_ignore)(tid, False, False);
   else if (VG_(strcmp)(name, "ANNOTATE_BARRIER_INIT") == 0)
      MSC_(sync_annotated)(tid, MSC_SYNC_BARRIER_INIT, args[2], args[3]);
   else if (VG_(strcmp)(name, "ANNOTATE_BARRIER_DESTROY") == 0)
      MSC_(sync_annotated)(tid, MSC_SYNC_BARRIER_DESTROY, args[2], 0);
   else if (VG_(strcmp)(name, "ANNOTATE_BARRIER_WAIT_BEFORE") == 0)
      MSC_(syncev_release)(tid, args[2]);
   else if (VG_(strcmp)(name, "ANNOTATE_BARRIER_WAIT_AFTER") == 0)
      MSC_(syncev_acquire)(tid, args[2]);
}

/* drd.h gives some of its requests Helgrind's codes, so that one
   annotated program runs under both: one case label serves both names. */
STATIC_ASSERT((UWord)VG_USERREQ__DRD_ANNOTATE_HAPPENS_BEFORE
              == (UWord)_VG_USERREQ__HG_USERSO_SEND_PRE);
STATIC_ASSERT((UWord)VG_USERREQ__DRD_ANNOTATE_HAPPENS_AFTER
              == (UWord)_VG_USERREQ__HG_USERSO_RECV_POST);
STATIC_ASSERT((UWord)VG_USERREQ__DRD_ANNOTATE_RWLOCK_CREATE
              == (UWord)_VG_USERREQ__HG_PTHREAD_RWLOCK_INIT_POST);
STATIC_ASSERT((UWord)VG_USERREQ__DRD_ANNOTATE_RWLOCK_DESTROY
              == (UWord)_VG_USERREQ__HG_PTHREAD_RWLOCK_DESTROY_PRE);
STATIC_ASSERT((UWord)VG_USERREQ__DRD_ANNOTATE_RWLOCK_ACQUIRED
              == (UWord)_VG_USERREQ__HG_PTHREAD_RWLOCK_ACQUIRED);
STATIC_ASSERT((UWord)VG_USERREQ__DRD_ANNOTATE_RWLOCK_RELEASED
              == (UWord)_VG_USERREQ__HG_PTHREAD_RWLOCK_RELEASED);
STATIC_ASSERT((UWord)VG_USERREQ__HELGRIND_ANNOTATION_UNIMP
              == (UWord)_VG_USERREQ__HG_CLIENTREQ_UNIMP);
STATIC_ASSERT((UWord)VG_USERREQ__DRD_CLEAN_MEMORY
              == (UWord)VG_USERREQ__HG_CLEAN_MEMORY);

/* Helgrind's and DRD's requests (helgrind.h, drd.h).  False when args[0]
   is none of them. */
static Bool handle_foreign_annotation ( ThreadId tid, const UWord* args )
{
   switch (args[0]) {
   case _VG_USERREQ__HG_USERSO_SEND_PRE:
      MSC_(syncev_release)(tid, args[1]);
      return True;
   case _VG_USERREQ__HG_USERSO_RECV_POST:
      MSC_(syncev_acquire)(tid, args[1]);
      return True;
   case _VG_USERREQ__HG_USERSO_FORGET_ALL:
      MSC_(syncev_forget)(args[1]);
      return True;
   case _VG_USERREQ__HG_ARANGE_MAKE_UNTRACKED:
   case VG_USERREQ__DRD_START_SUPPRESSION:
      if (good_range(tid, "ANNOTATE_BENIGN_RACE_SIZED", args[1], args[2]))
         MSC_(syncev_benign)(args[1], args[2], True);
      return True;
   case _VG_USERREQ__HG_ARANGE_MAKE_TRACKED:
   case VG_USERREQ__DRD_FINISH_SUPPRESSION:
      if (good_range(tid, "stop ignoring", args[1], args[2]))
         MSC_(syncev_benign)(args[1], args[2], False);
      return True;
   case VG_USERREQ__HG_CLEAN_MEMORY:           /* also DRD's CLEAN_MEMORY */
      if (good_range(tid, "ANNOTATE_NEW_MEMORY", args[1], args[2]))
         MSC_(access_clean)(args[1], args[2]);
      return True;
   case VG_USERREQ__DRD_RECORD_LOADS:
      MSC_(syncev_ignore)(tid, True, args[1] == 0);
      return True;
   case VG_USERREQ__DRD_RECORD_STORES:
      MSC_(syncev_ignore)(tid, False, args[1] == 0);
      return True;
   /* Home-made reader-writer locks. */
   case _VG_USERREQ__HG_PTHREAD_RWLOCK_INIT_POST:
      MSC_(sync_annotated)(tid, MSC_SYNC_RWLOCK_INIT, args[1], 0);
      return True;
   case _VG_USERREQ__HG_PTHREAD_RWLOCK_DESTROY_PRE:
      MSC_(sync_annotated)(tid, MSC_SYNC_RWLOCK_DESTROY, args[1], 0);
      return True;
   case _VG_USERREQ__HG_PTHREAD_RWLOCK_ACQUIRED:
      MSC_(sync_annotated)(tid, args[2] ? MSC_SYNC_RWLOCK_WRLOCK
                                  : MSC_SYNC_RWLOCK_RDLOCK, args[1], 0);
      return True;
   case _VG_USERREQ__HG_PTHREAD_RWLOCK_RELEASED:
      MSC_(sync_annotated)(tid, MSC_SYNC_RWLOCK_UNLOCK, args[1], 0);
      return True;
   /* Home-made mutexes (VALGRIND_HG_MUTEX_*). */
   case _VG_USERREQ__HG_PTHREAD_MUTEX_INIT_POST:
      MSC_(sync_annotated)(tid, MSC_SYNC_MUTEX_INIT, args[1], 0);
      return True;
   case _VG_USERREQ__HG_PTHREAD_MUTEX_ACQUIRE_POST:
      MSC_(sync_annotated)(tid, MSC_SYNC_MUTEX_LOCK, args[1], 0);
      return True;
   case _VG_USERREQ__HG_PTHREAD_MUTEX_UNLOCK_PRE:
      MSC_(sync_annotated)(tid, MSC_SYNC_MUTEX_UNLOCK, args[1], 0);
      return True;
   case _VG_USERREQ__HG_PTHREAD_MUTEX_DESTROY_PRE:
      MSC_(sync_annotated)(tid, MSC_SYNC_MUTEX_DESTROY, args[1], 0);
      return True;
   case _VG_USERREQ__HG_PTHREAD_MUTEX_ACQUIRE_PRE:
   case _VG_USERREQ__HG_PTHREAD_MUTEX_UNLOCK_POST:
   case VG_USERREQ__DRD_ANNOTATE_SEM_WAIT_PRE:
      return True;                 /* the other half does the work */
   /* Home-made semaphores. */
   case _VG_USERREQ__HG_POSIX_SEM_INIT_POST:
   case VG_USERREQ__DRD_ANNOTATE_SEM_INIT_PRE:
      MSC_(sync_annotated)(tid, MSC_SYNC_SEM_INIT, args[1], args[2]);
      return True;
   case _VG_USERREQ__HG_POSIX_SEM_DESTROY_PRE:
   case VG_USERREQ__DRD_ANNOTATE_SEM_DESTROY_POST:
      MSC_(sync_annotated)(tid, MSC_SYNC_SEM_DESTROY, args[1], 0);
      return True;
   case _VG_USERREQ__HG_POSIX_SEM_ACQUIRED:
   case VG_USERREQ__DRD_ANNOTATE_SEM_WAIT_POST:
      MSC_(sync_annotated)(tid, MSC_SYNC_SEM_WAIT, args[1], 0);
      return True;
   case _VG_USERREQ__HG_POSIX_SEM_RELEASED:
   case VG_USERREQ__DRD_ANNOTATE_SEM_POST_PRE:
      MSC_(sync_annotated)(tid, MSC_SYNC_SEM_POST, args[1], 0);
      return True;
   case _VG_USERREQ__HG_CLIENTREQ_UNIMP:
   case VG_USERREQ__DRD_ANNOTATION_UNIMP:
      handle_named_annotation(tid, args[1], args);
      return True;
   default:
      return False;
   }
}

Bool MSC_(handle_client_request) ( ThreadId tid, UWord* args, UWord* ret )
{
   /* The one place the core lets a tool discard translations. */
   MSC_(access_between_blocks)();
   if (handle_foreign_annotation(tid, args)) {
      *ret = 0;
      return True;
   }
   switch (args[0]) {
   case VG_USERREQ__MEMSCOPE_SNAPSHOT:
      MSC_(leaks_scan)(tid, MSC_SCAN_REQUEST, NULL);
      *ret = 1;
      return True;
   case VG_USERREQ__GDB_MONITOR_COMMAND:
      *ret = handle_monitor_command(tid, (const HChar*)args[1]);
      return *ret != 0;
   case VG_USERREQ__MEMSCOPE_HAPPENS_BEFORE:
      MSC_(syncev_release)(tid, args[1]);
      *ret = 1;
      return True;
   case VG_USERREQ__MEMSCOPE_HAPPENS_AFTER:
      MSC_(syncev_acquire)(tid, args[1]);
      *ret = 1;
      return True;
   case VG_USERREQ__MEMSCOPE_BENIGN_RACE:
      *ret = good_range(tid, "MEMSCOPE_BENIGN_RACE", args[1], args[2]);
      if (*ret)
         MSC_(syncev_benign)(args[1], args[2], True);
      return True;
   case _VG_USERREQ__MSC_ONCE_RUN:
      *ret = MSC_(sync_once_run)(tid);
      return True;
   case _VG_USERREQ__MSC_ONCE_DONE:
      MSC_(sync_once_done)(tid);
      *ret = 0;
      return True;
   case VG_USERREQ__MEMSCOPE_NAME_OBJECT:
      *ret = handle_name_object(tid, args);
      return True;
   case VG_USERREQ__MEMSCOPE_UNTRACK:
      *ret = handle_untrack(tid, args);
      return True;
   case _VG_USERREQ__MSC_THREAD_CREATING:
      MSC_(threads_creating)(tid, args[1], args[2]);
      /* &local as the argument: the new thread will see the frame. */
      MSC_(access_stack_escapes)(tid, args[2]);
      MSC_(syncev_primitive_enter)(tid);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_THREAD_BODY:
      /* The start routine's argument is asked for last: the program's
         code runs from then on, outside the library's start-up. */
      *ret = 0;
      if (MSC_(threads_start_routine)(tid, args[1] != 0, ret)
          && args[1] != 0) {
         MSC_(threads_body_begun)(tid);
         MSC_(syncev_primitive_leave)(tid);
      }
      return True;
   case _VG_USERREQ__MSC_CHILD_STARTED:
      *ret = MSC_(threads_child_started)(tid);
      return True;
   case _VG_USERREQ__MSC_THREAD_BODY_END:
      MSC_(syncev_primitive_enter)(tid);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_THREAD_CREATED:
      MSC_(threads_creating_done)(tid);
      MSC_(syncev_primitive_leave)(tid);
      if (args[2] == 0) {
         UInt ended = MSC_(threads_created)(tid, args[1], args[3] != 0);
         if (ended != 0)
            MSC_(syncev_thread_gone)(ended);
      }
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_STDIO_LAYOUT:
      MSC_(stdio_layout)(args[1], args[2], args[3], args[4]);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_STREAM_OPENED:
      MSC_(stdio_stream_opened)(args[1], args[2]);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_STREAM_LOCKED:
      MSC_(stdio_stream_locked)(tid, args[1]);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_THREAD_NAMED:
      handle_thread_named(tid, args);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_SYNC_PRE:
      MSC_(sync_pre)(tid, args[1], args[2], args[3]);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_SYNC_POST:
      MSC_(sync_post)(tid, args[1], args[2], args[3], args[4]);
      *ret = 0;
      return True;
   /* valgrind.h's requests for programs with their own allocators. */
   case VG_USERREQ__MALLOCLIKE_BLOCK:
      MSC_(heap_custom_alloc)(tid, args[1], args[2]);
      *ret = 0;
      return True;
   case VG_USERREQ__FREELIKE_BLOCK:
      MSC_(heap_custom_free)(tid, args[1]);
      *ret = 0;
      return True;
   case VG_USERREQ__CREATE_MEMPOOL:
      MSC_(heap_pool_create)(tid, args[1]);
      *ret = 0;
      return True;
   case VG_USERREQ__DESTROY_MEMPOOL:
      MSC_(heap_pool_destroy)(tid, args[1]);
      *ret = 0;
      return True;
   case VG_USERREQ__MEMPOOL_ALLOC:
      MSC_(heap_pool_alloc)(tid, args[1], args[2], args[3]);
      *ret = 0;
      return True;
   case VG_USERREQ__MEMPOOL_FREE:
      MSC_(heap_pool_free)(tid, args[1], args[2]);
      *ret = 0;
      return True;
   case VG_USERREQ__MEMPOOL_TRIM:
      MSC_(heap_pool_trim)(tid, args[1], args[2], args[3]);
      *ret = 0;
      return True;
   case VG_USERREQ__MOVE_MEMPOOL:
      MSC_(heap_pool_move)(tid, args[1], args[2]);
      *ret = 0;
      return True;
   case VG_USERREQ__MEMPOOL_CHANGE:
      MSC_(heap_pool_change)(tid, args[1], args[2], args[3], args[4]);
      *ret = 0;
      return True;
   case VG_USERREQ__MEMPOOL_EXISTS:
      *ret = MSC_(heap_pool_exists)(args[1]);
      return True;
   case VG_USERREQ__RESIZEINPLACE_BLOCK:
      MSC_(heap_custom_resize)(tid, args[1], args[2], args[3]);
      *ret = 0;
      return True;
   default:
      if (VG_IS_TOOL_USERREQ('M', 'S', args[0])) {
         MSC_(warn)(tid, "unknown memscope client request %#lx (from a "
                    "newer memscope.h?); ignored", args[0]);
         *ret = 0;
         return True;
      }
      return False;
   }
}
