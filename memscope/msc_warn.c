/* msc_warn.c: rate-limited user warnings.  Runs on the host.
   See msc_warn.h. */

#include "msc_warn.h"
#include "msc_log.h"
#include "msc_threads.h"
#include "pub_tool_threadstate.h"

static ULong s_warnings = 0;

/* Warnings logged one by one, at most: each text is a new string in the
   log's table (it names an address), so a program issuing bad requests
   in a loop would otherwise grow the tool's memory and the log without
   bound.  Past it, one WARNING at exit gives the number not logged. */
#define LOGGED_WARNINGS 1000

static void log_warning ( ThreadId tid, const HChar* text )
{
   UInt text_id = MSC_(log_intern)(text);
   MSC_(rec_event)(MSC_REC_WARNING);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(text_id);
   MSC_(rec_end)();
}

void MSC_(warn) ( ThreadId tid, const HChar* format, ... )
{
   HChar text[512];
   va_list vargs;
   va_start(vargs, format);
   VG_(vsnprintf)(text, sizeof text, format, vargs);
   va_end(vargs);
   s_warnings++;
   if (s_warnings <= MSC_(clo_warn_limit))
      VG_(umsg)("memscope: warning: %s\n", text);
   if (s_warnings == MSC_(clo_warn_limit) + 1ULL)
      VG_(umsg)("memscope: warning: more than %u warnings: further ones "
                "are only logged (--warn-limit)\n", MSC_(clo_warn_limit));
   if (s_warnings <= LOGGED_WARNINGS)
      log_warning(tid, text);
}

ULong MSC_(warn_count) ( void )
{
   return s_warnings;
}

void MSC_(warn_log_fini) ( void )
{
   if (s_warnings > LOGGED_WARNINGS) {
      HChar text[160];
      VG_(snprintf)(text, sizeof text, "%llu further warnings were counted "
                    "but not logged one by one", s_warnings
                    - LOGGED_WARNINGS);
      log_warning(VG_INVALID_THREADID, text);
   }
}

void MSC_(warn_fini) ( void )
{
   if (s_warnings > MSC_(clo_warn_limit))
      VG_(umsg)("memscope: %llu warnings in all, %llu not printed\n",
                s_warnings, s_warnings - MSC_(clo_warn_limit));
}
