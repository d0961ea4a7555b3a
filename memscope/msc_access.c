/* msc_access.c: object access tracking.  See msc_access.h.
   on_read and on_write run from generated code, one call per load or
   store, under the big lock: they must stay cheap, so each thread keeps
   the last object (or gap between objects) it touched, valid until the
   index changes. */

#include "msc_access.h"
#include "msc_clock.h"
#include "msc_log.h"
#include "msc_names.h"
#include "msc_sync.h"
#include "msc_threads.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_machine.h"
#include "pub_tool_poolalloc.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_xarray.h"

/* Eraser states (ACCESS.state). */
#define STATE_EXCLUSIVE        0
#define STATE_SHARED_READ      1
#define STATE_SHARED_MODIFIED  2

#define MAX_CANDIDATE_LOCKS 16

/* One thread's accesses to one object. */
typedef struct _ThreadStats {
   struct _ThreadStats* next;
   UInt  serial;
   ULong reads, writes, read_bytes, write_bytes, atomic, locked;
   ULong first, last;                 /* times of its first and last access */
} ThreadStats;

typedef struct {
   Addr   start;
   SizeT  size;                       /* at least 1 */
   UChar  kind;                       /* MSC_ACCESS_* */
   UChar  state;                      /* STATE_*, valid once accessed */
   UInt   stack_owner;                /* a named variable in the stack of
                                         this thread (its memscope number),
                                         which ends with its frame; else 0 */
   UInt   n_candidates;               /* locks held at every shared access */
   Bool   shared_seen;                /* candidates initialised */
   ThreadStats* threads;              /* NULL until the first access */
   Addr   candidates[MAX_CANDIDATE_LOCKS];
} Tracked;

/* A thread's last lookups: [lo, lo+len) is `obj` (with this thread's
   stats on it), and [gap_lo, gap_lo+gap_len) holds no object; both valid
   while gen equals s_generation.  Two entries, because code alternates
   between a heap object and the stack or other untracked memory. */
typedef struct {
   Addr         lo;
   SizeT        len;
   Tracked*     obj;
   ThreadStats* stats;
   Addr         gap_lo;
   SizeT        gap_len;
   UInt         gen;
} Cache;

static WordFM*    s_index = NULL;        /* start -> Tracked* */
static PoolAlloc* s_pool = NULL;
static Cache*     s_cache = NULL;        /* per ThreadId */
static UInt       s_generation = 1;
/* The tracked variables that live in a stack (few: they are named one by
   one), scanned at every stack pointer increase while there are any. */
static XArray*    s_stack_objects = NULL;   /* of Tracked* */

void MSC_(access_init) ( void )
{
   if (!MSC_(clo_track_access))
      return;
   s_index = VG_(newFM)(VG_(malloc), "msc.access.index", VG_(free), NULL);
   s_pool = VG_(newPA)(sizeof(Tracked), 1000, VG_(malloc),
                       "msc.access.objects", VG_(free));
   s_cache = VG_(calloc)("msc.access.cache", VG_N_THREADS, sizeof(Cache));
   s_stack_objects = VG_(newXA)(VG_(malloc), "msc.access.stack_objects",
                                VG_(free), sizeof(Tracked*));
}

/* Whether a lies in tid's stack: below its top, above its stack pointer
   less the red zone (a leaf function keeps its locals there). */
static Bool in_stack_of ( ThreadId tid, Addr a )
{
   return a + VG_STACK_REDZONE_SZB >= VG_(get_SP)(tid)
          && a < VG_(thread_get_stack_max)(tid);
}

void MSC_(access_object_new) ( ThreadId tid, Addr start, SizeT size,
                               UInt kind )
{
   Tracked* t;
   if (s_index == NULL)
      return;
   MSC_(access_object_gone)(start);     /* a name given again */
   t = VG_(allocEltPA)(s_pool);
   VG_(memset)(t, 0, sizeof *t);
   t->start = start;
   t->size = size ? size : 1;
   t->kind = kind;
   if (kind == MSC_ACCESS_VARIABLE && in_stack_of(tid, start)) {
      t->stack_owner = MSC_(thread_serial)(tid);
      VG_(addToXA)(s_stack_objects, &t);
   }
   VG_(addToFM)(s_index, start, (UWord)t);
   s_generation++;
}

/* ---- summaries ------------------------------------------------------------- */

