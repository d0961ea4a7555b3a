/* msc_errors.c: the error table, recording and description.  Runs on the
   host.  See msc_errors.h. */

#include "msc_errors.h"
#include "msc_stacks.h"
#include "msc_threads.h"
#include "pub_tool_errormgr.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_machine.h"
#include "pub_tool_options.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_vki.h"
#include "pub_tool_tooliface.h"

/* The error kinds, with the names users see in XML <kind> and in
   suppressions (memscope:InvalidFree), as Memcheck names them. */
typedef enum {
   MscErr_InvalidFree = 0,
   MscErr_MismatchedFree = 1,
   MscErr_Race = 2,
   MscErr_LockOrder = 3,
   MscErr_Lockset = 4,
   MscErr_N
} MscErrorKind;

static const HChar* const s_error_names[MscErr_N] = {
   "InvalidFree", "MismatchedFree", "Race", "LockOrder", "Lockset"
};

/* What an error carries besides its address and stack. */
typedef struct {
   Bool         is_realloc;
   MscFreeKind  freed_with;
   MscAllocKind allocated_with;   /* MismatchedFree */
   SizeT        block_size;       /* MismatchedFree */
   ExeContext*  alloc_where;      /* MismatchedFree */
   /* Described late (update_extra), for errors that are shown: */
   Bool         on_stack;         /* the address is in the thread's stack */
   ThreadId     tid;
} MscErrExtra;

/* One emitter for text and XML, so the two cannot drift. */
static void emit ( const HChar* format, ... ) PRINTF_CHECK(1, 2);
static void emit ( const HChar* format, ... )
{
   va_list vargs;
   va_start(vargs, format);
   if (VG_(clo_xml))
      VG_(vprintf_xml)(format, vargs);
   else
      VG_(vmessage)(Vg_UserMsg, format, vargs);
   va_end(vargs);
}

/* A line of text: <auxwhat> in XML.  `s` may hold client names. */
static void aux_line ( const HChar* s )
{
   emit(VG_(clo_xml) ? "  <auxwhat>%ps</auxwhat>\n" : "%ps\n", s);
}

static const HChar* alloc_name ( MscAllocKind k )
{
   switch (k) {
   case MSC_ALLOC_NEW:               return "operator new";
   case MSC_ALLOC_NEW_ARRAY:         return "operator new[]";
   case MSC_ALLOC_NEW_ALIGNED:       return "aligned operator new";
   case MSC_ALLOC_NEW_ARRAY_ALIGNED: return "aligned operator new[]";
   case MSC_ALLOC_CUSTOM:            return "VALGRIND_MALLOCLIKE_BLOCK";
   default:                          return "malloc";
   }
}

static const HChar* free_name ( MscFreeKind k )
{
   switch (k) {
   case MSC_FREE_DELETE:               return "operator delete";
   case MSC_FREE_DELETE_ARRAY:         return "operator delete[]";
   case MSC_FREE_DELETE_ALIGNED:       return "aligned operator delete";
   case MSC_FREE_DELETE_ARRAY_ALIGNED: return "aligned operator delete[]";
   case MSC_FREE_CUSTOM:               return "VALGRIND_FREELIKE_BLOCK";
   default:                            return "free";
   }
}

static void error_invalid_free ( ThreadId tid, Addr a, MscFreeKind how,
                                 Bool is_realloc )
{
   MscErrExtra extra;
   VG_(memset)(&extra, 0, sizeof extra);
   extra.is_realloc = is_realloc;
   extra.freed_with = how;
   extra.tid = tid;
   VG_(maybe_record_error)(tid, MscErr_InvalidFree, a, NULL, &extra);
}

static void error_mismatched_free ( ThreadId tid, Addr a, SizeT size,
                                    MscAllocKind allocated_with,
                                    MscFreeKind freed_with,
                                    ExeContext* alloc_where )
{
   MscErrExtra extra;
   VG_(memset)(&extra, 0, sizeof extra);
   extra.freed_with = freed_with;
   extra.allocated_with = allocated_with;
   extra.block_size = size;
   extra.alloc_where = alloc_where;
   extra.tid = tid;
   VG_(maybe_record_error)(tid, MscErr_MismatchedFree, a, NULL, &extra);
}

/* ---- thread hints: races, lock order, locksets ------------------------------ */

