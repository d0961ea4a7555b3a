/* msc_atomics.c: counting atomic instructions.  See msc_atomics.h.
   The instrumenter runs on the host; on_cas, on_llsc and on_fence are
   called from generated code (under the big lock, so no atomicity is
   needed here). */

#include "msc_atomics.h"
#include "msc_access.h"
#include "msc_elfdata.h"
#include "msc_heap.h"
#include "msc_ir.h"
#include "msc_log.h"
#include "msc_objects.h"
#include "msc_stacks.h"
#include "msc_stdio.h"
#include "msc_sync.h"
#include "msc_syncev.h"
#include "msc_threads.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_execontext.h"
#include "pub_tool_machine.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_wordfm.h"

/* Counts of one thread at one code site on one address. */
typedef struct _AtomicCount {
   /* The hash index's links first (a VgHashNode): key hashes all four
      of (addr, serial, size, ip). */
   struct _AtomicCount* ht_next;
   UWord ht_key;
   Addr  addr;
   struct _AtomicCount* next;           /* the address's list */
   UInt  serial;
   UInt  size;
   Addr  ip;
   ULong rmw, cas_ok, cas_failed, ll, sc_ok, sc_failed;
} AtomicCount;

/* Fences of one thread at one code site. */
typedef struct _FenceCount {
   struct _FenceCount* next;
   UInt  serial;
   ULong n;
} FenceCount;

static WordFM* s_by_addr = NULL;     /* addr -> AtomicCount* list */
/* The same counts by (addr, thread, size, ip): a lock word that thousands
   of threads touch over a run would cost a walk of its list at every
   thread's first touch (quadratic in threads). */
static VgHashTable* s_by_key = NULL;
static WordFM* s_fences = NULL;      /* ip -> FenceCount* list */
static ULong   s_atomics = 0;

/* What a CAS statement is (passed to on_cas with its size). */
#define KIND_RMW 0x100   /* read-modify-write made of a load and a CAS */
#define KIND_PROGRAM 0x200 /* the program's code (see is_library_code) */

void MSC_(atomics_init) ( void )
{
   s_by_addr = VG_(newFM)(VG_(malloc), "msc.atomics.by_addr", VG_(free),
                          NULL);
   s_fences = VG_(newFM)(VG_(malloc), "msc.atomics.fences", VG_(free), NULL);
   s_by_key = VG_(HT_construct)("msc.atomics.by_key");
}

static UWord count_key ( Addr addr, UInt serial, UInt size, Addr ip )
{
   UWord h = addr * 0x9E3779B97F4A7C15ULL;
   h ^= (ip + serial * 0x100000001B3ULL + size) * 0xC2B2AE3D27D4EB4FULL;
   return h ^ (h >> 29);
}

static Word same_count ( const void* x, const void* y )
{
   const AtomicCount* a = x;
   const AtomicCount* b = y;
   return !(a->addr == b->addr && a->serial == b->serial
            && a->size == b->size && a->ip == b->ip);
}

ULong MSC_(atomics_count) ( void )
{
   return s_atomics;
}

/* ---- counting (called from generated code) --------------------------------- */

static AtomicCount* counter ( Addr addr, UInt size, Addr ip )
{
   UInt serial = MSC_(thread_serial)(VG_(get_running_tid)());
   UWord key, val;
   AtomicCount* c = NULL;
   AtomicCount probe, *found;
   probe.addr = addr;
   probe.serial = serial;
   probe.size = size;
   probe.ip = ip;
   probe.ht_key = count_key(addr, serial, size, ip);
   found = VG_(HT_gen_lookup)(s_by_key, &probe, same_count);
   if (found != NULL)
      return found;
   if (VG_(lookupFM)(s_by_addr, &key, &val, addr))
      c = (AtomicCount*)val;
   AtomicCount* fresh = VG_(calloc)("msc.atomics.count", 1,
                                    sizeof(AtomicCount));
   fresh->addr = addr;
   fresh->serial = serial;
   fresh->size = size;
   fresh->ip = ip;
   fresh->ht_key = probe.ht_key;
   fresh->next = c;
   VG_(addToFM)(s_by_addr, addr, (UWord)fresh);
   VG_(HT_add_node)(s_by_key, fresh);
   return fresh;
}

static void on_fence ( HWord ip );
static Bool orders_threads ( Bool program_code );

/* A read-modify-write or compare-and-swap orders the threads that use
   the address: it acquires the location before its own access is
   checked (it reads what the last one released: a plain access that
   came before that release is ordered before this one), and releases it
   after, unless it stored nothing: a compare-and-swap that failed is a
   load in C11 (its failure order is at most acquire), and so is a
   load-linked or a failed store-conditional.  x86's cmpxchg writes the
   old value back even then, but publishes nothing the program wrote:
   treating it as a release hid the race of a thread that wrote, then
   failed its exchange, with the thread that next took the location. */
