/* msc_basics.c: the option variables with their defaults, and the one
   escaping of client text for printing.  Runs on the host. */

#include "msc_basics.h"

const HChar* MSC_(clo_out_file)   = "memscope.out.%p";
const HChar* MSC_(clo_exec_of)    = NULL;
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

/* The length of the well-formed UTF-8 sequence at s that is not a C1
   control (U+0080..U+009F, which 8-bit terminals obey), else 0. */
static UInt utf8_char ( const UChar* s )
{
   UInt n, i;
   if (s[0] >= 0xC2 && s[0] <= 0xDF)
      n = 2;
   else if (s[0] >= 0xE0 && s[0] <= 0xEF)
      n = 3;
   else if (s[0] >= 0xF0 && s[0] <= 0xF4)
      n = 4;
   else
      return 0;
   for (i = 1; i < n; i++)
      if ((s[i] & 0xC0) != 0x80)
         return 0;              /* also stops at the terminating NUL */
   if (s[0] == 0xC2 && s[1] <= 0x9F)
      return 0;
   return n;
}

const HChar* MSC_(printable) ( const HChar* s, HChar* out, SizeT out_szB )
{
   const UChar* p = (const UChar*)s;
   SizeT o = 0;
   if (out_szB == 0)
      return out;
   out[0] = 0;
   if (s == NULL)
      return out;
   while (*p != 0) {
      UInt cp = direction_control(p), n;
      if (cp != 0) {
         if (o + 7 > out_szB)
            break;
         VG_(snprintf)(out + o, 7, "\\u%04x", cp);
         o += 6;
         p += cp == 0x061C ? 2 : 3;
      } else if (*p >= 0x80 && (n = utf8_char(p)) != 0) {
         if (o + n + 1 > out_szB)
            break;
         while (n-- > 0)
            out[o++] = (HChar)*p++;
      } else if (*p < 0x20 || *p >= 0x7f || *p == '\\') {
         /* Controls, the backslash, and bytes that are no well-formed
            character (a C1 control's 0x9B is CSI to some terminals). */
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
