/* msc_heap.c: the malloc replacement and the live-block table.  Runs on
   the host, called by the core on behalf of the client's allocation
   calls (which the core's replacement library, linked into memscope's
   preload, redirects).  See msc_heap.h. */

#include "msc_heap.h"
#include "msc_clock.h"
#include "msc_findings.h"
#include "msc_objects.h"
#include "msc_log.h"
#include "msc_stacks.h"
#include "msc_syncev.h"
#include "msc_threads.h"
#include "msc_warn.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_poolalloc.h"
#include "pub_tool_replacemalloc.h"
#include "pub_tool_tooliface.h"
#include "valgrind.h"   /* __VALGRIND_MAJOR__, __VALGRIND_MINOR__ */

/* A live block: a node of s_blocks, keyed by its start address. */
typedef struct _Block {
   struct _Block* next;
   Addr           payload;   /* hash key */
   MscBlockInfo   info;
} Block;

static VgHashTable* s_blocks = NULL;
/* Chunks of memory pools (valgrind.h's mempool requests): a table of
   their own, as they lie inside blocks of s_blocks (the pool's arena),
   a chunk often at the arena's very address. */
static VgHashTable* s_chunks = NULL;
static WordFM*      s_pools = NULL;     /* pool anchor -> 1 */
static PoolAlloc*   s_block_pool = NULL;
static MscHeapTotals s_totals;

void MSC_(heap_init) ( void )
{
   s_blocks = VG_(HT_construct)("msc.heap.blocks");
   s_chunks = VG_(HT_construct)("msc.heap.chunks");
   s_pools = VG_(newFM)(VG_(malloc), "msc.heap.pools", VG_(free), NULL);
   s_block_pool = VG_(newPA)(sizeof(Block), 1000, VG_(malloc),
                             "msc.heap.block_pool", VG_(free));
}

/* The block or, failing one, the pool chunk starting at a. */
static Block* block_or_chunk ( Addr a )
{
   Block* b = VG_(HT_lookup)(s_blocks, a);
   return b != NULL ? b : VG_(HT_lookup)(s_chunks, a);
}

const MscBlockInfo* MSC_(heap_block_at) ( Addr a )
{
   Block* b = block_or_chunk(a);
   return b ? &b->info : NULL;
}

Bool MSC_(heap_set_named) ( Addr a, Bool named )
{
   Block* b = block_or_chunk(a);
   Bool was;
   if (b == NULL)
      return False;
   was = b->info.named;
   b->info.named = named;
   return was;
}

void MSC_(heap_totals) ( MscHeapTotals* out )
{
   *out = s_totals;
}

static void note_growth ( void )
{
   /* >= rather than >: of equal peaks the latest is reported, as the
      live set at the last such moment is what stays. */
   if (s_totals.live_bytes >= s_totals.peak_bytes) {
      s_totals.peak_bytes  = s_totals.live_bytes;
      s_totals.peak_blocks = s_totals.live_blocks;
      s_totals.peak_time   = MSC_(clock_now)();
   }
}

/* The bytes a block occupies in the live and peak figures: a zero-byte
   block counts as one, as DHAT counts it (its t-gmax is the reference for
   the peak); "bytes allocated" counts requested sizes, as Memcheck does. */
static inline SizeT occupied ( SizeT size )
{
   return size ? size : 1;
}

/* Sizes with the top bit set are negative numbers passed by mistake:
   refused as Memcheck refuses them (the core's allocator would assert). */
static Bool is_fishy ( SizeT n )
{
   return (SSizeT)n < 0;
}

/* The block's stack must already be in the log (MSC_(stack_id)): the
   call here then only looks its id up. */
static void log_alloc ( const Block* b )
{
   MSC_(rec_event)(MSC_REC_ALLOC);
   MSC_(rec_u)(b->info.thread);
   MSC_(rec_u)(MSC_(stack_id)(b->info.where));
   MSC_(rec_u)(b->info.kind);
   MSC_(rec_heap_addr)(b->payload);
   MSC_(rec_u)(b->info.size);
   MSC_(rec_end)();
}

