/* msc_summary.c: totals as END records, summary lines and snapshot
   files.  See msc_summary.h.  Runs on the host. */

#include "msc_summary.h"
#include "msc_atomics.h"
#include "msc_clock.h"
#include "msc_elfdata.h"
#include "msc_ending.h"
#include "msc_heap.h"
#include "msc_log.h"
#include "msc_names.h"
#include "msc_race.h"
#include "msc_sync.h"
#include "msc_stacks.h"
#include "msc_threads.h"
#include "pub_tool_debuginfo.h"

void MSC_(summary_write_end) ( void )
{
   MscHeapTotals t;
   MSC_(heap_totals)(&t);
   MSC_(rec_event)(MSC_REC_END);
   MSC_(rec_u)(t.allocs);
   MSC_(rec_u)(t.frees);
   MSC_(rec_u)(t.bytes_allocated);
   MSC_(rec_u)(t.peak_bytes);
   MSC_(rec_u)(t.peak_blocks);
   MSC_(rec_u)(t.peak_time);
   MSC_(rec_u)(t.live_blocks);
   MSC_(rec_u)(t.live_bytes);
   MSC_(rec_u)(MSC_(threads_count)());
   MSC_(rec_u)(MSC_(clock_wall_ms)());
   MSC_(rec_u)(MSC_(log_write_us)());
   MSC_(rec_u)(MSC_(ending)()->how);
   MSC_(rec_u)(MSC_(ending)()->code);
   MSC_(rec_u)(MSC_(ending)()->thread);
   MSC_(rec_u)(MSC_(ending)()->stack);
   MSC_(rec_end)();
}

/* How the process ended, in one line; a fatal signal with the frame it
   struck (the core printed the whole stack just before). */
static void print_ending_line ( UInt (*out)(const HChar* format, ...) )
{
   const MscEndingInfo* e = MSC_(ending)();
   const HChar* name = MSC_(signal_name)(e->code);
   if (e->how == MSC_ENDING_EXIT) {
      out("ended: exit status %u\n", e->code);
      return;
   }
   if (e->how != MSC_ENDING_SIGNAL)
      return;
   if (e->code == 0)
      out("ended: killed by a signal (its number was not learnt)");
   else
      out("ended: killed by signal %u (%s)", e->code, name ? name : "?");
   if (e->thread != 0)
      out(" in thread %u", e->thread);
   if (e->ip != 0)
      out(", at %s", VG_(describe_IP)(VG_(current_DiEpoch)(), e->ip, NULL));
   out("\n");
}

/* The log's line: where it is and what it holds, and plainly when the
   file is not what a reader would expect to find there. */
static void print_log_line ( UInt (*out)(const HChar* format, ...) )
{
   const HChar* path = MSC_(log_path)();
   ULong bytes = MSC_(log_bytes_written)();
   if (path[0] == 0 || (!MSC_(log_is_open)() && !MSC_(log_write_failed)()))
      out("log: none (it could not be created)\n");
   else if (!MSC_(log_still_there)())
      out("log: %s is gone: it was removed or replaced while the program "
          "ran (%'llu bytes had been written to it)\n", path, bytes);
   else if (MSC_(log_write_failed)())
      out("log: %s (cut short at %'llu bytes: writing it failed)\n", path,
          bytes);
   else
      out("log: %s (%'llu bytes, %'llu ms writing)\n", path, bytes,
          MSC_(log_write_us)() / 1000);
}

/* A line for each of the program's objects whose globals no symbol
   names: the user learns why a hint names ".bss+0x18 in prog". */
static void print_stripped_lines ( UInt (*out)(const HChar* format, ...) )
{
   const HChar* object;
   UInt n;
   for (n = 0; (object = MSC_(elfdata_stripped)(n)) != NULL; n++) {
      HChar shown[200];
      MSC_(printable)(object, shown, sizeof shown);
      out("globals: %s has no symbol table; its globals are named by "
          "their section and offset (\".data+0x10 in %s\" is byte 16 of "
          "its .data)\n", shown, shown);
   }
}

void MSC_(summary_print) ( const MscLeakTotals* leaks, Bool at_exit,
                           UInt (*out)(const HChar* format, ...) )
{
   MscHeapTotals t;
   MSC_(heap_totals)(&t);
   if (at_exit)
      print_ending_line(out);
   out("total heap usage: %'llu allocs, %'llu frees, %'llu bytes "
       "allocated\n", t.allocs, t.frees, t.bytes_allocated);
   out("peak live: %'llu bytes in %'llu blocks, at instruction %'llu\n",
       t.peak_bytes, t.peak_blocks, t.peak_time);
   out("live %s: %'llu bytes in %'llu blocks\n", at_exit ? "at exit" : "now",
       t.live_bytes, t.live_blocks);
   out("threads: %u; named objects: %'llu; synchronisation calls: %'llu; "
       "atomic operations: %'llu; instructions: %'llu\n",
       MSC_(threads_count)(), MSC_(names_count)(), MSC_(sync_calls)(),
       MSC_(atomics_count)(), MSC_(clock_now)());
   if (MSC_(race_active))
      out("race hints: %'llu\n", MSC_(race_hints_count)());
   print_stripped_lines(out);
   if (leaks != NULL)
      MSC_(leaks_print)(leaks, out);
   print_log_line(out);
}

Bool MSC_(summary_snapshot_file) ( ThreadId tid, const HChar* path,
                                   UInt (*out)(const HChar* format, ...) )
{
   MscLeakTotals leaks;
   HChar* written;
   if (!MSC_(log_divert_begin)(path)) {
      out("snapshot: cannot create '%s' (see the tool's message on "
          "stderr)\n", path);
      return False;
   }
   MSC_(threads_log_live)();
   MSC_(heap_log_live)();
   MSC_(leaks_scan)(tid, MSC_SCAN_MONITOR, &leaks);
   MSC_(summary_write_end)();
   written = VG_(strdup)("msc.summary.snapshot", MSC_(log_path)());
   MSC_(log_divert_end)();
   MSC_(leaks_print)(&leaks, out);
   out("snapshot: written to %s\n", written);
   VG_(free)(written);
   return True;
}
