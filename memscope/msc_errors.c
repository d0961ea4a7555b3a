/* msc_errors.c: the error table, recording and description.  Runs on the
   host.  See msc_errors.h. */

#include "msc_errors.h"
#include "pub_tool_errormgr.h"
#include "pub_tool_machine.h"
#include "pub_tool_options.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_tooliface.h"

/* The error kinds, with the names users see in XML <kind> and in
   suppressions (memscope:InvalidFree), as Memcheck names them. */
typedef enum {
   MscErr_InvalidFree = 0,
   MscErr_MismatchedFree = 1,
   MscErr_N
} MscErrorKind;

static const HChar* const s_error_names[MscErr_N] = {
   "InvalidFree", "MismatchedFree"
};

/* What an error carries besides its address and stack. */
typedef struct {
   Bool         is_realloc;
   MscFreeKind  freed_with;
   MscAllocKind allocated_with;   /* MismatchedFree */
   SizeT        block_size;       /* MismatchedFree */
   ExeContext*  alloc_where;      /* MismatchedFree */
   /* Described late (update_extra), for errors that are shown: */
   Bool         on_stack;         /* the address is in the thread's stack */
   ThreadId     tid;
} MscErrExtra;

/* One emitter for text and XML, so the two cannot drift. */
static void emit ( const HChar* format, ... ) PRINTF_CHECK(1, 2);
static void emit ( const HChar* format, ... )
{
   va_list vargs;
   va_start(vargs, format);
   if (VG_(clo_xml))
      VG_(vprintf_xml)(format, vargs);
   else
      VG_(vmessage)(Vg_UserMsg, format, vargs);
   va_end(vargs);
}

static const HChar* alloc_name ( MscAllocKind k )
{
   switch (k) {
   case MSC_ALLOC_NEW:               return "operator new";
   case MSC_ALLOC_NEW_ARRAY:         return "operator new[]";
   case MSC_ALLOC_NEW_ALIGNED:       return "aligned operator new";
   case MSC_ALLOC_NEW_ARRAY_ALIGNED: return "aligned operator new[]";
   case MSC_ALLOC_CUSTOM:            return "VALGRIND_MALLOCLIKE_BLOCK";
   default:                          return "malloc";
   }
}

static const HChar* free_name ( MscFreeKind k )
{
   switch (k) {
   case MSC_FREE_DELETE:               return "operator delete";
   case MSC_FREE_DELETE_ARRAY:         return "operator delete[]";
   case MSC_FREE_DELETE_ALIGNED:       return "aligned operator delete";
   case MSC_FREE_DELETE_ARRAY_ALIGNED: return "aligned operator delete[]";
   case MSC_FREE_CUSTOM:               return "VALGRIND_FREELIKE_BLOCK";
   default:                            return "free";
   }
}

void MSC_(error_invalid_free) ( ThreadId tid, Addr a, MscFreeKind how,
                                Bool is_realloc )
{
   MscErrExtra extra;
   VG_(memset)(&extra, 0, sizeof extra);
   extra.is_realloc = is_realloc;
   extra.freed_with = how;
   extra.tid = tid;
   VG_(maybe_record_error)(tid, MscErr_InvalidFree, a, NULL, &extra);
}

void MSC_(error_mismatched_free) ( ThreadId tid, Addr a, SizeT size,
                                   MscAllocKind allocated_with,
                                   MscFreeKind freed_with,
                                   ExeContext* alloc_where )
{
   MscErrExtra extra;
   VG_(memset)(&extra, 0, sizeof extra);
   extra.freed_with = freed_with;
   extra.allocated_with = allocated_with;
   extra.block_size = size;
   extra.alloc_where = alloc_where;
   extra.tid = tid;
   VG_(maybe_record_error)(tid, MscErr_MismatchedFree, a, NULL, &extra);
}

/* ---- the core's callbacks ---------------------------------------------------- */

static Bool eq_error ( VgRes res, const Error* e1, const Error* e2 )
{
   const MscErrExtra* x1 = VG_(get_error_extra)(e1);
   const MscErrExtra* x2 = VG_(get_error_extra)(e2);
   /* Same kind and stack (compared by the core): the same error, unless
      a mismatch pairs other families. */
   if (VG_(get_error_kind)(e1) == MscErr_MismatchedFree)
      return x1->allocated_with == x2->allocated_with
             && x1->freed_with == x2->freed_with;
   return x1->is_realloc == x2->is_realloc;
}

