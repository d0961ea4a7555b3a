/* msc_race.h: race hints.  Owns the shadow state of tracked objects (per
   8-byte granule, a few cells, each one access: thread, epoch, bytes,
   read or write, atomic or not, instruction), the atomic locations, the
   benign ranges and per-thread ignore switches, and the history of the
   locks each thread held per epoch.  Checks each access against the
   cells with the happens-before engine (msc_hb) and reports conflicts
   as findings (msc_findings: Valgrind errors) and RACE records.  Runs on the host;
   race_access runs from the access tracker's helpers, once per load or
   store of a tracked object. */

#ifndef MSC_RACE_H
#define MSC_RACE_H

#include "msc_basics.h"
#include "pub_tool_execontext.h"

/* ---- shadow layout --------------------------------------------------------------
   msc_race alone writes these; they are here for MSC_(race_covered),
   the check inlined into the access tracker's helpers. */

/* An object's shadow covers it in 8-byte granules from its start rounded
   down, in chunks of CHUNK_GRANULES allocated at the first access that
   falls in them. */
#define CHUNK_GRANULES 64

/* A chunk: per granule a fast word, then its cells, in one allocation
   (the fast words right after this header, so that their address needs
   no load, and so that the first access to a small block touches few
   cache lines), and a bit per granule saying whether the granule's cells
   are valid.  Cells are cleared when their granule is first checked,
   not when the chunk is made: a block of 264 bytes whose first word only
   is touched costs a few bytes of clearing, not 1,400, and the memory
   the block's shadow would have dirtied stays out of the cache.  The
   fast words of a small object's chunk (allocated with its shadow) are
   cleared that way too; those of a chunk of its own, when it is made
   (so that the inline check need not read its header).

   The fast word repeats the plain cell the last check through the slow
   path left for its thread: that thread's epoch stamp (MSC_(race_stamp)),
   the cell's bytes (FAST_ANY_SHIFT) and, for a write, the same bytes
   again (FAST_WRITE_SHIFT).  It also holds the bytes of the granule's
   atomic location, if any (FAST_ATOMIC_SHIFT), and then no stamp, so
   that such a granule always takes the slow path: one load tells both.
   An access whose stamp matches and whose bytes the word covers (its
   written bytes, for a write) needs nothing: 8 bytes read per granule
   instead of a cell line.  One cell only: an access that two cells of
   its thread cover between them is checked, so that it gets a report
   of its own when the first one's was suppressed. */
typedef struct {
   UShort ways;                     /* OWNED_WAYS or SHARED_WAYS */
   UChar origin;                    /* CHUNK_INLINE (allocated with its
                                       MscShadow), CHUNK_POOLED (a full
                                       chunk of OWNED_WAYS, from a pool)
                                       or CHUNK_ARENA */
   UInt  n;                         /* granules in this chunk */
   ULong* fast;                     /* n fast words, at (this + 1) */
   ULong ready;                     /* bit gi set when granule gi's cells
                                       are valid (else they are all empty,
                                       whatever they hold) */
   struct _MscCell* cells;          /* n * ways, after the fast words */
} MscChunk;

#define FAST_STAMP_SHIFT  32
#define FAST_ANY_SHIFT    0
#define FAST_WRITE_SHIFT  8
#define FAST_ATOMIC_SHIFT 16
/* Cell and fast word flags. */
#define TAG_WRITE        1u
#define TAG_ATOMIC       2u

typedef struct _MscShadow {
   Addr    base;                    /* the object's start & ~7 */
   UInt    n_granules;              /* every chunk present has all of its
                                       granules below this */
   Bool    shared;                  /* another thread has accessed it
                                       (its chunks get SHARED_WAYS) */
   UInt    n_chunks;
   MscChunk** chunks;               /* n_chunks entries, NULL: untouched;
                                       &one while there is one chunk */
   MscChunk*  one;
   UChar   pool_class;              /* 0: from the arena; else its pool
                                       (see alloc_small_shadow), and
                                       its chunk's fast words are valid
                                       only where its ready bits say */
   Bool    pair;                    /* an object of two chunks: the
                                       shadow and its chunk array from
                                       one pool (see shadow_of) */
} MscShadow;

