/* msc_names.h: names that the program gives its variables and blocks
   through memscope.h (MEMSCOPE_TRACK_VAR, MEMSCOPE_NAME_BLOCK,
   MEMSCOPE_UNTRACK).  Owns the table of named objects; the names go to the
   log as NAME and UNTRACK records.  Runs on the host. */

#ifndef MSC_NAMES_H
#define MSC_NAMES_H

#include "msc_basics.h"

void MSC_(names_init) ( void );

/* Names [addr, addr+size).  `name` and `type` are the tool's own copies
   (type may be NULL).  With `is_variable`, a pointer-sized object that
   holds the start address of a live heap block names that block too
   (`pointee` tells the caller its address, 0 when there was none).
   An empty name is replaced by the symbol debug info gives the address
   (a global's name), if any.  The arguments are already validated by the
   dispatcher. */
void MSC_(names_name_object) ( ThreadId tid, Addr addr, SizeT size,
                               const HChar* name, const HChar* type,
                               Bool is_variable, Addr* pointee );

/* The access tracker met an object of the program that nobody named:
   logs the name it found (NAME with MSC_NAME_DEBUGINFO): a global's
   symbol from debug info (size 0: unknown), or "frame of FUNCTION" for a
   frame of tid's stack that another thread came to see (its size). */
void MSC_(names_name_found) ( ThreadId tid, Addr addr, SizeT size,
                              const HChar* name );

/* Forgets the name of the object named at `addr`.  False when nothing was
   named there. */
Bool MSC_(names_untrack) ( ThreadId tid, Addr addr );

/* The named object (not a heap block) holding a: its start and name
   (valid until it is untracked or named again). */
Bool MSC_(names_object_containing) ( Addr a, Addr* start,
                                     const HChar** name );

/* Objects named so far (variables, blocks, pointees). */
ULong MSC_(names_count) ( void );

#endif /* MSC_NAMES_H */