static void ordered_rmw ( Addr addr, UInt size, Addr ip, Bool program,
                          Bool stores )
{
   ThreadId tid = VG_(get_running_tid)();
   Bool orders = orders_threads(program);
   /* A reader-writer lock's own counters, inside a wrapped call: the
      wrapper's model stands alone (readers release into a key only
      writers take, so two readers stay unordered), and the bytes are the
      library's, not an access of the program's. */
   if (!program && !orders && MSC_(sync_in_rwlock)(addr))
      return;
   /* A stream's lock, taken inside printf or fputs: it orders the
      library's work on the stream, not the program (see msc_stdio.h). */
   if (!program && orders && MSC_(stdio_is_stream_lock)(addr)) {
      MSC_(syncev_library_acquire)(tid, addr);
      MSC_(access_atomic)(addr, size, ip, True);
      if (stores)
         MSC_(syncev_library_release)(tid, addr);
      return;
   }
   /* The acquire comes before the access is checked: the RMW's own read
      sees what the last release published, so it is no race with it. */
   if (orders) {
      MSC_(syncev_acquire)(tid, addr);
      MSC_(access_atomic)(addr, size, ip, True);
      if (stores)
         MSC_(syncev_release)(tid, addr);
   } else if (MSC_(access_atomic)(addr, size, ip, False)) {
      if (stores)
         MSC_(syncev_acquire_release)(tid, addr);
      else
         MSC_(syncev_acquire)(tid, addr);
   }
}

static void on_cas ( Addr addr, HWord info, HWord ip, HWord success )
{
   AtomicCount* c;
   /* GCC compiles a sequentially consistent fence on x86-64 to
      "lock or $0,(%rsp)": a read-modify-write of the word at the stack
      pointer, which is a fence and nothing else. */
   if ((info & KIND_RMW) && addr == VG_(get_SP)(VG_(get_running_tid)())) {
      on_fence(ip);
      return;
   }
   c = counter(addr, info & 0xff, ip);
   s_atomics++;
   ordered_rmw(addr, info & 0xff, ip, info & KIND_PROGRAM,
               (info & KIND_RMW) || success);
   if (info & KIND_RMW)
      c->rmw++;           /* its failures are retries of one operation */
   else if (success)
      c->cas_ok++;
   else
      c->cas_failed++;
}

static void on_llsc ( Addr addr, HWord size, HWord ip, HWord result )
{
   /* result: 2 for a load-linked, else the store-conditional's success. */
   AtomicCount* c;
   Bool program = (size & KIND_PROGRAM) != 0;
   size &= 0xff;
   c = counter(addr, size, ip);
   s_atomics++;
   ordered_rmw(addr, size, ip, program, result == 1);
   if (result == 2)
      c->ll++;
   else if (result)
      c->sc_ok++;
   else
      c->sc_failed++;
}

static void on_fence ( HWord ip )
{
   UInt serial = MSC_(thread_serial)(VG_(get_running_tid)());
   UWord key, val;
   FenceCount* head = NULL;
   if (VG_(lookupFM)(s_fences, &key, &val, ip))
      head = (FenceCount*)val;
   for (FenceCount* it = head; it != NULL; it = it->next)
      if (it->serial == serial) {
         it->n++;
         return;
      }
   FenceCount* fresh = VG_(calloc)("msc.atomics.fence", 1,
                                   sizeof(FenceCount));
   fresh->serial = serial;
   fresh->n = 1;
   fresh->next = head;
   VG_(addToFM)(s_fences, ip, (UWord)fresh);
}

/* ---- instrumentation --------------------------------------------------------- */

void MSC_(atomics_sb_begin) ( MscAtomicsSB* sb, const IRSB* sbIn )
{
   sb->n_temps = sbIn->tyenv->types_used;
   sb->loaded_from = VG_(calloc)("msc.atomics.sb", sb->n_temps + 1,
                                 sizeof(IRExpr*));
   sb->loaded_in = VG_(calloc)("msc.atomics.sb", sb->n_temps + 1,
                               sizeof(UInt));
   sb->insn = 0;
   sb->ip = 0;
}

void MSC_(atomics_sb_end) ( MscAtomicsSB* sb )
{
   VG_(free)(sb->loaded_from);
   VG_(free)(sb->loaded_in);
   sb->loaded_from = NULL;
   sb->loaded_in = NULL;
}

/* Whether the code at ip is the C library's or the dynamic linker's. */
static Bool is_library_code ( Addr ip )
{
   static const HChar* const libraries[] = {
      "libc.so", "ld-linux", "libpthread.so"
   };
   return MSC_(elfdata_code_of)(ip, libraries,
                                sizeof libraries / sizeof libraries[0]);
}

