/* msc_ir.h: small VEX IR helpers the instrumenters (access tracking,
   atomics) share.  Header only.  Runs on the host, at translation. */

#ifndef MSC_IR_H
#define MSC_IR_H

#include "msc_basics.h"
#include "libvex_ir.h"

/* Whether two IR atoms are the same temp or constant (VEX makes a
   read-modify-write of a load and a CAS of one such address). */
static inline Bool MSC_(same_ir_atom) ( const IRExpr* a, const IRExpr* b )
{
   if (a == NULL || b == NULL || a->tag != b->tag)
      return False;
   if (a->tag == Iex_RdTmp)
      return a->Iex.RdTmp.tmp == b->Iex.RdTmp.tmp;
   if (a->tag == Iex_Const)
      return eqIRConst(a->Iex.Const.con, b->Iex.Const.con);
   return False;
}

#endif /* MSC_IR_H */
