/* msc_summary.h: the tool's totals at a point of the run, in the three
   forms they take: the log's END record, the summary lines (at exit on
   stderr, for the monitor command `stats` in gdb), and a snapshot file
   (`monitor snapshot FILE`: the current state as a log of its own).
   Owns no state: it reads the modules' counters.  Runs on the host. */

#ifndef MSC_SUMMARY_H
#define MSC_SUMMARY_H

#include "msc_basics.h"
#include "msc_leaks.h"

/* The END record: the heap's totals, threads, clocks. */
void MSC_(summary_write_end) ( void );

/* The summary lines through `out` (VG_(umsg) at exit, VG_(gdb_printf)
   for `stats`); leaks may be NULL (no scan). */
void MSC_(summary_print) ( const MscLeakTotals* leaks, Bool at_exit,
                           UInt (*out)(const HChar* format, ...) );

/* Writes the current state into a new log at `path`: the live threads
   and blocks, a heap scan, END.  Messages go through `out`; False when
   the file could not be written. */
Bool MSC_(summary_snapshot_file) ( ThreadId tid, const HChar* path,
                                   UInt (*out)(const HChar* format, ...) );

#endif /* MSC_SUMMARY_H */