static void log_summary ( const Tracked* t )
{
   const ThreadStats* s;
   UInt i;
   for (s = t->threads; s != NULL; s = s->next) {
      MSC_(rec_event)(MSC_REC_ACCESS);
      MSC_(rec_u)(s->serial);
      MSC_(rec_u)(t->start);
      MSC_(rec_u)(t->size);
      MSC_(rec_u)(t->kind);
      MSC_(rec_u)(t->state);
      MSC_(rec_u)(s->reads);
      MSC_(rec_u)(s->writes);
      MSC_(rec_u)(s->read_bytes);
      MSC_(rec_u)(s->write_bytes);
      MSC_(rec_u)(s->atomic);
      MSC_(rec_u)(s->locked);
      MSC_(rec_u)(s->first);
      MSC_(rec_u)(s->last);
      /* Locks held at every access since the object became shared; none
         while it stayed exclusive. */
      MSC_(rec_u)(t->shared_seen ? t->n_candidates : 0);
      for (i = 0; t->shared_seen && i < t->n_candidates; i++)
         MSC_(rec_u)(t->candidates[i]);
      MSC_(rec_end)();
   }
}

static void discard ( Tracked* t )
{
   ThreadStats* s = t->threads;
   while (s != NULL) {
      ThreadStats* next = s->next;
      VG_(free)(s);
      s = next;
   }
   VG_(freeEltPA)(s_pool, t);
}

void MSC_(access_object_gone) ( Addr start )
{
   UWord key, val;
   if (s_index == NULL || !VG_(delFromFM)(s_index, &key, &val, start))
      return;
   if (((Tracked*)val)->stack_owner != 0) {
      Word i, n = VG_(sizeXA)(s_stack_objects);
      for (i = 0; i < n; i++)
         if (*(Tracked**)VG_(indexXA)(s_stack_objects, i) == (Tracked*)val) {
            VG_(removeIndexXA)(s_stack_objects, i);
            break;
         }
   }
   log_summary((Tracked*)val);
   discard((Tracked*)val);
   s_generation++;
}

void MSC_(access_stack_died) ( Addr a, SizeT len )
{
   /* The core reports [old SP, new SP) shifted down by the red zone: the
      new stack pointer is a + len + VG_STACK_REDZONE_SZB, and every
      variable of this thread's stack below it has lost its frame. */
   Addr new_sp = a + len + VG_STACK_REDZONE_SZB;
   UInt serial;
   Word i;
   if (s_stack_objects == NULL || VG_(sizeXA)(s_stack_objects) == 0)
      return;                     /* the usual case: nothing named there */
   serial = MSC_(thread_serial)(VG_(get_running_tid)());
   for (i = VG_(sizeXA)(s_stack_objects) - 1; i >= 0; i--) {
      Tracked* t = *(Tracked**)VG_(indexXA)(s_stack_objects, i);
      if (t->stack_owner == serial && t->start < new_sp)
         MSC_(access_object_gone)(t->start);
   }
}

void MSC_(access_fini) ( void )
{
   UWord key, val;
   if (s_index == NULL)
      return;
   VG_(initIterFM)(s_index);
   while (VG_(nextIterFM)(s_index, &key, &val))
      log_summary((Tracked*)val);
   VG_(doneIterFM)(s_index);
}

/* ---- the lookup --------------------------------------------------------------- */

/* The program's own globals are tracked without a request: an untracked
   address in the main executable's read-write mapping (.data, .bss) that
   debug info names becomes a variable object from the symbol's start; its
   size grows to cover what is accessed (debug info gives no size).
   [s_exe_lo, s_exe_hi) is that mapping, found once; the gap cache never
   covers it, so that each global is met. */
static Bool s_exe_known = False;
static Addr s_exe_lo = 0, s_exe_hi = 0;

static const HChar* base_name ( const HChar* path )
{
   const HChar* slash = VG_(strrchr)(path, '/');
   return slash ? slash + 1 : path;
}

static void find_exe_region ( void )
{
   const DebugInfo* di;
   const HChar* exe = VG_(args_the_exename);
   s_exe_known = True;
   if (exe == NULL || exe[0] == 0)
      return;
   /* The executable's DebugInfo: the same file name ("./prog" and
      "/home/me/prog" name one file). */
   for (di = VG_(next_DebugInfo)(NULL); di != NULL;
        di = VG_(next_DebugInfo)(di)) {
      NSegment const* seg;
      if (VG_(strcmp)(base_name(VG_(DebugInfo_get_filename)(di)),
                      base_name(exe)) != 0)
         continue;
      seg = VG_(am_find_nsegment)(VG_(DebugInfo_get_bss_avma)(di));
      if (seg != NULL && VG_(DebugInfo_get_bss_size)(di) > 0) {
         s_exe_lo = seg->start;
         s_exe_hi = seg->end + 1;
      }
      return;
   }
}

