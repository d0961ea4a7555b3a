/* msc_basics.c: the option variables with their defaults, and the one
   escaping of client text for printing.  Runs on the host. */

#include "msc_basics.h"

const HChar* MSC_(clo_out_file)   = "memscope.out.%p";
UInt         MSC_(clo_flush_ms)   = 1000;
UInt         MSC_(clo_warn_limit) = 20;
Bool         MSC_(clo_track_access) = True;
Bool         MSC_(clo_race_hints) = True;
Bool         MSC_(clo_lockset_hints) = False;
Bool         MSC_(clo_heap_scan) = True;

/* The code point of the direction control whose UTF-8 starts at s, or 0. */
static UInt direction_control ( const UChar* s )
{
   if (s[0] == 0xD8 && s[1] == 0x9C)
      return 0x061C;
   if (s[0] != 0xE2 || s[1] == 0 || s[2] == 0)
      return 0;
   if (s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F
                        || (s[2] >= 0xAA && s[2] <= 0xAE)))
      return 0x2000 + (s[2] - 0x80);
   if (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)
      return 0x2040 + (s[2] - 0x80);
   return 0;
}

const HChar* MSC_(printable) ( const HChar* s, HChar* out, SizeT out_szB )
{
   const UChar* p = (const UChar*)s;
   SizeT o = 0;
   out[0] = 0;
   if (s == NULL || out_szB == 0)
      return out;
   while (*p != 0) {
      UInt cp = direction_control(p);
      if (cp != 0) {
         if (o + 7 > out_szB)
            break;
         VG_(snprintf)(out + o, 7, "\\u%04x", cp);
         o += 6;
         p += cp == 0x061C ? 2 : 3;
      } else if (*p < 0x20 || *p == 0x7f || *p == '\\') {
         if (o + 5 > out_szB)
            break;
         VG_(snprintf)(out + o, 5, "\\x%02x", *p);
         o += 4;
         p++;
      } else {
         if (o + 2 > out_szB)
            break;
         out[o++] = (HChar)*p++;
      }
   }
   out[o] = 0;
   return out;
}
