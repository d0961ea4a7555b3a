/* msc_race.c: race hints.  See msc_race.h.  Runs on the host.

   Shadow state.  An object's shadow covers it in 8-byte granules from its
   start rounded down, in chunks of CHUNK_GRANULES allocated at the first
   access that falls in them (a large block a program touches in part
   costs only what it touches).  Each granule has WAYS cells; a cell is one
   access: thread, epoch clock, a mask of the granule's bytes, read or
   write, atomic or not, and the instruction.  Byte masks make conflicts
   byte-exact: two threads writing different bytes of a word never
   conflict.  While one thread only has touched an object its chunks have
   OWNED_WAYS cells; the first access by a second thread makes the object
   shared and its chunks grow to SHARED_WAYS as they are touched.

   A new access checks every cell of its granules: a cell of another
   thread whose bytes overlap, not ordered before the access by the
   happens-before relation, with a write on either side and not both
   atomic, is a race.  The access then replaces the cells it makes
   redundant (its own thread's earlier accesses it covers, and accesses
   of any thread that happen before it and that it covers), or takes an
   empty cell, or evicts one in turn: eviction can lose a race, never
   invent one.

   Atomic locations.  x86 compiles C11 atomic loads and release stores to
   plain moves.  A granule's bytes that an atomic read-modify-write has
   touched (aligned, within the granule) form an atomic location: a plain
   access of exactly those bytes is an atomic access, a load acquiring
   and a store releasing the location; plain stores made there before
   the first read-modify-write are released after the fact.  A load of
   any of the location's bytes is an atomic load too; stores of other
   sizes stay plain. */

#include "msc_race.h"
#include "msc_elfdata.h"
#include "msc_findings.h"
#include "msc_hb.h"
#include "msc_locksets.h"
#include "msc_log.h"
#include "msc_stacks.h"
#include "msc_threads.h"
#include "msc_warn.h"
#include "pub_tool_machine.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_poolalloc.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_wordfm.h"
#include "libvex_guest_amd64.h"
#include "pub_tool_vki.h"
#include "pub_tool_aspacemgr.h"

Bool MSC_(race_active) = False;
/* The happens-before relation is kept when race hints or lockset hints
   need it. */
static Bool s_hb_on = False;

#define MAX_CHECKED_SZB ((SizeT)1 << 34)
#define OWNED_WAYS     2
#define SHARED_WAYS    4

/* Cell.tag: thread << TAG_THREAD_SHIFT | mask << TAG_MASK_SHIFT | flags;
   0 is an empty cell (threads are numbered from 1). */
#define TAG_MASK_SHIFT   4
#define TAG_THREAD_SHIFT 12
/* Threads a cell can name: the tag keeps 20 bits of thread number.  The
   accesses of later threads are not checked (a program would have to
   create more than a million threads over its run); a warning says so. */
#define MAX_CHECKED_THREAD ((1u << (32 - TAG_THREAD_SHIFT)) - 1)

struct _MscCell {
   Addr ip;
   UInt clock;
   UInt tag;
};
typedef struct _MscCell Cell;
typedef MscChunk Chunk;

STATIC_ASSERT(CHUNK_GRANULES <= 64);     /* Chunk.ready is one word */

/* The bytes of a granule's atomic location, from its fast word. */
static inline UInt fast_atomic ( ULong f )
{
   return (UInt)(f >> FAST_ATOMIC_SHIFT) & 0xFF;
}

static SizeT chunk_bytes ( UInt n, UInt ways )
{
   return sizeof(Chunk) + (SizeT)n * ways * sizeof(Cell)
          + (SizeT)n * sizeof(ULong);
}

/* Lays out memory of chunk_bytes(n, ways) as a chunk with no access. */
#define CHUNK_ARENA  0
#define CHUNK_INLINE 1
#define CHUNK_POOLED 2

static Chunk* chunk_init ( void* mem, UInt n, UInt ways, UChar origin )
{
   Chunk* c = mem;
   c->ways = ways;
   c->n = n;
   c->origin = origin;
   c->fast = (ULong*)(c + 1);
   c->cells = (Cell*)&c->fast[n];
   c->ready = 0;
   /* The fast words of a chunk of its own are valid from the start (0:
      no stamp): the inline check in msc_race.h reads them without the
      ready bits.  Those of a small object's chunk are cleared with the
      granule's cells (see MSC_(race_covered)). */
   if (origin != CHUNK_INLINE)
      VG_(memset)(c->fast, 0, n * sizeof(ULong));
   return c;
}

/* Granule gi's cells, its state cleared at its first use. */
static inline Cell* cells_of ( Chunk* c, UInt gi )
{
   Cell* cells = &c->cells[gi * c->ways];
   if (!((c->ready >> gi) & 1)) {
      VG_(memset)(cells, 0, c->ways * sizeof(Cell));
      c->fast[gi] = 0;
      c->ready |= (ULong)1 << gi;
   }
   return cells;
}

static inline Bool cells_ready ( const Chunk* c, UInt gi )
{
   return (c->ready >> gi) & 1;
}

static inline UInt cell_thread ( const Cell* c )
{
   return c->tag >> TAG_THREAD_SHIFT;
}
static inline UInt cell_mask ( const Cell* c )
{
   return (c->tag >> TAG_MASK_SHIFT) & 0xFF;
}

/* ---- per-thread state ------------------------------------------------------ */

/* The locks a thread held from a clock on: a ring of the last
   LOCK_HISTORY changes, for naming the earlier side's locks in a report. */
#define LOCK_HISTORY 256
#define HISTORY_LOCKS 4
typedef struct {
   UInt  clock;
   UInt  n;                          /* locks held (may exceed the kept) */
   Addr  locks[HISTORY_LOCKS];
} LockEpoch;

typedef struct {
   UInt      n_recorded;             /* ever; the ring keeps the last */
   UInt      cap;                    /* entries of ring: from 8, doubled
                                        while it has not wrapped, up to
                                        LOCK_HISTORY (most threads lock a
                                        few times: thousands of short
                                        threads must not cost 10 KiB each) */
   LockEpoch* ring;
} LockHistory;

/* Per Valgrind ThreadId: the annotations' switches, and the thread's
   number and current epoch clock, kept here because every checked access
   needs them (refreshed after each operation that starts an epoch). */
typedef struct {
   Bool ignore_reads, ignore_writes;
   UInt serial;                     /* 0: not known yet */
   UInt now;
   UInt shared_holds;               /* read locks held (their writes are
                                       checked with msc_hb's writes'
                                       clock) */
   Bool in_primitive;               /* inside a call the wrappers model
                                       (msc_syncev's count, cached) */
   MscRaceView view;                /* whose accesses come now (see
                                       MSC_(race_view)) */
} ThreadFlags;

