/* msc_syncev.c: the synchronisation-event vocabulary onto the engine.
   See msc_syncev.h.  Runs on the host. */

#include "msc_syncev.h"
#include "msc_lockorder.h"
#include "msc_locksets.h"
#include "msc_race.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_threadstate.h"

/* Per Valgrind ThreadId (VG_N_THREADS entries, made at the first use):
   how deep the thread is in modelled calls. */
static UInt* s_primitive_depth = NULL;

static UInt* depth_of ( ThreadId tid )
{
   if (tid >= VG_N_THREADS)
      return NULL;
   if (s_primitive_depth == NULL)
      s_primitive_depth = VG_(calloc)("msc.syncev.depth", VG_N_THREADS,
                                      sizeof(UInt));
   return &s_primitive_depth[tid];
}

void MSC_(syncev_release) ( ThreadId tid, Addr key )
{
   MSC_(race_release)(tid, key);
}

void MSC_(syncev_acquire) ( ThreadId tid, Addr key )
{
   MSC_(race_acquire)(tid, key);
}

void MSC_(syncev_acquire_shared) ( ThreadId tid, Addr key )
{
   MSC_(race_acquire_shared)(tid, key);
}

void MSC_(syncev_shared_end) ( ThreadId tid )
{
   MSC_(race_shared_end)(tid);
}

void MSC_(syncev_acquire_release) ( ThreadId tid, Addr key )
{
   MSC_(race_rmw)(tid, key);
}

void MSC_(syncev_library_release) ( ThreadId tid, Addr key )
{
   MSC_(race_release_library)(tid, key);
}

void MSC_(syncev_library_acquire) ( ThreadId tid, Addr key )
{
   MSC_(race_acquire_library)(tid, key);
}

void MSC_(syncev_library_benign) ( Addr a, SizeT len, Bool on )
{
   MSC_(race_library_benign)(a, len, on);
}

void MSC_(syncev_library_lock) ( Addr lock, Addr owner_at, Bool on )
{
   MSC_(race_library_lock)(lock, owner_at, on);
}

void MSC_(syncev_forget) ( Addr key )
{
   MSC_(race_forget)(key);
}

void MSC_(syncev_primitive_enter) ( ThreadId tid )
{
   UInt* d = depth_of(tid);
   if (d != NULL && (*d)++ == 0)
      MSC_(race_in_primitive)(tid, True);
}

void MSC_(syncev_primitive_leave) ( ThreadId tid )
{
   UInt* d = depth_of(tid);
   if (d != NULL && *d > 0 && --(*d) == 0)
      MSC_(race_in_primitive)(tid, False);
}

Bool MSC_(syncev_in_primitive) ( ThreadId tid )
{
   UInt* d = depth_of(tid);
   return d != NULL && *d > 0;
}

void MSC_(syncev_primitive_reset) ( ThreadId tid )
{
   UInt* d = depth_of(tid);
   if (d != NULL)
      *d = 0;
   MSC_(race_in_primitive)(tid, False);
}

void MSC_(syncev_lock_taken) ( ThreadId tid, Addr lock, UInt stack,
                               Bool is_try )
{
   MSC_(lockorder_acquired)(tid, lock, stack, is_try);
   MSC_(lockset_add)(tid, lock);
   /* After the held set changed: the race check keeps each epoch's. */
   MSC_(race_locks_changed)(tid);
}

void MSC_(syncev_lock_given_up) ( ThreadId tid, Addr lock )
{
   MSC_(lockset_remove)(tid, lock);
   MSC_(lockorder_released)(tid, lock);
   MSC_(race_locks_changed)(tid);
}

void MSC_(syncev_lock_lost) ( ThreadId tid, Addr lock )
{
   MSC_(lockset_remove)(tid, lock);
   MSC_(lockorder_released)(tid, lock);
}

void MSC_(syncev_all_locks_lost) ( ThreadId tid )
{
   const Addr* held;
   while (MSC_(lockset_of)(tid, &held) > 0)
      MSC_(syncev_lock_lost)(tid, held[0]);
}

void MSC_(syncev_lock_gone) ( Addr lock )
{
   MSC_(lockorder_forget)(lock);
}

void MSC_(syncev_thread_started) ( ThreadId parent, ThreadId child )
{
   MSC_(race_thread_start)(parent, child);
}

void MSC_(syncev_thread_joined) ( ThreadId joiner, UInt joined_serial )
{
   MSC_(race_thread_joined)(joiner, joined_serial);
}

void MSC_(syncev_thread_gone) ( UInt serial )
{
   MSC_(race_thread_gone)(serial);
}

void MSC_(syncev_ignore) ( ThreadId tid, Bool reads, Bool ignore )
{
   MSC_(race_ignore)(tid, reads, ignore);
}

void MSC_(syncev_benign) ( Addr a, SizeT len, Bool benign )
{
   MSC_(race_benign)(a, len, benign);
}

void MSC_(syncev_object_bytes) ( Addr a, SizeT len, Bool on )
{
   MSC_(race_sync_bytes)(a, len, on);
}

static MscObjectUser s_object_user = NULL;

void MSC_(syncev_set_object_user) ( MscObjectUser user )
{
   s_object_user = user;
}

void MSC_(syncev_object_used) ( ThreadId tid, Addr a, SizeT len,
                                Bool rewrite )
{
   if (s_object_user != NULL)
      s_object_user(tid, a, len, rewrite);
}
