/* msc_errors.h: memscope's Valgrind errors: the one table of error kinds
   (each with the name users see, which is also its suppression kind), how
   they are recorded cheaply and described late, in text and XML through
   one emitter.  Runs on the host. */

#ifndef MSC_ERRORS_H
#define MSC_ERRORS_H

#include "msc_basics.h"
#include "msc_logfmt.h"
#include "pub_tool_execontext.h"

/* Registers the error callbacks with the core (from pre_clo_init). */
void MSC_(errors_register) ( void );

/* A free-like call of an address that is not a live block's start. */
void MSC_(error_invalid_free) ( ThreadId tid, Addr a, MscFreeKind how,
                                Bool is_realloc );

/* A block released by the wrong family (malloc/free, new/delete,
   new[]/delete[]). */
void MSC_(error_mismatched_free) ( ThreadId tid, Addr a, SizeT size,
                                   MscAllocKind allocated_with,
                                   MscFreeKind freed_with,
                                   ExeContext* alloc_where );

#endif /* MSC_ERRORS_H */