static Block* add_block ( ThreadId tid, void* p, SizeT size,
                          MscAllocKind kind );
static void release_block ( ThreadId tid, void* p, MscFreeKind kind );

static void* new_block ( ThreadId tid, SizeT size, SizeT align,
                         Bool zeroed, MscAllocKind kind )
{
   void* p;
   if (is_fishy(size))
      return NULL;
   p = VG_(cli_malloc)(align, size);
   if (p == NULL)
      return NULL;
   if (zeroed)
      VG_(memset)(p, 0, size);
   add_block(tid, p, size, kind);
   return p;
}

/* Whether a block tid makes now is tracked (its accesses followed and
   race-checked).  Not one the C library makes for itself inside a call
   whose synchronisation the wrappers model: a new thread's DTV, made in
   pthread_create and freed from the stack cache in some later join, is
   ordered by the library's own stack-cache lock, which the model of
   create and join leaves out on purpose.  Counted and logged all the
   same, as every block. */
static Bool is_checked_here ( ThreadId tid )
{
   return !MSC_(syncev_in_primitive)(tid);
}

/* Enters a block the program now holds, counts and logs it (a pool
   chunk goes to the chunks' table). */
static Block* add_block ( ThreadId tid, void* p, SizeT size,
                          MscAllocKind kind )
{
   Block* b;
   ExeContext* where;
   where = VG_(record_ExeContext)(tid, 0);
   MSC_(stack_id)(where);
   b = VG_(allocEltPA)(s_block_pool);
   b->payload = (Addr)p;
   b->info.size = size;
   b->info.thread = MSC_(thread_serial)(tid);
   b->info.where = where;
   b->info.named = False;
   b->info.kind = kind;
   b->info.pool = 0;
   VG_(HT_add_node)(kind == MSC_ALLOC_POOL ? s_chunks : s_blocks, b);

   s_totals.allocs++;
   s_totals.bytes_allocated += size;
   s_totals.live_blocks++;
   s_totals.live_bytes += occupied(size);
   note_growth();

   log_alloc(b);
   if (is_checked_here(tid))
      MSC_(object_started)(tid, (Addr)p, size, MSC_ACCESS_HEAP, where,
                           kind == MSC_ALLOC_CUSTOM || kind == MSC_ALLOC_POOL);
   return b;
}

void MSC_(heap_custom_alloc) ( ThreadId tid, Addr p, SizeT size )
{
   if (p == 0 || is_fishy(size) || VG_(HT_lookup)(s_blocks, p) != NULL) {
      MSC_(warn)(tid, "VALGRIND_MALLOCLIKE_BLOCK(%#lx, %lu): %s; ignored", p,
                 size, p == 0 ? "NULL address"
                 : is_fishy(size) ? "absurd size"
                 : "already a live block");
      return;
   }
   add_block(tid, (void*)p, size, MSC_ALLOC_CUSTOM);
}

void MSC_(heap_custom_free) ( ThreadId tid, Addr p )
{
   if (p != 0)                  /* valgrind.h: ignored when NULL */
      release_block(tid, (void*)p, MSC_FREE_CUSTOM);
}

void MSC_(heap_custom_resize) ( ThreadId tid, Addr p, SizeT old_size,
                                SizeT new_size )
{
   Block* b = p ? VG_(HT_lookup)(s_blocks, p) : NULL;
   UInt stack;
   /* As Memcheck: ignored unless the block is there with that size. */
   if (b == NULL || b->info.size != old_size || new_size == 0
       || is_fishy(new_size))
      return;
   stack = MSC_(stack_here)(tid);
   s_totals.live_bytes = s_totals.live_bytes - occupied(old_size)
                         + occupied(new_size);
   b->info.size = new_size;
   note_growth();
   MSC_(rec_event)(MSC_REC_RESIZE);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(p);
   MSC_(rec_u)(old_size);
   MSC_(rec_u)(new_size);
   MSC_(rec_end)();
}