/* What a lock-order or lockset error carries (races carry MscRaceInfo). */
typedef struct {
   UInt  thread;
   Addr  lock, held, next;            /* LockOrder */
   UInt  held_stack, first_stack, second_stack;
   SizeT size;                        /* Lockset: the object's size */
   const HChar* name;                 /* Lockset: its name, or NULL */
} MscOrderInfo;

static Bool error_race ( ThreadId tid, Addr a, ExeContext* where,
                         const MscRaceInfo* info )
{
   return !VG_(unique_error)(tid, MscErr_Race, a, NULL, (void*)info, where,
                             True, False, True);
}

static Bool error_lock_order ( ThreadId tid, ExeContext* where, Addr lock,
                               Addr held, UInt held_stack, Addr next,
                               UInt first_stack, UInt second_stack )
{
   MscOrderInfo x;
   VG_(memset)(&x, 0, sizeof x);
   x.thread = MSC_(thread_serial)(tid);
   x.lock = lock;
   x.held = held;
   x.next = next;
   x.held_stack = held_stack;
   x.first_stack = first_stack;
   x.second_stack = second_stack;
   return !VG_(unique_error)(tid, MscErr_LockOrder, lock, NULL, &x, where,
                             True, False, True);
}

static Bool error_lockset ( ThreadId tid, ExeContext* where, Addr obj,
                            SizeT size, const HChar* name )
{
   MscOrderInfo x;
   VG_(memset)(&x, 0, sizeof x);
   x.thread = MSC_(thread_serial)(tid);
   x.size = size;
   x.name = name;
   return !VG_(unique_error)(tid, MscErr_Lockset, obj, NULL, &x, where,
                             True, False, True);
}

/* Each thread an error involves is announced once, before the first such
   error, with the stack that created it (as Helgrind does). */
static Bool* s_announced = NULL;
static UInt  s_n_announced = 0;

static void announce_thread ( UInt serial )
{
   UInt stack;
   if (serial == 0)
      return;
   if (serial >= s_n_announced) {
      UInt i, n = s_n_announced ? s_n_announced : 16;
      while (n <= serial)
         n *= 2;
      s_announced = VG_(realloc)("msc.errors.announced", s_announced,
                                 n * sizeof(Bool));
      for (i = s_n_announced; i < n; i++)
         s_announced[i] = False;
      s_n_announced = n;
   }
   if (s_announced[serial])
      return;
   s_announced[serial] = True;
   stack = MSC_(thread_creation_stack)(serial);
   if (VG_(clo_xml)) {
      emit("<announcethread>\n  <hthreadid>%u</hthreadid>\n", serial);
      if (stack != 0)
         VG_(pp_ExeContext)(MSC_(stack_context)(stack));
      else
         emit("  <isrootthread></isrootthread>\n");
      emit("</announcethread>\n\n");
      return;
   }
   emit("---Thread-Announcement------------------------------------------\n");
   emit("\n");
   if (stack != 0) {
      emit("Thread #%u was created\n", serial);
      VG_(pp_ExeContext)(MSC_(stack_context)(stack));
   } else {
      emit("Thread #%u is the program's root thread\n", serial);
   }
   emit("\n");
   emit("----------------------------------------------------------------\n");
   emit("\n");
}

/* "0x5205040 (name)" or "0x5205040". */
static void lock_label ( Addr lock, HChar* buf, SizeT len )
{
   HChar name[128];
   const HChar* n = MSC_(finding_lock_name)(lock);
   if (n != NULL)
      VG_(snprintf)(buf, len, "%#lx (%s)", lock,
                    MSC_(printable)(n, name, sizeof name));
   else
      VG_(snprintf)(buf, len, "%#lx", lock);
}

static void pp_locks ( UInt n, const Addr* locks, Bool unknown )
{
   HChar line[1024];
   SizeT at;
   UInt i;
   if (unknown) {
      aux_line("Locks held: unknown (too many lock operations since)");
      return;
   }
   if (n == 0) {
      aux_line("Locks held: none");
      return;
   }
   at = VG_(snprintf)(line, sizeof line, "Locks held: %u, at address%s",
                      n, n > 1 ? "es" : "");
   for (i = 0; i < n && at + 160 < sizeof line; i++) {
      line[at++] = ' ';
      lock_label(locks[i], line + at, sizeof line - at);
      at += VG_(strlen)(line + at);
   }
   aux_line(line);
}

