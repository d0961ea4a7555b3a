/* msc_clientreq.c: the client-request dispatcher.  Runs on the host.
   See msc_clientreq.h. */

#include "msc_clientreq.h"
#include "memscope.h"
#include "msc_heap.h"
#include "msc_names.h"
#include "msc_preload_reqs.h"
#include "msc_sync.h"
#include "msc_threads.h"
#include "msc_warn.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_vki.h"

/* Longest name or type kept, in bytes (memscope.h promises 1023). */
#define MSC_NAME_MAX 1023
/* Larger objects are refused as absurd: no user address space on a
   supported platform is larger. */
#define MSC_OBJECT_MAX_SZB (1ULL << 48)

typedef enum {
   STR_OK,          /* copied whole */
   STR_NULL,        /* the pointer was NULL */
   STR_UNREADABLE   /* unmapped before its NUL: dangling or unterminated */
} StrStatus;

/* Copies the NUL-terminated client string at `a` into `out` (at most
   MSC_NAME_MAX bytes, longer ones are cut), reading only memory that is
   mapped readable for the client. */
static StrStatus copy_client_string ( Addr a, HChar out[MSC_NAME_MAX + 1] )
{
   SizeT i;
   Addr checked_up_to = a;     /* [a, checked_up_to) is readable */
   if (a == 0)
      return STR_NULL;
   for (i = 0; i < MSC_NAME_MAX; i++) {
      if (a + i >= checked_up_to) {
         Addr page_end = VG_PGROUNDDN(a + i) + VKI_PAGE_SIZE;
         if (!VG_(am_is_valid_for_client)(a + i, page_end - (a + i),
                                          VKI_PROT_READ))
            return STR_UNREADABLE;
         checked_up_to = page_end;
      }
      out[i] = *(const HChar*)(a + i);
      if (out[i] == 0)
         return STR_OK;
   }
   out[MSC_NAME_MAX] = 0;
   return STR_OK;
}

/* Writes `s` into `out` with every byte that is not printable ASCII
   escaped as \xNN, so that a hostile name cannot drive the terminal. */
static const HChar* printable ( const HChar* s, HChar* out, SizeT out_szB )
{
   SizeT o = 0;
   for (; *s && o + 5 < out_szB; s++) {
      UChar c = (UChar)*s;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
         out[o++] = c;
      } else {
         VG_(snprintf)(out + o, 5, "\\x%02x", c);
         o += 4;
      }
   }
   out[o] = 0;
   return out;
}

static const HChar* str_problem ( StrStatus st )
{
   return st == STR_NULL ? "is NULL" : "points to unreadable memory "
                                       "(dangling or unterminated)";
}

static UWord handle_name_object ( ThreadId tid, const UWord* args )
{
   static HChar name[MSC_NAME_MAX + 1], type[MSC_NAME_MAX + 1];
   HChar shown[64];
   Addr  addr = args[1], pointee;
   SizeT size = args[2];
   UWord flags = args[5];
   StrStatus st;

   st = copy_client_string(args[3], name);
   if (st != STR_OK) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request for %#lx: the name %s; "
                 "request ignored", addr, str_problem(st));
      return 0;
   }
   printable(name, shown, sizeof shown);
   if (addr == 0) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s': address is NULL; "
                 "request ignored", shown);
      return 0;
   }
   if ((ULong)size > MSC_OBJECT_MAX_SZB || addr + size < addr) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s' at %#lx: absurd size "
                 "%lu; request ignored", shown, addr, size);
      return 0;
   }
   if (flags & ~(UWord)MEMSCOPE_FLAG_VARIABLE) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s': unknown flags %#lx; "
                 "request ignored", shown, flags);
      return 0;
   }
   st = copy_client_string(args[4], type);
   if (st == STR_NULL) {
      type[0] = 0;
   } else if (st != STR_OK) {
      MSC_(warn)(tid, "MEMSCOPE_NAME request '%s': the type name %s; "
                 "request ignored", shown, str_problem(st));
      return 0;
   }
   MSC_(names_name_object)(tid, addr, size, name, type,
                           (flags & MEMSCOPE_FLAG_VARIABLE) != 0, &pointee);
   return 1;
}

static UWord handle_untrack ( ThreadId tid, const UWord* args )
{
   if (MSC_(names_untrack)(tid, args[1]))
      return 1;
   MSC_(warn)(tid, "MEMSCOPE_UNTRACK(%#lx): nothing is named at this "
              "address; request ignored", args[1]);
   return 0;
}

static void handle_thread_named ( ThreadId tid, const UWord* args )
{
   static HChar name[MSC_NAME_MAX + 1];
   StrStatus st = copy_client_string(args[3], name);
   if (st != STR_OK)
      return;   /* pthread_setname_np itself refused it already */
   if (!MSC_(threads_named)(tid, args[1], args[2] != 0, name)) {
      HChar shown[64];
      MSC_(warn)(tid, "pthread_setname_np(%#lx, \"%s\"): not a thread "
                 "memscope saw created; name not recorded", args[1],
                 printable(name, shown, sizeof shown));
   }
}

Bool MSC_(handle_client_request) ( ThreadId tid, UWord* args, UWord* ret )
{
   switch (args[0]) {
   case VG_USERREQ__MEMSCOPE_NAME_OBJECT:
      *ret = handle_name_object(tid, args);
      return True;
   case VG_USERREQ__MEMSCOPE_UNTRACK:
      *ret = handle_untrack(tid, args);
      return True;
   case _VG_USERREQ__MSC_THREAD_CREATED:
      if (args[2] == 0)
         MSC_(threads_created)(tid, args[1]);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_THREAD_NAMED:
      handle_thread_named(tid, args);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_SYNC_PRE:
      MSC_(sync_pre)(tid, args[1], args[2], args[3]);
      *ret = 0;
      return True;
   case _VG_USERREQ__MSC_SYNC_POST:
      MSC_(sync_post)(tid, args[1], args[2], args[3], args[4]);
      *ret = 0;
      return True;
   /* valgrind.h's requests for programs with their own allocators. */
   case VG_USERREQ__MALLOCLIKE_BLOCK:
      MSC_(heap_custom_alloc)(tid, args[1], args[2]);
      *ret = 0;
      return True;
   case VG_USERREQ__FREELIKE_BLOCK:
      MSC_(heap_custom_free)(tid, args[1]);
      *ret = 0;
      return True;
   case VG_USERREQ__RESIZEINPLACE_BLOCK:
      MSC_(heap_custom_resize)(tid, args[1], args[2], args[3]);
      *ret = 0;
      return True;
   default:
      if (VG_IS_TOOL_USERREQ('M', 'S', args[0])) {
         MSC_(warn)(tid, "unknown memscope client request %#lx (from a "
                    "newer memscope.h?); ignored", args[0]);
         *ret = 0;
         return True;
      }
      return False;
   }
}
