/* msc_clock.c: the instruction counter (updated by generated code, on the
   simulated CPU) and the wall-clock reading.  See msc_clock.h. */

#include "msc_clock.h"
#include "pub_tool_libcproc.h"

/* Updated only by instrumented guest code, which runs one thread at a
   time under Valgrind's big lock, so no atomicity is needed. */
ULong MSC_(guest_instrs) = 0;

UInt MSC_(clock_wall_ms) ( void )
{
   return VG_(read_millisecond_timer)();
}

#if defined(VG_BIGENDIAN)
#  define MSC_HOST_END Iend_BE
#else
#  define MSC_HOST_END Iend_LE
#endif

/* MSC_(guest_instrs) += n, as three IR statements. */
static void add_counter_update ( IRSB* sbOut, Int n )
{
   IRExpr* counter = mkIRExpr_HWord( (HWord)&MSC_(guest_instrs) );
   IRTemp  old     = newIRTemp(sbOut->tyenv, Ity_I64);
   IRTemp  sum     = newIRTemp(sbOut->tyenv, Ity_I64);
   addStmtToIRSB(sbOut,
      IRStmt_WrTmp(old, IRExpr_Load(MSC_HOST_END, Ity_I64, counter)));
   addStmtToIRSB(sbOut,
      IRStmt_WrTmp(sum, IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(old),
                                     IRExpr_Const(IRConst_U64(n)))));
   addStmtToIRSB(sbOut, IRStmt_Store(MSC_HOST_END, counter, IRExpr_RdTmp(sum)));
}

void MSC_(clock_instrument_stmt) ( IRSB* sbOut, const IRStmt* st,
                                   Int* pending_instrs )
{
   /* A side exit leaves the superblock: the instructions up to and
      including it must be counted before it, or a taken exit loses them. */
   if (st == NULL || st->tag == Ist_Exit) {
      if (*pending_instrs > 0) {
         add_counter_update(sbOut, *pending_instrs);
         *pending_instrs = 0;
      }
   } else if (st->tag == Ist_IMark) {
      (*pending_instrs)++;
   }
}
