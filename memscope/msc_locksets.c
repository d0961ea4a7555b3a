/* msc_locksets.c: the locks each thread holds.  See msc_locksets.h.
   Runs on the host. */

#include "msc_locksets.h"
#include "pub_tool_threadstate.h"

typedef struct {
   Addr locks[MSC_MAX_HELD];
   UInt n;
} HeldSet;

static HeldSet* s_held = NULL;        /* VG_N_THREADS entries */
UInt* MSC_(lockset_n) = NULL;         /* VG_N_THREADS: s_held[].n */

void MSC_(locksets_init) ( void )
{
   s_held = VG_(calloc)("msc.locksets.held", VG_N_THREADS, sizeof(HeldSet));
   MSC_(lockset_n) = VG_(calloc)("msc.locksets.n", VG_N_THREADS,
                                 sizeof(UInt));
}

void MSC_(lockset_add) ( ThreadId tid, Addr lock )
{
   HeldSet* h = &s_held[tid];
   if (h->n < MSC_MAX_HELD)
      h->locks[h->n++] = lock;
   MSC_(lockset_n)[tid] = h->n;
}

Bool MSC_(lockset_remove) ( ThreadId tid, Addr lock )
{
   HeldSet* h = &s_held[tid];
   UInt i;
   for (i = 0; i < h->n; i++)
      if (h->locks[i] == lock) {
         h->locks[i] = h->locks[--h->n];
         MSC_(lockset_n)[tid] = h->n;
         return True;
      }
   return False;
}

UInt MSC_(lockset_of) ( ThreadId tid, const Addr** locks )
{
   *locks = s_held[tid].locks;
   return s_held[tid].n;
}
