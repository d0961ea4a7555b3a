/* msc_basics.c: the option variables with their defaults.  Runs on the host. */

#include "msc_basics.h"

const HChar* MSC_(clo_out_file)   = "memscope.out.%p";
UInt         MSC_(clo_flush_ms)   = 1000;
UInt         MSC_(clo_warn_limit) = 20;
Bool         MSC_(clo_track_access) = True;
Bool         MSC_(clo_race_hints) = True;
Bool         MSC_(clo_lockset_hints) = False;
Bool         MSC_(clo_heap_scan) = True;