static ThreadFlags*  s_flags = NULL;        /* per ThreadId */
UInt*                MSC_(race_stamp) = NULL; /* per ThreadId */
static LockHistory** s_history = NULL;      /* per thread number */
static UInt          s_n_history = 0;
/* Benign ranges: start -> end (exclusive), disjoint. */
static WordFM*       s_benign = NULL;
/* Bytes the C library reads before it takes a lock, by design (a
   stream's flags and its lock's owner): start -> end, disjoint. */
static WordFM*       s_library_benign = NULL;
static Bool          s_any_library_benign = False;
/* The C library's own locks (a stream's lock word) -> the address of
   the word naming the lock's owner. */
static WordFM*       s_library_locks = NULL;
/* The bytes of the synchronisation objects the wrappers see (start ->
   end): inside a modelled call, the library's own accesses there are not
   recorded; the call's use of the object is, once, by race_sync_access. */
static WordFM*       s_sync_bytes = NULL;
/* A synthetic access of race_sync_access is being checked. */
static Bool          s_synthetic = False;
/* Reported pairs of instructions: (ip, other ip) -> 1. */
static WordFM*       s_reported = NULL;
static ULong         s_hints = 0;
static UInt          s_evict = 0;           /* round-robin eviction */

typedef struct {
   Addr ip, other_ip;
} IpPair;

/* A hint as the program's source says it: the two accesses' source
   lines, in either order (file names are interned by the debug info: a
   pointer names one; without debug info the instruction's address
   stands for its line) and the object.  Another pair of instructions at the same two
   lines on the same object (a loop compiled into several copies, the
   read and the write of one `counter++`) is the same race: counted
   again (a RACE_AGAIN record), not reported again. */
typedef struct {
   const HChar* file[2];
   UWord        line[2];
   Addr         object;
   UInt         hint;      /* the RACE record's number in this log */
} SitePair;

/* Reported source pairs: SitePair* -> 1. */
static WordFM* s_reported_sites = NULL;

static Word cmp_source ( const HChar* f1, UWord l1, const HChar* f2,
                         UWord l2 )
{
   if (f1 != f2)
      return (UWord)f1 < (UWord)f2 ? -1 : 1;
   if (l1 != l2)
      return l1 < l2 ? -1 : 1;
   return 0;
}

static Word cmp_sites ( UWord a, UWord b )
{
   const SitePair* x = (const SitePair*)a;
   const SitePair* y = (const SitePair*)b;
   UInt i;
   for (i = 0; i < 2; i++) {
      Word c = cmp_source(x->file[i], x->line[i], y->file[i], y->line[i]);
      if (c != 0)
         return c;
   }
   if (x->object != y->object)
      return x->object < y->object ? -1 : 1;
   return 0;
}

static void source_of ( Addr ip, const HChar** file, UWord* line )
{
   const HChar* dir;
   UInt n;
   if (ip != 0
       && VG_(get_filename_linenum)(VG_(current_DiEpoch)(), ip, file, &dir,
                                    &n)) {
      *line = n;
   } else {
      *file = NULL;
      *line = ip;
   }
}

static Word cmp_pairs ( UWord a, UWord b )
{
   const IpPair* x = (const IpPair*)a;
   const IpPair* y = (const IpPair*)b;
   if (x->ip != y->ip)
      return x->ip < y->ip ? -1 : 1;
   if (x->other_ip != y->other_ip)
      return x->other_ip < y->other_ip ? -1 : 1;
   return 0;
}

static UInt serial_of ( ThreadId tid )
{
   return MSC_(thread_serial)(tid);
}

/* tid's epoch clock may have moved: the copy follows, with a new stamp
   (stamps only grow; 2^32 epoch changes would be needed to reuse one). */
static UInt s_last_stamp = 0;
static void refresh ( ThreadId tid )
{
   if (tid < VG_N_THREADS && s_flags[tid].serial != 0) {
      UInt now = MSC_(hb_now)(s_flags[tid].serial);
      if (now != s_flags[tid].now || MSC_(race_stamp)[tid] == 0) {
         s_flags[tid].now = now;
         if (++s_last_stamp == 0)
            s_last_stamp = 1;
         MSC_(race_stamp)[tid] = s_last_stamp;
      }
   }
}

void MSC_(race_init) ( void )
{
   MSC_(race_active) = MSC_(clo_track_access) && MSC_(clo_race_hints);
   s_hb_on = MSC_(clo_track_access)
             && (MSC_(clo_race_hints) || MSC_(clo_lockset_hints));
   MSC_(hb_init)();
   s_flags = VG_(calloc)("msc.race.flags", VG_N_THREADS, sizeof(ThreadFlags));
   MSC_(race_stamp) = VG_(calloc)("msc.race.stamps", VG_N_THREADS,
                                  sizeof(UInt));
   s_benign = VG_(newFM)(VG_(malloc), "msc.race.benign", VG_(free), NULL);
   s_sync_bytes = VG_(newFM)(VG_(malloc), "msc.race.sync_bytes", VG_(free),
                             NULL);
   s_library_benign = VG_(newFM)(VG_(malloc), "msc.race.library_benign",
                                 VG_(free), NULL);
   s_library_locks = VG_(newFM)(VG_(malloc), "msc.race.library_locks",
                                VG_(free), NULL);
   s_reported = VG_(newFM)(VG_(malloc), "msc.race.reported", VG_(free),
                           cmp_pairs);
   s_reported_sites = VG_(newFM)(VG_(malloc), "msc.race.sites", VG_(free),
                                 cmp_sites);
   /* The main thread starts its history. */
   MSC_(hb_thread_start)(0, 1);
   s_flags[1].serial = serial_of(1);
   refresh(1);
}

Bool MSC_(race_ordered_before) ( UInt thread, UInt clock, ThreadId tid )
{
   return MSC_(hb_ordered)(thread, clock, serial_of(tid));
}

UInt MSC_(race_epoch) ( ThreadId tid )
{
   return s_hb_on ? MSC_(hb_now)(serial_of(tid)) : 0;
}

ULong MSC_(race_hints_count) ( void )
{
   return s_hints;
}


/* ---- ordering events -------------------------------------------------------- */

void MSC_(race_thread_start) ( ThreadId parent, ThreadId child )
{
   /* The core announces the main thread before the options are read. */
   if (!s_hb_on)
      return;
   MSC_(hb_thread_start)(serial_of(parent), serial_of(child));
   if (child < VG_N_THREADS) {
      s_flags[child].ignore_reads = s_flags[child].ignore_writes = False;
      s_flags[child].shared_holds = 0;
      s_flags[child].view = MSC_RACE_VIEW_BY_CODE;
      s_flags[child].serial = serial_of(child);
      MSC_(race_stamp)[child] = 0;           /* a new thread, a new stamp */
   }
   refresh(parent);
   refresh(child);
}

void MSC_(race_thread_gone) ( UInt serial )
{
   if (s_hb_on)
      MSC_(hb_thread_gone)(serial);
}

void MSC_(race_thread_joined) ( ThreadId joiner, UInt joined_serial )
{
   if (!s_hb_on)
      return;
   MSC_(hb_thread_joined)(serial_of(joiner), joined_serial);
}