static Tracked* global_at ( Addr a, SizeT size, ThreadId tid )
{
   const HChar* sym;
   PtrdiffT offset;
   UWord key, val;
   Addr start;
   if (a < s_exe_lo || a >= s_exe_hi
       || !VG_(get_datasym_and_offset)(VG_(current_DiEpoch)(), a, &sym,
                                       &offset)
       || offset < 0)
      return NULL;
   start = a - offset;
   if (VG_(lookupFM)(s_index, &key, &val, start)) {
      Tracked* t = (Tracked*)val;
      if (t->kind != MSC_ACCESS_VARIABLE)
         return NULL;
      if (offset + size > t->size) {
         t->size = offset + size;
         s_generation++;
      }
      return t;
   }
   MSC_(names_name_global)(tid, start, sym);
   MSC_(access_object_new)(tid, start, offset + size, MSC_ACCESS_VARIABLE);
   VG_(lookupFM)(s_index, &key, &val, start);
   return (Tracked*)val;
}

/* The object holding a, filling the thread's cache with it or with the
   gap around a. */
static Tracked* lookup ( Addr a, SizeT size, ThreadId tid, Cache* c )
{
   UWord kMin = 0, vMin = 0, kMax = ~(UWord)0, vMax = 0;
   UWord key, val;
   Tracked* t = NULL;
   if (!s_exe_known)
      find_exe_region();
   if (c->gen != s_generation) {
      c->gen = s_generation;
      c->obj = NULL;
      c->len = 0;
      c->gap_len = 0;
   }
   if (VG_(lookupFM)(s_index, &key, &val, a)) {
      t = (Tracked*)val;
   } else {
      VG_(findBoundsFM)(s_index, &kMin, &vMin, &kMax, &vMax,
                        0, 0, ~(UWord)0, 0, a);
      if (vMin != 0 && a < kMin + ((Tracked*)vMin)->size)
         t = (Tracked*)vMin;
   }
   if (t == NULL)
      t = global_at(a, size, tid);
   if (t != NULL) {
      if (c->gen != s_generation) {          /* global_at changed the index */
         c->gen = s_generation;
         c->gap_len = 0;
      }
      c->lo = t->start;
      c->len = t->size;
      c->obj = t;
      c->stats = NULL;
      return t;
   }
   /* The gap: from the end of the object below to the next one, but not
      into the executable's globals. */
   if (a >= s_exe_lo && a < s_exe_hi)
      return NULL;
   c->gap_lo = vMin != 0 ? kMin + ((Tracked*)vMin)->size : 0;
   if (a >= s_exe_hi && c->gap_lo < s_exe_hi)
      c->gap_lo = s_exe_hi;
   if (a < s_exe_lo && kMax > s_exe_lo)
      kMax = s_exe_lo;
   c->gap_len = kMax - c->gap_lo;
   return NULL;
}

static ThreadStats* stats_of ( Tracked* t, UInt serial, Bool is_write,
                               ThreadId tid )
{
   ThreadStats* s;
   for (s = t->threads; s != NULL; s = s->next)
      if (s->serial == serial)
         return s;
   /* A new thread for this object: the Eraser transitions. */
   if (t->threads != NULL) {
      if (t->state == STATE_EXCLUSIVE)
         t->state = is_write ? STATE_SHARED_MODIFIED : STATE_SHARED_READ;
   } else {
      t->state = STATE_EXCLUSIVE;
   }
   s = VG_(calloc)("msc.access.stats", 1, sizeof(ThreadStats));
   s->serial = serial;
   s->first = MSC_(clock_now)();
   s->next = t->threads;
   t->threads = s;
   return s;
}

/* The lockset part of Eraser: once shared, the candidate locks are those
   held at every access. */
static void refine_locks ( Tracked* t, ThreadId tid )
{
   const Addr* held;
   UInt n_held = MSC_(sync_held_locks)(tid, &held), i, j, kept = 0;
   if (!t->shared_seen) {
      t->shared_seen = True;
      t->n_candidates = n_held < MAX_CANDIDATE_LOCKS ? n_held
                                                     : MAX_CANDIDATE_LOCKS;
      for (i = 0; i < t->n_candidates; i++)
         t->candidates[i] = held[i];
      return;
   }
   for (i = 0; i < t->n_candidates; i++) {
      for (j = 0; j < n_held; j++)
         if (held[j] == t->candidates[i])
            break;
      if (j < n_held)
         t->candidates[kept++] = t->candidates[i];
   }
   t->n_candidates = kept;
}

