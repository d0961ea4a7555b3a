/* msc_stacks.c: interning of call stacks and code addresses into the log.
   Runs on the host.  See msc_stacks.h. */

#include "msc_stacks.h"
#include "msc_log.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_stacktrace.h"

/* One node per stack or code address ever described: key is the stack id
   or the code address; `generation` is the log file it was last written
   to (a forked child's log starts empty and needs them again). */
typedef struct _Described {
   struct _Described* next;
   UWord key;
   UInt  generation;
} Described;

static VgHashTable* s_stacks = NULL;
static VgHashTable* s_frames = NULL;

void MSC_(stacks_init) ( void )
{
   s_stacks = VG_(HT_construct)("msc.stacks.stacks");
   s_frames = VG_(HT_construct)("msc.stacks.frames");
}

/* True when `key` still has to be written to the current log; marks it
   written. */
static Bool needs_writing ( VgHashTable* table, UWord key )
{
   UInt gen = MSC_(log_generation)();
   Described* d = VG_(HT_lookup)(table, key);
   if (d == NULL) {
      d = VG_(malloc)("msc.stacks.described", sizeof(Described));
      d->key = key;
      d->generation = gen;
      VG_(HT_add_node)(table, d);
      return True;
   }
   if (d->generation == gen)
      return False;
   d->generation = gen;
   return True;
}

static void write_frame ( DiEpoch ep, Addr ip )
{
   const HChar* text;
   const HChar* dir;
   UInt fn = 0, file = 0, dirs = 0, obj = 0, line = 0;
   /* The debug-info buffers are only valid until the next query of the
      same kind: intern each answer before asking the next question. */
   if (VG_(get_fnname)(ep, ip, &text))
      fn = MSC_(log_intern)(text);
   if (VG_(get_filename_linenum)(ep, ip, &text, &dir, &line)) {
      file = MSC_(log_intern)(text);
      dirs = MSC_(log_intern)(dir);
   }
   if (VG_(get_objname)(ep, ip, &text))
      obj = MSC_(log_intern)(text);
   MSC_(rec_begin)(MSC_REC_FRAME);
   MSC_(rec_u)(ip);
   MSC_(rec_u)(fn);
   MSC_(rec_u)(file);
   MSC_(rec_u)(dirs);
   MSC_(rec_u)(line);
   MSC_(rec_u)(obj);
   MSC_(rec_end)();
}

/* --num-callers is at most 500 in the core. */
#define MSC_MAX_FRAMES 512

typedef struct {
   Addr  ips[MSC_MAX_FRAMES];
   UInt  n;
   DiEpoch ep;
} CollectedStack;

static void collect_ip ( UInt n, DiEpoch ep, Addr ip, void* opaque )
{
   CollectedStack* cs = opaque;
   if (cs->n < MSC_MAX_FRAMES)
      cs->ips[cs->n++] = ip;
   cs->ep = ep;
}

UInt MSC_(stack_id) ( ExeContext* ec )
{
   static CollectedStack cs;   /* large: kept off the tool's small stack */
   UInt id, i;
   if (ec == NULL)
      return 0;
   id = VG_(get_ECU_from_ExeContext)(ec) / 4;
   if (!needs_writing(s_stacks, id))
      return id;
   cs.n = 0;
   cs.ep = VG_(get_ExeContext_epoch)(ec);
   VG_(apply_ExeContext)(collect_ip, &cs, ec);
   for (i = 0; i < cs.n; i++)
      if (needs_writing(s_frames, cs.ips[i]))
         write_frame(cs.ep, cs.ips[i]);
   MSC_(rec_begin)(MSC_REC_STACK);
   MSC_(rec_u)(id);
   MSC_(rec_u)(cs.n);
   for (i = 0; i < cs.n; i++)
      MSC_(rec_u)(cs.ips[i]);
   MSC_(rec_end)();
   return id;
}

UInt MSC_(stack_here) ( ThreadId tid )
{
   return MSC_(stack_id)(VG_(record_ExeContext)(tid, 0));
}

ExeContext* MSC_(stack_context) ( UInt id )
{
   return id == 0 ? NULL : VG_(get_ExeContext_from_ECU)(id * 4);
}