static const HChar* access_word ( UInt flags )
{
   if (flags & MSC_RACE_FREE)
      return "free";
   if (flags & MSC_RACE_ATOMIC)
      return flags & MSC_RACE_WRITE ? "atomic write" : "atomic read";
   return flags & MSC_RACE_WRITE ? "write" : "read";
}

/* Text in <xwhat> (XML) or a line (text), naming a thread. */
static void xwhat ( const HChar* tag, UInt thread, const HChar* text )
{
   if (VG_(clo_xml))
      emit("  <%s>\n    <text>%ps</text>\n    <hthreadid>%u</hthreadid>\n"
           "  </%s>\n", tag, text, thread, tag);
   else
      emit("%ps\n", text);
}

static void pp_race ( const Error* err, const MscRaceInfo* r )
{
   HChar text[512], name[256];
   Addr a = VG_(get_error_address)(err);
   if (VG_(clo_xml))
      emit("  <kind>Race</kind>\n");
   if (r->flags & MSC_RACE_FREE)
      VG_(snprintf)(text, sizeof text, "Possible data race during free of "
                    "a block of size %lu at %#lx by thread #%u",
                    r->size, a, r->thread);
   else
      VG_(snprintf)(text, sizeof text, "Possible data race during %s of "
                    "size %lu at %#lx by thread #%u", access_word(r->flags),
                    r->size, a, r->thread);
   xwhat("xwhat", r->thread, text);
   pp_locks(r->n_locks, r->locks, False);
   VG_(pp_ExeContext)(VG_(get_error_where)(err));
   if (r->flags & MSC_RACE_UNDER_READ_LOCK)
      aux_line("The write holds a read lock only: a read lock orders a "
               "reader after the last writer for its reads, not for its "
               "writes (other readers may hold it at the same time)");
   if (!VG_(clo_xml))
      emit("\n");
   VG_(snprintf)(text, sizeof text, "This conflicts with a previous %s of "
                 "size %lu at %#lx by thread #%u",
                 access_word(r->other_flags), r->other_size, r->other_addr,
                 r->other_thread);
   xwhat("xauxwhat", r->other_thread, text);
   pp_locks(r->n_other_locks, r->other_locks,
            (r->flags & MSC_RACE_OTHER_LOCKS_UNKNOWN) != 0);
   if (r->other_ip != 0)
      VG_(pp_ExeContext)(VG_(make_depth_1_ExeContext_from_Addr)(r->other_ip));
   if (!VG_(clo_xml))
      emit("\n");
   MSC_(printable)(r->object_name, name, sizeof name);
   if (r->object_kind == MSC_ACCESS_HEAP) {
      if (name[0] != 0)
         VG_(snprintf)(text, sizeof text, "Address %#lx is %lu bytes inside "
                       "block \"%s\" of size %lu alloc'd", a, a - r->object,
                       name, r->object_size);
      else
         VG_(snprintf)(text, sizeof text, "Address %#lx is %lu bytes inside "
                       "a block of size %lu alloc'd", a, a - r->object,
                       r->object_size);
      aux_line(text);
      if (r->alloc_where != NULL)
         VG_(pp_ExeContext)(r->alloc_where);
   } else {
      if (name[0] != 0)
         VG_(snprintf)(text, sizeof text, "Address %#lx is %lu bytes inside "
                       "variable \"%s\"", a, a - r->object, name);
      else
         VG_(snprintf)(text, sizeof text, "Address %#lx is %lu bytes inside "
                       "a tracked variable of size %lu", a, a - r->object,
                       r->object_size);
      aux_line(text);
   }
}

static void pp_lock_order ( const Error* err, const MscOrderInfo* x )
{
   HChar text[600], lock[200], held[200], next[200];
   lock_label(x->lock, lock, sizeof lock);
   lock_label(x->held, held, sizeof held);
   lock_label(x->next, next, sizeof next);
   if (VG_(clo_xml))
      emit("  <kind>LockOrder</kind>\n");
   VG_(snprintf)(text, sizeof text, "Thread #%u: lock order \"%s before %s\" "
                 "violated", x->thread, lock, held);
   xwhat("xwhat", x->thread, text);
   VG_(snprintf)(text, sizeof text, "Observed (incorrect) order: "
                 "acquisition of lock %s while holding lock %s", lock, held);
   aux_line(text);
   VG_(pp_ExeContext)(VG_(get_error_where)(err));
   if (x->held_stack != 0) {
      VG_(snprintf)(text, sizeof text, " lock %s was acquired", held);
      aux_line(text);
      VG_(pp_ExeContext)(MSC_(stack_context)(x->held_stack));
   }
   VG_(snprintf)(text, sizeof text, "Required order was established by "
                 "acquisition of lock %s", lock);
   aux_line(text);
   if (x->first_stack != 0)
      VG_(pp_ExeContext)(MSC_(stack_context)(x->first_stack));
   VG_(snprintf)(text, sizeof text, " followed by a later acquisition of "
                 "lock %s", next);
   aux_line(text);
   if (x->second_stack != 0)
      VG_(pp_ExeContext)(MSC_(stack_context)(x->second_stack));
   if (x->next != x->held) {
      VG_(snprintf)(text, sizeof text, " and, through further such "
                    "acquisitions, lock %s", held);
      aux_line(text);
   }
}

