/* msc_objects.c: the observers of tracked objects.  See msc_objects.h.
   Runs on the host. */

#include "msc_objects.h"

#define MSC_MAX_OBJECT_OBSERVERS 4

static const MscObjectObserver* s_observers[MSC_MAX_OBJECT_OBSERVERS];
static UInt s_n_observers = 0;

void MSC_(objects_observe) ( const MscObjectObserver* observer )
{
   tl_assert(s_n_observers < MSC_MAX_OBJECT_OBSERVERS);
   s_observers[s_n_observers++] = observer;
}

void MSC_(object_started) ( ThreadId tid, Addr start, SizeT size, UInt kind,
                            ExeContext* where, Bool nested )
{
   UInt i;
   for (i = 0; i < s_n_observers; i++)
      if (s_observers[i]->started != NULL)
         s_observers[i]->started(tid, start, size, kind, where, nested);
}

void MSC_(object_named) ( Addr start, const HChar* name )
{
   UInt i;
   for (i = 0; i < s_n_observers; i++)
      if (s_observers[i]->named != NULL)
         s_observers[i]->named(start, name);
}

void MSC_(object_ended) ( Addr start, SizeT size, UInt kind,
                          ThreadId freed_by )
{
   UInt i;
   for (i = 0; i < s_n_observers; i++)
      if (s_observers[i]->ended != NULL)
         s_observers[i]->ended(start, size, kind, freed_by);
}