/* The allocation families: a block must be released by its family's
   function (the aligned operators are families of their own). */
static Int family_of_alloc ( MscAllocKind k )
{
   switch (k) {
   case MSC_ALLOC_NEW:               return 1;
   case MSC_ALLOC_NEW_ARRAY:         return 2;
   case MSC_ALLOC_NEW_ALIGNED:       return 3;
   case MSC_ALLOC_NEW_ARRAY_ALIGNED: return 4;
   case MSC_ALLOC_CUSTOM:            return 5;
   case MSC_ALLOC_POOL:              return 6;
   default:                          return 0;
   }
}

static Int family_of_free ( MscFreeKind k )
{
   switch (k) {
   case MSC_FREE_DELETE:               return 1;
   case MSC_FREE_DELETE_ARRAY:         return 2;
   case MSC_FREE_DELETE_ALIGNED:       return 3;
   case MSC_FREE_DELETE_ARRAY_ALIGNED: return 4;
   case MSC_FREE_CUSTOM:               return 5;
   case MSC_FREE_POOL:                 return 6;
   default:                            return 0;
   }
}

/* The end of a pool chunk: gone from the live figures, logged, but not
   counted as a free (Memcheck does not count it either). */
static void release_chunk ( ThreadId tid, Block* b )
{
   UInt stack = MSC_(stack_here)(tid);
   VG_(HT_remove)(s_chunks, b->payload);
   s_totals.live_blocks--;
   s_totals.live_bytes -= occupied(b->info.size);
   MSC_(object_ended)(b->payload, b->info.size, MSC_ACCESS_HEAP, tid);
   MSC_(rec_event)(MSC_REC_FREE);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(MSC_FREE_POOL);
   MSC_(rec_heap_addr)(b->payload);
   MSC_(rec_end)();
   VG_(freeEltPA)(s_block_pool, b);
}

static void release_block ( ThreadId tid, void* p, MscFreeKind kind )
{
   Block* b = VG_(HT_remove)(s_blocks, (UWord)p);
   UInt stack = MSC_(stack_here)(tid);
   /* Memcheck counts every free call, valid or not. */
   s_totals.frees++;
   if (b != NULL) {
      s_totals.live_blocks--;
      s_totals.live_bytes -= occupied(b->info.size);
      if (family_of_alloc(b->info.kind) != family_of_free(kind))
         MSC_(finding_mismatched_free)(tid, (Addr)p, b->info.size,
                                       b->info.kind, kind, b->info.where);
      /* Before the FREE record: a reader still knows the block then. */
      MSC_(object_ended)((Addr)p, b->info.size, MSC_ACCESS_HEAP, tid);
   }
   /* FREE and INVALID_FREE have the same fields. */
   MSC_(rec_event)(b != NULL ? MSC_REC_FREE : MSC_REC_INVALID_FREE);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(kind);
   MSC_(rec_heap_addr)((Addr)p);
   MSC_(rec_end)();
   if (b == NULL) {
      MSC_(finding_invalid_free)(tid, (Addr)p, kind, False);
      return;
   }
   /* A custom allocator's memory is its own: never given back here. */
   if (b->info.kind != MSC_ALLOC_CUSTOM && kind != MSC_FREE_CUSTOM)
      VG_(cli_free)(p);
   VG_(freeEltPA)(s_block_pool, b);
}

static void log_realloc ( ThreadId tid, UInt stack, Addr old, Addr new,
                          SizeT size )
{
   MSC_(rec_event)(MSC_REC_REALLOC);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_heap_addr)(old);
   MSC_(rec_heap_addr)(new);
   MSC_(rec_u)(size);
   MSC_(rec_end)();
}