/* Whether an atomic read-modify-write orders the threads that use its
   location (on the program's memory, a tracked object, it always does).
   The program's own always do.  The C library's do too (its internal
   locks: a FILE's, the one of rand or of the time-zone state, which the
   program cannot see), except inside a call whose synchronisation the
   wrappers model (a mutex, a semaphore, thread creation): there the
   wrapper's meaning stands, and the implementation's bookkeeping in its
   own memory (the count of live threads, the stack cache) would order
   threads that never synchronise, hiding races another schedule shows.
   (On a tracked object inside such a call, a mutex's word, the edge
   stays: the wrapper announces an unlock before the original runs, and
   the original's own writes to the word come after that release.) */
static Bool orders_threads ( Bool program_code )
{
   return program_code || !MSC_(syncev_in_primitive)(VG_(get_running_tid)());
}

static IRExpr* to_hword ( IRSB* sbOut, IRExpr* bit, IRType hWordTy )
{
   IRTemp t = newIRTemp(sbOut->tyenv, hWordTy);
   addStmtToIRSB(sbOut, IRStmt_WrTmp(t, IRExpr_Unop(
      hWordTy == Ity_I64 ? Iop_1Uto64 : Iop_1Uto32, bit)));
   return IRExpr_RdTmp(t);
}

static IROp cmp_eq_op ( IRType ty )
{
   switch (ty) {
   case Ity_I8:  return Iop_CmpEQ8;
   case Ity_I16: return Iop_CmpEQ16;
   case Ity_I32: return Iop_CmpEQ32;
   default:      return Iop_CmpEQ64;
   }
}

static void call_helper ( IRSB* sbOut, const HChar* name, void* fn,
                          IRExpr** args )
{
   IRDirty* d = unsafeIRDirty_0_N(0, name, VG_(fnptr_to_fnentry)(fn), args);
   addStmtToIRSB(sbOut, IRStmt_Dirty(d));
}

void MSC_(atomics_instrument_stmt) ( MscAtomicsSB* sb, IRSB* sbOut,
                                     const IRStmt* st, IRType hWordTy )
{
   switch (st->tag) {
   case Ist_IMark:
      sb->ip = st->Ist.IMark.addr + st->Ist.IMark.delta;
      sb->insn++;
      break;
   case Ist_WrTmp:
      if (st->Ist.WrTmp.data->tag == Iex_Load
          && st->Ist.WrTmp.tmp < sb->n_temps) {
         sb->loaded_from[st->Ist.WrTmp.tmp] = st->Ist.WrTmp.data->Iex.Load.addr;
         sb->loaded_in[st->Ist.WrTmp.tmp] = sb->insn;
      }
      break;
   case Ist_CAS: {
      const IRCAS* cas = st->Ist.CAS.details;
      IRType ty = typeOfIRExpr(sbOut->tyenv, cas->expdLo);
      UInt size = sizeofIRType(ty) * (cas->expdHi != NULL ? 2 : 1);
      HWord info = size;
      IRExpr* ok;
      /* VEX makes LOCK-prefixed read-modify-writes and XCHG out of a
         load and a CAS, in one guest instruction, whose expected value is
         that load (retried on failure); a real cmpxchg compares with a
         register, even one loaded from the same place just before. */
      if (cas->expdLo->tag == Iex_RdTmp
          && cas->expdLo->Iex.RdTmp.tmp < sb->n_temps
          && sb->loaded_in[cas->expdLo->Iex.RdTmp.tmp] == sb->insn
          && MSC_(same_ir_atom)(
                sb->loaded_from[cas->expdLo->Iex.RdTmp.tmp], cas->addr))
         info |= KIND_RMW;
      if (!is_library_code(sb->ip))
         info |= KIND_PROGRAM;
      ok = IRExpr_Binop(cmp_eq_op(ty), IRExpr_RdTmp(cas->oldLo),
                        cas->expdLo);
      if (cas->expdHi != NULL) {
         IRTemp lo = newIRTemp(sbOut->tyenv, Ity_I1);
         addStmtToIRSB(sbOut, IRStmt_WrTmp(lo, ok));
         ok = IRExpr_Binop(Iop_And1, IRExpr_RdTmp(lo),
                           IRExpr_Binop(cmp_eq_op(ty),
                                        IRExpr_RdTmp(cas->oldHi),
                                        cas->expdHi));
      }
      {
         IRTemp okt = newIRTemp(sbOut->tyenv, Ity_I1);
         addStmtToIRSB(sbOut, IRStmt_WrTmp(okt, ok));
         call_helper(sbOut, "msc_on_cas", on_cas,
                     mkIRExprVec_4(cas->addr, mkIRExpr_HWord(info),
                                   mkIRExpr_HWord(sb->ip),
                                   to_hword(sbOut, IRExpr_RdTmp(okt),
                                            hWordTy)));
      }
      break;
   }
   case Ist_LLSC: {
      IRType ty = typeOfIRTemp(sbOut->tyenv, st->Ist.LLSC.result);
      IRExpr* result;
      UInt size;
      if (st->Ist.LLSC.storedata == NULL) {        /* load-linked */
         size = sizeofIRType(ty);
         result = mkIRExpr_HWord(2);
      } else {                                     /* store-conditional */
         size = sizeofIRType(typeOfIRExpr(sbOut->tyenv,
                                          st->Ist.LLSC.storedata));
         result = to_hword(sbOut, IRExpr_RdTmp(st->Ist.LLSC.result),
                           hWordTy);
      }
      if (!is_library_code(sb->ip))
         size |= KIND_PROGRAM;
      call_helper(sbOut, "msc_on_llsc", on_llsc,
                  mkIRExprVec_4(st->Ist.LLSC.addr, mkIRExpr_HWord(size),
                                mkIRExpr_HWord(sb->ip), result));
      break;
   }
   case Ist_MBE:
      if (st->Ist.MBE.event == Imbe_Fence)
         call_helper(sbOut, "msc_on_fence", on_fence,
                     mkIRExprVec_1(mkIRExpr_HWord(sb->ip)));
      break;
   default:
      break;
   }
}

