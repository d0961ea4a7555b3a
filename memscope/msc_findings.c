/* msc_findings.c: the sink findings go to, and the lock namer.  See
   msc_findings.h.  Runs on the host. */

#include "msc_findings.h"

static const MscFindingSink* s_sink = NULL;
static MscLockNamer s_lock_namer = NULL;

void MSC_(findings_set_sink) ( const MscFindingSink* sink )
{
   s_sink = sink;
}

/* Without a sink (no module registered one) a finding is reported
   nowhere: the finder logs it all the same. */

void MSC_(finding_invalid_free) ( ThreadId tid, Addr a, MscFreeKind how,
                                  Bool is_realloc )
{
   if (s_sink != NULL)
      s_sink->invalid_free(tid, a, how, is_realloc);
}

void MSC_(finding_mismatched_free) ( ThreadId tid, Addr a, SizeT size,
                                     MscAllocKind allocated_with,
                                     MscFreeKind freed_with,
                                     ExeContext* alloc_where )
{
   if (s_sink != NULL)
      s_sink->mismatched_free(tid, a, size, allocated_with, freed_with,
                              alloc_where);
}

Bool MSC_(finding_race) ( ThreadId tid, Addr a, ExeContext* where,
                          const MscRaceInfo* info )
{
   return s_sink == NULL || s_sink->race(tid, a, where, info);
}

Bool MSC_(finding_lock_order) ( ThreadId tid, ExeContext* where, Addr lock,
                                Addr held, UInt held_stack, Addr next,
                                UInt first_stack, UInt second_stack )
{
   return s_sink == NULL
          || s_sink->lock_order(tid, where, lock, held, held_stack, next,
                                first_stack, second_stack);
}

Bool MSC_(finding_lockset) ( ThreadId tid, ExeContext* where, Addr obj,
                             SizeT size, const HChar* name )
{
   return s_sink == NULL || s_sink->lockset(tid, where, obj, size, name);
}

void MSC_(findings_set_lock_namer) ( MscLockNamer namer )
{
   s_lock_namer = namer;
}

const HChar* MSC_(finding_lock_name) ( Addr addr )
{
   return s_lock_namer != NULL ? s_lock_namer(addr) : NULL;
}