/* Per ThreadId: a number naming (thread, epoch clock) in fast words,
   new at every epoch, never 0 once the thread has been checked. */
extern UInt* MSC_(race_stamp);

/* Whether fast word f says this thread (stamp), in this epoch, already
   left a plain cell that covers a read (a write) of these bytes (mask). */
static inline Bool MSC_(fast_covers) ( ULong f, UInt stamp, UInt mask,
                                       Bool is_write )
{
   UInt covered = (UInt)(f >> (is_write ? FAST_WRITE_SHIFT
                                        : FAST_ANY_SHIFT));
   return (UInt)(f >> FAST_STAMP_SHIFT) == stamp
          && (mask & ~covered & 0xFF) == 0;
}

/* A tracked object as the race checker sees it.  The access tracker owns
   it; msc_race owns `shadow`. */
typedef struct {
   Addr         start;
   SizeT        size;          /* at least 1; a global's grows */
   UChar        kind;          /* MSC_ACCESS_* */
   const HChar* name;          /* the program's or debug info's; NULL */
   ExeContext*  alloc_where;   /* heap blocks: allocation stack; else NULL */
   MscShadow*   shadow;        /* NULL until the first checked access */
   /* Kept here, not in the shadow, so that a block's free reads nothing
      of a shadow only its own thread used (a cache miss per block). */
   UInt         owner;         /* the first thread to access it, 0 */
   Bool         shared;        /* another thread has too */
   UChar        shadow_class;  /* the shadow is a small one of this pool
                                  class, never regrown; 0: any other */
} MscRaceObject;

/* After the options: race hints need --track-access=yes. */
void MSC_(race_init) ( void );
extern Bool MSC_(race_active);

/* A load or store of [a, a+size) inside `o` by tid, at instruction ip. */
void MSC_(race_access) ( MscRaceObject* o, ThreadId tid, Addr a, SizeT size,
                         Bool is_write, Bool is_atomic, Addr ip );

/* Whether a plain load or store of [a, a+size), within one granule of
   `o`, needs no check: tid's last access there, in its present epoch,
   covers it (the common case: a loop over a buffer).  Inline, because
   the access tracker asks for nearly every load and store: it costs a
   few loads that are usually in cache, where race_access costs a call
   and the chunk's header.  An access it does not vouch for goes to
   race_access, which decides. */
static inline Bool MSC_(race_covered) ( const MscRaceObject* o,
                                        ThreadId tid, Addr a, SizeT size,
                                        Bool is_write )
{
   const MscShadow* sh = o->shadow;
   const MscChunk* ch;
   UWord g;
   ULong f;
   if (sh == NULL || size == 0 || size > 8
       || ((a ^ (a + size - 1)) >> 3) != 0 || a < sh->base)
      return False;
   g = (a - sh->base) >> 3;
   if (g >= sh->n_granules)
      return False;
   ch = sh->chunks[g / CHUNK_GRANULES];
   if (ch == NULL)
      return False;
   /* A small object's chunk shares a cache line or two with the shadow's
      header: its ready bits cost little to read. */
   if (sh->pool_class != 0 && !((ch->ready >> (g % CHUNK_GRANULES)) & 1))
      return False;
   f = ((const ULong*)(ch + 1))[g % CHUNK_GRANULES];
   /* The mask's bytes past the object's end (or before its start) are
      in no fast word, so such an access is never vouched for. */
   return MSC_(fast_covers)(f, MSC_(race_stamp)[tid],
                            ((1u << size) - 1) << (a & 7), is_write);
}

/* `o` ends.  freed_by: the thread freeing a heap block (the free is a
   write of every byte, checked first), VG_INVALID_THREADID when the
   object only stops being tracked.  Its shadow is dropped. */
void MSC_(race_object_gone) ( MscRaceObject* o, ThreadId freed_by );