static void count ( Addr a, SizeT size, Bool is_write, Bool atomic )
{
   ThreadId tid = VG_(get_running_tid)();
   Cache* c = &s_cache[tid];
   Tracked* t;
   ThreadStats* s;
   if (c->gen == s_generation && a - c->lo < c->len) {
      t = c->obj;                                 /* the usual case */
   } else if (c->gen == s_generation && a - c->gap_lo < c->gap_len) {
      return;                                     /* untracked memory */
   } else {
      t = lookup(a, size, tid, c);
      if (t == NULL)
         return;
   }
   s = c->stats;
   if (s == NULL) {
      s = c->stats = stats_of(t, MSC_(thread_serial)(tid), is_write, tid);
   }
   if (t->state != STATE_EXCLUSIVE) {
      if (t->state == STATE_SHARED_READ && is_write)
         t->state = STATE_SHARED_MODIFIED;
      refine_locks(t, tid);
   }
   if (atomic) {
      s->atomic++;
   } else if (is_write) {
      s->writes++;
      s->write_bytes += size;
   } else {
      s->reads++;
      s->read_bytes += size;
   }
   if (MSC_(sync_held_count)(tid) > 0)
      s->locked++;
   s->last = MSC_(clock_now)();
}

static VG_REGPARM(2) void on_read ( Addr a, UWord size )
{
   count(a, size, False, False);
}

static VG_REGPARM(2) void on_write ( Addr a, UWord size )
{
   count(a, size, True, False);
}

void MSC_(access_atomic) ( Addr a, SizeT size, Bool undo_read )
{
   if (s_index == NULL)
      return;
   count(a, size, False, True);
   if (undo_read) {
      /* The load VEX made this read-modify-write of was counted as a
         read just before, in the same instruction: an atomic operation
         counts once, as atomic. */
      ThreadId tid = VG_(get_running_tid)();
      Cache* c = &s_cache[tid];
      if (c->obj != NULL && c->stats != NULL && a - c->lo < c->len) {
         ThreadStats* s = c->stats;
         if (s->reads > 0) {
            s->reads--;
            s->read_bytes -= size;
         }
      }
   }
}

/* ---- instrumentation -------------------------------------------------------- */

/* A call counting one load or store; `guard` (NULL: always) makes it
   conditional, for guarded loads and stores. */
static void add_guarded_call ( IRSB* sbOut, Bool is_write, IRExpr* addr,
                               Int size, IRExpr* guard )
{
   IRDirty* d = unsafeIRDirty_0_N(
      2, is_write ? "msc_on_write" : "msc_on_read",
      VG_(fnptr_to_fnentry)(is_write ? (void*)on_write : (void*)on_read),
      mkIRExprVec_2(addr, mkIRExpr_HWord(size)));
   if (guard != NULL)
      d->guard = guard;
   addStmtToIRSB(sbOut, IRStmt_Dirty(d));
}

static void add_call ( IRSB* sbOut, Bool is_write, IRExpr* addr, Int size )
{
   add_guarded_call(sbOut, is_write, addr, size, NULL);
}

void MSC_(access_instrument_stmt) ( IRSB* sbOut, const IRStmt* st )
{
   if (s_index == NULL)
      return;
   switch (st->tag) {
   case Ist_WrTmp: {
      const IRExpr* e = st->Ist.WrTmp.data;
      if (e->tag == Iex_Load)
         add_call(sbOut, False, e->Iex.Load.addr,
                  sizeofIRType(e->Iex.Load.ty));
      break;
   }
   case Ist_Store:
      add_call(sbOut, True, st->Ist.Store.addr,
               sizeofIRType(typeOfIRExpr(sbOut->tyenv, st->Ist.Store.data)));
      break;
   case Ist_StoreG: {
      const IRStoreG* sg = st->Ist.StoreG.details;
      add_guarded_call(sbOut, True, sg->addr,
                       sizeofIRType(typeOfIRExpr(sbOut->tyenv, sg->data)),
                       sg->guard);
      break;
   }
   case Ist_LoadG: {
      const IRLoadG* lg = st->Ist.LoadG.details;
      IRType ty = Ity_INVALID, wide = Ity_INVALID;
      typeOfIRLoadGOp(lg->cvt, &wide, &ty);
      add_guarded_call(sbOut, False, lg->addr, sizeofIRType(ty), lg->guard);
      break;
   }
   case Ist_Dirty: {
      const IRDirty* d = st->Ist.Dirty.details;
      if (d->mFx != Ifx_None && d->mAddr != NULL && d->mSize > 0) {
         if (d->mFx == Ifx_Read || d->mFx == Ifx_Modify)
            add_call(sbOut, False, d->mAddr, d->mSize);
         if (d->mFx == Ifx_Write || d->mFx == Ifx_Modify)
            add_call(sbOut, True, d->mAddr, d->mSize);
      }
      break;
   }
   default:
      break;
   }
}
