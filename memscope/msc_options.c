/* msc_options.c: parses memscope's options in Valgrind's style (a bad
   value ends in the core's usual "bad option" error) and prints them with
   their defaults for --help.  Runs on the host. */

#include "msc_options.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_options.h"
#include "pub_tool_replacemalloc.h"

Bool MSC_(process_cmd_line_option) ( const HChar* arg )
{
   const HChar* tmp_str;
   if VG_STR_CLO(arg, "--memscope-out-file", tmp_str) {
      if (tmp_str[0] == 0)
         VG_(fmsg_bad_option)(arg, "the log's file name is empty\n");
      MSC_(clo_out_file) = tmp_str;
   }
   else if VG_STR_CLO(arg, "--memscope-exec-of", MSC_(clo_exec_of)) {}
   else if VG_BINT_CLO(arg, "--flush-ms", MSC_(clo_flush_ms), 0, 3600000) {}
   else if VG_BOOL_CLO(arg, "--track-access", MSC_(clo_track_access)) {}
   else if VG_BOOL_CLO(arg, "--race-hints", MSC_(clo_race_hints)) {}
   else if VG_BOOL_CLO(arg, "--lockset-hints", MSC_(clo_lockset_hints)) {}
   else if VG_BOOL_CLO(arg, "--heap-scan", MSC_(clo_heap_scan)) {}
   else if VG_BINT_CLO(arg, "--warn-limit", MSC_(clo_warn_limit), 0, 1000000) {}
   else
      return VG_(replacement_malloc_process_cmd_line_option)(arg);
   return True;
}

void MSC_(check_options) ( void )
{
   /* --race-hints is on by default and simply idle without access
      tracking; --lockset-hints is off by default, so asking for it
      without tracking is a contradiction. */
   if (MSC_(clo_lockset_hints) && !MSC_(clo_track_access)) {
      /* After parsing, VG_(fmsg_bad_option) only warns: exit here. */
      VG_(fmsg)("Bad option: --lockset-hints=yes: it needs "
                "--track-access=yes\n");
      VG_(exit)(1);
   }
}

void MSC_(print_usage) ( void )
{
   VG_(printf)(
"    --memscope-out-file=<file>  the binary log; %%p is the process id,\n"
"                                %%q{VAR} an environment variable's value\n"
"                                [memscope.out.%%p]\n"
"    --flush-ms=<n>              longest wait, in ms, before a record\n"
"                                reaches the log file (0: every record)\n"
"                                [1000]\n"
"    --track-access=no|yes       count which threads read and write which\n"
"                                heap blocks and named variables [yes]\n"
"    --race-hints=no|yes         report data races (happens-before) and\n"
"                                lock-order violations as errors; needs\n"
"                                --track-access=yes [yes]\n"
"    --lockset-hints=no|yes      also report objects shared and modified\n"
"                                without a common lock (Eraser) [no]\n"
"    --heap-scan=no|yes          at exit, scan the heap for pointers: leak\n"
"                                classes and the relationship graph [yes]\n"
"    --warn-limit=<n>            warnings about bad client requests and\n"
"                                frees printed before further ones are\n"
"                                only logged [20]\n"
   );
}

void MSC_(print_debug_usage) ( void )
{
   VG_(printf)(
"    --memscope-exec-of=<file>   internal: memscope gives it to an exec'd\n"
"                                image, naming the log written before the\n"
"                                exec; the image writes <file>.exec<n>\n"
   );
}
