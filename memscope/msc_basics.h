/* msc_basics.h: what every memscope tool module shares: the MSC_() name
   macro, the core headers, the option variables (each declared once here,
   defined with its default in msc_basics.c, parsed in msc_options.c).
   The tool's own memory comes from VG_(malloc) with a cost centre
   "msc.<module>.<what>" on every call.  Runs on the host (the tool side). */

#ifndef MSC_BASICS_H
#define MSC_BASICS_H

#include "pub_tool_basics.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_mallocfree.h"

/* Shared tool symbols get a memscope-specific prefix so that they cannot
   clash with the core's and read clearly in the tool's own stack traces. */
#define MSC_(str) VGAPPEND(vgMemscope_, str)

/* ---- options ------------------------------------------------------------ */

/* --memscope-out-file=<file>: where the binary log goes.  %p, %q{VAR} and
   %n are expanded by the core, when the log is opened (again in a forked
   child, so that each process writes its own log).  Default
   "memscope.out.%p". */
extern const HChar* MSC_(clo_out_file);

/* --memscope-exec-of=<file>: internal, passed by memscope itself to the
   image an exec starts (--trace-children=yes): the first log this process
   wrote before the exec ("" when none), so that the new image writes
   "<file>.exec<n>" beside it.  NULL when not given (a fresh start). */
extern const HChar* MSC_(clo_exec_of);

/* --flush-ms=<n>: the longest time, in wall-clock milliseconds, that a
   written record may wait in the tool's buffer before it reaches the file,
   so that a killed run loses at most that much.  0 flushes every record
   (slow; for debugging).  Default 1000. */
extern UInt MSC_(clo_flush_ms);

/* --warn-limit=<n>: how many warnings about bad client requests are
   printed before further ones are only counted.  Default 20. */
extern UInt MSC_(clo_warn_limit);

/* --track-access=yes|no: count which threads read and write which heap
   blocks and named variables (a call per load and store).  With no,
   memscope still records allocations, threads, synchronisation calls and
   atomic instructions.  Default yes. */
extern Bool MSC_(clo_track_access);

/* --race-hints=yes|no: check every access to a tracked object against the
   earlier ones with the happens-before relation and report conflicts as
   Race errors; also report lock-order violations (LockOrder).  Needs
   --track-access=yes (without it there is nothing to check).  Default
   yes. */
extern Bool MSC_(clo_race_hints);

/* --heap-scan=yes|no: at exit, scan the heap for pointers between blocks
   and from the program's roots: the relationship graph and Memcheck's
   leak classes (LEAK SUMMARY).  MEMSCOPE_SNAPSHOT() scans whatever this
   says.  Default yes. */
extern Bool MSC_(clo_heap_scan);

/* --lockset-hints=yes|no: also report Eraser's lockset hint (Lockset):
   an object shared and modified without one lock held at every access
   since it became shared.  Lower severity than a race hint (correct
   programs that order accesses by other means get it too).  Needs
   --track-access=yes.  Default no. */
extern Bool MSC_(clo_lockset_hints);

/* ---- client text ---------------------------------------------------------- */

/* `s` (a name from the client: hostile until escaped) made safe to print
   into `out` (out_szB bytes, cut to fit): control bytes and the
   backslash as \xNN, the UTF-8 of the Unicode direction controls (which
   would reorder what a terminal shows) as \uNNNN, bytes that are no
   well-formed UTF-8 character and the C1 controls as \xNN, every other
   character as it is, so that names in other scripts read as written.  NULL prints as
   "".  Returns out. */
const HChar* MSC_(printable) ( const HChar* s, HChar* out, SizeT out_szB );

#endif /* MSC_BASICS_H */