/* The core's replacement library handles realloc(NULL, n) as malloc and
   realloc(p, 0) as free before calling this.  Like Memcheck, the block
   always moves (so stale pointers to the old one stay detectable) and the
   call counts as one alloc and one free. */
static void* msc_realloc ( ThreadId tid, void* p_old, SizeT new_size )
{
   SizeT old_size;
   Block* b;
   UInt stack;
   void* p_new;
   if (is_fishy(new_size))
      return NULL;
   s_totals.allocs++;
   s_totals.frees++;
   s_totals.bytes_allocated += new_size;
   stack = MSC_(stack_here)(tid);
   b = VG_(HT_lookup)(s_blocks, (UWord)p_old);
   if (b == NULL) {
      log_realloc(tid, stack, (Addr)p_old, 0, new_size);
      MSC_(finding_invalid_free)(tid, (Addr)p_old, MSC_FREE_FREE, True);
      return NULL;
   }
   if (b->info.kind == MSC_ALLOC_CUSTOM) {
      /* realloc() of a custom allocator's block: not the allocator's to
         move; reported, and the block stays. */
      MSC_(finding_mismatched_free)(tid, (Addr)p_old, b->info.size,
                                    b->info.kind, MSC_FREE_FREE,
                                    b->info.where);
      log_realloc(tid, stack, (Addr)p_old, 0, new_size);
      return NULL;
   }
   p_new = VG_(cli_malloc)(VG_(clo_alignment), new_size);
   if (p_new == NULL) {
      log_realloc(tid, stack, (Addr)p_old, 0, new_size);
      return NULL;
   }
   old_size = b->info.size;
   VG_(memcpy)(p_new, p_old, old_size < new_size ? old_size : new_size);
   VG_(HT_remove)(s_blocks, (UWord)p_old);
   s_totals.live_bytes = s_totals.live_bytes - occupied(b->info.size)
                         + occupied(new_size);
   b->payload = (Addr)p_new;
   b->info.size = new_size;
   VG_(HT_add_node)(s_blocks, b);
   note_growth();
   MSC_(object_ended)((Addr)p_old, old_size, MSC_ACCESS_HEAP, tid);
   log_realloc(tid, stack, (Addr)p_old, (Addr)p_new, new_size);
   if (is_checked_here(tid))
      MSC_(object_started)(tid, (Addr)p_new, new_size, MSC_ACCESS_HEAP,
                           b->info.where, False);
   VG_(cli_free)(p_old);
   return p_new;
}

static void* msc_malloc ( ThreadId tid, SizeT n )
{
   return new_block(tid, n, VG_(clo_alignment), False, MSC_ALLOC_MALLOC);
}

static void* msc_builtin_new ( ThreadId tid, SizeT n )
{
   return new_block(tid, n, VG_(clo_alignment), False, MSC_ALLOC_NEW);
}

/* From Valgrind 3.22 on, the aligned callbacks also receive the alignment
   the program asked for before the core adjusted it (unused here). */
#if __VALGRIND_MAJOR__ > 3 || (__VALGRIND_MAJOR__ == 3 && __VALGRIND_MINOR__ >= 22)
#  define MSC_ORIG_ALIGN_PARAM , SizeT orig_align
#else
#  define MSC_ORIG_ALIGN_PARAM
#endif

static void* msc_builtin_new_aligned ( ThreadId tid, SizeT n, SizeT align
                                       MSC_ORIG_ALIGN_PARAM )
{
   return new_block(tid, n, align, False, MSC_ALLOC_NEW_ALIGNED);
}

static void* msc_builtin_vec_new ( ThreadId tid, SizeT n )
{
   return new_block(tid, n, VG_(clo_alignment), False, MSC_ALLOC_NEW_ARRAY);
}

