/* msc_names.c: named variables and blocks.  Runs on the host.
   See msc_names.h.  Names of heap blocks live in the heap's block table
   (they die with the block); names of everything else in s_objects. */

#include "msc_names.h"
#include "msc_elfdata.h"
#include "msc_objects.h"
#include "msc_heap.h"
#include "msc_log.h"
#include "msc_stacks.h"
#include "msc_threads.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_vki.h"
#include "pub_tool_wordfm.h"

/* A named object that is not a heap block. */
typedef struct {
   SizeT  size;
   HChar* name;
} NamedObj;

/* Named objects that are not heap blocks: start address -> NamedObj*. */
static WordFM* s_objects = NULL;
static ULong   s_named = 0;

void MSC_(names_init) ( void )
{
   s_objects = VG_(newFM)(VG_(malloc), "msc.names.objects", VG_(free), NULL);
}

Bool MSC_(names_object_containing) ( Addr a, Addr* start,
                                    const HChar** name )
{
   UWord key, val, kMin = 0, vMin = 0, kMax = 0, vMax = 0;
   if (VG_(lookupFM)(s_objects, &key, &val, a)) {
      *start = key;
      *name = ((NamedObj*)val)->name;
      return True;
   }
   if (VG_(findBoundsFM)(s_objects, &kMin, &vMin, &kMax, &vMax,
                         0, 0, ~(UWord)0, 0, a)
       && vMin != 0 && a - kMin < ((NamedObj*)vMin)->size) {
      *start = kMin;
      *name = ((NamedObj*)vMin)->name;
      return True;
   }
   return False;
}

ULong MSC_(names_count) ( void )
{
   return s_named;
}

static void log_name ( ThreadId tid, UInt stack, UInt flags, Addr addr,
                       SizeT size, const HChar* name, const HChar* type )
{
   UInt name_id = MSC_(log_intern)(name);
   UInt type_id = MSC_(log_intern)(type);
   MSC_(rec_event)(MSC_REC_NAME);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(flags);
   MSC_(rec_u)(addr);
   MSC_(rec_u)(size);
   MSC_(rec_u)(name_id);
   MSC_(rec_u)(type_id);
   MSC_(rec_end)();
   s_named++;
}

static void forget_object ( Addr addr )
{
   UWord key, val;
   if (VG_(delFromFM)(s_objects, &key, &val, addr)) {
      VG_(free)(((NamedObj*)val)->name);
      VG_(free)((NamedObj*)val);
   }
}

/* Names the object at `addr`: in the heap's table when it is a block's
   start, else in s_objects. Returns the MSC_NAME_HEAP flag or 0. */
static UInt remember ( ThreadId tid, Addr addr, SizeT size,
                       const HChar* name )
{
   NamedObj* o;
   if (MSC_(heap_block_at)(addr) != NULL) {
      MSC_(heap_set_named)(addr, True);
      return MSC_NAME_HEAP;
   }
   forget_object(addr);
   o = VG_(malloc)("msc.names.object", sizeof(NamedObj));
   o->size = size;
   o->name = VG_(strdup)("msc.names.name", name);
   VG_(addToFM)(s_objects, addr, (UWord)o);
   MSC_(object_started)(tid, addr, size, MSC_ACCESS_VARIABLE, NULL, True);
   return 0;
}

/* An empty name given for a global: its symbol from debug info
   ("sym" or "sym+offset"), else "" (readers then fall back on the
   allocation site). */
static const HChar* name_from_debug_info ( Addr addr )
{
   static HChar buf[1100];
   return MSC_(elfdata_symbol_name)(addr, buf, sizeof buf) ? buf : "";
}

void MSC_(names_name_found) ( ThreadId tid, Addr addr, SizeT size,
                              const HChar* name )
{
   UInt name_id = MSC_(log_intern)(name);
   MSC_(object_named)(addr, name);
   MSC_(rec_event)(MSC_REC_NAME);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(0);                    /* no stack: nobody named it */
   MSC_(rec_u)(MSC_NAME_DEBUGINFO);
   MSC_(rec_u)(addr);
   MSC_(rec_u)(size);
   MSC_(rec_u)(name_id);
   MSC_(rec_u)(0);
   MSC_(rec_end)();
}

void MSC_(names_name_object) ( ThreadId tid, Addr addr, SizeT size,
                               const HChar* name, const HChar* type,
                               Bool is_variable, Addr* pointee )
{
   UInt stack = MSC_(stack_here)(tid);
   if (name[0] == 0)
      name = name_from_debug_info(addr);
   UInt flags = (is_variable ? MSC_NAME_VARIABLE : 0)
                | remember(tid, addr, size, name);
   const MscBlockInfo* block;
   Addr target;

   log_name(tid, stack, flags, addr, size, name, type);
   MSC_(object_named)(addr, name);
   *pointee = 0;
   if (!is_variable || size != sizeof(Addr)
       || !VG_(am_is_valid_for_client)(addr, sizeof(Addr), VKI_PROT_READ))
      return;
   target = *(const Addr*)addr;
   block = target != addr ? MSC_(heap_block_at)(target) : NULL;
   if (block == NULL)
      return;
   log_name(tid, stack, MSC_NAME_POINTEE | remember(tid, target, block->size,
                                                 name),
            target, block->size, name, type);
   MSC_(object_named)(target, name);
   *pointee = target;
}

Bool MSC_(names_untrack) ( ThreadId tid, Addr addr )
{
   if (!MSC_(heap_set_named)(addr, False)) {
      if (!VG_(lookupFM)(s_objects, NULL, NULL, addr))
         return False;
      forget_object(addr);
      MSC_(object_ended)(addr, 0, MSC_ACCESS_VARIABLE, VG_INVALID_THREADID);
   }
   MSC_(rec_event)(MSC_REC_UNTRACK);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(addr);
   MSC_(rec_end)();
   return True;
}
