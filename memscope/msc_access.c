/* msc_access.c: object access tracking.  See msc_access.h.
   on_read and on_write run from generated code, one call per load or
   store, under the big lock: they must stay cheap, so each thread keeps
   the last object (or gap between objects) it touched, valid until the
   index changes. */

#include "msc_access.h"
#include "msc_blockmap.h"
#include "msc_clock.h"
#include "msc_elfdata.h"
#include "msc_findings.h"
#include "msc_ir.h"
#include "msc_locksets.h"
#include "msc_log.h"
#include "msc_names.h"
#include "msc_objects.h"
#include "msc_race.h"
#include "msc_stacks.h"
#include "msc_sync.h"
#include "msc_syncev.h"
#include "msc_threads.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_machine.h"
#include "pub_tool_poolalloc.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_transtab.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_xarray.h"
#if defined(VGA_amd64)
#include "libvex_guest_amd64.h"
#endif

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
   UInt  last_epoch;                  /* its epoch clock then, with
                                         --lockset-hints=yes */
} ThreadStats;

typedef struct {
   /* start, size (at least 1), kind (MSC_ACCESS_*), name, allocation
      stack and the race checker's shadow. */
   MscRaceObject obj;
   UChar  state;                      /* STATE_*, valid once accessed */
   Bool   grows;                      /* a global met through debug info:
                                         its size is what was accessed */
   Bool   lockset_hinted;             /* the Lockset error was given */
   Bool   in_map;                     /* found through the block map, not
                                         the ordered index */
   UChar  quiet;                      /* QUIET_*: which accesses need only
                                         counting and the race check */
   UInt   stack_owner;                /* a named variable in the stack of
                                         this thread (its memscope number),
                                         which ends with its frame; else 0 */
   Bool   tls;                        /* with stack_owner: a variable of
                                         that thread's thread-local storage,
                                         which ends with the thread only */
   UInt   n_candidates;               /* locks held at every shared access */
   Bool   shared_seen;                /* candidates initialised */
   ThreadStats* threads;              /* NULL until the first access */
   Addr*  candidates;                 /* MAX_CANDIDATE_LOCKS, allocated
                                         when shared_seen is set */
   /* The first thread's statistics (most objects have one thread: no
      allocation for them). */
   ThreadStats first_stats;
} Tracked;

/* A thread's last lookups, valid while gen equals s_generation: the
   objects it touched last, most recent first ([lo, lo+len) is `obj`,
   with this thread's stats on it, len 0 for an empty entry), and the
   stretches [lo, lo+len) that hold no object it met last, most recent
   first.  Several objects, because code alternates between a few (an
   input buffer, an output buffer, a table); several stretches, because
   it alternates between untracked places too (the stack, a library's
   data) and a stretch never reaches past the block map's leaf. */
#define CACHE_OBJECTS 4
#define CACHE_GAPS    4
typedef struct {
   Addr         lo;
   SizeT        len;
   Tracked*     obj;
   ThreadStats* stats;
} CacheEntry;

typedef struct {
   Addr         lo;
   SizeT        len;
} CacheGap;

typedef struct {
   CacheEntry   objs[CACHE_OBJECTS];
   CacheGap     gaps[CACHE_GAPS];
   UInt         gen;
} Cache;

/* Where the objects are: small heap blocks in the block map (a lookup
   costs three loads), every other object (variables, globals, large or
   unaligned blocks, pool chunks) in the ordered index.  No object of the
   map overlaps one of the index: an index object that would moves the
   map's objects it overlaps into the index, so that the index's rule
   (the object starting last at or below an address holds it) decides. */
static WordFM*    s_index = NULL;        /* start -> Tracked* */
static PoolAlloc* s_pool = NULL;
static Cache*     s_cache = NULL;        /* per ThreadId */
static UInt       s_generation = 1;
static ThreadId   s_max_tid = 1;             /* highest that ran client code */
/* Whether loads and stores at the stack pointer get counting calls (see
   "instrumentation"): from the first stack variable named on. */
static Bool       s_instrument_stack = False;
static PoolAlloc* s_stats_pool = NULL;       /* of ThreadStats */
/* The tracked variables that live in a stack (few: they are named one by
   one), scanned at every stack pointer increase while there are any. */
static XArray*    s_stack_objects = NULL;   /* of Tracked* */

static void object_used ( ThreadId tid, Addr a, SizeT len, Bool rewrite );
/* While a thread-local object starts: it lies where a thread's stack
   mapping may hold it, but no frame holds it. */
static Bool       s_starting_tls = False;

