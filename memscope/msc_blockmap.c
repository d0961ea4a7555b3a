/* msc_blockmap.c: where the small heap blocks are.  See msc_blockmap.h.
   Runs on the host. */

#include "msc_blockmap.h"

#define GRANULE_SZB   ((Addr)1 << MSC_BLOCKMAP_GRANULE_SHIFT)
#define LEAF_SZB      ((Addr)1 << MSC_BLOCKMAP_LEAF_SHIFT)
#define MID_SZB       ((Addr)1 << MSC_BLOCKMAP_MID_SHIFT)
#define ADDR_END      ((Addr)1 << MSC_BLOCKMAP_ADDR_BITS)
#define LEAF_ENTRIES  (1 << (MSC_BLOCKMAP_LEAF_SHIFT \
                             - MSC_BLOCKMAP_GRANULE_SHIFT))
#define MID_ENTRIES   (1 << (MSC_BLOCKMAP_MID_SHIFT - MSC_BLOCKMAP_LEAF_SHIFT))
#define TOP_ENTRIES   (1 << (MSC_BLOCKMAP_ADDR_BITS - MSC_BLOCKMAP_MID_SHIFT))
/* How far blockmap_empty_around looks each way, in granules. */
#define EMPTY_SEARCH  64

/* The levels split a 64-bit address. */
STATIC_ASSERT(sizeof(Addr) == 8);

MscBlockLeaf*** MSC_(blockmap_top) = NULL;
static SizeT s_map_szB = 0;

static UInt mid_index ( Addr a )
{
   return (UInt)((a >> MSC_BLOCKMAP_LEAF_SHIFT) & (MID_ENTRIES - 1));
}

static UInt leaf_index ( Addr a )
{
   return (UInt)((a >> MSC_BLOCKMAP_GRANULE_SHIFT) & (LEAF_ENTRIES - 1));
}

/* The leaf covering a (a below ADDR_END), made when `create`; NULL when
   absent.  *absent_szB tells how far the absence reaches from a's leaf
   start: a leaf or a whole middle table. */
static MscBlockLeaf* leaf_of ( Addr a, Bool create, Addr* absent_szB )
{
   MscBlockLeaf** mid;
   *absent_szB = LEAF_SZB;
   if (MSC_(blockmap_top) == NULL) {
      if (!create) {
         *absent_szB = MID_SZB;
         return NULL;
      }
      MSC_(blockmap_top) = VG_(calloc)("msc.blockmap.top", TOP_ENTRIES,
                                       sizeof(MscBlockLeaf**));
      s_map_szB += TOP_ENTRIES * sizeof(MscBlockLeaf**);
   }
   mid = MSC_(blockmap_top)[a >> MSC_BLOCKMAP_MID_SHIFT];
   if (mid == NULL) {
      if (!create) {
         *absent_szB = MID_SZB;
         return NULL;
      }
      mid = MSC_(blockmap_top)[a >> MSC_BLOCKMAP_MID_SHIFT]
          = VG_(calloc)("msc.blockmap.mid", MID_ENTRIES,
                        sizeof(MscBlockLeaf*));
      s_map_szB += MID_ENTRIES * sizeof(MscBlockLeaf*);
   }
   if (mid[mid_index(a)] == NULL && create) {
      mid[mid_index(a)] = VG_(calloc)("msc.blockmap.leaf", 1,
                                      sizeof(MscBlockLeaf));
      s_map_szB += sizeof(MscBlockLeaf);
   }
   return mid[mid_index(a)];
}

Bool MSC_(blockmap_fits) ( Addr start, SizeT size )
{
   return (start & (GRANULE_SZB - 1)) == 0 && size > 0
          && size <= MSC_BLOCKMAP_MAX_SZB && start < ADDR_END
          && size <= ADDR_END - start;
}

void MSC_(blockmap_set) ( Addr start, SizeT size, void* obj )
{
   Addr g = start, end = start + size;
   tl_assert(MSC_(blockmap_fits)(start, size));
   while (g < end) {
      Addr absent;
      Addr leaf_end = (g & ~(LEAF_SZB - 1)) + LEAF_SZB;
      MscBlockLeaf* leaf = leaf_of(g, obj != NULL, &absent);
      if (leaf_end > end)
         leaf_end = end;
      if (leaf != NULL)
         for (; g < leaf_end; g += GRANULE_SZB)
            leaf->obj[leaf_index(g)] = obj;
      g = (leaf_end + GRANULE_SZB - 1) & ~(GRANULE_SZB - 1);
   }
}

void MSC_(blockmap_empty_around) ( Addr a, Addr* lo, Addr* hi )
{
   Addr absent, leaf_lo = a & ~(LEAF_SZB - 1);
   MscBlockLeaf* leaf;
   UInt i, steps;
   if (a >= ADDR_END) {
      *lo = ADDR_END;
      *hi = ~(Addr)0;
      return;
   }
   /* Never past a's leaf: the stretch is kept as a thread's "nothing
      here", forgotten when a block lands in it, so one reaching into the
      heap's growing end would be forgotten at every allocation. */
   leaf = leaf_of(a, False, &absent);
   if (leaf == NULL) {
      *lo = leaf_lo;
      *hi = leaf_lo + LEAF_SZB;
      return;
   }
   i = leaf_index(a);
   for (steps = 0; steps < EMPTY_SEARCH && i > 0
                   && leaf->obj[i - 1] == NULL; steps++)
      i--;
   *lo = leaf_lo + ((Addr)i << MSC_BLOCKMAP_GRANULE_SHIFT);
   i = leaf_index(a);
   for (steps = 0; steps < EMPTY_SEARCH && i + 1 < LEAF_ENTRIES
                   && leaf->obj[i + 1] == NULL; steps++)
      i++;
   *hi = leaf_lo + ((Addr)(i + 1) << MSC_BLOCKMAP_GRANULE_SHIFT);
}

void* MSC_(blockmap_next) ( Addr* cursor, Addr end )
{
   Addr g = *cursor & ~(GRANULE_SZB - 1);
   if (end > ADDR_END)
      end = ADDR_END;
   while (g < end) {
      Addr absent;
      MscBlockLeaf* leaf = leaf_of(g, False, &absent);
      Addr leaf_end;
      if (leaf == NULL) {
         g = (g & ~(absent - 1)) + absent;
         continue;
      }
      leaf_end = (g & ~(LEAF_SZB - 1)) + LEAF_SZB;
      for (; g < leaf_end && g < end; g += GRANULE_SZB)
         if (leaf->obj[leaf_index(g)] != NULL) {
            *cursor = g;
            return leaf->obj[leaf_index(g)];
         }
   }
   *cursor = end;
   return NULL;
}

SizeT MSC_(blockmap_szB) ( void )
{
   return s_map_szB;
}
