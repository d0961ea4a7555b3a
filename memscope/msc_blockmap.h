/* msc_blockmap.h: where the small heap blocks are.  Owns a direct map
   from the address space, in 16-byte granules, to an opaque pointer (the
   access tracker's object for the block holding the granule): three
   levels, 64 KiB of address space per leaf, leaves allocated when a block
   first lands in their range and kept (8 bytes of map per 16 bytes of
   heap address range ever used, bounded by the heap's extent).  A lookup
   is three dependent loads, where an ordered tree costs a dozen; entering
   or removing a block writes one word per granule, which is why only
   blocks up to MSC_BLOCKMAP_MAX_SZB come here.  Granules never hold two
   blocks: the client allocator aligns blocks to 16 bytes and no two
   overlap.  Knows nothing else of the tool.  Runs on the host. */

#ifndef MSC_BLOCKMAP_H
#define MSC_BLOCKMAP_H

#include "msc_basics.h"

#define MSC_BLOCKMAP_GRANULE_SHIFT 4
#define MSC_BLOCKMAP_LEAF_SHIFT    16      /* 64 KiB per leaf */
#define MSC_BLOCKMAP_MID_SHIFT     32      /* 4 GiB per middle table */
#define MSC_BLOCKMAP_ADDR_BITS     48
#define MSC_BLOCKMAP_MAX_SZB       ((SizeT)64 * 1024)

typedef struct {
   void* obj[1 << (MSC_BLOCKMAP_LEAF_SHIFT - MSC_BLOCKMAP_GRANULE_SHIFT)];
} MscBlockLeaf;

/* The top level: NULL until the first block is entered. */
extern MscBlockLeaf*** MSC_(blockmap_top);

/* Whether [start, start+size) may be entered: 16-byte aligned, not empty,
   at most MSC_BLOCKMAP_MAX_SZB, below 2^48. */
Bool MSC_(blockmap_fits) ( Addr start, SizeT size );

/* Every granule of [start, start+size) maps to obj (NULL: to nothing).
   [start, start+size) must fit. */
void MSC_(blockmap_set) ( Addr start, SizeT size, void* obj );

/* The pointer for a's granule, NULL when none. */
static inline void* MSC_(blockmap_get) ( Addr a )
{
   MscBlockLeaf** mid;
   MscBlockLeaf* leaf;
   if (MSC_(blockmap_top) == NULL || (a >> MSC_BLOCKMAP_ADDR_BITS) != 0)
      return NULL;
   mid = MSC_(blockmap_top)[a >> MSC_BLOCKMAP_MID_SHIFT];
   if (mid == NULL)
      return NULL;
   leaf = mid[(a >> MSC_BLOCKMAP_LEAF_SHIFT)
              & ((1 << (MSC_BLOCKMAP_MID_SHIFT - MSC_BLOCKMAP_LEAF_SHIFT)) - 1)];
   if (leaf == NULL)
      return NULL;
   return leaf->obj[(a >> MSC_BLOCKMAP_GRANULE_SHIFT)
                    & ((1 << (MSC_BLOCKMAP_LEAF_SHIFT
                              - MSC_BLOCKMAP_GRANULE_SHIFT)) - 1)];
}

/* A stretch [*lo, *hi) around a, whose granule maps to nothing, that maps
   to nothing anywhere (not always the largest: the search is bounded). */
void MSC_(blockmap_empty_around) ( Addr a, Addr* lo, Addr* hi );

/* In address order: the first granule from *cursor's (rounded down to
   its granule) below end that maps to something, its pointer returned
   and *cursor set to that granule's address; NULL when there is none.
   Skips whole absent tables.  To go on past a block, set *cursor to its
   end rounded up to a granule. */
void* MSC_(blockmap_next) ( Addr* cursor, Addr end );

/* The map's own memory, in bytes (for the tool's statistics). */
SizeT MSC_(blockmap_szB) ( void );

#endif