/* Forget the history of [a, a+len) inside `o` (ANNOTATE_NEW_MEMORY,
   VALGRIND_HG_CLEAN_MEMORY): as if freshly allocated. */
void MSC_(race_object_clean) ( MscRaceObject* o, Addr a, SizeT len );

/* An atomic read-modify-write on a (any address, tracked or not): an
   acquire and a release on it. */
void MSC_(race_rmw) ( ThreadId tid, Addr a );

/* A lock the C library takes for itself (a stream's): see msc_hb.h's
   library view. */
void MSC_(race_release_library) ( ThreadId tid, Addr obj );
void MSC_(race_acquire_library) ( ThreadId tid, Addr obj );

/* Whose accesses tid makes now, for the library view: decided by the
   code of each access (the default), or fixed while a source reports
   accesses on the thread's behalf (the kernel's, in a system call the
   library made for itself or the program made). */
typedef enum {
   MSC_RACE_VIEW_BY_CODE = 0,
   MSC_RACE_VIEW_LIBRARY,
   MSC_RACE_VIEW_PROGRAM
} MscRaceView;
void MSC_(race_view) ( ThreadId tid, MscRaceView view );

/* [a, a+len) holds bytes the C library reads before taking a lock, by
   design (a stream's flags, its lock's owner), or no longer: two of the
   library's own accesses there are no race. */
void MSC_(race_library_benign) ( Addr a, SizeT len, Bool on );
/* `lock` is one of the C library's own locks (a stream's lock word), or
   no longer: the library's plain loads and stores of it, where it is an
   atomic location, acquire and release the library view only. */
void MSC_(race_library_lock) ( Addr lock, Addr owner_at, Bool on );

/* Ordering events. */
void MSC_(race_thread_start)  ( ThreadId parent, ThreadId child );
void MSC_(race_thread_joined) ( ThreadId joiner, UInt joined_serial );
/* A detached thread has ended: its clock goes (see msc_hb.h). */
void MSC_(race_thread_gone)   ( UInt serial );
void MSC_(race_release) ( ThreadId tid, Addr obj );
void MSC_(race_acquire) ( ThreadId tid, Addr obj );
/* A read lock's acquire and the end of that hold (msc_hb's shared
   acquires): tid's writes meanwhile are checked as unordered by it. */
void MSC_(race_acquire_shared) ( ThreadId tid, Addr obj );
void MSC_(race_shared_end) ( ThreadId tid );
void MSC_(race_forget)  ( Addr obj );
/* The set of locks tid holds changed (msc_sync's held set is current). */
void MSC_(race_locks_changed) ( ThreadId tid );

/* The bytes of a synchronisation object (or no longer): inside a call
   the wrappers model (race_in_primitive), the library's accesses there
   are not recorded.  A call's own use of the object is race_sync_access
   on the tracked object `o` holding it: an atomic write of its bytes by
   tid at the program's instruction ip, or for an init or a destroy
   (rewrite) a plain one, so that freeing, re-initialising or
   overwriting an object another thread still uses is a race. */
void MSC_(race_sync_bytes) ( Addr a, SizeT len, Bool on );
void MSC_(race_in_primitive) ( ThreadId tid, Bool inside );
void MSC_(race_sync_access) ( MscRaceObject* o, ThreadId tid, Addr a,
                              SizeT size, Bool rewrite, Addr ip );

/* Annotations: races on [a, a+len) are intended (or no longer); the
   thread stops (or resumes) recording its reads or writes. */
void MSC_(race_benign) ( Addr a, SizeT len, Bool benign );
void MSC_(race_ignore) ( ThreadId tid, Bool reads, Bool ignore );

/* tid's current epoch clock (0 when nothing keeps the relation), and
   whether epoch (thread, clock) happens before tid's present: for the
   lockset hints, which skip accesses ordered after every other one. */
UInt MSC_(race_epoch) ( ThreadId tid );
Bool MSC_(race_ordered_before) ( UInt thread, UInt clock, ThreadId tid );

/* Race hints reported (not suppressed) so far. */
ULong MSC_(race_hints_count) ( void );

#endif /* MSC_RACE_H */
