/* msc_options.h: memscope's command-line options: parsing, --help text,
   checks.  The option variables themselves are in msc_basics.[ch].
   Runs on the host. */

#ifndef MSC_OPTIONS_H
#define MSC_OPTIONS_H

#include "msc_basics.h"

Bool MSC_(process_cmd_line_option) ( const HChar* arg );
void MSC_(print_usage) ( void );

/* After parsing: rejects contradictory options (one line, exit 1). */
void MSC_(check_options) ( void );
void MSC_(print_debug_usage) ( void );

#endif /* MSC_OPTIONS_H */