void MSC_(race_release) ( ThreadId tid, Addr obj )
{
   if (!s_hb_on)
      return;
   MSC_(hb_release)(serial_of(tid), obj);
   refresh(tid);
}

void MSC_(race_acquire) ( ThreadId tid, Addr obj )
{
   if (!s_hb_on)
      return;
   MSC_(hb_acquire)(serial_of(tid), obj);
}

void MSC_(race_acquire_shared) ( ThreadId tid, Addr obj )
{
   if (!s_hb_on || tid >= VG_N_THREADS)
      return;
   MSC_(hb_acquire_shared)(serial_of(tid), obj);
   s_flags[tid].shared_holds++;
}

void MSC_(race_shared_end) ( ThreadId tid )
{
   if (!s_hb_on || tid >= VG_N_THREADS || s_flags[tid].shared_holds == 0)
      return;
   MSC_(hb_shared_end)(serial_of(tid));
   s_flags[tid].shared_holds--;
}

void MSC_(race_forget) ( Addr obj )
{
   if (!s_hb_on)
      return;
   MSC_(hb_forget)(obj);
}

void MSC_(race_release_library) ( ThreadId tid, Addr obj )
{
   if (!s_hb_on)
      return;
   MSC_(hb_release_library)(serial_of(tid), obj);
   refresh(tid);
}

void MSC_(race_acquire_library) ( ThreadId tid, Addr obj )
{
   if (!s_hb_on)
      return;
   MSC_(hb_acquire_library)(serial_of(tid), obj);
}

void MSC_(race_view) ( ThreadId tid, MscRaceView view )
{
   if (tid < VG_N_THREADS && s_flags != NULL)
      s_flags[tid].view = view;
}

/* Whether the code of tid's access at ip is the C library's: its own,
   or a string function of the preload that it called (memcpy into a
   stream's buffer).  Asked only when a conflict is left by the program's
   ordering, so the unwinding is rare. */
static Bool library_code ( ThreadId tid, Addr ip )
{
   static const HChar* const libc[] = { "libc.so" };
   static const HChar* const preload[] = { "vgpreload_" };
   Addr ips[8];
   UInt n, i;
   if (MSC_(elfdata_code_of)(ip, libc, 1))
      return True;
   if (!MSC_(elfdata_code_of)(ip, preload, 1))
      return False;
   n = VG_(get_StackTrace)(tid, ips, 8, NULL, NULL, 0);
   for (i = 0; i < n; i++)
      if (!MSC_(elfdata_code_of)(ips[i], preload, 1))
         return MSC_(elfdata_code_of)(ips[i], libc, 1);
   return False;
}

/* Whether tid holds one of the library's locks now: the word after each
   lock's count names its owner, the thread's pointer (glibc's recursive
   lock).  Without a thread pointer to compare, the code alone decides. */
static Bool holds_library_lock ( ThreadId tid )
{
#if defined(VGA_amd64)
   ULong tp = 0;
   UWord lock, owner_at;
   Bool held = False;
   VG_(get_shadow_regs_area)(tid, (UChar*)&tp, 0,
                             offsetof(VexGuestAMD64State, guest_FS_CONST),
                             sizeof tp);
   VG_(initIterFM)(s_library_locks);
   while (!held && VG_(nextIterFM)(s_library_locks, &lock, &owner_at))
      held = owner_at % sizeof(Addr) == 0
             && VG_(am_is_valid_for_client)(owner_at, sizeof(Addr),
                                            VKI_PROT_READ)
             && *(const Addr*)owner_at == (Addr)tp;
   VG_(doneIterFM)(s_library_locks);
   return held;
#else
   (void)tid;
   return True;
#endif
}

/* Whether tid's access is one the C library makes for a stream: made
   while the thread holds a stream's lock (printf's copy into the buffer,
   fflush's write, a fopencookie stream's functions, which the library
   calls under the lock), not a system call of the program's own.  A
   memcpy or sprintf of the program's, outside any stream's lock, is the
   program's access. */
static Bool library_access ( ThreadId tid )
{
   return s_flags[tid].view != MSC_RACE_VIEW_PROGRAM
          && holds_library_lock(tid);
}

void MSC_(race_library_lock) ( Addr lock, Addr owner_at, Bool on )
{
   if (s_library_locks == NULL)
      return;
   if (on)
      VG_(addToFM)(s_library_locks, lock, owner_at);
   else
      VG_(delFromFM)(s_library_locks, NULL, NULL, lock);
}

/* Whether tid's plain access at ip of the atomic location loc is the
   library's use of one of its own locks (glibc's contended lock path
   reads the word with a plain load): it acquires or releases the
   library view only. */
static Bool library_lock_use ( ThreadId tid, Addr loc, Addr ip )
{
   return VG_(lookupFM)(s_library_locks, NULL, NULL, loc)
          && library_code(tid, ip);
}

/* Whether the object holds one of the library's locks: a stream's FILE,
   which fclose frees after letting go of its lock. */
static Bool holds_stream_in ( const MscRaceObject* o )
{
   UWord lock, owner_at;
   Bool found;
   VG_(initIterAtFM)(s_library_locks, o->start);
   found = VG_(nextIterFM)(s_library_locks, &lock, &owner_at)
           && lock < o->start + o->size;
   VG_(doneIterFM)(s_library_locks);
   return found;
}

/* Whether the conflict with cell (other, clock) is ordered for the
   library's own access of tid, through the streams' locks. */
static Bool ordered_for_library ( UInt other, UInt clock, UInt me,
                                  ThreadId tid )
{
   return MSC_(hb_ordered_library)(other, clock, me)
          && library_access(tid);
}

void MSC_(race_rmw) ( ThreadId tid, Addr a )
{
   UInt t = serial_of(tid);
   if (!s_hb_on)
      return;
   MSC_(hb_acquire)(t, a);
   MSC_(hb_release)(t, a);
   refresh(tid);
}

static LockHistory* history_of ( UInt thread, Bool create )
{
   if (thread >= s_n_history) {
      UInt i, n = s_n_history ? s_n_history : 16;
      if (!create)
         return NULL;
      while (n <= thread)
         n *= 2;
      s_history = VG_(realloc)("msc.race.history", s_history,
                               n * sizeof(LockHistory*));
      for (i = s_n_history; i < n; i++)
         s_history[i] = NULL;
      s_n_history = n;
   }
   if (s_history[thread] == NULL && create)
      s_history[thread] = VG_(calloc)("msc.race.history", 1,
                                      sizeof(LockHistory));
   return s_history[thread];
}