static void before_pp_error ( const Error* err )
{
}

static void pp_error ( const Error* err )
{
   const MscErrExtra* x = VG_(get_error_extra)(err);
   Addr a = VG_(get_error_address)(err);
   Bool xml = VG_(clo_xml);
   switch (VG_(get_error_kind)(err)) {
   case MscErr_InvalidFree:
      if (xml)
         emit("  <kind>InvalidFree</kind>\n"
              "  <what>Invalid %s()</what>\n",
              x->is_realloc ? "realloc" : free_name(x->freed_with));
      else
         emit("Invalid %s()\n",
              x->is_realloc ? "realloc" : free_name(x->freed_with));
      VG_(pp_ExeContext)(VG_(get_error_where)(err));
      if (xml)
         emit("  <auxwhat>Address 0x%lx is %s</auxwhat>\n", a,
              x->on_stack ? "on the thread's stack"
                          : "not the start of a live heap block");
      else
         emit(" Address 0x%lx is %s\n", a,
              x->on_stack ? "on the thread's stack"
                          : "not the start of a live heap block");
      break;
   case MscErr_MismatchedFree:
      if (xml)
         emit("  <kind>MismatchedFree</kind>\n"
              "  <what>Mismatched %s() of a block from %s()</what>\n",
              free_name(x->freed_with), alloc_name(x->allocated_with));
      else
         emit("Mismatched %s() of a block from %s()\n",
              free_name(x->freed_with), alloc_name(x->allocated_with));
      VG_(pp_ExeContext)(VG_(get_error_where)(err));
      if (xml)
         emit("  <auxwhat>Address 0x%lx is 0 bytes inside a block of size "
              "%lu alloc'd</auxwhat>\n", a, x->block_size);
      else
         emit(" Address 0x%lx is 0 bytes inside a block of size %lu "
              "alloc'd\n", a, x->block_size);
      if (x->alloc_where != NULL)
         VG_(pp_ExeContext)(x->alloc_where);
      break;
   default:
      tl_assert(0);
   }
}

/* Described only for errors that survive deduplication and suppression. */
static UInt update_extra ( const Error* err )
{
   MscErrExtra* x = VG_(get_error_extra)(err);
   Addr a = VG_(get_error_address)(err);
   if (x->tid != VG_INVALID_THREADID)
      x->on_stack = a + VG_STACK_REDZONE_SZB >= VG_(get_SP)(x->tid)
                    && a < VG_(thread_get_stack_max)(x->tid);
   return sizeof(MscErrExtra);
}

static Bool recognised_suppression ( const HChar* name, Supp* su )
{
   Int k;
   for (k = 0; k < MscErr_N; k++)
      if (VG_(strcmp)(name, s_error_names[k]) == 0) {
         VG_(set_supp_kind)(su, k);
         return True;
      }
   return False;
}

static Bool read_extra_suppression_info ( Int fd, HChar** bufpp,
                                          SizeT* nBufp, Int* lineno,
                                          Supp* su )
{
   return True;
}

static Bool error_matches_suppression ( const Error* err, const Supp* su )
{
   return VG_(get_supp_kind)(su) == (SuppKind)VG_(get_error_kind)(err);
}

static const HChar* get_error_name ( const Error* err )
{
   ErrorKind k = VG_(get_error_kind)(err);
   return k < MscErr_N ? s_error_names[k] : NULL;
}

static SizeT print_extra_suppression_info ( const Error* err, HChar* buf,
                                            Int nBuf )
{
   buf[0] = 0;
   return 0;
}

static SizeT print_extra_suppression_use ( const Supp* su, HChar* buf,
                                           Int nBuf )
{
   buf[0] = 0;
   return 0;
}

static void update_extra_suppression_use ( const Error* err, const Supp* su )
{
}

void MSC_(errors_register) ( void )
{
   VG_(needs_tool_errors)(eq_error, before_pp_error, pp_error,
                          True, update_extra, recognised_suppression,
                          read_extra_suppression_info,
                          error_matches_suppression, get_error_name,
                          print_extra_suppression_info,
                          print_extra_suppression_use,
                          update_extra_suppression_use);
   VG_(needs_xml_output)();
}
