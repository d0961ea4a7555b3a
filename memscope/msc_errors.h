/* msc_errors.h: memscope's Valgrind errors: the one table of error kinds
   (each with the name users see, which is also its suppression kind), how
   they are recorded cheaply and described late, in text and XML through
   one emitter.  Runs on the host. */

#ifndef MSC_ERRORS_H
#define MSC_ERRORS_H

#include "msc_basics.h"
#include "msc_findings.h"

/* Registers the error callbacks with the core and the findings' sink
   (from pre_clo_init). */
void MSC_(errors_register) ( void );
/* After the command line: memscope-default.supp (beside the tool, in
   Valgrind's library directory) joins the suppression files the core
   reads, when --default-suppressions=yes. */
void MSC_(errors_add_default_suppressions) ( void );

/* The findings (msc_findings.h) become Valgrind errors here: the sink is
   registered with the error callbacks. */

#endif /* MSC_ERRORS_H */