void MSC_(race_locks_changed) ( ThreadId tid )
{
   UInt t = serial_of(tid), i, n;
   const Addr* held;
   LockHistory* h;
   LockEpoch* e;
   if (!s_hb_on || t == 0)
      return;
   MSC_(hb_tick)(t);
   refresh(tid);
   n = MSC_(lockset_of)(tid, &held);
   h = history_of(t, True);
   if (h->n_recorded == h->cap && h->cap < LOCK_HISTORY) {
      h->cap = h->cap ? 2 * h->cap : 8;
      h->ring = VG_(realloc)("msc.race.history", h->ring,
                             h->cap * sizeof(LockEpoch));
   }
   e = &h->ring[h->n_recorded % h->cap];
   h->n_recorded++;
   e->clock = MSC_(hb_now)(t);
   e->n = n;
   for (i = 0; i < n && i < HISTORY_LOCKS; i++)
      e->locks[i] = held[i];
}

/* The locks `thread` held at epoch clock; False when forgotten. */
static Bool locks_at ( UInt thread, UInt clock, UInt* n, Addr* locks )
{
   LockHistory* h = history_of(thread, False);
   UInt i, kept;
   *n = 0;
   if (h == NULL || h->n_recorded == 0)
      return True;                    /* never held a lock */
   kept = h->n_recorded < h->cap ? h->n_recorded : h->cap;
   for (i = 1; i <= kept; i++) {
      const LockEpoch* e = &h->ring[(h->n_recorded - i) % h->cap];
      if (e->clock <= clock) {
         UInt j;
         *n = e->n < HISTORY_LOCKS ? e->n : HISTORY_LOCKS;
         for (j = 0; j < *n; j++)
            locks[j] = e->locks[j];
         return True;
      }
   }
   /* Older than every entry kept: before the first change (no locks)
      unless the ring has wrapped. */
   return h->n_recorded <= LOCK_HISTORY;
}

/* ---- annotations ---------------------------------------------------------------- */

void MSC_(race_ignore) ( ThreadId tid, Bool reads, Bool ignore )
{
   if (tid >= VG_N_THREADS)
      return;
   if (reads)
      s_flags[tid].ignore_reads = ignore;
   else
      s_flags[tid].ignore_writes = ignore;
}

/* A range of `set` (start -> end) overlapping [a, end), False when none. */
static Bool range_overlap ( WordFM* set, Addr a, Addr end, Addr* s, Addr* e )
{
   UWord key, val, kMin = 0, vMin = 0, kMax = 0, vMax = 0;
   Bool found = False;
   if (VG_(lookupFM)(set, &key, &val, a)) {
      *s = key; *e = val;
      return True;
   }
   if (VG_(findBoundsFM)(set, &kMin, &vMin, &kMax, &vMax,
                         0, 0, ~(UWord)0, 0, a)
       && vMin > a) {                  /* starts below a, reaches it */
      *s = kMin; *e = vMin;
      return True;
   }
   VG_(initIterAtFM)(set, a);
   if (VG_(nextIterFM)(set, &key, &val) && key < end) {
      *s = key; *e = val;
      found = True;
   }
   VG_(doneIterFM)(set);
   return found;
}

/* Removes [a, end) from `set`, keeping the parts of the ranges it cuts
   that lie outside. */
static void range_remove ( WordFM* set, Addr a, Addr end )
{
   Addr s, e;
   while (range_overlap(set, a, end, &s, &e)) {
      VG_(delFromFM)(set, NULL, NULL, s);
      if (s < a)
         VG_(addToFM)(set, s, a);
      if (e > end)
         VG_(addToFM)(set, end, e);
   }
}

/* Whether each set ever held a range: a cheap test before the lookup
   (VG_(sizeFM) counts the nodes). */
static Bool s_any_benign = False, s_any_sync_bytes = False;

static void range_set ( WordFM* set, Bool* any, Addr a, SizeT len, Bool on )
{
   if (!MSC_(race_active) || len == 0 || a + len < a)
      return;
   range_remove(set, a, a + len);
   if (on) {
      VG_(addToFM)(set, a, a + len);
      *any = True;
   }
}

void MSC_(race_benign) ( Addr a, SizeT len, Bool benign )
{
   range_set(s_benign, &s_any_benign, a, len, benign);
}

void MSC_(race_library_benign) ( Addr a, SizeT len, Bool on )
{
   range_set(s_library_benign, &s_any_library_benign, a, len, on);
}

void MSC_(race_sync_bytes) ( Addr a, SizeT len, Bool on )
{
   range_set(s_sync_bytes, &s_any_sync_bytes, a, len, on);
}

void MSC_(race_in_primitive) ( ThreadId tid, Bool inside )
{
   if (tid < VG_N_THREADS && s_flags != NULL)
      s_flags[tid].in_primitive = inside;
}

static Bool is_benign ( Addr a, SizeT len )
{
   Addr s, e;
   return s_any_benign && range_overlap(s_benign, a, a + len, &s, &e);
}

/* Whether [a, end) touches a synchronisation object's bytes. */
static Bool is_sync_bytes ( Addr a, Addr end )
{
   Addr s, e;
   return s_any_sync_bytes && range_overlap(s_sync_bytes, a, end, &s, &e);
}

/* ---- shadow --------------------------------------------------------------------- */

/* Shadows of objects of one chunk, with their chunk, come from pools by
   size class: most blocks of a malloc-heavy program are small and
   short-lived, and the arena's search and merging for every one showed
   in profiles.  Classes are exact up to 4 granules (a 16-byte block
   costs 2 granules' cells, not 8), then in steps of 4. */
#define EXACT_CLASSES  4
#define SHADOW_CLASSES (EXACT_CLASSES + (CHUNK_GRANULES - EXACT_CLASSES) / 4)
static PoolAlloc* s_shadow_pools[SHADOW_CLASSES + 1];
static PoolAlloc* s_pair_pool = NULL;        /* see shadow_of */
static PoolAlloc* s_full_chunk_pool = NULL;  /* see new_chunk */

/* Whether sh's chunk array was allocated with it (not to be freed on
   its own). */
static Bool chunks_inline ( const MscShadow* sh )
{
   return sh->chunks == &sh->one
          || (sh->pair && sh->chunks == (MscChunk* const*)(sh + 1));
}

static UInt class_of ( UInt n_granules )
{
   return n_granules <= EXACT_CLASSES
          ? n_granules
          : EXACT_CLASSES + (n_granules - EXACT_CLASSES + 3) / 4;
}

static UInt class_granules ( UInt cls )
{
   return cls <= EXACT_CLASSES ? cls
                               : EXACT_CLASSES + (cls - EXACT_CLASSES) * 4;
}

static MscShadow* alloc_small_shadow ( UInt n_granules )
{
   UInt cls = class_of(n_granules);
   MscShadow* sh;
   tl_assert(cls >= 1 && cls <= SHADOW_CLASSES
             && class_granules(cls) >= n_granules);
   if (s_shadow_pools[cls] == NULL)
      s_shadow_pools[cls] = VG_(newPA)(
         (sizeof(MscShadow) + chunk_bytes(class_granules(cls), OWNED_WAYS)
          + sizeof(UWord) - 1) & ~(sizeof(UWord) - 1), 100,
         VG_(malloc), "msc.race.shadow_pool", VG_(free));
   sh = VG_(allocEltPA)(s_shadow_pools[cls]);
   VG_(memset)(sh, 0, sizeof(MscShadow));
   sh->pool_class = cls;
   return sh;
}

