/* msc_stdio.c: the C library's streams.  See msc_stdio.h.  Runs on the
   host. */

#include "msc_stdio.h"
#include "msc_elfdata.h"
#include "msc_syncev.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_vki.h"
#include "pub_tool_wordfm.h"

static Addr  s_list_head = 0;     /* 0: no layout given (no preload) */
static UWord s_chain_offset = 0;
static UWord s_lock_offset = 0;
static UWord s_mode_offset = 0;

/* The streams whose lock has been met: lock word -> FILE.  A stream of
   the heap (fopen's) leaves when its block is freed; the standard
   streams, in the library's data, stay. */
static WordFM* s_streams = NULL;
static UInt    s_heap_streams = 0;
/* Words of the library's atomics found to be no stream's lock, while
   the list's head stays what it was then: a new stream is linked in at
   the head, which empties the set.  (rand's lock with a thousand files
   open walked them all at every call.) */
static WordFM* s_not_streams = NULL;
static Addr    s_not_streams_head = 0;

/* A stream list longer than this is not walked to its end: a program
   with more open streams sees the locks of the first ones only. */
#define MAX_STREAMS_WALKED 4096

/* glibc's lock of a stream (_IO_lock_t): the lock word, the recursion
   count and the owner, which the library reads before locking. */
#define STREAM_LOCK_BYTES (2 * sizeof(Int) + sizeof(Addr))
/* A FILE's flags (its first field: whether the stream is locked by the
   user, _IO_USER_LOCK) and its orientation (_mode, set by the first
   printf or wprintf) are read, and the orientation written once, before
   locking. */
#define STREAM_FLAGS_BYTES sizeof(Int)
#define STREAM_MODE_BYTES sizeof(Int)

void MSC_(stdio_layout) ( Addr list_head, UWord chain_offset,
                          UWord lock_offset, UWord mode_offset )
{
   /* A FILE is a few hundred bytes: offsets beyond that are not glibc's
      layout, and the walk is not attempted. */
   if (chain_offset > 4096 || lock_offset > 4096 || mode_offset > 4096
       || chain_offset % sizeof(Addr) != 0 || lock_offset % sizeof(Addr) != 0
       || mode_offset % sizeof(Int) != 0)
      return;
   s_list_head = list_head;
   s_chain_offset = chain_offset;
   s_lock_offset = lock_offset;
   s_mode_offset = mode_offset;
   if (s_streams == NULL) {
      s_streams = VG_(newFM)(VG_(malloc), "msc.stdio.streams", VG_(free),
                             NULL);
      s_not_streams = VG_(newFM)(VG_(malloc), "msc.stdio.not_streams",
                                 VG_(free), NULL);
   }
}

/* The pointer at client address p, or 0 when it cannot be read safely:
   anonymous memory (the heap, .bss) or a loaded library's data section
   (the standard streams in libc's .data).  A file mapping past its
   file's end faults with SIGBUS when read, so no other file mapping is
   read (a program may point the list anywhere). */
static Addr read_pointer ( Addr p )
{
   const NSegment* seg;
   if (p == 0 || p % sizeof(Addr) != 0
       || !VG_(am_is_valid_for_client)(p, sizeof(Addr), VKI_PROT_READ))
      return 0;
   seg = VG_(am_find_nsegment)(p);
   if (seg == NULL
       || (seg->kind != SkAnonC
           && MSC_(elfdata_library_section_at)(p) == NULL))
      return 0;
   return *(const Addr*)p;
}

static void stream_met ( Addr lock, Addr fp )
{
   VG_(addToFM)(s_streams, lock, fp);
   if (MSC_(elfdata_library_section_at)(fp) == NULL)
      s_heap_streams++;
   MSC_(syncev_library_benign)(fp, STREAM_FLAGS_BYTES, True);
   MSC_(syncev_library_benign)(fp + s_mode_offset, STREAM_MODE_BYTES, True);
   MSC_(syncev_library_benign)(lock, STREAM_LOCK_BYTES, True);
   MSC_(syncev_library_lock)(lock, lock + 2 * sizeof(Int), True);
}

static void stream_gone ( Addr lock, Addr fp )
{
   VG_(delFromFM)(s_streams, NULL, NULL, lock);
   if (MSC_(elfdata_library_section_at)(fp) == NULL && s_heap_streams > 0)
      s_heap_streams--;
   MSC_(syncev_library_benign)(fp, STREAM_FLAGS_BYTES, False);
   MSC_(syncev_library_benign)(fp + s_mode_offset, STREAM_MODE_BYTES, False);
   MSC_(syncev_library_benign)(lock, STREAM_LOCK_BYTES, False);
   MSC_(syncev_library_lock)(lock, lock + 2 * sizeof(Int), False);
}

/* Asked at each of the library's atomic instructions outside the calls
   the wrappers model.  A stream met before is known; else the list is
   walked (it is short: three streams and the program's open files).  A
   FILE's lock is in the list only once fopen has linked it, after its
   first lock: that first one counts as an ordinary lock. */
Bool MSC_(stdio_is_stream_lock) ( Addr a )
{
   Addr fp;
   UInt n;
   if (s_list_head == 0 || a == 0)
      return False;
   if (VG_(lookupFM)(s_streams, NULL, NULL, a))
      return True;
   fp = read_pointer(s_list_head);
   if (fp != s_not_streams_head) {
      VG_(deleteFM)(s_not_streams, NULL, NULL);
      s_not_streams = VG_(newFM)(VG_(malloc), "msc.stdio.not_streams",
                                 VG_(free), NULL);
      s_not_streams_head = fp;
   } else if (VG_(lookupFM)(s_not_streams, NULL, NULL, a)) {
      return False;
   }
   for (n = 0; fp != 0 && n < MAX_STREAMS_WALKED; n++) {
      if (read_pointer(fp + s_lock_offset) == a) {
         stream_met(a, fp);
         return True;
      }
      fp = read_pointer(fp + s_chain_offset);
   }
   VG_(addToFM)(s_not_streams, a, 1);
   return False;
}

void MSC_(stdio_stream_opened) ( Addr fp, Addr lock )
{
   if (s_streams == NULL || fp == 0 || lock == 0
       || VG_(lookupFM)(s_streams, NULL, NULL, lock))
      return;
   stream_met(lock, fp);
}

void MSC_(stdio_stream_locked) ( ThreadId tid, Addr lock )
{
   if (lock != 0)
      MSC_(syncev_acquire)(tid, lock);
}

/* A freed block takes the streams in it (fclose frees fopen's FILE). */
static void object_ended ( Addr start, SizeT size, UInt kind,
                           ThreadId freed_by )
{
   UWord lock, fp;
   (void)kind;
   (void)freed_by;
   while (s_heap_streams > 0) {
      Bool found = False;
      VG_(initIterAtFM)(s_streams, start);
      if (VG_(nextIterFM)(s_streams, &lock, &fp) && lock < start + size)
         found = True;
      VG_(doneIterFM)(s_streams);
      if (!found)
         break;
      stream_gone(lock, fp);
   }
}

const MscObjectObserver MSC_(stdio_objects) = { NULL, NULL, object_ended };