/* ---- summaries into the log ---------------------------------------------------- */

static void log_counts ( Addr addr, AtomicCount* c, Addr block )
{
   for (; c != NULL; c = c->next) {
      UInt stack = MSC_(stack_id)(VG_(make_depth_1_ExeContext_from_Addr)(c->ip));
      MSC_(rec_event)(MSC_REC_ATOMIC);
      MSC_(rec_u)(c->serial);
      MSC_(rec_u)(stack);
      MSC_(rec_u)(addr);
      MSC_(rec_u)(c->size);
      MSC_(rec_u)(c->rmw);
      MSC_(rec_u)(c->cas_ok);
      MSC_(rec_u)(c->cas_failed);
      MSC_(rec_u)(c->ll);
      MSC_(rec_u)(c->sc_ok);
      MSC_(rec_u)(c->sc_failed);
      MSC_(rec_u)(block);
      MSC_(rec_end)();
   }
}

static void free_counts ( AtomicCount* c )
{
   while (c != NULL) {
      AtomicCount* next = c->next;
      VG_(HT_gen_remove)(s_by_key, c, same_count);
      VG_(free)(c);
      c = next;
   }
}

/* The block [start, start+size) is freed: its addresses' counts are
   written now, attributed to it. */
static void block_freed ( Addr start, SizeT size )
{
   UWord key, val;
   Addr found[16];
   Int n, i;
   if (s_atomics == 0)
      return;
   /* Collect, then delete: the map may not change while iterated. */
   do {
      n = 0;
      VG_(initIterAtFM)(s_by_addr, start);
      while (n < 16 && VG_(nextIterFM)(s_by_addr, &key, &val)
             && key < start + (size ? size : 1)) {
         log_counts(key, (AtomicCount*)val, start);
         free_counts((AtomicCount*)val);
         found[n++] = key;
      }
      VG_(doneIterFM)(s_by_addr);
      for (i = 0; i < n; i++)
         VG_(delFromFM)(s_by_addr, NULL, NULL, found[i]);
   } while (n == 16);
}

void MSC_(atomics_fini) ( void )
{
   UWord key, val;
   VG_(initIterFM)(s_by_addr);
   while (VG_(nextIterFM)(s_by_addr, &key, &val))
      log_counts(key, (AtomicCount*)val, MSC_(heap_block_containing)(key));
   VG_(doneIterFM)(s_by_addr);
   VG_(initIterFM)(s_fences);
   while (VG_(nextIterFM)(s_fences, &key, &val)) {
      for (FenceCount* f = (FenceCount*)val; f != NULL; f = f->next) {
         UInt stack = MSC_(stack_id)(VG_(make_depth_1_ExeContext_from_Addr)(key));
         MSC_(rec_event)(MSC_REC_FENCE);
         MSC_(rec_u)(f->serial);
         MSC_(rec_u)(stack);
         MSC_(rec_u)(f->n);
         MSC_(rec_end)();
      }
   }
   VG_(doneIterFM)(s_fences);
}

static void object_ended ( Addr start, SizeT size, UInt kind,
                           ThreadId freed_by )
{
   if (kind == MSC_ACCESS_HEAP)
      block_freed(start, size);
}

const MscObjectObserver MSC_(atomics_objects) = { NULL, NULL, object_ended };