static void* msc_builtin_vec_new_aligned ( ThreadId tid, SizeT n,
                                           SizeT align MSC_ORIG_ALIGN_PARAM )
{
   return new_block(tid, n, align, False, MSC_ALLOC_NEW_ARRAY_ALIGNED);
}

static void* msc_memalign ( ThreadId tid, SizeT align MSC_ORIG_ALIGN_PARAM,
                            SizeT n )
{
   return new_block(tid, n, align, False, MSC_ALLOC_MEMALIGN);
}

static void* msc_calloc ( ThreadId tid, SizeT nmemb, SizeT size1 )
{
   /* The replacement library refuses overflowing products before calling
      here; checked again so that this function is safe on its own. */
   if (is_fishy(nmemb) || is_fishy(size1)
       || (size1 != 0 && nmemb > ((SizeT)-1) / size1))
      return NULL;
   return new_block(tid, nmemb * size1, VG_(clo_alignment), True,
                    MSC_ALLOC_CALLOC);
}

static void msc_free ( ThreadId tid, void* p )
{
   release_block(tid, p, MSC_FREE_FREE);
}

static void msc_builtin_delete ( ThreadId tid, void* p )
{
   release_block(tid, p, MSC_FREE_DELETE);
}

static void msc_builtin_delete_aligned ( ThreadId tid, void* p, SizeT align )
{
   release_block(tid, p, MSC_FREE_DELETE_ALIGNED);
}

static void msc_builtin_vec_delete ( ThreadId tid, void* p )
{
   release_block(tid, p, MSC_FREE_DELETE_ARRAY);
}

static void msc_builtin_vec_delete_aligned ( ThreadId tid, void* p,
                                             SizeT align )
{
   release_block(tid, p, MSC_FREE_DELETE_ARRAY_ALIGNED);
}

static SizeT msc_malloc_usable_size ( ThreadId tid, void* p )
{
   /* The requested size, as Memcheck and DHAT answer: a program that
      trusts the answer must not wander into the allocator's slack. */
   Block* b = VG_(HT_lookup)(s_blocks, (UWord)p);
   return b ? b->info.size : 0;
}

/* ALLOC records for every live block and chunk; their requested bytes. */
static ULong log_live_in ( VgHashTable* table )
{
   Block* b;
   ULong requested = 0;
   VG_(HT_ResetIter)(table);
   while ((b = VG_(HT_Next)(table)) != NULL) {
      MSC_(stack_id)(b->info.where);   /* written again in this log */
      log_alloc(b);
      requested += b->info.size;
   }
   return requested;
}

void MSC_(heap_log_live) ( void )
{
   log_live_in(s_blocks);
   log_live_in(s_chunks);
}

void MSC_(heap_restart_in_child) ( void )
{
   ULong requested = log_live_in(s_blocks) + log_live_in(s_chunks);
   s_totals.allocs = s_totals.live_blocks;
   s_totals.bytes_allocated = requested;
   s_totals.frees = 0;
   s_totals.peak_bytes = s_totals.live_bytes;
   s_totals.peak_blocks = s_totals.live_blocks;
   s_totals.peak_time = MSC_(clock_now)();
}

static Int cmp_block_starts ( const void* a, const void* b )
{
   Addr x = (*(Block* const*)a)->payload, y = (*(Block* const*)b)->payload;
   return x < y ? -1 : x > y ? 1 : 0;
}

/* ---- memory pools ---------------------------------------------------------- */
/* As Memcheck: a pool is named by an anchor address; its chunks count as
   allocations when they are made and leave the live figures when they
   end, without counting as frees.  Requests naming an unknown pool or
   chunk get a warning and are ignored. */

Bool MSC_(heap_pool_exists) ( Addr pool )
{
   return VG_(lookupFM)(s_pools, NULL, NULL, pool);
}

void MSC_(heap_pool_create) ( ThreadId tid, Addr pool )
{
   VG_(addToFM)(s_pools, pool, 1);
}