static Chunk* chunk_for ( MscShadow* sh, UInt g );

static MscShadow* shadow_of ( MscRaceObject* o )
{
   MscShadow* sh = o->shadow;
   Addr base = o->start & ~(Addr)7;
   UInt n_granules = (UInt)((o->start + o->size - base + 7) >> 3);
   UInt n_chunks = (n_granules + CHUNK_GRANULES - 1) / CHUNK_GRANULES;
   if (sh == NULL && n_chunks == 1) {
      /* Most blocks are small: the shadow, its one chunk and the chunk's
         cells in one allocation (the first access to every block of a
         malloc-heavy program comes here). */
      sh = alloc_small_shadow(n_granules);
      sh->base = base;
      sh->one = chunk_init(sh + 1, n_granules, OWNED_WAYS, CHUNK_INLINE);
      sh->chunks = &sh->one;
      sh->n_chunks = 1;
      sh->n_granules = n_granules;
      o->shadow = sh;
      o->shadow_class = sh->pool_class;
      return sh;
   }
   o->shadow_class = 0;                     /* regrown, or not small */
   if (sh == NULL && n_chunks == 2) {
      /* Blocks of 513 bytes to 1 KiB, common too (a realloc's growth):
         the shadow and its chunk array from a pool, each chunk from the
         full chunks' pool or the arena when first touched. */
      if (s_pair_pool == NULL)
         s_pair_pool = VG_(newPA)(sizeof(MscShadow) + 2 * sizeof(Chunk*),
                                  100, VG_(malloc), "msc.race.pair_pool",
                                  VG_(free));
      sh = VG_(allocEltPA)(s_pair_pool);
      VG_(memset)(sh, 0, sizeof(MscShadow) + 2 * sizeof(Chunk*));
      sh->pair = True;
      sh->base = base;
      sh->chunks = (Chunk**)(sh + 1);
      sh->n_chunks = 2;
      sh->n_granules = n_granules;
      o->shadow = sh;
      return sh;
   }
   if (sh == NULL) {
      sh = VG_(calloc)("msc.race.shadow", 1, sizeof(MscShadow));
      sh->base = base;
      o->shadow = sh;
   }
   if (n_chunks > sh->n_chunks) {          /* large, or a global grew */
      UInt i;
      Chunk** chunks = VG_(calloc)("msc.race.chunks", n_chunks,
                                   sizeof(Chunk*));
      for (i = 0; i < sh->n_chunks; i++)
         chunks[i] = sh->chunks[i];
      if (sh->chunks != NULL && !chunks_inline(sh))
         VG_(free)(sh->chunks);
      sh->chunks = chunks;
      sh->n_chunks = n_chunks;
   }
   {
      /* A global grew: its last chunk so far grows with it now, so that
         every chunk holds all of its granules below n_granules (the
         inline check reads fast words without looking at the chunk). */
      UInt old_n = sh->n_granules;
      sh->n_granules = n_granules;
      if (old_n % CHUNK_GRANULES != 0 && n_granules > old_n
          && sh->chunks[(old_n - 1) / CHUNK_GRANULES] != NULL)
         chunk_for(sh, old_n - 1);
   }
   return sh;
}

static void free_chunk ( Chunk* c )
{
   if (c == NULL || c->origin == CHUNK_INLINE)
      return;
   if (c->origin == CHUNK_POOLED)
      VG_(freeEltPA)(s_full_chunk_pool, c);
   else
      VG_(free)(c);
}

/* A chunk of its own: full chunks of an unshared object, the most
   common kind in large blocks, from a pool. */
static Chunk* new_chunk ( UInt n, UInt ways )
{
   if (n == CHUNK_GRANULES && ways == OWNED_WAYS) {
      if (s_full_chunk_pool == NULL)
         s_full_chunk_pool = VG_(newPA)(chunk_bytes(CHUNK_GRANULES,
                                                    OWNED_WAYS),
                                        100, VG_(malloc),
                                        "msc.race.chunk_pool", VG_(free));
      return chunk_init(VG_(allocEltPA)(s_full_chunk_pool), n, ways,
                        CHUNK_POOLED);
   }
   return chunk_init(VG_(malloc)("msc.race.chunk", chunk_bytes(n, ways)),
                     n, ways, CHUNK_ARENA);
}

/* The chunk holding granule g, with room for it and SHARED_WAYS when the
   object is shared. */
static Chunk* chunk_for ( MscShadow* sh, UInt g )
{
   UInt ci = g / CHUNK_GRANULES;
   UInt want_n = sh->n_granules - ci * CHUNK_GRANULES;
   UInt want_ways = sh->shared ? SHARED_WAYS : OWNED_WAYS;
   Chunk* c = sh->chunks[ci];
   if (want_n > CHUNK_GRANULES)
      want_n = CHUNK_GRANULES;
   if (c == NULL) {
      c = sh->chunks[ci] = new_chunk(want_n, want_ways);
   } else if (c->ways < want_ways || c->n < want_n) {
      UInt i, w;
      Chunk* bigger = new_chunk(want_n > c->n ? want_n : c->n,
                                want_ways > c->ways ? want_ways : c->ways);
      for (i = 0; i < c->n; i++) {
         Cell* to;
         if (!cells_ready(c, i))
            continue;
         to = cells_of(bigger, i);
         bigger->fast[i] = c->fast[i];    /* still true of the cells */
         for (w = 0; w < c->ways; w++)
            to[w] = c->cells[i * c->ways + w];
      }
      free_chunk(c);
      c = sh->chunks[ci] = bigger;
   }
   return c;
}

static void drop_shadow ( MscRaceObject* o )
{
   MscShadow* sh = o->shadow;
   UInt i;
   if (sh == NULL)
      return;
   if (o->shadow_class != 0 && !o->shared) {
      /* Small, one inline chunk of its own ways: nothing to read. */
      VG_(freeEltPA)(s_shadow_pools[o->shadow_class], sh);
      o->shadow = NULL;
      return;
   }
   for (i = 0; i < sh->n_chunks; i++)
      free_chunk(sh->chunks[i]);
   if (sh->chunks != NULL && !chunks_inline(sh))
      VG_(free)(sh->chunks);
   if (sh->pool_class != 0)
      VG_(freeEltPA)(s_shadow_pools[sh->pool_class], sh);
   else if (sh->pair)
      VG_(freeEltPA)(s_pair_pool, sh);
   else
      VG_(free)(sh);
   o->shadow = NULL;
}

/* ---- reports ---------------------------------------------------------------------- */

static UInt race_flags ( Bool is_write, Bool is_atomic )
{
   return (is_write ? MSC_RACE_WRITE : 0) | (is_atomic ? MSC_RACE_ATOMIC : 0);
}

/* The race of hint number `hint` (its RACE record) happened again, at
   another pair of instructions: tid, at its current stack. */
