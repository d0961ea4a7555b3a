/* msc_heap.h: the client's heap: memscope's malloc replacement (the
   callbacks the core's replacement library calls), the table of live
   blocks, and the totals (Memcheck's "total heap usage" counting, live
   bytes and their peak as DHAT's t-gmax).  Runs on the host. */

#ifndef MSC_HEAP_H
#define MSC_HEAP_H

#include "msc_basics.h"
#include "pub_tool_execontext.h"

void MSC_(heap_init) ( void );

/* Registers the replacement callbacks with the core (from pre_clo_init). */
void MSC_(heap_register_replacement) ( void );

/* A program's own allocator, through valgrind.h's requests: a block it
   hands out (VALGRIND_MALLOCLIKE_BLOCK), takes back (FREELIKE), or
   resizes where it is (RESIZEINPLACE).  memscope never allocates or
   frees that memory itself. */
void MSC_(heap_custom_alloc)  ( ThreadId tid, Addr p, SizeT size );
void MSC_(heap_custom_free)   ( ThreadId tid, Addr p );
void MSC_(heap_custom_resize) ( ThreadId tid, Addr p, SizeT old_size,
                                SizeT new_size );

/* valgrind.h's mempool requests (pool: the anchor address the program
   names its pool by).  Chunks are blocks of kind MSC_ALLOC_POOL in a table
   of their own: they lie inside the blocks the pool took its memory from.
   Bad requests get a warning and are ignored. */
void MSC_(heap_pool_create)  ( ThreadId tid, Addr pool );
void MSC_(heap_pool_destroy) ( ThreadId tid, Addr pool );
void MSC_(heap_pool_alloc)   ( ThreadId tid, Addr pool, Addr p, SizeT size );
void MSC_(heap_pool_free)    ( ThreadId tid, Addr pool, Addr p );
void MSC_(heap_pool_trim)    ( ThreadId tid, Addr pool, Addr p, SizeT size );
void MSC_(heap_pool_move)    ( ThreadId tid, Addr from, Addr to );
void MSC_(heap_pool_change)  ( ThreadId tid, Addr pool, Addr from, Addr to,
                               SizeT size );
Bool MSC_(heap_pool_exists)  ( Addr pool );

/* What the tool knows of a live block; NULL when `a` is not the start of
   one.  Valid until the block is freed or reallocated. */
typedef struct {
   SizeT size;          /* requested size in bytes */
   UInt  thread;        /* allocating thread (memscope number) */
   ExeContext* where;   /* allocation stack */
   Bool  named;         /* a client request named it */
   UChar kind;          /* MscAllocKind */
   Addr  pool;          /* a pool chunk's pool, else 0 */
} MscBlockInfo;
const MscBlockInfo* MSC_(heap_block_at) ( Addr a );

/* In a forked child whose log has just started: writes the inherited
   live blocks as ALLOC records and restarts the totals from them, so that
   the child's log accounts for every block it frees. */
void MSC_(heap_restart_in_child) ( void );

/* Writes an ALLOC record for every live block and pool chunk (a
   snapshot file starts with them). */
void MSC_(heap_log_live) ( void );

/* Marks the live block starting at `a` as named or not; returns whether
   it was named before (False also when there is no such block). */
Bool MSC_(heap_set_named) ( Addr a, Bool named );

/* The live blocks now, sorted by start: a fresh array of *n entries,
   for the caller to VG_(free). */
typedef struct {
   Addr  start;
   SizeT size;          /* requested */
   Bool  is_chunk;      /* a pool chunk (inside another block) */
} MscLiveBlock;
MscLiveBlock* MSC_(heap_live_blocks) ( UInt* n );

/* The start of the live block holding `a` (interior addresses too), 0
   when none.  For exit-time use: the first call sorts the live blocks. */
Addr MSC_(heap_block_containing) ( Addr a );

typedef struct {
   ULong allocs;          /* Memcheck's "allocs": every successful malloc-
                             like call and every realloc */
   ULong frees;           /* Memcheck's "frees": every free-like call of a
                             non-NULL pointer and every realloc */
   ULong bytes_allocated; /* Memcheck's "bytes allocated" */
   /* Live and peak bytes count a zero-byte block as one byte, as DHAT
      does (its t-gmax is the reference for the peak). */
   ULong live_blocks, live_bytes;
   ULong peak_bytes, peak_blocks, peak_time;  /* DHAT's t-gmax */
} MscHeapTotals;
void MSC_(heap_totals) ( MscHeapTotals* out );

#endif /* MSC_HEAP_H */