static Bool known_pool ( ThreadId tid, Addr pool, const HChar* what )
{
   if (MSC_(heap_pool_exists)(pool))
      return True;
   MSC_(warn)(tid, "%s: no memory pool at %#lx; request ignored", what, pool);
   return False;
}

/* The chunks of `pool`, in a fresh array of *n (VG_(free) it). */
static Block** chunks_of ( Addr pool, UInt* n )
{
   UInt i, all = 0, kept = 0;
   Block** chunks = (Block**)VG_(HT_to_array)(s_chunks, &all);
   for (i = 0; i < all; i++)
      if (chunks[i]->info.pool == pool)
         chunks[kept++] = chunks[i];
   *n = kept;
   return chunks;
}

void MSC_(heap_pool_destroy) ( ThreadId tid, Addr pool )
{
   UInt i, n;
   Block** chunks;
   if (!known_pool(tid, pool, "VALGRIND_DESTROY_MEMPOOL"))
      return;
   chunks = chunks_of(pool, &n);
   for (i = 0; i < n; i++)
      release_chunk(tid, chunks[i]);
   if (chunks != NULL)
      VG_(free)(chunks);
   VG_(delFromFM)(s_pools, NULL, NULL, pool);
}

void MSC_(heap_pool_alloc) ( ThreadId tid, Addr pool, Addr p, SizeT size )
{
   Block* b;
   if (!known_pool(tid, pool, "VALGRIND_MEMPOOL_ALLOC"))
      return;
   if (p == 0 || is_fishy(size) || VG_(HT_lookup)(s_chunks, p) != NULL) {
      MSC_(warn)(tid, "VALGRIND_MEMPOOL_ALLOC(%#lx, %#lx, %lu): %s; ignored",
                 pool, p, size, p == 0 ? "NULL address"
                 : is_fishy(size) ? "absurd size" : "already a live chunk");
      return;
   }
   b = add_block(tid, (void*)p, size, MSC_ALLOC_POOL);
   b->info.pool = pool;
}

void MSC_(heap_pool_free) ( ThreadId tid, Addr pool, Addr p )
{
   Block* b;
   if (!known_pool(tid, pool, "VALGRIND_MEMPOOL_FREE"))
      return;
   b = VG_(HT_lookup)(s_chunks, p);
   if (b == NULL || b->info.pool != pool) {
      MSC_(warn)(tid, "VALGRIND_MEMPOOL_FREE(%#lx, %#lx): not a chunk of "
                 "that pool; ignored", pool, p);
      return;
   }
   release_chunk(tid, b);
}

void MSC_(heap_pool_trim) ( ThreadId tid, Addr pool, Addr p, SizeT size )
{
   UInt i, n;
   Block** chunks;
   if (!known_pool(tid, pool, "VALGRIND_MEMPOOL_TRIM"))
      return;
   chunks = chunks_of(pool, &n);
   for (i = 0; i < n; i++) {
      Block* b = chunks[i];
      Addr end = b->payload + b->info.size;
      if (end <= p || b->payload >= p + size) {
         release_chunk(tid, b);        /* wholly outside: gone */
      } else if (b->payload >= p && end > p + size) {
         /* Across the range's end: cut, as a chunk that ends and a
            shorter one at its place (Memcheck cuts it in place, without
            counting an allocation).  A chunk that starts before the
            range keeps its start and size. */
         Addr start = b->payload;
         release_chunk(tid, b);
         MSC_(heap_pool_alloc)(tid, pool, start, p + size - start);
      }
   }
   if (chunks != NULL)
      VG_(free)(chunks);
}

void MSC_(heap_pool_move) ( ThreadId tid, Addr from, Addr to )
{
   UInt i, n;
   Block** chunks;
   if (!known_pool(tid, from, "VALGRIND_MOVE_MEMPOOL"))
      return;
   chunks = chunks_of(from, &n);
   for (i = 0; i < n; i++)
      chunks[i]->info.pool = to;
   if (chunks != NULL)
      VG_(free)(chunks);
   VG_(delFromFM)(s_pools, NULL, NULL, from);
   VG_(addToFM)(s_pools, to, 1);
}

