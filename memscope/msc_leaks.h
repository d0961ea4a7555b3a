/* msc_leaks.h: the heap scan.  Owns nothing between scans: a scan reads
   every live block's words and the program's root memory (writable
   memory outside the heap, each thread's stack above its stack pointer,
   registers), finds which blocks point to which, classifies the blocks as
   Memcheck's leak check does (definitely, indirectly, possibly lost,
   still reachable) and writes the result to the log: SCAN, one
   BLOCK_REFS per live block, ROOT_REFS for named roots, SCAN_END.
   Runs on the host, with the client stopped. */

#ifndef MSC_LEAKS_H
#define MSC_LEAKS_H

#include "msc_basics.h"
#include "msc_logfmt.h"

/* Blocks and bytes (requested sizes) per class, MSC_LEAK_* order. */
typedef struct {
   ULong blocks[4];
   ULong bytes[4];
} MscLeakTotals;

/* Scans now, writes the records, fills *totals (may be NULL).  tid: the
   thread asking (or exiting); for the monitor command, any value. */
void MSC_(leaks_scan) ( ThreadId tid, MscScanReason reason,
                        MscLeakTotals* totals );

/* tid runs client code now (the core's start_client_code): its stack's
   bounds are noted while the core still knows them. */
void MSC_(leaks_thread_running) ( ThreadId tid );

/* Prints the totals as Memcheck's LEAK SUMMARY lines, to `printf`
   (VG_(umsg) at exit, VG_(gdb_printf) for the monitor command). */
void MSC_(leaks_print) ( const MscLeakTotals* totals,
                         UInt (*out)(const HChar* format, ...) );

#endif /* MSC_LEAKS_H */
