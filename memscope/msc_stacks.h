/* msc_stacks.h: call stacks into the log.  Owns which stacks and code
   addresses the current log already describes; a stack is written
   symbolized (function, file, line, object) the first time an event names
   it, so the report never needs the binary.  Runs on the host. */

#ifndef MSC_STACKS_H
#define MSC_STACKS_H

#include "msc_basics.h"
#include "pub_tool_execontext.h"

void MSC_(stacks_init) ( void );

/* The log's id of `ec`'s stack (its ExeContext unique / 4), writing its
   FRAME and STACK records first if this log has not got them yet.  Call
   before beginning the record that names it.  NULL gives 0. */
UInt MSC_(stack_id) ( ExeContext* ec );

/* The id of `tid`'s current stack. */
UInt MSC_(stack_here) ( ThreadId tid );

/* The stack a log id names (NULL for 0): for describing errors. */
ExeContext* MSC_(stack_context) ( UInt id );

#endif /* MSC_STACKS_H */