static void log_race_again ( ThreadId tid, UInt hint )
{
   UInt stack = MSC_(stack_here)(tid);
   MSC_(rec_event)(MSC_REC_RACE_AGAIN);
   MSC_(rec_u)(serial_of(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(hint);
   MSC_(rec_end)();
}

static void log_race ( ThreadId tid, UInt stack, Addr a,
                       const MscRaceInfo* r )
{
   UInt other_stack = MSC_(stack_id)(
      r->other_ip ? VG_(make_depth_1_ExeContext_from_Addr)(r->other_ip)
                  : NULL);
   UInt i;
   MSC_(rec_event)(MSC_REC_RACE);
   MSC_(rec_u)(r->thread);
   MSC_(rec_u)(stack);
   MSC_(rec_u)(a);
   MSC_(rec_u)(r->size);
   MSC_(rec_u)(r->flags);
   MSC_(rec_u)(r->other_thread);
   MSC_(rec_u)(other_stack);
   MSC_(rec_u)(r->other_size);
   MSC_(rec_u)(r->other_flags);
   MSC_(rec_u)(r->object);
   MSC_(rec_u)(r->object_size);
   MSC_(rec_u)(r->object_kind);
   MSC_(rec_u)(r->n_locks);
   for (i = 0; i < r->n_locks; i++)
      MSC_(rec_u)(r->locks[i]);
   MSC_(rec_u)(r->n_other_locks);
   for (i = 0; i < r->n_other_locks; i++)
      MSC_(rec_u)(r->other_locks[i]);
   MSC_(rec_end)();
}

/* Whether the conflict of tid's access (a, size) at ip with c is two of
   the C library's own accesses of bytes it reads before locking. */
static Bool library_benign ( ThreadId tid, Addr a, SizeT size, Addr ip,
                             const Cell* c )
{
   static const HChar* const libc[] = { "libc.so" };
   Addr s, e;
   return s_any_library_benign
          && range_overlap(s_library_benign, a, a + size, &s, &e)
          && MSC_(elfdata_code_of)(c->ip, libc, 1)
          && library_code(tid, ip);
}

/* A conflict between the access (a, size, flags) of tid at ip and `c`:
   reported once per pair of instructions, unless benign or suppressed. */
static void report ( MscRaceObject* o, ThreadId tid, Addr a, SizeT size,
                     UInt flags, Addr ip, const Cell* c, Addr granule )
{
   IpPair key = { ip, c->ip };
   SitePair site;
   UWord found;
   MscRaceInfo r;
   ExeContext* where;
   const Addr* held;
   UInt i, stack;
   Addr other_a;
   UInt mask = cell_mask(c), lo = 0, hi = 7;
   if (VG_(lookupFM)(s_reported, NULL, NULL, (UWord)&key))
      return;
   /* The bytes in conflict: for a free, the other access's, not the
      whole block (a benign mutex in a struct must not hide the rest). */
   if (is_benign(flags & MSC_RACE_FREE ? granule : a,
                 flags & MSC_RACE_FREE ? 8 : size))
      return;
   if (!(flags & MSC_RACE_FREE) && library_benign(tid, a, size, ip, c))
      return;
   {
      IpPair* stored = VG_(malloc)("msc.race.reported", sizeof(IpPair));
      *stored = key;
      VG_(addToFM)(s_reported, (UWord)stored, 1);
   }
   source_of(ip, &site.file[0], &site.line[0]);
   source_of(c->ip, &site.file[1], &site.line[1]);
   /* Either order: the write at line 29 found by the read at line 45 is
      the race the read found by the write is. */
   if (cmp_source(site.file[0], site.line[0], site.file[1], site.line[1]) > 0) {
      const HChar* f = site.file[0];
      UWord l = site.line[0];
      site.file[0] = site.file[1];
      site.line[0] = site.line[1];
      site.file[1] = f;
      site.line[1] = l;
   }
   site.object = o->start;
   if (VG_(lookupFM)(s_reported_sites, &found, NULL, (UWord)&site)) {
      log_race_again(tid, ((const SitePair*)found)->hint);
      return;
   }
   while (lo < 8 && !(mask & (1u << lo)))
      lo++;
   while (hi > lo && !(mask & (1u << hi)))
      hi--;
   other_a = granule + lo;
   VG_(memset)(&r, 0, sizeof r);
   r.thread = serial_of(tid);
   r.flags = flags;
   r.size = size;
   r.other_thread = cell_thread(c);
   r.other_flags = (c->tag & TAG_WRITE ? MSC_RACE_WRITE : 0)
                   | (c->tag & TAG_ATOMIC ? MSC_RACE_ATOMIC : 0);
   r.other_size = hi - lo + 1;
   r.other_addr = other_a;
   r.other_ip = c->ip;
   r.object = o->start;
   r.object_size = o->size;
   r.object_kind = o->kind;
   r.object_name = o->name;
   r.alloc_where = o->alloc_where;
   r.n_locks = MSC_(lockset_of)(tid, &held);
   if (r.n_locks > MSC_RACE_MAX_LOCKS)
      r.n_locks = MSC_RACE_MAX_LOCKS;
   for (i = 0; i < r.n_locks; i++)
      r.locks[i] = held[i];
   if (!locks_at(r.other_thread, c->clock, &r.n_other_locks, r.other_locks))
      r.flags |= MSC_RACE_OTHER_LOCKS_UNKNOWN;
   where = VG_(record_ExeContext)(tid, 0);
   if (!MSC_(finding_race)(tid, a, where, &r))
      return;                       /* suppressed */
   s_hints++;
   stack = MSC_(stack_id)(where);
   log_race(tid, stack, a, &r);
   {
      SitePair* stored = VG_(malloc)("msc.race.sites", sizeof(SitePair));
      *stored = site;
      stored->hint = (UInt)s_hints;
      VG_(addToFM)(s_reported_sites, (UWord)stored, 1);
   }
}

/* ---- the check ---------------------------------------------------------------------- */

/* Whether the access (mask, flags) makes cell c redundant: every later
   access that would conflict with c conflicts with it too. */
static inline Bool covers ( UInt mask, UInt flags, const Cell* c )
{
   UInt cm = cell_mask(c);
   return (cm & ~mask) == 0
          && ((flags & TAG_WRITE) || !(c->tag & TAG_WRITE))
          && (!(flags & TAG_ATOMIC) || (c->tag & TAG_ATOMIC));
}

/* The lowest byte of an atomic location's mask, as an address. */
static inline Addr location_of ( Addr granule, UInt amask )
{
   UInt lo = 0;
   while (!(amask & (1u << lo)))
      lo++;
   return granule + lo;
}

/* Marks the atomic location `mask` in granule gi of chunk ch, releasing
   the plain stores made there before it was known. */
static void mark_atomic ( Chunk* ch, UInt gi, Addr granule, UInt mask )
{
   Cell* cells = cells_of(ch, gi);
   UInt w;
   if (fast_atomic(ch->fast[gi]) == mask)
      return;
   ch->fast[gi] = (ULong)mask << FAST_ATOMIC_SHIFT;
   for (w = 0; w < ch->ways; w++) {
      Cell* c = &cells[w];
      if (c->tag != 0 && cell_mask(c) == mask && (c->tag & TAG_WRITE)
          && !(c->tag & TAG_ATOMIC))
         MSC_(hb_release_epoch)(granule + (UInt)__builtin_ctz(mask),
                                cell_thread(c), c->clock);
   }
}

/* One granule's part of an access: mask of its bytes; flags TAG_*. */
static void check_granule ( MscRaceObject* o, MscShadow* sh, UInt g,
                            UInt mask, UInt flags, ThreadId tid, UInt me,
                            Addr a, SizeT size, Addr ip, Bool rmw )
{
   Chunk* ch = chunk_for(sh, g);
   UInt gi = g % CHUNK_GRANULES;
   Cell* cells;
   Addr granule = sh->base + ((Addr)g << 3);
   UInt amask;
   UInt now, w, tag, slot = ~0u, empty = ~0u;
   Bool plain_atomic = False;
   Cell* merged = NULL;
   if (!cells_ready(ch, gi) && !rmw) {
      /* The granule's first access since its shadow was made: nothing
         to check, one cell to write.  Only stores: the cells' memory is
         usually cold (a block's first touch), and reading the tags back
         after clearing them waited for it. */
      cells = &ch->cells[gi * ch->ways];
      ch->ready |= (ULong)1 << gi;
      cells[0].ip = ip;
      cells[0].clock = s_flags[tid].now;
      cells[0].tag = (me << TAG_THREAD_SHIFT) | (mask << TAG_MASK_SHIFT)
                     | flags;
      for (w = 1; w < ch->ways; w++)
         cells[w].tag = 0;
      ch->fast[gi] = flags & TAG_ATOMIC
         ? 0
         : ((ULong)MSC_(race_stamp)[tid] << FAST_STAMP_SHIFT)
           | ((ULong)(flags & TAG_WRITE ? mask : 0) << FAST_WRITE_SHIFT)
           | ((ULong)mask << FAST_ANY_SHIFT);
      return;
   }
   cells = cells_of(ch, gi);
   amask = fast_atomic(ch->fast[gi]);
   if (rmw && (flags & TAG_ATOMIC)) {
      mark_atomic(ch, gi, granule, mask);
      amask = mask;
   } else if (amask != 0 && !(flags & TAG_ATOMIC)
              && (flags & TAG_WRITE ? mask == amask : (mask & amask) != 0)) {
      /* A plain access of an atomic location is atomic: a load acquires
         it (now, before the check) and a store releases it (after).  A
         load may be wider than the location (GCC's shared_ptr reads its
         two 4-byte counts with one 8-byte acquire load) or narrower (the
         inline check of a function-local static's guard reads the first
         byte of the word __cxa_guard_release exchanges); a store must
         be of exactly its bytes (a narrower or wider one is a plain
         store racing with the atomics). */
      flags |= TAG_ATOMIC;
      plain_atomic = True;
      if (!(flags & TAG_WRITE)) {
         Addr loc = location_of(granule, amask);
         if (library_lock_use(tid, loc, ip))
            MSC_(hb_acquire_library)(me, loc);
         else
            MSC_(hb_acquire)(me, loc);
      }
   }
   now = s_flags[tid].now;
   /* The fast word, for the granules of a wide access. */
   if (!plain_atomic && !rmw
       && MSC_(fast_covers)(ch->fast[gi], MSC_(race_stamp)[tid], mask,
                            flags & TAG_WRITE))
      return;
   tag = (me << TAG_THREAD_SHIFT) | (mask << TAG_MASK_SHIFT) | flags;
   for (w = 0; w < ch->ways; w++) {
      Cell* c = &cells[w];
      UInt t;
      if (c->tag == 0) {
         if (empty == ~0u)
            empty = w;
         continue;
      }
      t = cell_thread(c);
      if (t != me) {
         UInt cm = cell_mask(c);
         if ((cm & mask) == 0)
            continue;                         /* other bytes */
         Bool in_read_lock = False;
         if (MSC_(hb_ordered)(t, c->clock, me)) {
            /* Under a read lock, what that lock ordered is ordered for
               reads and atomics only: the cell stays, for the thread's
               plain writes (another reader could be inside too). */
            Bool for_writes = s_flags[tid].shared_holds == 0
                              || MSC_(hb_ordered_writes)(t, c->clock, me);
            if (for_writes && covers(mask, flags, c)) { /* redundant now */
               c->tag = 0;
               if (slot == ~0u)
                  slot = w;
            }
            if (for_writes || (flags & (TAG_WRITE | TAG_ATOMIC)) != TAG_WRITE)
               continue;
            in_read_lock = True;
         }
         if (((c->tag | flags) & TAG_WRITE)
             && !((flags & TAG_ATOMIC)
                  && ((c->tag & TAG_ATOMIC) || (amask != 0 && cm == amask)))
             && (in_read_lock
                 || !ordered_for_library(t, c->clock, me, tid)))
            report(o, tid, a, size,
                   race_flags(flags & TAG_WRITE, flags & TAG_ATOMIC)
                   | (in_read_lock ? MSC_RACE_UNDER_READ_LOCK : 0),
                   ip, c, granule);
         continue;
      }
      if (merged == NULL && c->clock == now
          && (c->tag & (TAG_WRITE | TAG_ATOMIC)) == flags) {
         /* The same thread, epoch and kind: one cell for both (exact:
            what conflicts with either conflicts with the union).  Byte
            loops then cost one cell per granule, not one per byte. */
         c->tag |= mask << TAG_MASK_SHIFT;
         merged = c;
         continue;
      }
      if (covers(mask, flags, c)) {
         c->tag = 0;
         if (slot == ~0u)
            slot = w;
      }
   }
   if (merged == NULL) {
      if (slot == ~0u)
         slot = empty;
      if (slot == ~0u)
         slot = s_evict++ % ch->ways;
      cells[slot].ip = ip;
      cells[slot].clock = now;
      cells[slot].tag = tag;
      merged = &cells[slot];
   }
   /* The cell this access left (a new one or the one it merged into),
      alone: an access that two cells cover only between them is still
      checked, so that it gets its own report (a different instruction
      pair; the first may have been suppressed or annotated benign). */
   if (amask != 0) {
      ch->fast[gi] = (ULong)amask << FAST_ATOMIC_SHIFT;
   } else if (merged->tag & TAG_ATOMIC) {
      ch->fast[gi] = 0;
   } else {
      UInt m = cell_mask(merged);
      ch->fast[gi] = ((ULong)MSC_(race_stamp)[tid] << FAST_STAMP_SHIFT)
                     | ((ULong)(merged->tag & TAG_WRITE ? m : 0)
                        << FAST_WRITE_SHIFT)
                     | ((ULong)m << FAST_ANY_SHIFT);
   }
   if (plain_atomic && (flags & TAG_WRITE)) {
      Addr loc = location_of(granule, amask);
      if (library_lock_use(tid, loc, ip))
         MSC_(hb_release_library)(me, loc);
      else
         MSC_(hb_release)(me, loc);
      refresh(tid);
   }
}

static void check ( MscRaceObject* o, ThreadId tid, Addr a, SizeT size,
                    Bool is_write, Bool is_atomic, Addr ip, Bool rmw )
{
   UInt me;
   MscShadow* sh;
   Addr end, g_addr;
   UInt flags = (is_write ? TAG_WRITE : 0) | (is_atomic ? TAG_ATOMIC : 0);
   if (tid >= VG_N_THREADS)
      return;
   me = s_flags[tid].serial;
   if (me == 0) {
      me = s_flags[tid].serial = serial_of(tid);
      if (me == 0)
         return;
      MSC_(race_stamp)[tid] = 0;
      refresh(tid);
   }
   if (me > MAX_CHECKED_THREAD) {
      static Bool warned = False;
      if (!warned) {
         warned = True;
         MSC_(warn)(tid, "race hints: thread %u and later threads are not "
                    "checked (a race cell names at most %u threads)", me,
                    MAX_CHECKED_THREAD);
      }
      return;
   }
   if (is_write ? s_flags[tid].ignore_writes : s_flags[tid].ignore_reads)
      return;
   /* The library's own reads and writes of a synchronisation object, in
      the call that uses it, follow the library's protocol: the call's
      use is checked instead (race_sync_access). */
   if (s_flags[tid].in_primitive && !s_synthetic
       && is_sync_bytes(a, a + size))
      return;
   /* Granules are counted in 32 bits: objects of 16 GiB and more (a
      sparse arena given to VALGRIND_MALLOCLIKE_BLOCK) are not checked. */
   if (o->size >= MAX_CHECKED_SZB)
      return;
   /* Clipped to the object: optimised string functions read whole words
      past a block's end. */
   end = a + size;
   if (a < o->start)
      a = o->start;
   if (end > o->start + o->size)
      end = o->start + o->size;
   if (end <= a)
      return;
   sh = o->shadow;
   if (sh == NULL || o->start + o->size > sh->base + ((Addr)sh->n_granules << 3))
      sh = shadow_of(o);
   if (o->owner == 0)
      o->owner = me;
   else if (o->owner != me)
      o->shared = sh->shared = True;
   /* A read-modify-write's location is marked only when it lies in one
      granule: a misaligned or 16-byte one stays plain. */
   if (rmw && ((a ^ (end - 1)) >> 3) != 0)
      rmw = False;
   for (g_addr = a & ~(Addr)7; g_addr < end; g_addr += 8) {
      Addr lo = g_addr > a ? g_addr : a;
      Addr hi = g_addr + 8 < end ? g_addr + 8 : end;
      UInt mask = ((1u << (hi - lo)) - 1) << (lo - g_addr);
      check_granule(o, sh, (UInt)((g_addr - sh->base) >> 3), mask, flags,
                    tid, me, a, end - a, ip, rmw);
   }
}

void MSC_(race_access) ( MscRaceObject* o, ThreadId tid, Addr a, SizeT size,
                         Bool is_write, Bool is_atomic, Addr ip )
{
   /* Atomic accesses come from read-modify-write instructions: they
      make the location atomic. */
   check(o, tid, a, size, is_write || is_atomic, is_atomic, ip, is_atomic);
}

void MSC_(race_sync_access) ( MscRaceObject* o, ThreadId tid, Addr a,
                              SizeT size, Bool rewrite, Addr ip )
{
   /* A use is atomic (calls on one object never race with each other),
      a rewrite plain; neither makes an atomic location: the bytes are
      the library's, and a plain access there orders nothing. */
   s_synthetic = True;
   check(o, tid, a, size, True, !rewrite, ip, False);
   s_synthetic = False;
}

void MSC_(race_object_gone) ( MscRaceObject* o, ThreadId freed_by )
{
   MscShadow* sh = o->shadow;
   UInt me, ci, gi, w;
   Int by_library = -1;               /* not asked yet */
   if (sh == NULL)
      return;
   me = freed_by != VG_INVALID_THREADID ? serial_of(freed_by) : 0;
   /* The free is a write of every byte: a conflict with any access of
      another thread not ordered before it.  Nothing to look at when only
      the freeing thread ever touched the block. */
   if (me != 0 && (o->shared || o->owner != me)
       && !s_flags[freed_by].ignore_writes) {
      for (ci = 0; ci < sh->n_chunks; ci++) {
         Chunk* ch = sh->chunks[ci];
         if (ch == NULL)
            continue;
         for (gi = 0; gi < ch->n; gi++)
            for (w = 0; w < ch->ways && cells_ready(ch, gi); w++) {
               const Cell* c = &ch->cells[gi * ch->ways + w];
               if (c->tag == 0 || cell_thread(c) == me
                   || MSC_(hb_ordered)(cell_thread(c), c->clock, me))
                  continue;
               /* fclose freeing a stream's buffer: the library's. */
               if (MSC_(hb_ordered_library)(cell_thread(c), c->clock, me)) {
                  if (by_library < 0)
                     by_library = holds_stream_in(o)
                                  || library_access(freed_by);
                  if (by_library)
                     continue;
               }
               report(o, freed_by, o->start, o->size,
                      MSC_RACE_WRITE | MSC_RACE_FREE,
                      VG_(get_IP)(freed_by), c,
                      sh->base + ((Addr)(ci * CHUNK_GRANULES + gi) << 3));
               goto reported;
            }
      }
   }
  reported:
   drop_shadow(o);
   /* A new block here starts with no ordering history: the clocks of
      atomic locations, locks and annotations inside this one go.  (The
      benign bytes of a pthread object freed without being destroyed
      stay: a new lock there without an init would otherwise get hints on
      the library's own bytes.) */
   if (freed_by != VG_INVALID_THREADID)
      MSC_(hb_forget_range)(o->start, o->start + o->size);
}

void MSC_(race_object_clean) ( MscRaceObject* o, Addr a, SizeT len )
{
   MscShadow* sh = o->shadow;
   Addr g_addr, end = a + len;
   if (sh == NULL)
      return;
   if (a < sh->base)
      a = sh->base;
   for (g_addr = a & ~(Addr)7; g_addr < end; g_addr += 8) {
      UInt g = (UInt)((g_addr - sh->base) >> 3);
      Chunk* ch;
      if (g >= sh->n_granules)
         break;
      ch = sh->chunks[g / CHUNK_GRANULES];
      if (ch == NULL || g % CHUNK_GRANULES >= ch->n)
         continue;
      ch->ready &= ~((ULong)1 << (g % CHUNK_GRANULES));
      ch->fast[g % CHUNK_GRANULES] = 0;
   }
}
