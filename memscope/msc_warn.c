/* msc_warn.c: rate-limited user warnings.  Runs on the host.
   See msc_warn.h. */

#include "msc_warn.h"
#include "msc_log.h"
#include "msc_threads.h"

static ULong s_warnings = 0;

void MSC_(warn) ( ThreadId tid, const HChar* format, ... )
{
   HChar text[512];
   va_list vargs;
   UInt text_id;
   va_start(vargs, format);
   VG_(vsnprintf)(text, sizeof text, format, vargs);
   va_end(vargs);
   s_warnings++;
   if (s_warnings <= MSC_(clo_warn_limit))
      VG_(umsg)("memscope: warning: %s\n", text);
   if (s_warnings == MSC_(clo_warn_limit) + 1ULL)
      VG_(umsg)("memscope: warning: more than %u warnings: further ones "
                "are only logged (--warn-limit)\n", MSC_(clo_warn_limit));
   text_id = MSC_(log_intern)(text);
   MSC_(rec_event)(MSC_REC_WARNING);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(text_id);
   MSC_(rec_end)();
}

ULong MSC_(warn_count) ( void )
{
   return s_warnings;
}

void MSC_(warn_fini) ( void )
{
   if (s_warnings > MSC_(clo_warn_limit))
      VG_(umsg)("memscope: %llu warnings in all, %llu not printed\n",
                s_warnings, s_warnings - MSC_(clo_warn_limit));
}
