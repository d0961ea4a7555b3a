/* msc_warn.h: one-line warnings to the user about what the client did
   wrong (bad client requests, frees of non-heap addresses), rate-limited
   by --warn-limit, each also written to the log as a WARNING record (the
   first thousand; then one record at exit with the number not logged).
   Runs on the host. */

#ifndef MSC_WARN_H
#define MSC_WARN_H

#include "msc_basics.h"

/* Prints "memscope: warning: <text>" (while under --warn-limit) and logs
   it.  `tid` is the thread the warning is about. */
void MSC_(warn) ( ThreadId tid, const HChar* format, ... )
   PRINTF_CHECK(2, 3);

/* Warnings issued in total, printed or not. */
ULong MSC_(warn_count) ( void );

/* At exit, before the END record: logs how many warnings were not
   logged one by one, if any. */
void MSC_(warn_log_fini) ( void );

/* At exit: says how many warnings were not printed, if any. */
void MSC_(warn_fini) ( void );

#endif /* MSC_WARN_H */