static void pp_lockset ( const Error* err, const MscOrderInfo* x )
{
   HChar text[600], name[256];
   Addr a = VG_(get_error_address)(err);
   MSC_(printable)(x->name, name, sizeof name);
   if (VG_(clo_xml))
      emit("  <kind>Lockset</kind>\n");
   VG_(snprintf)(text, sizeof text, "%s%s%s%#lx (%lu bytes) is shared and "
                 "modified without a lock held at every access, here by "
                 "thread #%u", name[0] ? "\"" : "", name,
                 name[0] ? "\" at " : "Object at ", a, x->size, x->thread);
   xwhat("xwhat", x->thread, text);
   VG_(pp_ExeContext)(VG_(get_error_where)(err));
}

/* ---- the core's callbacks ---------------------------------------------------- */

static Bool eq_error ( VgRes res, const Error* e1, const Error* e2 )
{
   const MscErrExtra* x1 = VG_(get_error_extra)(e1);
   const MscErrExtra* x2 = VG_(get_error_extra)(e2);
   /* Same kind and stack (compared by the core): the same error, unless
      a mismatch pairs other families. */
   if (VG_(get_error_kind)(e1) == MscErr_MismatchedFree)
      return x1->allocated_with == x2->allocated_with
             && x1->freed_with == x2->freed_with;
   return x1->is_realloc == x2->is_realloc;
}

static void before_pp_error ( const Error* err )
{
   switch (VG_(get_error_kind)(err)) {
   case MscErr_Race: {
      const MscRaceInfo* r = VG_(get_error_extra)(err);
      announce_thread(r->thread);
      announce_thread(r->other_thread);
      break;
   }
   case MscErr_LockOrder:
   case MscErr_Lockset:
      announce_thread(((const MscOrderInfo*)VG_(get_error_extra)(err))->thread);
      break;
   default:
      break;
   }
}

static void pp_error ( const Error* err )
{
   const MscErrExtra* x = VG_(get_error_extra)(err);
   Addr a = VG_(get_error_address)(err);
   Bool xml = VG_(clo_xml);
   switch (VG_(get_error_kind)(err)) {
   case MscErr_InvalidFree:
      if (xml)
         emit("  <kind>InvalidFree</kind>\n"
              "  <what>Invalid %s()</what>\n",
              x->is_realloc ? "realloc" : free_name(x->freed_with));
      else
         emit("Invalid %s()\n",
              x->is_realloc ? "realloc" : free_name(x->freed_with));
      VG_(pp_ExeContext)(VG_(get_error_where)(err));
      if (xml)
         emit("  <auxwhat>Address 0x%lx is %s</auxwhat>\n", a,
              x->on_stack ? "on the thread's stack"
                          : "not the start of a live heap block");
      else
         emit(" Address 0x%lx is %s\n", a,
              x->on_stack ? "on the thread's stack"
                          : "not the start of a live heap block");
      break;
   case MscErr_MismatchedFree:
      if (xml)
         emit("  <kind>MismatchedFree</kind>\n"
              "  <what>Mismatched %s() of a block from %s()</what>\n",
              free_name(x->freed_with), alloc_name(x->allocated_with));
      else
         emit("Mismatched %s() of a block from %s()\n",
              free_name(x->freed_with), alloc_name(x->allocated_with));
      VG_(pp_ExeContext)(VG_(get_error_where)(err));
      if (xml)
         emit("  <auxwhat>Address 0x%lx is 0 bytes inside a block of size "
              "%lu alloc'd</auxwhat>\n", a, x->block_size);
      else
         emit(" Address 0x%lx is 0 bytes inside a block of size %lu "
              "alloc'd\n", a, x->block_size);
      if (x->alloc_where != NULL)
         VG_(pp_ExeContext)(x->alloc_where);
      break;
   case MscErr_Race:
      pp_race(err, VG_(get_error_extra)(err));
      break;
   case MscErr_LockOrder:
      pp_lock_order(err, VG_(get_error_extra)(err));
      break;
   case MscErr_Lockset:
      pp_lockset(err, VG_(get_error_extra)(err));
      break;
   default:
      tl_assert(0);
   }
}

