/* msc_summary.c: totals as END records, summary lines and snapshot
   files.  See msc_summary.h.  Runs on the host. */

#include "msc_summary.h"
#include "msc_atomics.h"
#include "msc_clock.h"
#include "msc_heap.h"
#include "msc_log.h"
#include "msc_names.h"
#include "msc_race.h"
#include "msc_sync.h"
#include "msc_threads.h"

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
   MSC_(rec_end)();
}

void MSC_(summary_print) ( const MscLeakTotals* leaks, Bool at_exit,
                           UInt (*out)(const HChar* format, ...) )
{
   MscHeapTotals t;
   MSC_(heap_totals)(&t);
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
   if (leaks != NULL)
      MSC_(leaks_print)(leaks, out);
   if (MSC_(log_is_open)())
      out("log: %s (%'llu bytes, %'llu ms writing)\n", MSC_(log_path)(),
          MSC_(log_bytes_written)(), MSC_(log_write_us)() / 1000);
   else
      out("log: none (it could not be written)\n");
}

Bool MSC_(summary_snapshot_file) ( ThreadId tid, const HChar* path,
                                   UInt (*out)(const HChar* format, ...) )
{
   MscLeakTotals leaks;
   if (!MSC_(log_divert_begin)(path)) {
      out("snapshot: cannot create '%s' (see the tool's message on "
          "stderr)\n", path);
      return False;
   }
   MSC_(threads_log_live)();
   MSC_(heap_log_live)();
   MSC_(leaks_scan)(tid, MSC_SCAN_MONITOR, &leaks);
   MSC_(summary_write_end)();
   MSC_(log_divert_end)();
   MSC_(leaks_print)(&leaks, out);
   out("snapshot: written to %s\n", path);
   return True;
}