void MSC_(heap_pool_change) ( ThreadId tid, Addr pool, Addr from, Addr to,
                              SizeT size )
{
   Block* b;
   if (!known_pool(tid, pool, "VALGRIND_MEMPOOL_CHANGE"))
      return;
   b = VG_(HT_lookup)(s_chunks, from);
   if (b == NULL || b->info.pool != pool || is_fishy(size)) {
      MSC_(warn)(tid, "VALGRIND_MEMPOOL_CHANGE(%#lx, %#lx, %#lx, %lu): not "
                 "a chunk of that pool; ignored", pool, from, to, size);
      return;
   }
   /* Moved or resized: the old chunk ends and a new one starts, which
      counts as an allocation where Memcheck counts nothing (a chunk's
      records stay ALLOC and FREE of kind pool, which readers keep apart
      from the block they lie in). */
   release_chunk(tid, b);
   MSC_(heap_pool_alloc)(tid, pool, to, size);
}

static Int cmp_live_starts ( const void* a, const void* b )
{
   Addr x = ((const MscLiveBlock*)a)->start, y = ((const MscLiveBlock*)b)->start;
   return x < y ? -1 : x > y ? 1 : 0;
}

MscLiveBlock* MSC_(heap_live_blocks) ( UInt* n )
{
   UInt i, n_blocks = 0, n_chunks = 0;
   Block** blocks = (Block**)VG_(HT_to_array)(s_blocks, &n_blocks);
   Block** chunks = (Block**)VG_(HT_to_array)(s_chunks, &n_chunks);
   UInt count = n_blocks + n_chunks;
   MscLiveBlock* out = VG_(malloc)("msc.heap.live", (count ? count : 1)
                                   * sizeof(MscLiveBlock));
   for (i = 0; i < count; i++) {
      const Block* b = i < n_blocks ? blocks[i] : chunks[i - n_blocks];
      out[i].start = b->payload;
      out[i].size = b->info.size;
      out[i].is_chunk = i >= n_blocks;
   }
   if (blocks != NULL)
      VG_(free)(blocks);
   if (chunks != NULL)
      VG_(free)(chunks);
   VG_(ssort)(out, count, sizeof(MscLiveBlock), cmp_live_starts);
   *n = count;
   return out;
}

Addr MSC_(heap_block_containing) ( Addr a )
{
   static Block** sorted = NULL;
   static UInt n = 0;
   UInt lo = 0, hi;
   if (sorted == NULL) {
      sorted = (Block**)VG_(HT_to_array)(s_blocks, &n);
      VG_(ssort)(sorted, n, sizeof(Block*), cmp_block_starts);
   }
   hi = n;
   while (lo < hi) {                 /* the last block starting <= a */
      UInt mid = lo + (hi - lo) / 2;
      if (sorted[mid]->payload <= a)
         lo = mid + 1;
      else
         hi = mid;
   }
   if (lo == 0)
      return 0;
   {
      Block* b = sorted[lo - 1];
      return a < b->payload + occupied(b->info.size) ? b->payload : 0;
   }
}

void MSC_(heap_register_replacement) ( void )
{
   VG_(needs_malloc_replacement)(msc_malloc,
                                 msc_builtin_new,
                                 msc_builtin_new_aligned,
                                 msc_builtin_vec_new,
                                 msc_builtin_vec_new_aligned,
                                 msc_memalign,
                                 msc_calloc,
                                 msc_free,
                                 msc_builtin_delete,
                                 msc_builtin_delete_aligned,
                                 msc_builtin_vec_delete,
                                 msc_builtin_vec_delete_aligned,
                                 msc_realloc,
                                 msc_malloc_usable_size,
                                 0 /* no redzones */);
}