/* Described only for errors that survive deduplication and suppression. */
static UInt update_extra ( const Error* err )
{
   MscErrExtra* x = VG_(get_error_extra)(err);
   Addr a = VG_(get_error_address)(err);
   /* Thread hints are complete when recorded, and never copied: they go
      through VG_(unique_error), which shows them at once. */
   if (VG_(get_error_kind)(err) >= MscErr_Race)
      return 0;
   if (x->tid != VG_INVALID_THREADID)
      x->on_stack = a + VG_STACK_REDZONE_SZB >= VG_(get_SP)(x->tid)
                    && a < VG_(thread_get_stack_max)(x->tid);
   return sizeof(MscErrExtra);
}

static Bool recognised_suppression ( const HChar* name, Supp* su )
{
   Int k;
   for (k = 0; k < MscErr_N; k++)
      if (VG_(strcmp)(name, s_error_names[k]) == 0) {
         VG_(set_supp_kind)(su, k);
         return True;
      }
   return False;
}

static Bool read_extra_suppression_info ( Int fd, HChar** bufpp,
                                          SizeT* nBufp, Int* lineno,
                                          Supp* su )
{
   return True;
}

static Bool error_matches_suppression ( const Error* err, const Supp* su )
{
   return VG_(get_supp_kind)(su) == (SuppKind)VG_(get_error_kind)(err);
}

static const HChar* get_error_name ( const Error* err )
{
   ErrorKind k = VG_(get_error_kind)(err);
   return k < MscErr_N ? s_error_names[k] : NULL;
}

static SizeT print_extra_suppression_info ( const Error* err, HChar* buf,
                                            Int nBuf )
{
   buf[0] = 0;
   return 0;
}

static SizeT print_extra_suppression_use ( const Supp* su, HChar* buf,
                                           Int nBuf )
{
   buf[0] = 0;
   return 0;
}

static void update_extra_suppression_use ( const Error* err, const Supp* su )
{
}

static const MscFindingSink s_sink = {
   error_invalid_free, error_mismatched_free, error_race, error_lock_order,
   error_lockset
};

/* The core's list of suppression files (pub_core_options.h): the core
   reads them after the tool's post-command-line initialisation and adds
   its own default.supp to it when --default-suppressions=yes.  There is
   no tool interface to a tool's own default file, so memscope adds
   memscope-default.supp, from the directory it was loaded from, to the
   same list.  Valgrind 3.19's definitions: both are linked in from the
   core's library, so another layout fails at build time, not at run
   time. */
extern XArray* VG_(clo_suppressions);
extern Bool VG_(clo_default_supp);

void MSC_(errors_add_default_suppressions) ( void )
{
   static const HChar file[] = "memscope-default.supp";
   HChar* path;
   SysRes fd;
   if (!VG_(clo_default_supp) || VG_(clo_suppressions) == NULL)
      return;
   path = VG_(malloc)("msc.errors.supp",
                      VG_(strlen)(VG_(libdir)) + 1 + sizeof file);
   VG_(sprintf)(path, "%s/%s", VG_(libdir), file);
   /* A missing file would stop the core at start-up: said, and done
      without. */
   fd = VG_(open)(path, VKI_O_RDONLY, 0);
   if (sr_isError(fd)) {
      VG_(umsg)("memscope: warning: no %s: memscope's default "
                "suppressions are not used\n", path);
      VG_(free)(path);
      return;
   }
   VG_(close)(sr_Res(fd));
   VG_(addToXA)(VG_(clo_suppressions), &path);
}

void MSC_(errors_register) ( void )
{
   MSC_(findings_set_sink)(&s_sink);
   VG_(needs_tool_errors)(eq_error, before_pp_error, pp_error,
                          True, update_extra, recognised_suppression,
                          read_extra_suppression_info,
                          error_matches_suppression, get_error_name,
                          print_extra_suppression_info,
                          print_extra_suppression_use,
                          update_extra_suppression_use);
   VG_(needs_xml_output)();
}
