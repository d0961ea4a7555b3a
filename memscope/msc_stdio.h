/* msc_stdio.h: the C library's streams.  Owns what memscope knows of
   glibc's FILEs: their list (its head and the offsets of a FILE's
   next-stream and lock pointers, which the preload reads from the C
   headers at start-up), the question whether an address is a stream's
   lock word, and the explicit stream locks (flockfile, ftrylockfile).
   A stream's lock taken inside printf orders only the stream (the
   library view of msc_syncev); an explicit one is a lock of the
   program's.  Runs on the host. */
#ifndef MSC_STDIO_H
#define MSC_STDIO_H
#include "msc_basics.h"
#include "msc_objects.h"
/* The preload's layout request (see msc_preload_reqs.h). */
void MSC_(stdio_layout) ( Addr list_head, UWord chain_offset,
                          UWord lock_offset, UWord mode_offset );
/* Whether `a` is the lock word of an open stream. */
Bool MSC_(stdio_is_stream_lock) ( Addr a );
/* A stream that is not in the library's list (open_memstream's): the
   preload's wrapper names it and its lock. */
void MSC_(stdio_stream_opened) ( Addr fp, Addr lock );
/* tid took the lock of a stream explicitly (flockfile): it is ordered
   after everything done before every earlier release of that lock, the
   library's own uses included. */
void MSC_(stdio_stream_locked) ( ThreadId tid, Addr lock );
/* Its observer of tracked objects (a freed FILE is no stream). */
extern const MscObjectObserver MSC_(stdio_objects);
#endif /* MSC_STDIO_H */