void MSC_(access_init) ( void )
{
   if (!MSC_(clo_track_access))
      return;
   MSC_(syncev_set_object_user)(object_used);
   s_index = VG_(newFM)(VG_(malloc), "msc.access.index", VG_(free), NULL);
   s_pool = VG_(newPA)(sizeof(Tracked), 1000, VG_(malloc),
                       "msc.access.objects", VG_(free));
   s_stats_pool = VG_(newPA)(sizeof(ThreadStats), 1000, VG_(malloc),
                             "msc.access.stats", VG_(free));
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

/* A new object covers [start, end): caches that remember a gap there
   forget it, and so do those that remember an object it lies in (a pool
   chunk inside a block from malloc, a name inside a block: the new
   object holds those addresses now).  Cheaper than a new generation,
   which would send every thread back to the index after every
   allocation. */
static void forget_cached ( Addr start, Addr end )
{
   ThreadId tid;
   UInt k;
   for (tid = 1; tid <= s_max_tid; tid++) {
      Cache* c = &s_cache[tid];
      for (k = 0; k < CACHE_GAPS; k++) {
         CacheGap* g = &c->gaps[k];
         if (g->len != 0 && start < g->lo + g->len && end > g->lo)
            g->len = 0;
      }
      for (k = 0; k < CACHE_OBJECTS; k++) {
         CacheEntry* e = &c->objs[k];
         if (e->len != 0 && start < e->lo + e->len && end > e->lo) {
            e->len = 0;
            e->obj = NULL;
            e->stats = NULL;
         }
      }
   }
}

/* An object is gone: caches forget it. */
static void forget_object ( const Tracked* t )
{
   ThreadId tid;
   UInt k;
   for (tid = 1; tid <= s_max_tid; tid++)
      for (k = 0; k < CACHE_OBJECTS; k++)
         if (s_cache[tid].objs[k].obj == t) {
            s_cache[tid].objs[k].obj = NULL;
            s_cache[tid].objs[k].len = 0;
            s_cache[tid].objs[k].stats = NULL;
         }
}

/* For walking the block map: the first granule after t's last (the map
   rounds an address down to its granule, and a block's last granule may
   be part full). */
static Addr past ( const Tracked* t )
{
   Addr mask = ((Addr)1 << MSC_BLOCKMAP_GRANULE_SHIFT) - 1;
   Addr end = (t->obj.start + t->obj.size + mask) & ~mask;
   return end;
}

/* Whether an object of the ordered index overlaps [start, end). */
static Bool index_overlaps ( Addr start, Addr end )
{
   UWord key, val, kMin = 0, vMin = 0, kMax = ~(UWord)0, vMax = 0;
   if (VG_(lookupFM)(s_index, &key, &val, start))
      return True;
   VG_(findBoundsFM)(s_index, &kMin, &vMin, &kMax, &vMax,
                     0, 0, ~(UWord)0, 0, start);
   return (vMin != 0 && kMin + ((Tracked*)vMin)->obj.size > start)
          || (vMax != 0 && kMax < end);
}

/* Whether an object of the block map overlaps [start, end) (a pool's
   chunk inside a block from malloc). */
static Bool map_overlaps ( Addr start, Addr end )
{
   Addr cursor = start;
   return MSC_(blockmap_next)(&cursor, end) != NULL;
}

/* The block map's objects overlapping [start, end) move to the index. */
static void move_to_index ( Addr start, Addr end )
{
   Addr cursor = start;
   Tracked* t;
   while ((t = MSC_(blockmap_next)(&cursor, end)) != NULL) {
      MSC_(blockmap_set)(t->obj.start, t->obj.size, NULL);
      t->in_map = False;
      VG_(addToFM)(s_index, t->obj.start, (UWord)t);
      cursor = past(t);
   }
}

/* The tracked object starting at `start`, taken out of the map or the
   index; NULL when none. */
static Tracked* take_object ( Addr start )
{
   UWord key, val;
   UWord kMin, vMin, kMax = ~(UWord)0, vMax = 0;
   Tracked* t = MSC_(blockmap_get)(start);
   if (t != NULL && t->obj.start == start) {
      MSC_(blockmap_set)(start, t->obj.size, NULL);
      return t;
   }
   if (!VG_(delFromFM)(s_index, &key, &val, start))
      return NULL;
   /* Under the index's rule an object that held addresses up to the next
      start may have hidden an enclosing one (a pool's arena around a
      chunk): what the caches say of [start, next start) is stale. */
   VG_(findBoundsFM)(s_index, &kMin, &vMin, &kMax, &vMax, 0, 0, ~(UWord)0,
                     0, start);
   forget_cached(start, kMax);
   return (Tracked*)val;
}

static void object_gone ( Addr start, ThreadId freed_by );

/* Set while an access helper runs the lookup: code is running then, and
   its translation must not be discarded under it. */
static Bool s_in_helper = False;
static Bool s_discard_pending = False;

/* Loads and stores at the stack pointer get counting calls from now on:
   code made without them is translated again, with them.  Between
   superblocks (a client request) at once; from an access helper at the
   next client request of any thread (the core allows a tool to discard
   only there): until then, the owner's accesses at its stack pointer go
   unseen, those through other registers not. */
static void instrument_stack ( void )
{
   if (s_instrument_stack)
      return;
   s_instrument_stack = True;
   if (s_in_helper) {
      s_discard_pending = True;
      return;
   }
   VG_(discard_translations_safely)(0, ~(SizeT)0 >> 1,
                                    "memscope: a stack is tracked");
}

static void object_started ( ThreadId tid, Addr start, SizeT size,
                               UInt kind, ExeContext* where, Bool nested )
{
   Tracked* t;
   if (s_index == NULL)
      return;
   object_gone(start, VG_INVALID_THREADID);  /* named again */
   t = VG_(allocEltPA)(s_pool);
   VG_(memset)(t, 0, sizeof *t);
   t->obj.start = start;
   t->obj.size = size ? size : 1;
   t->obj.kind = kind;
   t->obj.alloc_where = where;
   if (kind == MSC_ACCESS_VARIABLE && !s_starting_tls
       && in_stack_of(tid, start)) {
      t->stack_owner = MSC_(thread_serial)(tid);
      VG_(addToXA)(s_stack_objects, &t);
      instrument_stack();
   }
   /* The map takes blocks of the malloc family, which never lie inside
      another live object, and only when nothing of the index is in the
      granules they cover (a stale name, an unaligned chunk in the rest of
      the last granule). */
   if (kind == MSC_ACCESS_HEAP && !nested
       && MSC_(blockmap_fits)(start, t->obj.size)
       && !index_overlaps(start, past(t))
       && !map_overlaps(start, past(t))) {
      t->in_map = True;
      MSC_(blockmap_set)(start, t->obj.size, t);
   } else {
      move_to_index(start, start + t->obj.size);
      VG_(addToFM)(s_index, start, (UWord)t);
   }
   forget_cached(start, start + t->obj.size);
   /* The creating thread is about to use it (a block just allocated):
      it goes to the front of that thread's cache, when it is one of the
      map's (an object of the index may have others nested in it). */
   if (t->in_map && tid > 0 && tid <= s_max_tid
       && s_cache[tid].gen == s_generation) {
      Cache* c = &s_cache[tid];
      UInt j;
      for (j = CACHE_OBJECTS - 1; j > 0; j--)
         c->objs[j] = c->objs[j - 1];
      c->objs[0].lo = t->obj.start;
      c->objs[0].len = t->obj.size;
      c->objs[0].obj = t;
      c->objs[0].stats = NULL;
   }
}

/* ---- summaries ------------------------------------------------------------- */

static void log_summary ( const Tracked* t )
{
   const ThreadStats* s;
   UInt i;
   for (s = t->threads; s != NULL; s = s->next) {
      MSC_(rec_event)(MSC_REC_ACCESS);
      MSC_(rec_u)(s->serial);
      MSC_(rec_u)(t->obj.start);
      MSC_(rec_u)(t->obj.size);
      MSC_(rec_u)(t->obj.kind);
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
   if (t->obj.name != NULL)
      VG_(free)((HChar*)t->obj.name);
   if (t->candidates != NULL)
      VG_(free)(t->candidates);
   while (s != NULL) {
      ThreadStats* next = s->next;
      if (s != &t->first_stats)
         VG_(freeEltPA)(s_stats_pool, s);
      s = next;
   }
   VG_(freeEltPA)(s_pool, t);
}

static void object_gone ( Addr start, ThreadId freed_by )
{
   Tracked* val;
   if (s_index == NULL || (val = take_object(start)) == NULL)
      return;
   if (MSC_(race_active))
      MSC_(race_object_gone)(&val->obj, freed_by);
   if (val->stack_owner != 0) {
      Word i, n = VG_(sizeXA)(s_stack_objects);
      for (i = 0; i < n; i++)
         if (*(Tracked**)VG_(indexXA)(s_stack_objects, i) == val) {
            VG_(removeIndexXA)(s_stack_objects, i);
            break;
         }
   }
   log_summary(val);
   forget_object(val);
   discard(val);
}

void MSC_(access_stack_died) ( Addr a, SizeT len )
{
   /* memscope tracks only die_mem_stack, so the core takes its generic
      path for every stack pointer increase: [old SP, new SP), without
      the red-zone bias of the specialised callbacks.  Every variable of
      this thread's stack below the new stack pointer has lost its frame.
      (A leaf function's variables in the red zone below its stack
      pointer die when the pointer passes them, a little late.) */
   Addr new_sp = a + len;
   UInt serial;
   Word i;
   if (s_stack_objects == NULL || VG_(sizeXA)(s_stack_objects) == 0)
      return;                     /* the usual case: nothing named there */
   serial = MSC_(thread_serial)(VG_(get_running_tid)());
   for (i = VG_(sizeXA)(s_stack_objects) - 1; i >= 0; i--) {
      Tracked* t = *(Tracked**)VG_(indexXA)(s_stack_objects, i);
      if (t->stack_owner == serial && !t->tls && t->obj.start < new_sp)
         object_gone(t->obj.start, VG_INVALID_THREADID);
   }
}

void MSC_(access_thread_exited) ( ThreadId tid )
{
   UInt serial = MSC_(thread_serial)(tid);
   Word i;
   if (s_stack_objects == NULL)
      return;
   /* Its cache holds its own stats: a thread reusing the slot must not
      count into them. */
   VG_(memset)(&s_cache[tid], 0, sizeof(Cache));
   for (i = VG_(sizeXA)(s_stack_objects) - 1; i >= 0; i--) {
      Tracked* t = *(Tracked**)VG_(indexXA)(s_stack_objects, i);
      if (t->stack_owner == serial)
         object_gone(t->obj.start, VG_INVALID_THREADID);
   }
}

/* The tracked object starting at `start`, NULL when none. */
static Tracked* tracked_at ( Addr start )
{
   UWord key, val;
   Tracked* t = MSC_(blockmap_get)(start);
   if (t != NULL && t->obj.start == start)
      return t;
   return s_index != NULL && VG_(lookupFM)(s_index, &key, &val, start)
          ? (Tracked*)val : NULL;
}

static void object_named ( Addr start, const HChar* name )
{
   Tracked* t = tracked_at(start);
   if (t == NULL || name == NULL || name[0] == 0)
      return;
   if (t->obj.name != NULL)
      VG_(free)((HChar*)t->obj.name);
   t->obj.name = VG_(strdup)("msc.access.name", name);
}

void MSC_(access_clean) ( Addr a, SizeT len )
{
   UWord key, val, kMin = 0, vMin = 0, kMax = 0, vMax = 0;
   if (s_index == NULL || !MSC_(race_active))
      return;
   /* Objects overlapping [a, a+len): the one starting below a, if it
      reaches a, then those starting inside. */
   if (!VG_(lookupFM)(s_index, &key, &val, a)
       && VG_(findBoundsFM)(s_index, &kMin, &vMin, &kMax, &vMax,
                            0, 0, ~(UWord)0, 0, a)
       && vMin != 0 && kMin + ((Tracked*)vMin)->obj.size > a)
      MSC_(race_object_clean)(&((Tracked*)vMin)->obj, a, len);
   VG_(initIterAtFM)(s_index, a);
   while (VG_(nextIterFM)(s_index, &key, &val) && key < a + len)
      MSC_(race_object_clean)(&((Tracked*)val)->obj, a, len);
   VG_(doneIterFM)(s_index);
   {
      Addr cursor = a;
      Tracked* t;
      while ((t = MSC_(blockmap_next)(&cursor, a + len)) != NULL) {
         MSC_(race_object_clean)(&t->obj, a, len);
         cursor = past(t);
      }
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
   {
      Addr cursor = 0;
      Tracked* t;
      while ((t = MSC_(blockmap_next)(&cursor, ~(Addr)0)) != NULL) {
         log_summary(t);
         cursor = past(t);
      }
   }
}

/* ---- the lookup --------------------------------------------------------------- */

/* The program's own globals are tracked without a request.  An untracked
   address in a writable data section of the program's own objects (.data,
   .bss of the executable and of shared objects outside the system's
   library directories: msc_elfdata) becomes a variable object:
   - named by debug info: from the symbol's start, its size growing to
     cover what is accessed (debug info gives no size);
   - named by a unique symbol the core's debug info leaves out (a C++17
     inline variable, a template's static member): that symbol, its size;
   - named by nothing (a stripped binary): its unnamed bytes within its
     64-byte line, named by section and offset (".bss+0x80 in prog").
   The gap cache never enters a data section, so that each global is
   met. */
static Bool s_elfdata_read = False;

void MSC_(access_object_mapped) ( void )
{
   /* A library's data may appear where a cached gap lay. */
   if (MSC_(elfdata_refresh)())
      s_generation++;
   s_elfdata_read = True;
}

/* Whether a symbol (of debug info or a unique one) names byte a. */
static Bool symbol_names ( Addr a )
{
   const HChar* sym;
   PtrdiffT offset;
   return MSC_(elfdata_symbol_at)(a, &sym, &offset);
}

/* Narrows [*lo, *hi), around a, which no object holds, to the stretch
   between the objects of the index around a. */
static void clip_to_neighbours ( Addr a, Addr* lo, Addr* hi )
{
   UWord kMin = 0, vMin = 0, kMax = ~(UWord)0, vMax = 0;
   VG_(findBoundsFM)(s_index, &kMin, &vMin, &kMax, &vMax,
                     0, 0, ~(UWord)0, 0, a);
   if (vMin != 0 && kMin + ((Tracked*)vMin)->obj.size > *lo)
      *lo = kMin + ((Tracked*)vMin)->obj.size;
   if (kMax < *hi)
      *hi = kMax;
}

/* The object of a's unnamed bytes: the stretch around a within its line
   and its section that no symbol names and no object holds. */
static Tracked* unnamed_global_at ( Addr a, const MscDataSection* d,
                                    ThreadId tid )
{
   HChar name[200];
   Addr lo = a & ~(Addr)63, hi = lo + 64, b;
   if (lo < d->lo)
      lo = d->lo;
   if (hi > d->hi)
      hi = d->hi;
   clip_to_neighbours(a, &lo, &hi);
   for (b = a; b > lo; b--)
      if (symbol_names(b - 1))
         break;
   lo = b;
   for (b = a + 1; b < hi; b++)
      if (symbol_names(b))
         break;
   hi = b;
   VG_(snprintf)(name, sizeof name, "%s+0x%lx in %s", d->section,
                 (unsigned long)(lo - d->lo), d->object);
   object_started(tid, lo, hi - lo, MSC_ACCESS_VARIABLE, NULL, False);
   MSC_(names_name_found)(tid, lo, hi - lo, name);
   return tracked_at(lo);
}

/* The size a global met through debug info grows to, from `size` to
   cover `wanted` bytes from its start, but not into the next symbol: a
   wide access that starts in it (the dynamic linker clears a library's
   .bss from its first byte, 16 at a time) belongs to both. */
static SizeT grown_size ( Addr start, SizeT size, SizeT wanted )
{
   const HChar* sym;
   PtrdiffT offset;
   for (; size < wanted; size++)
      if (MSC_(elfdata_symbol_at)(start + size, &sym, &offset)
          && start + size - offset != start)
         break;
   return size;
}

static Tracked* global_at ( Addr a, SizeT size, ThreadId tid )
{
   const HChar* sym;
   PtrdiffT offset;
   UWord key, val;
   Addr start;
   SizeT sym_size;
   Tracked* t;
   const MscDataSection* d = MSC_(elfdata_section_at)(a);
   if (d == NULL)
      return NULL;
   if (VG_(get_datasym_and_offset)(VG_(current_DiEpoch)(), a, &sym,
                                   &offset) && offset >= 0) {
      start = a - offset;
      if (VG_(lookupFM)(s_index, &key, &val, start)) {
         t = (Tracked*)val;
         if (!t->grows)
            return NULL;         /* past the end of an object named so */
         if (offset + size > t->obj.size) {
            t->obj.size = grown_size(start, t->obj.size, offset + size);
            s_generation++;
         }
         return t;
      }
      object_started(tid, start, grown_size(start, offset + 1,
                                            offset + size),
                     MSC_ACCESS_VARIABLE, NULL, False);
      MSC_(names_name_found)(tid, start, 0, sym);
      t = tracked_at(start);
      t->grows = True;
      return t;
   }
   if (MSC_(elfdata_unique_symbol)(a, &start, &sym_size, &sym)) {
      if (VG_(lookupFM)(s_index, &key, &val, start))
         return NULL;            /* past the end of an object named so */
      object_started(tid, start, sym_size, MSC_ACCESS_VARIABLE, NULL,
                     False);
      MSC_(names_name_found)(tid, start, sym_size, sym);
      return tracked_at(start);
   }
   return unnamed_global_at(a, d, tid);
}

/* ---- stack frames another thread sees ---------------------------------------- */

/* A thread's locals are its own until another thread is to see them:
   the argument of a thread it creates lies in its stack, or another
   thread's load or store falls in it.  Then the frame holding the address
   (between two stack pointers of the unwound stack) becomes a variable
   object of the owner's stack, named after its function, which ends with
   the frame as a named stack variable does; and loads and stores at the
   stack pointer get counting calls from then on, because the owner
   reaches its locals through it.  Frames, not variables: debug info
   gives no extent of a local without --read-var-info=yes, and the race
   check works on bytes anyway. */
#define ESCAPE_FRAMES 32

/* a lies in owner's live stack. */
static Tracked* frame_escapes ( ThreadId owner, Addr a )
{
   Addr ips[ESCAPE_FRAMES], sps[ESCAPE_FRAMES], fps[ESCAPE_FRAMES];
   HChar name[300];
   const HChar* fn;
   UInt n, i;
   n = VG_(get_StackTrace)(owner, ips, ESCAPE_FRAMES, sps, fps, 0);
   /* Frame 0 runs (its extent moves); the outermost has no upper bound. */
   for (i = 1; i + 1 < n; i++)
      if (sps[i] <= a && a < sps[i + 1])
         break;
   if (i + 1 >= n)
      return NULL;
   if (!VG_(get_fnname)(VG_(current_DiEpoch)(), ips[i], &fn))
      fn = "?";
   VG_(snprintf)(name, sizeof name, "frame of %s", fn);
   object_started(owner, sps[i], sps[i + 1] - sps[i], MSC_ACCESS_VARIABLE,
                  NULL, False);
   MSC_(names_name_found)(owner, sps[i], sps[i + 1] - sps[i], name);
   return tracked_at(sps[i]);
}

/* The thread other than tid whose live stack holds a; 0 when none. */
static ThreadId stack_owner_of ( Addr a, ThreadId tid )
{
   ThreadId t = VG_INVALID_THREADID;
   Addr lo, hi;
   VG_(thread_stack_reset_iter)(&t);
   while (VG_(thread_stack_next)(&t, &lo, &hi))
      if (t != tid && in_stack_of(t, a))
         return t;
   return VG_INVALID_THREADID;
}

/* Where a gap around a may reach without entering or leaving a thread's
   stack mapping (its extent, not only the live part: a stack grows under
   a cached gap). */
static void clip_gap_to_stacks ( Addr a, Addr* gap_lo, Addr* gap_hi )
{
   ThreadId t = VG_INVALID_THREADID;
   Addr lo, hi;
   VG_(thread_stack_reset_iter)(&t);
   while (VG_(thread_stack_next)(&t, &lo, &hi)) {
      Addr top = VG_(thread_get_stack_max)(t) + 1;
      Addr bottom = top - VG_(thread_get_stack_size)(t);
      if (a >= bottom && a < top) {
         if (*gap_lo < bottom)
            *gap_lo = bottom;
         if (*gap_hi > top)
            *gap_hi = top;
      } else if (a < bottom) {
         if (*gap_hi > bottom)
            *gap_hi = bottom;
      } else if (*gap_lo < top) {
         *gap_lo = top;
      }
   }
}

/* ---- thread-local storage other threads see ------------------------------- */

/* A thread's thread-local variables are its own until another thread
   reaches one through a pointer (the thread's argument, or a load or
   store of another thread there).  Then the variable, in the owner's copy
   of the executable's TLS block (found below the owner's thread pointer:
   msc_elfdata), becomes a tracked variable named "VAR (thread-local of
   thread #N)" (its bytes in the block, "thread-local storage of thread
   #N", without symbols), which ends with its thread.  Shared objects'
   static TLS is not found this way (its place depends on the load
   order); dynamic TLS (of dlopen'd objects) comes from malloc and is
   checked as heap blocks. */

/* The executable's TLS block of thread t: [*lo, *hi). */
static Bool tls_block_of ( ThreadId t, Addr* lo, Addr* hi )
{
#if defined(VGA_amd64)
   ULong tp = 0;
   SizeT size, below_tp;
   if (!MSC_(elfdata_exe_tls)(&size, &below_tp))
      return False;
   VG_(get_shadow_regs_area)(t, (UChar*)&tp, 0,
                             offsetof(VexGuestAMD64State, guest_FS_CONST),
                             sizeof tp);
   if (tp < below_tp)                 /* not set up yet */
      return False;
   *lo = (Addr)tp - below_tp;
   *hi = *lo + size;
   return True;
#else
   return False;
#endif
}

/* The thread other than tid whose TLS block holds a (0 when none), and
   in one pass over the threads, where a gap around a may reach without
   entering another thread's block: [*gap_lo, *gap_hi) narrowed (tid's
   own needs no check until another thread comes). */
static ThreadId tls_around ( Addr a, ThreadId tid, Addr* gap_lo,
                             Addr* gap_hi )
{
   ThreadId t = VG_INVALID_THREADID, owner = VG_INVALID_THREADID;
   Addr lo, hi;
   VG_(thread_stack_reset_iter)(&t);
   while (VG_(thread_stack_next)(&t, &lo, &hi)) {
      if (t == tid || !tls_block_of(t, &lo, &hi))
         continue;
      if (a < lo && *gap_hi > lo)
         *gap_hi = lo;
      else if (a >= hi && *gap_lo < hi)
         *gap_lo = hi;
      else if (a >= lo && a < hi && owner == VG_INVALID_THREADID)
         owner = t;
   }
   return owner;
}

/* a lies in owner's TLS block, in no tracked object. */
static Tracked* tls_escapes ( ThreadId owner, Addr a )
{
   HChar name[300];
   const HChar* sym;
   Addr lo, hi, start;
   SizeT offset, size;
   UInt serial = MSC_(thread_serial)(owner);
   Tracked* t;
   if (!tls_block_of(owner, &lo, &hi) || a < lo || a >= hi)
      return NULL;
   if (MSC_(elfdata_tls_symbol)(a - lo, &offset, &size, &sym)
       && lo + offset + size <= hi) {
      start = lo + offset;
      VG_(snprintf)(name, sizeof name, "%s (thread-local of thread #%u)",
                    sym, serial);
   } else {
      Addr end = hi;
      start = lo;
      clip_to_neighbours(a, &start, &end);
      size = end - start;
      VG_(snprintf)(name, sizeof name,
                    "thread-local storage of thread #%u", serial);
   }
   s_starting_tls = True;
   object_started(owner, start, size, MSC_ACCESS_VARIABLE, NULL, False);
   s_starting_tls = False;
   t = tracked_at(start);
   if (t == NULL)
      return NULL;
   MSC_(names_name_found)(owner, start, size, name);
   t->stack_owner = serial;
   t->tls = True;
   VG_(addToXA)(s_stack_objects, &t);
   return t;
}

void MSC_(access_stack_escapes) ( ThreadId owner, Addr a )
{
   /* A variable named there already is tracked as it is. */
   if (s_index == NULL || index_overlaps(a, a + 1))
      return;
   if (in_stack_of(owner, a) && frame_escapes(owner, a) != NULL)
      return;
   tls_escapes(owner, a);
}

/* The object holding a, filling the thread's cache with it or with the
   gap around a. */
static Tracked* lookup ( Addr a, SizeT size, ThreadId tid, Cache* c )
{
   UWord kMin = 0, vMin = 0, kMax = ~(UWord)0, vMax = 0;
   UWord key, val;
   Tracked* t = NULL;
   ThreadId foreign = VG_INVALID_THREADID;   /* whose stack or TLS holds a */
   Addr tls_lo = 0, tls_hi = ~(Addr)0;       /* no other thread's TLS */
   if (!s_elfdata_read)
      MSC_(access_object_mapped)();
   if (c->gen != s_generation) {
      VG_(memset)(c, 0, sizeof *c);
      c->gen = s_generation;
   }
   t = MSC_(blockmap_get)(a);
   if (t != NULL) {
      if (a - t->obj.start >= t->obj.size)
         return NULL;         /* the rest of a block's last granule */
   } else {
      if (VG_(lookupFM)(s_index, &key, &val, a)) {
         t = (Tracked*)val;
         /* The next start, for the cache: bounds around a+1 (findBoundsFM
            says nothing about a key that is present, so a key at a+1 is
            the next start itself). */
         if (a + 1 != 0
             && !VG_(findBoundsFM)(s_index, NULL, NULL, &kMax, &vMax,
                                   0, 0, ~(UWord)0, 0, a + 1))
            kMax = a + 1;
      } else {
         VG_(findBoundsFM)(s_index, &kMin, &vMin, &kMax, &vMax,
                           0, 0, ~(UWord)0, 0, a);
         if (vMin != 0 && a < kMin + ((Tracked*)vMin)->obj.size)
            t = (Tracked*)vMin;
      }
   }
   if (t == NULL)
      t = global_at(a, size, tid);
   /* Another thread's stack: not inside the library's own calls (a join
      reading what the joined thread's exit left there is its business). */
   if (t == NULL)
      foreign = stack_owner_of(a, tid);
   if (t == NULL && foreign == VG_INVALID_THREADID)
      foreign = tls_around(a, tid, &tls_lo, &tls_hi);
   if (foreign != VG_INVALID_THREADID && !MSC_(syncev_in_primitive)(tid)) {
      s_in_helper = True;
      t = frame_escapes(foreign, a);
      if (t == NULL)
         t = tls_escapes(foreign, a);
      s_in_helper = False;
   }
   if (t != NULL) {
      if (c->gen != s_generation) {          /* global_at changed the index */
         VG_(memset)(c, 0, sizeof *c);
         c->gen = s_generation;
      }
      /* The new most recent entry; the least recent falls out. */
      {
         UInt j;
         for (j = CACHE_OBJECTS - 1; j > 0; j--)
            c->objs[j] = c->objs[j - 1];
      }
      c->objs[0].lo = t->obj.start;
      c->objs[0].len = t->obj.size;
      /* Up to the next object of the index: one nested in t (a pool
         chunk in a block) holds its own addresses. */
      if (!t->in_map && kMax > t->obj.start
          && kMax - t->obj.start < t->obj.size)
         c->objs[0].len = kMax - t->obj.start;
      c->objs[0].obj = t;
      c->objs[0].stats = NULL;
      return t;
   }
   /* The gap: from the end of the object below to the next one, but not
      into a data section of the program's objects; inside one, the
      address alone (past the end of an object named so: everything else
      there becomes an object).  The GOT lies outside the sections: the
      program reads it at every call through the PLT, and a lookup each
      time cost 8% on alloc_mt. */
   {
      Addr gap_lo, gap_hi, lo, hi;
      UInt j;
      if (MSC_(elfdata_section_at)(a) != NULL) {
         gap_lo = a;
         gap_hi = a + 1;
      } else {
         gap_lo = vMin != 0 ? kMin + ((Tracked*)vMin)->obj.size : 0;
         gap_hi = kMax;
         MSC_(elfdata_clip)(a, &gap_lo, &gap_hi);
         MSC_(blockmap_empty_around)(a, &lo, &hi);
         if (lo > gap_lo)
            gap_lo = lo;
         if (hi < gap_hi)
            gap_hi = hi;
         clip_gap_to_stacks(a, &gap_lo, &gap_hi);
         if (tls_lo > gap_lo)
            gap_lo = tls_lo;
         if (tls_hi < gap_hi)
            gap_hi = tls_hi;
         /* Another thread's live stack that is no frame it could share
            (its running frame), or its TLS inside a library's call: this
            address alone, met again later. */
         if (foreign != VG_INVALID_THREADID) {
            gap_lo = a;
            gap_hi = a + 1;
         }
      }
      for (j = CACHE_GAPS - 1; j > 0; j--)
         c->gaps[j] = c->gaps[j - 1];
      c->gaps[0].lo = gap_lo;
      c->gaps[0].len = gap_hi - gap_lo;
   }
   return NULL;
}

static ThreadStats* stats_of ( Tracked* t, UInt serial, Bool is_write,
                               ThreadId tid )
{
   ThreadStats* s;
   ThreadStats* prev = NULL;
   for (s = t->threads; s != NULL; prev = s, s = s->next)
      if (s->serial == serial) {
         if (prev != NULL) {        /* to the front (see msc_atomics) */
            prev->next = s->next;
            s->next = t->threads;
            t->threads = s;
         }
         return s;
      }
   /* A new thread for this object: the Eraser transitions. */
   if (t->threads != NULL) {
      if (t->state == STATE_EXCLUSIVE)
         t->state = is_write ? STATE_SHARED_MODIFIED : STATE_SHARED_READ;
   } else {
      t->state = STATE_EXCLUSIVE;
   }
   s = t->threads == NULL ? &t->first_stats : VG_(allocEltPA)(s_stats_pool);
   VG_(memset)(s, 0, sizeof *s);
   s->serial = serial;
   s->first = MSC_(clock_now)();
   s->next = t->threads;
   t->threads = s;
   return s;
}

/* The lockset part of Eraser: once shared, the candidate locks are those
   held at every access. */
/* Whether this access (by the thread of `mine`) comes after every other
   thread's last access to t in the happens-before order: a thread that
   joined the others (main reading results) holds no lock and needs
   none.  Eraser alone would cry wolf there. */
static Bool ordered_after_all ( const Tracked* t, const ThreadStats* mine )
{
   const ThreadStats* s;
   ThreadId tid = VG_(get_running_tid)();
   for (s = t->threads; s != NULL; s = s->next)
      if (s != mine && s->serial != mine->serial
          && !MSC_(race_ordered_before)(s->serial, s->last_epoch, tid))
         return False;
   return True;
}

/* Eraser's hint, with --lockset-hints=yes: shared, modified, and no lock
   in common any more.  Once per object. */
static void lockset_hint ( Tracked* t, ThreadId tid )
{
   ExeContext* where;
   UInt stack;
   t->lockset_hinted = True;
   where = VG_(record_ExeContext)(tid, 0);
   if (!MSC_(finding_lockset)(tid, where, t->obj.start, t->obj.size,
                              t->obj.name))
      return;
   stack = MSC_(stack_id)(where);
   MSC_(rec_event)(MSC_REC_LOCKSET);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(t->obj.start);
   MSC_(rec_u)(t->obj.size);
   MSC_(rec_u)(t->obj.kind);
   MSC_(rec_end)();
}

static void refine_locks ( Tracked* t, ThreadId tid )
{
   const Addr* held;
   UInt n_held = MSC_(lockset_of)(tid, &held), i, j, kept = 0;
   if (!t->shared_seen) {
      t->shared_seen = True;
      t->candidates = VG_(malloc)("msc.access.candidates",
                                  MAX_CANDIDATE_LOCKS * sizeof(Addr));
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

/* Which accesses to t need only be counted and checked for races
   (QUIET_READS, QUIET_WRITES): none for a global that may grow or with
   lockset hints to give; else reads and writes of an exclusive object,
   and of a shared one with no lock in common any more (nothing left to
   refine) once modified, its reads only before.  Kept in t->quiet for
   the helpers' fast path; recomputed after every access through the
   full path, which is where the state changes (a second thread, a first
   write, a lock dropped). */
#define QUIET_READS  1
#define QUIET_WRITES 2
static void settle ( Tracked* t )
{
   Bool settled = t->shared_seen && t->n_candidates == 0;
   if (t->grows || MSC_(clo_lockset_hints))
      t->quiet = 0;
   else if (t->state == STATE_EXCLUSIVE
            || (t->state == STATE_SHARED_MODIFIED && settled))
      t->quiet = QUIET_READS | QUIET_WRITES;
   else if (t->state == STATE_SHARED_READ && settled)
      t->quiet = QUIET_READS;
   else
      t->quiet = 0;
}

/* The thread running client code, as the core last said (the helpers
   below run for it; asking the core costs a call per access). */
static ThreadId s_running_tid = 1;

void MSC_(access_between_blocks) ( void )
{
   if (s_discard_pending) {
      s_discard_pending = False;
      VG_(discard_translations_safely)(0, ~(SizeT)0 >> 1,
                                       "memscope: a stack frame escaped");
   }
}

void MSC_(access_thread_running) ( ThreadId tid )
{
   s_running_tid = tid;
   if (tid > s_max_tid && tid < VG_N_THREADS)
      s_max_tid = tid;
}

/* What every access to a tracked object t does, on either path: the
   race check, unless its thread's earlier access of this epoch covers
   it, and the thread's statistics on t (s). */
static inline __attribute__((always_inline))
void check_and_add ( Tracked* t, ThreadStats* s, ThreadId tid, Addr a,
                     SizeT size, Bool is_write, Bool atomic, Addr ip )
{
   if (MSC_(race_active)
       && (atomic || !MSC_(race_covered)(&t->obj, tid, a, size, is_write)))
      MSC_(race_access)(&t->obj, tid, a, size, is_write, atomic, ip);
   if (atomic) {
      s->atomic++;
   } else if (is_write) {
      s->writes++;
      s->write_bytes += size;
   } else {
      s->reads++;
      s->read_bytes += size;
   }
   if (MSC_(lockset_n)[tid] > 0)
      s->locked++;
   s->last = MSC_(clock_now)();
}

/* The full path: cache misses, the Eraser state, globals that grow.
   Returns whether a is in a tracked object. */
static __attribute__((noinline))
Bool count_full ( Addr a, SizeT size, Bool is_write, Bool atomic, Addr ip )
{
   ThreadId tid = s_running_tid;
   Cache* c = &s_cache[tid];
   Tracked* t;
   ThreadStats* s;
   if (c->gen == s_generation && a - c->objs[0].lo < c->objs[0].len) {
      t = c->objs[0].obj;                         /* the usual case */
   } else if (c->gen == s_generation && a - c->gaps[0].lo < c->gaps[0].len) {
      return False;                               /* untracked memory */
   } else {
      UInt k;
      t = NULL;
      if (c->gen == s_generation) {
         /* Objects first: code alternating between buffers comes here
            far more often than code leaving for untracked memory. */
         for (k = 1; k < CACHE_OBJECTS; k++)
            if (a - c->objs[k].lo < c->objs[k].len) {
               CacheEntry hit = c->objs[k];       /* to the front */
               UInt j;
               for (j = k; j > 0; j--)
                  c->objs[j] = c->objs[j - 1];
               c->objs[0] = hit;
               t = hit.obj;
               break;
            }
         for (k = 1; t == NULL && k < CACHE_GAPS; k++)
            if (a - c->gaps[k].lo < c->gaps[k].len) {
               CacheGap hit = c->gaps[k];         /* to the front */
               UInt j;
               for (j = k; j > 0; j--)
                  c->gaps[j] = c->gaps[j - 1];
               c->gaps[0] = hit;
               return False;
            }
      }
      if (t == NULL) {
         t = lookup(a, size, tid, c);
         if (t == NULL)
            return False;
      }
   }
   if (t->grows && a + size > t->obj.start + t->obj.size) {
      /* An access that starts inside a global and ends past what was
         seen of it so far: the global is larger (up to the next
         symbol). */
      SizeT grown = grown_size(t->obj.start, t->obj.size,
                               a + size - t->obj.start);
      if (grown != t->obj.size) {
         t->obj.size = grown;
         s_generation++;
      }
   }
   s = c->objs[0].stats;
   if (s == NULL) {
      s = c->objs[0].stats = stats_of(t, MSC_(thread_serial)(tid), is_write,
                                      tid);
   }
   if (t->state != STATE_EXCLUSIVE) {
      if (t->state == STATE_SHARED_READ && is_write)
         t->state = STATE_SHARED_MODIFIED;
      refine_locks(t, tid);
      if (MSC_(clo_lockset_hints) && !t->lockset_hinted && !atomic
          && t->state == STATE_SHARED_MODIFIED && t->n_candidates == 0
          && !ordered_after_all(t, s) && !MSC_(sync_object_at)(t->obj.start))
         lockset_hint(t, tid);
   }
   check_and_add(t, s, tid, a, size, is_write, atomic, ip);
   if (MSC_(clo_lockset_hints))
      s->last_epoch = MSC_(race_epoch)(tid);
   settle(t);
   return True;
}

/* A plain load or store: the fast path, inline in the helpers, for an
   object of the thread's cache that is quiet and has its stats (the
   helpers then save few registers and call nothing but the race check);
   the rest goes to count_full. */
static inline __attribute__((always_inline))
void count ( Addr a, SizeT size, Bool is_write, Addr ip )
{
   ThreadId tid = s_running_tid;
   Cache* c = &s_cache[tid];
   if (c->gen == s_generation) {
      const CacheEntry* e = NULL;
      UInt k;
      for (k = 0; k < CACHE_OBJECTS; k++)
         if (a - c->objs[k].lo < c->objs[k].len) {
            e = &c->objs[k];
            break;
         }
      if (e != NULL && e->stats != NULL
          && (e->obj->quiet & (is_write ? QUIET_WRITES : QUIET_READS))) {
         check_and_add(e->obj, e->stats, tid, a, size, is_write, False, ip);
         return;
      }
      if (e == NULL)
         for (k = 0; k < CACHE_GAPS; k++)
            if (a - c->gaps[k].lo < c->gaps[k].len)
               return;                            /* untracked memory */
   }
   count_full(a, size, is_write, False, ip);
}

static VG_REGPARM(3) void on_read ( Addr a, UWord size, Addr ip )
{
   count(a, size, False, ip);
}

static VG_REGPARM(3) void on_write ( Addr a, UWord size, Addr ip )
{
   count(a, size, True, ip);
}

/* The usual sizes have helpers of their own (as DRD's): the size is a
   constant there, which folds the byte mask and the granule test, and
   the generated code passes one argument fewer. */
#define SIZED_HELPERS(n) \
   static VG_REGPARM(2) void on_read_##n ( Addr a, Addr ip ) \
   { \
      count(a, n, False, ip); \
   } \
   static VG_REGPARM(2) void on_write_##n ( Addr a, Addr ip ) \
   { \
      count(a, n, True, ip); \
   }
SIZED_HELPERS(1)
SIZED_HELPERS(2)
SIZED_HELPERS(4)
SIZED_HELPERS(8)

/* A library's atomic word, met in a read-modify-write that orders
   threads: tracked from now on as a variable of exactly its bytes, so
   that the plain loads the library's fast paths read it with (GLib's
   lazy initialisation, g_once_init_enter, a GPrivate's key) acquire it
   as the atomic loads they compile from.  Only in a data section of a
   loaded object: its memory lives as long as the object, and a stack or
   a mapping of the program's own would need an end. */
static Bool library_word_tracked ( ThreadId tid, Addr a, SizeT size )
{
   const MscDataSection* d = MSC_(elfdata_library_section_at)(a);
   const HChar* sym;
   PtrdiffT offset;
   HChar name[300];
   if (d == NULL || a + size > d->hi || index_overlaps(a, a + size))
      return False;
   if (MSC_(elfdata_symbol_at)(a, &sym, &offset))
      VG_(snprintf)(name, sizeof name, "%s+%ld in %s", sym, (long)offset,
                    d->object);
   else
      VG_(snprintf)(name, sizeof name, "atomic word at %s+0x%lx in %s",
                    d->section, (unsigned long)(a - d->lo), d->object);
   object_started(tid, a, size, MSC_ACCESS_VARIABLE, NULL, False);
   MSC_(names_name_found)(tid, a, size, name);
   return tracked_at(a) != NULL;
}

Bool MSC_(access_atomic) ( Addr a, SizeT size, Addr ip, Bool may_track )
{
   if (s_index == NULL)
      return False;
   if (count_full(a, size, False, True, ip))
      return True;
   return may_track && library_word_tracked(s_running_tid, a, size)
          && count_full(a, size, False, True, ip);
}

/* ---- memory the kernel reads or writes ------------------------------------ */

/* Whether ip lies in the C or C++ runtime, the dynamic linker or the
   preload: code between the program and a system call (read(2) under
   fread or an iostream), which the race check looks through. */
static Bool in_runtime ( Addr ip )
{
   static const HChar* const runtimes[] = {
      "libc.so", "libstdc++.so", "libpthread.so", "ld-linux", "vgpreload_"
   };
   return MSC_(elfdata_code_of)(ip, runtimes,
                                sizeof runtimes / sizeof runtimes[0]);
}

/* The program's instruction behind tid's system call: the innermost
   frame outside the runtimes, so that a hint names the line of the
   program's read() or fwrite(), also as the earlier access of a pair
   (which keeps one instruction). */
static Addr program_ip ( ThreadId tid, Bool* by_library )
{
   static const HChar* const libc[] = { "libc.so" };
   Addr ips[12];
   UInt n = VG_(get_StackTrace)(tid, ips, 12, NULL, NULL, 0), i;
   /* The C library's system call made for its own work (fflush writing
      a stream's buffer) rather than a call of the program's (read(2)):
      the function around the system call was called by the library. */
   *by_library = n > 1 && MSC_(elfdata_code_of)(ips[1], libc, 1);
   for (i = 0; i < n; i++)
      if (!in_runtime(ips[i]))
         return ips[i];
   return n > 0 ? ips[0] : VG_(get_IP)(tid);
}

/* Whether debug info says the global t holds address a (so that the
   kernel's access up to a is one access of it). */
static Bool global_holds ( const Tracked* t, Addr a )
{
   const HChar* sym;
   PtrdiffT offset;
   return VG_(get_datasym_and_offset)(VG_(current_DiEpoch)(), a, &sym,
                                      &offset)
          && offset >= 0 && a - (Addr)offset == t->obj.start;
}

/* What reaches a tracked object through touch_range: the kernel's
   accesses (kernel_access) and the wrapped calls' uses (object_used). */
typedef enum {
   TOUCH_KERNEL_READ,     /* a system call reads it */
   TOUCH_KERNEL_WRITE,    /* a system call wrote it */
   TOUCH_SYNC_USE,        /* a wrapped call uses the object there */
   TOUCH_SYNC_REWRITE     /* a wrapped call initialises or destroys it */
} Touch;

/* [a, a+len) touched for tid (how): every tracked object in it gets one
   access of the bytes it holds.  Heap blocks, named variables and frames
   are checked in one piece; a global met through debug info grows by
   what is accessed: in one piece when debug info puts the range's last
   byte in it, else a granule at a time (its extent is learnt as the
   program's own loads would teach it); untracked stretches are skipped a
   gap at a time.  Named at the program's call (program_ip). */
static void touch_range ( ThreadId tid, Addr a, SizeT len, Touch how )
{
   Addr p = a, end = a + len, ip = 0;
   Bool by_library = False;
   ThreadId running = s_running_tid;
   if (s_index == NULL || len == 0 || end < a || tid >= VG_N_THREADS)
      return;
   s_running_tid = tid;
   while (p < end) {
      Cache* c = &s_cache[tid];
      Addr next = (p | 7) + 1;
      Tracked* t;
      if (c->gen == s_generation && p - c->objs[0].lo < c->objs[0].len)
         t = c->objs[0].obj;
      else
         t = lookup(p, 1, tid, c);         /* the object or the gap at p */
      if (t == NULL) {
         if (c->gen == s_generation && p - c->gaps[0].lo < c->gaps[0].len
             && c->gaps[0].lo + c->gaps[0].len > next)
            next = c->gaps[0].lo + c->gaps[0].len;
      } else {
         if (!t->grows)
            next = c->objs[0].lo + c->objs[0].len;
         else if (global_holds(t, end - 1))
            next = end;
         if (next > end)
            next = end;
         if (ip == 0)
            ip = program_ip(tid, &by_library);
         if (how == TOUCH_KERNEL_READ || how == TOUCH_KERNEL_WRITE) {
            MSC_(race_view)(tid, by_library ? MSC_RACE_VIEW_LIBRARY
                                            : MSC_RACE_VIEW_PROGRAM);
            count_full(p, next - p, how == TOUCH_KERNEL_WRITE, False, ip);
            MSC_(race_view)(tid, MSC_RACE_VIEW_BY_CODE);
         } else if (MSC_(race_active))
            MSC_(race_sync_access)(&t->obj, tid, p, next - p,
                                   how == TOUCH_SYNC_REWRITE, ip);
      }
      p = next;
   }
   s_running_tid = running;
}

/* The kernel's accesses: not those of a call the wrappers model (a
   join's futex wait, pthread_create's clone), whose meaning the wrapper
   gives. */
static void kernel_access ( ThreadId tid, Addr a, SizeT len, Bool is_write )
{
   if (!MSC_(syncev_in_primitive)(tid))
      touch_range(tid, a, len,
                  is_write ? TOUCH_KERNEL_WRITE : TOUCH_KERNEL_READ);
}

/* msc_syncev's object user: a wrapped call's use of its object. */
static void object_used ( ThreadId tid, Addr a, SizeT len, Bool rewrite )
{
   touch_range(tid, a, len, rewrite ? TOUCH_SYNC_REWRITE : TOUCH_SYNC_USE);
}

void MSC_(access_syscall_read) ( CorePart part, ThreadId tid,
                                 const HChar* what, Addr a, SizeT len )
{
   /* A futex word is read by the kernel atomically, as the program's
      own atomics read it: no plain access. */
   if ((part != Vg_CoreSysCall && part != Vg_CoreSysCallArgInMem)
       || (what != NULL && VG_(strncmp)(what, "futex", 5) == 0))
      return;
   kernel_access(tid, a, len, False);
}

void MSC_(access_syscall_wrote) ( CorePart part, ThreadId tid, Addr a,
                                  SizeT len )
{
   if (part == Vg_CoreSysCall)
      kernel_access(tid, a, len, True);
}

/* ---- instrumentation -------------------------------------------------------- */

/* The instruction being instrumented (the host instruments one
   superblock at a time). */
static Addr s_insn_ip = 0;

/* Accesses at the stack pointer plus a constant are never to a tracked
   object, unless the program named a variable of a stack: until it does,
   they get no counting call at all (most loads and stores of optimised
   code are spills and locals).  The first stack variable named discards
   every translation made without them.  Per superblock: which temps hold
   the stack pointer plus a constant. */
static Int    s_offset_SP = -1;
static Bool*  s_sp_temps = NULL;
static UInt   s_n_sp_temps = 0;

void MSC_(access_sb_begin) ( const IRSB* sbIn, Int offset_SP )
{
   UInt n = sbIn->tyenv->types_used;
   s_offset_SP = offset_SP;
   if (n > s_n_sp_temps) {
      s_sp_temps = VG_(realloc)("msc.access.sp_temps", s_sp_temps,
                                n * sizeof(Bool));
      s_n_sp_temps = n;
   }
   VG_(memset)(s_sp_temps, 0, n * sizeof(Bool));
}

static Bool is_stack_address ( const IRExpr* addr )
{
   return !s_instrument_stack && addr->tag == Iex_RdTmp
          && addr->Iex.RdTmp.tmp < s_n_sp_temps
          && s_sp_temps[addr->Iex.RdTmp.tmp];
}

/* t = GET(SP), or t = t' +/- constant with t' such a temp. */
static void note_stack_temp ( IRTemp t, const IRExpr* e )
{
   if (t >= s_n_sp_temps)
      return;
   if (e->tag == Iex_Get && e->Iex.Get.offset == s_offset_SP)
      s_sp_temps[t] = True;
   else if (e->tag == Iex_Binop
            && (e->Iex.Binop.op == Iop_Add64 || e->Iex.Binop.op == Iop_Sub64
                || e->Iex.Binop.op == Iop_Add32
                || e->Iex.Binop.op == Iop_Sub32)
            && e->Iex.Binop.arg1->tag == Iex_RdTmp
            && e->Iex.Binop.arg1->Iex.RdTmp.tmp < s_n_sp_temps
            && s_sp_temps[e->Iex.Binop.arg1->Iex.RdTmp.tmp]
            && e->Iex.Binop.arg2->tag == Iex_Const)
      s_sp_temps[t] = True;
}

/* A call counting one load or store; `guard` (NULL: always) makes it
   conditional, for guarded loads and stores. */
static void add_guarded_call ( IRSB* sbOut, Bool is_write, IRExpr* addr,
                               Int size, IRExpr* guard )
{
   static const struct {
      const HChar* name;
      void*        fn;
   } sized[2][4] = {
      { { "msc_on_read_1", on_read_1 }, { "msc_on_read_2", on_read_2 },
        { "msc_on_read_4", on_read_4 }, { "msc_on_read_8", on_read_8 } },
      { { "msc_on_write_1", on_write_1 }, { "msc_on_write_2", on_write_2 },
        { "msc_on_write_4", on_write_4 }, { "msc_on_write_8", on_write_8 } },
   };
   Int k = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : size == 8 ? 3 : -1;
   IRDirty* d;
   if (k >= 0)
      d = unsafeIRDirty_0_N(
         2, sized[is_write][k].name,
         VG_(fnptr_to_fnentry)(sized[is_write][k].fn),
         mkIRExprVec_2(addr, mkIRExpr_HWord(s_insn_ip)));
   else
      d = unsafeIRDirty_0_N(
         3, is_write ? "msc_on_write" : "msc_on_read",
         VG_(fnptr_to_fnentry)(is_write ? (void*)on_write : (void*)on_read),
         mkIRExprVec_3(addr, mkIRExpr_HWord(size),
                       mkIRExpr_HWord(s_insn_ip)));
   if (guard != NULL)
      d->guard = guard;
   addStmtToIRSB(sbOut, IRStmt_Dirty(d));
}

static void add_call ( IRSB* sbOut, Bool is_write, IRExpr* addr, Int size )
{
   add_guarded_call(sbOut, is_write, addr, size, NULL);
}

/* Whether the load into `tmp` from `addr` (statement i of sbIn) is the
   read half of a read-modify-write: VEX makes LOCK-prefixed instructions
   and XCHG of a load and a CAS of the same address, within the same guest
   instruction, expecting the loaded value.  The atomics module counts the
   whole instruction once, as atomic. */
static Bool is_rmw_load ( const IRSB* sbIn, Int i, IRTemp tmp,
                          const IRExpr* addr )
{
   Int j;
   for (j = i + 1; j < sbIn->stmts_used; j++) {
      const IRStmt* st = sbIn->stmts[j];
      if (st->tag == Ist_IMark)
         return False;
      if (st->tag == Ist_CAS) {
         const IRCAS* cas = st->Ist.CAS.details;
         return cas->expdLo->tag == Iex_RdTmp
                && cas->expdLo->Iex.RdTmp.tmp == tmp
                && MSC_(same_ir_atom)(cas->addr, addr);
      }
   }
   return False;
}

void MSC_(access_instrument_stmt) ( IRSB* sbOut, const IRSB* sbIn, Int i )
{
   const IRStmt* st = sbIn->stmts[i];
   if (s_index == NULL)
      return;
   switch (st->tag) {
   case Ist_IMark:
      s_insn_ip = st->Ist.IMark.addr + st->Ist.IMark.delta;
      break;
   case Ist_WrTmp: {
      const IRExpr* e = st->Ist.WrTmp.data;
      note_stack_temp(st->Ist.WrTmp.tmp, e);
      if (e->tag == Iex_Load && !is_stack_address(e->Iex.Load.addr)
          && !is_rmw_load(sbIn, i, st->Ist.WrTmp.tmp, e->Iex.Load.addr))
         add_call(sbOut, False, e->Iex.Load.addr,
                  sizeofIRType(e->Iex.Load.ty));
      break;
   }
   case Ist_Store:
      if (!is_stack_address(st->Ist.Store.addr))
         add_call(sbOut, True, st->Ist.Store.addr,
                  sizeofIRType(typeOfIRExpr(sbOut->tyenv,
                                            st->Ist.Store.data)));
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

static void object_ended ( Addr start, SizeT size, UInt kind,
                           ThreadId freed_by )
{
   object_gone(start, freed_by);
}

const MscObjectObserver MSC_(access_objects) = {
   object_started, object_named, object_ended
};
