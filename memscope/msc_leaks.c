/* msc_leaks.c: the heap scan.  See msc_leaks.h.  Runs on the host.

   The classification follows Memcheck's leak check, so that the numbers
   agree on the same program:
   - roots are the client's readable and writable mappings that are not
     the client heap (file, anonymous and shared, devices excepted),
     minus each live thread's stack below its stack pointer (less the
     red zone), and every live thread's general-purpose registers;
   - a block pointed to by a root, or by a block already known reachable,
     at its start is reachable; pointed to only inside (or only by
     possibly-reached blocks) it is possibly lost; each step is scanned
     again when its state improves;
   - then, in address order, each block still unreached leads a clique:
     the unreached blocks it reaches (through start or interior
     pointers) are indirectly lost, it stays definitely lost (an earlier
     leader that a later one reaches becomes indirect).
   Only aligned words are read, inside a block's requested size.  Memory
   that faults while being read (a mapping shrunk behind the tool's back)
   is skipped a page at a time. */

#include "msc_leaks.h"
#include "msc_elfdata.h"
#include "msc_heap.h"
#include "msc_log.h"
#include "msc_names.h"
#include "msc_stacks.h"
#include "msc_threads.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_libcsetjmp.h"
#include "pub_tool_machine.h"
#include "pub_tool_signals.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_vki.h"
#include "pub_tool_xarray.h"

/* Marking states: the MscLeakClass values, and unreached (which ends as
   definitely lost unless a clique takes it). */
#define UNREACHED 4

/* A BLOCK_REFS record may not grow past the log's record limit: a
   block's targets beyond this many are not listed (still marked). */
#define MAX_LISTED_TARGETS 400000

typedef struct {
   UInt to;                 /* index of the target block */
   UInt starts, interiors;  /* words pointing at its start, inside it */
   UInt explained;          /* of the interiors, those a heuristic takes
                               for a start (not logged) */
} Edge;

typedef struct {
   Addr  start;
   SizeT size;
   UInt  state;             /* MscLeakClass or UNREACHED */
   UInt  first_edge, n_edges;
} ScanBlock;

typedef struct {
   UInt         kind;       /* MSC_ROOT_* */
   Addr         root;       /* the variable's start */
   const HChar* name;
   UInt         to;
   UInt         starts, interiors;
} RootRef;

static ScanBlock* s_blocks = NULL;
static UInt       s_n = 0;
static Addr       s_lo = 0, s_hi = 0;   /* [lowest start, highest end) */
static XArray*    s_edges = NULL;       /* of Edge */
static XArray*    s_work = NULL;        /* of UInt: blocks to (re)scan */
static XArray*    s_roots = NULL;       /* of RootRef */
static XArray*    s_found = NULL;       /* of Edge: one block's targets */

/* The block holding a (its start, or inside its size), -1 if none. */
static Int find_block ( Addr a )
{
   UInt lo = 0, hi = s_n;
   const ScanBlock* b;
   if (a < s_lo || a >= s_hi)
      return -1;
   while (lo < hi) {                 /* the last block starting <= a */
      UInt mid = lo + (hi - lo) / 2;
      if (s_blocks[mid].start <= a)
         lo = mid + 1;
      else
         hi = mid;
   }
   if (lo == 0)
      return -1;
   b = &s_blocks[lo - 1];
   return a == b->start || a - b->start < b->size ? (Int)(lo - 1) : -1;
}

/* ---- reading client memory ---------------------------------------------- */

static VG_MINIMAL_JMP_BUF(s_fault_jmp);

static void on_fault ( Int sig, Addr addr )
{
   if (sig == VKI_SIGSEGV || sig == VKI_SIGBUS)
      VG_MINIMAL_LONGJMP(s_fault_jmp);
}

/* Calls found(where, value, ctx) for each aligned word of [lo, hi) whose
   value lies in the range of the live blocks. */
static void scan_range ( Addr lo, Addr hi,
                         void (*found)(Addr where, UWord v, UWord ctx),
                         UWord ctx )
{
   volatile Addr p = VG_ROUNDUP(lo, sizeof(UWord));
   fault_catcher_t prev = VG_(set_fault_catcher)(on_fault);
   if (VG_MINIMAL_SETJMP(s_fault_jmp) != 0)
      p = VG_PGROUNDDN(p) + VKI_PAGE_SIZE;   /* that page faulted */
   while (p + sizeof(UWord) <= hi && p >= lo) {
      UWord v = *(volatile const UWord*)p;
      if (v >= s_lo && v < s_hi)
         found(p, v, ctx);
      p += sizeof(UWord);
   }
   VG_(set_fault_catcher)(prev);
}

/* ---- marking ---------------------------------------------------------------- */

static void push ( UInt i )
{
   VG_(addToXA)(s_work, &i);
}

/* A pointer to block j, at its start or not, from a root or a block that
   is reachable (prior_definite) or not. */
static void mark ( UInt j, Bool at_start, Bool prior_definite )
{
   ScanBlock* b = &s_blocks[j];
   if (b->state == MSC_LEAK_REACHABLE)
      return;
   if (at_start && prior_definite) {
      b->state = MSC_LEAK_REACHABLE;
      push(j);
   } else if (b->state == UNREACHED) {
      b->state = MSC_LEAK_POSSIBLE;
      push(j);
   }
}

static void propagate ( void )
{
   while (VG_(sizeXA)(s_work) > 0) {
      UInt i = *(UInt*)VG_(indexXA)(s_work, VG_(sizeXA)(s_work) - 1);
      Bool definite = s_blocks[i].state == MSC_LEAK_REACHABLE;
      UInt k;
      VG_(dropTailXA)(s_work, 1);
      for (k = 0; k < s_blocks[i].n_edges; k++) {
         const Edge* e = VG_(indexXA)(s_edges, s_blocks[i].first_edge + k);
         if (e->starts > 0 || e->explained > 0)
            mark(e->to, True, definite);
         if (e->interiors > e->explained)
            mark(e->to, False, definite);
      }
   }
}

/* ---- the block graph -------------------------------------------------------- */

/* ---- Memcheck's heuristics -------------------------------------------------- */
/* Memcheck's default (--leak-check-heuristics=all) takes some interior
   pointers for start pointers, when the block's first words explain them:
   the characters of an old-ABI std::string (length, capacity, refcount
   before them), a block that starts with its remaining length, a new[]
   array after its element count, an object reached through a second
   base class (vtable pointers at both places).  The same rules here, so
   that the classes agree. */

static UWord word_at ( Addr a )
{
   return *(const UWord*)a;
}

/* Whether a looks like a vtable pointer, by Memcheck's test (debug info
   need not know the table): it points into a file mapping, and the
   table's first words (up to 20, NULLs skipped) are pointers into code
   that has run, at least two of them before anything else. */
static Bool is_vtable ( Addr a )
{
   NSegment const* seg;
   Addr p, last;
   UInt code_ptrs = 0;
   if (!VG_IS_WORD_ALIGNED(a) || a < VKI_PAGE_SIZE)
      return False;
   seg = VG_(am_find_nsegment)(a);
   if (seg == NULL || seg->kind != SkFileC || !seg->hasR)
      return False;
   last = a + 20 * sizeof(Addr);
   if (last > seg->end - sizeof(Addr))
      last = seg->end - sizeof(Addr);
   for (p = a; p <= last; p += sizeof(Addr)) {
      Addr target = *(const Addr*)p;
      NSegment const* code;
      if (target == 0)
         continue;
      code = VG_(am_find_nsegment)(target);
      if (code == NULL || code->kind != SkFileC || !code->hasT)
         return False;
      if (++code_ptrs == 2)
         return True;
   }
   return False;
}

static Bool explained_interior ( const ScanBlock* b, Addr ptr )
{
   Addr d = b->start;
   SizeT sz = b->size, w = sizeof(UWord);
   /* Its words are read here outside the fault catcher (for registers
      too): a custom allocator's block may lie in memory since unmapped. */
   if (sz < w || !VG_(am_is_valid_for_client)(d, sz, VKI_PROT_READ))
      return False;
   if (ptr == d + 3 * w && sz >= 3 * w) {                    /* std::string */
      UWord capacity = word_at(d + w);
      if (3 * w + capacity + 1 == sz && word_at(d) <= capacity)
         return True;
   }
   if (ptr == d + w && sz >= w) {          /* length64, new[] element count */
      UWord n = word_at(d);
      if (n > 0 && ((sz - w) == n || (sz - w) % n == 0))
         return True;
   }
   if (VG_IS_WORD_ALIGNED(ptr) && ptr + w <= d + sz && sz >= w   /* bases */
       && is_vtable(word_at(ptr)) && is_vtable(word_at(d)))
      return True;
   return False;
}

static void found_in_block ( Addr where, UWord v, UWord ctx )
{
   Int j = find_block(v);
   Edge e;
   if (j < 0)
      return;
   e.to = (UInt)j;
   e.starts = v == s_blocks[j].start;
   e.interiors = !e.starts;
   e.explained = e.interiors && explained_interior(&s_blocks[j], v);
   VG_(addToXA)(s_found, &e);
}

static Int cmp_edge_targets ( const void* a, const void* b )
{
   UInt x = ((const Edge*)a)->to, y = ((const Edge*)b)->to;
   return x < y ? -1 : x > y ? 1 : 0;
}

/* Each block's targets, merged per target, into s_edges. */
static void build_graph ( void )
{
   UInt i;
   for (i = 0; i < s_n; i++) {
      ScanBlock* b = &s_blocks[i];
      Word k, n;
      VG_(dropTailXA)(s_found, VG_(sizeXA)(s_found));
      scan_range(b->start, b->start + b->size, found_in_block, i);
      n = VG_(sizeXA)(s_found);
      b->first_edge = (UInt)VG_(sizeXA)(s_edges);
      if (n == 0)
         continue;
      VG_(ssort)(VG_(indexXA)(s_found, 0), n, sizeof(Edge),
                 cmp_edge_targets);
      for (k = 0; k < n; k++) {
         const Edge* e = VG_(indexXA)(s_found, k);
         Word last = VG_(sizeXA)(s_edges) - 1;
         if (b->n_edges > 0
             && ((Edge*)VG_(indexXA)(s_edges, last))->to == e->to) {
            Edge* m = VG_(indexXA)(s_edges, last);
            m->starts += e->starts;
            m->interiors += e->interiors;
            m->explained += e->explained;
         } else {
            VG_(addToXA)(s_edges, e);
            b->n_edges++;
         }
      }
   }
}

/* ---- roots -------------------------------------------------------------------- */

/* A root word at `where` points into a block: marks it, and remembers
   the pair when the word is inside a named variable or a global. */
static void found_in_root ( Addr where, UWord v, UWord ctx )
{
   Int j = find_block(v);
   Bool at_start;
   const HChar* name = NULL;
   Addr root = 0;
   UInt kind = MSC_ROOT_GLOBAL;
   PtrdiffT offset;
   Word k;
   RootRef r;
   if (j < 0)
      return;
   at_start = v == s_blocks[j].start;
   mark((UInt)j, at_start || explained_interior(&s_blocks[j], v), True);
   if (MSC_(names_object_containing)(where, &root, &name)) {
      kind = MSC_ROOT_VARIABLE;
   } else if (!MSC_(elfdata_symbol_at)(where, &name, &offset)) {
      return;
   } else {
      root = where - offset;
   }
   for (k = 0; k < VG_(sizeXA)(s_roots); k++) {
      RootRef* seen = VG_(indexXA)(s_roots, k);
      if (seen->root == root && seen->to == (UInt)j && seen->kind == kind) {
         seen->starts += at_start;
         seen->interiors += !at_start;
         return;
      }
   }
   r.kind = kind;
   r.root = root;
   r.name = name;
   r.to = (UInt)j;
   r.starts = at_start;
   r.interiors = !at_start;
   VG_(addToXA)(s_roots, &r);
}

static void found_in_register ( ThreadId tid, const HChar* name, UWord v )
{
   Int j;
   if (v < s_lo || v >= s_hi || (j = find_block(v)) < 0)
      return;
   mark((UInt)j, v == s_blocks[j].start
                 || explained_interior(&s_blocks[j], v), True);
}

/* A thread's stack below its stack pointer (and red zone) holds dead
   frames: Memcheck has them unaddressable, so they are no roots.  The
   core empties its thread slots before the tool's exit callback, so each
   slot's stack bounds are kept here while its thread runs; the stack
   pointer stays readable in the slot's guest state (an exited thread's
   cached stack keeps what its last stack pointer left). */
typedef struct {
   Addr lo, hi;
} Range;

static Range* s_stack_bounds = NULL;     /* per ThreadId: [lowest, top] */

void MSC_(leaks_thread_running) ( ThreadId tid )
{
   Addr top;
   SizeT size;
   if (s_stack_bounds == NULL)
      s_stack_bounds = VG_(calloc)("msc.leaks.stacks", VG_N_THREADS,
                                   sizeof(Range));
   top = VG_(thread_get_stack_max)(tid);
   size = VG_(thread_get_stack_size)(tid);
   if (top != 0 && size != 0 && size <= top
       && (s_stack_bounds[tid].hi != top
           || s_stack_bounds[tid].lo != top + 1 - size)) {
      ThreadId other;
      Addr lo = top + 1 - size;
      /* A new stack for this slot (the C library hands a dead thread's
         cached stack to the next one, maybe in another slot): a slot
         that remembered the same memory forgets it, or its dead range
         would hide this thread's live frames. */
      for (other = 1; other < VG_N_THREADS; other++)
         if (other != tid && s_stack_bounds[other].hi != 0
             && s_stack_bounds[other].lo <= top
             && s_stack_bounds[other].hi >= lo) {
            s_stack_bounds[other].lo = 0;
            s_stack_bounds[other].hi = 0;
         }
      s_stack_bounds[tid].lo = lo;
      s_stack_bounds[tid].hi = top;
   }
}

/* At exit, the thread that called exit(): when main has returned, the
   frames between its stack pointer and exit()'s caller are the exit
   machinery run over main's old frame.  Memcheck sees main's stale words
   there as undefined (the stack grew over them again) and ignores them:
   they count as dead here too.  When main is still on the stack (exit
   called from it), nothing changes.  0 when there is nothing to add. */
static Addr exit_dead_top ( ThreadId tid )
{
   Addr ips[64], sps[64];
   UInt n = VG_(get_StackTrace)(tid, ips, 64, sps, NULL, 0), k;
   DiEpoch ep = VG_(current_DiEpoch)();
   Addr top = 0;
   for (k = 0; k < n; k++) {
      const HChar* fn;
      if (!VG_(get_fnname)(ep, ips[k], &fn))
         continue;
      if (VG_(strcmp)(fn, "main") == 0)
         return 0;
      if (top == 0 && k + 1 < n
          && (VG_(strcmp)(fn, "exit") == 0
              || VG_(strcmp)(fn, "__GI_exit") == 0))
         top = sps[k + 1];
   }
   return top;
}

static UInt dead_stacks ( Range* out, ThreadId exiting )
{
   ThreadId tid;
   UInt n = 0;
   for (tid = 1; s_stack_bounds != NULL && tid < VG_N_THREADS; tid++) {
      Addr low = s_stack_bounds[tid].lo, top = s_stack_bounds[tid].hi;
      Addr sp = VG_(get_SP)(tid);
      if (top == 0)
         continue;
      if (sp - VG_STACK_REDZONE_SZB > low && sp <= top + 1) {
         out[n].lo = low;
         out[n].hi = sp - VG_STACK_REDZONE_SZB;
         if (tid == exiting) {
            Addr dead_top = exit_dead_top(tid);
            if (dead_top > out[n].hi && dead_top <= top)
               out[n].hi = dead_top;
         }
         n++;
      }
   }
   return n;
}

/* [lo, hi) less the dead stack ranges. */
static void scan_root_range ( Addr lo, Addr hi, const Range* dead, UInt n )
{
   UInt i;
   for (i = 0; i < n; i++) {
      if (dead[i].hi <= lo || dead[i].lo >= hi)
         continue;
      if (dead[i].lo > lo)
         scan_root_range(lo, dead[i].lo, dead, n);
      if (dead[i].hi < hi)
         scan_root_range(dead[i].hi, hi, dead, n);
      return;
   }
   scan_range(lo, hi, found_in_root, 0);
}

static void scan_roots ( ThreadId exiting )
{
   Range* dead = VG_(malloc)("msc.leaks.dead", VG_N_THREADS * sizeof(Range));
   UInt n_dead = dead_stacks(dead, exiting);
   UInt kinds = SkFileC | SkAnonC | SkShmC;
   Int cap = 1024, n, i;
   Addr* starts = VG_(malloc)("msc.leaks.segments", cap * sizeof(Addr));
   /* The core says how many entries it needs when the table is short. */
   while ((n = VG_(am_get_segment_starts)(kinds, starts, cap)) < 0) {
      cap = -n + 64;
      starts = VG_(realloc)("msc.leaks.segments", starts,
                            cap * sizeof(Addr));
   }
   for (i = 0; i < n; i++) {
      NSegment const* seg = VG_(am_find_nsegment)(starts[i]);
      if (seg == NULL || !seg->hasR || !seg->hasW || seg->isCH)
         continue;
      /* Reading a device may have effects. */
      if (seg->kind == SkFileC
          && (VKI_S_ISCHR(seg->mode) || VKI_S_ISBLK(seg->mode)))
         continue;
      scan_root_range(seg->start, seg->end + 1, dead, n_dead);
   }
   VG_(free)(starts);
   VG_(free)(dead);
   VG_(apply_to_GP_regs)(found_in_register);
}

/* ---- classification ----------------------------------------------------------- */

static void cliques ( void )
{
   UInt i, k;
   for (i = 0; i < s_n; i++) {
      if (s_blocks[i].state != UNREACHED)
         continue;
      push(i);
      while (VG_(sizeXA)(s_work) > 0) {
         UInt j = *(UInt*)VG_(indexXA)(s_work, VG_(sizeXA)(s_work) - 1);
         VG_(dropTailXA)(s_work, 1);
         for (k = 0; k < s_blocks[j].n_edges; k++) {
            const Edge* e = VG_(indexXA)(s_edges, s_blocks[j].first_edge + k);
            if (e->to != i && s_blocks[e->to].state == UNREACHED) {
               s_blocks[e->to].state = MSC_LEAK_INDIRECT;
               push(e->to);
            }
         }
      }
   }
   for (i = 0; i < s_n; i++)
      if (s_blocks[i].state == UNREACHED)
         s_blocks[i].state = MSC_LEAK_DEFINITE;
}

/* ---- the log ---------------------------------------------------------------- */

static void log_scan ( ThreadId tid, MscScanReason reason,
                       const MscLeakTotals* t )
{
   /* Only a client request has a stack: at exit the program is gone, and
      a monitor command runs outside any thread. */
   UInt i, k, stack = reason == MSC_SCAN_REQUEST ? MSC_(stack_here)(tid) : 0;
   ULong bytes = 0;
   Word r, n_roots = VG_(sizeXA)(s_roots);
   UInt* name_ids = VG_(malloc)("msc.leaks.names",
                                (n_roots ? n_roots : 1) * sizeof(UInt));
   /* Strings before the records that name them. */
   for (r = 0; r < n_roots; r++)
      name_ids[r] = MSC_(log_intern)(((RootRef*)VG_(indexXA)(s_roots, r))
                                     ->name);
   for (i = 0; i < s_n; i++)
      bytes += s_blocks[i].size;
   MSC_(rec_event)(MSC_REC_SCAN);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(reason);
   MSC_(rec_u)(s_n);
   MSC_(rec_u)(bytes);
   MSC_(rec_end)();
   for (i = 0; i < s_n; i++) {
      const ScanBlock* b = &s_blocks[i];
      UInt listed = b->n_edges < MAX_LISTED_TARGETS ? b->n_edges
                                                    : MAX_LISTED_TARGETS;
      MSC_(rec_begin)(MSC_REC_BLOCK_REFS);
      MSC_(rec_u)(b->start);
      MSC_(rec_u)(b->state);
      MSC_(rec_u)(listed);
      for (k = 0; k < listed; k++) {
         const Edge* e = VG_(indexXA)(s_edges, b->first_edge + k);
         MSC_(rec_u)(s_blocks[e->to].start);
         MSC_(rec_u)(e->starts);
         MSC_(rec_u)(e->interiors);
      }
      MSC_(rec_end)();
   }
   for (r = 0; r < n_roots; r++) {
      const RootRef* ref = VG_(indexXA)(s_roots, r);
      MSC_(rec_begin)(MSC_REC_ROOT_REFS);
      MSC_(rec_u)(ref->kind);
      MSC_(rec_u)(ref->root);
      MSC_(rec_u)(name_ids[r]);
      MSC_(rec_u)(s_blocks[ref->to].start);
      MSC_(rec_u)(ref->starts);
      MSC_(rec_u)(ref->interiors);
      MSC_(rec_end)();
   }
   VG_(free)(name_ids);
   MSC_(rec_begin)(MSC_REC_SCAN_END);
   for (k = 0; k < 4; k++) {
      static const UInt order[4] = { MSC_LEAK_DEFINITE, MSC_LEAK_INDIRECT,
                                     MSC_LEAK_POSSIBLE, MSC_LEAK_REACHABLE };
      MSC_(rec_u)(t->blocks[order[k]]);
      MSC_(rec_u)(t->bytes[order[k]]);
   }
   MSC_(rec_end)();
}

/* A block that holds pool chunks is the pool's memory, not a block of
   its own: as Memcheck, it leaves the scan (its start is set to 0) and
   its chunks are scanned and classified instead. */
static void drop_pool_arenas ( MscLiveBlock* live, UInt n )
{
   UInt i, n_plain = 0;
   MscLiveBlock* plain;
   for (i = 0; i < n; i++)
      n_plain += !live[i].is_chunk;
   if (n_plain == n)
      return;
   /* The plain blocks, still sorted, by index into live. */
   plain = VG_(malloc)("msc.leaks.plain", (n_plain ? n_plain : 1)
                       * sizeof(MscLiveBlock));
   n_plain = 0;
   for (i = 0; i < n; i++)
      if (!live[i].is_chunk) {
         plain[n_plain] = live[i];
         plain[n_plain].size = i;         /* where it is in live */
         n_plain++;
      }
   for (i = 0; i < n; i++) {
      UInt lo = 0, hi = n_plain;
      MscLiveBlock* arena;
      if (!live[i].is_chunk)
         continue;
      while (lo < hi) {                   /* last plain block <= chunk */
         UInt mid = lo + (hi - lo) / 2;
         if (plain[mid].start <= live[i].start)
            lo = mid + 1;
         else
            hi = mid;
      }
      if (lo == 0)
         continue;
      arena = &live[plain[lo - 1].size];
      if (live[i].start - arena->start < (arena->size ? arena->size : 1))
         arena->start = 0;
   }
   VG_(free)(plain);
}

void MSC_(leaks_scan) ( ThreadId tid, MscScanReason reason,
                        MscLeakTotals* totals )
{
   MscLiveBlock* live;
   MscLeakTotals t;
   UInt i;
   UInt n_live, kept = 0;
   live = MSC_(heap_live_blocks)(&n_live);
   drop_pool_arenas(live, n_live);
   s_blocks = VG_(calloc)("msc.leaks.blocks", n_live ? n_live : 1,
                          sizeof(ScanBlock));
   s_lo = 0;
   s_hi = 0;
   for (i = 0; i < n_live; i++) {
      SizeT reach = live[i].size ? live[i].size : 1;
      if (live[i].start == 0)
         continue;                       /* a pool's arena, dropped */
      if (kept == 0)
         s_lo = live[i].start;
      s_blocks[kept].start = live[i].start;
      s_blocks[kept].size = live[i].size;
      s_blocks[kept].state = UNREACHED;
      if (live[i].start + reach > s_hi)
         s_hi = live[i].start + reach;
      kept++;
   }
   s_n = kept;
   VG_(free)(live);
   s_edges = VG_(newXA)(VG_(malloc), "msc.leaks.edges", VG_(free),
                        sizeof(Edge));
   s_work = VG_(newXA)(VG_(malloc), "msc.leaks.work", VG_(free),
                       sizeof(UInt));
   s_roots = VG_(newXA)(VG_(malloc), "msc.leaks.roots", VG_(free),
                        sizeof(RootRef));
   s_found = VG_(newXA)(VG_(malloc), "msc.leaks.found", VG_(free),
                        sizeof(Edge));

   build_graph();
   scan_roots(reason == MSC_SCAN_EXIT ? tid : VG_INVALID_THREADID);
   propagate();
   cliques();

   VG_(memset)(&t, 0, sizeof t);
   for (i = 0; i < s_n; i++) {
      t.blocks[s_blocks[i].state]++;
      t.bytes[s_blocks[i].state] += s_blocks[i].size;
   }
   if (MSC_(log_is_open)())
      log_scan(tid, reason, &t);
   if (totals != NULL)
      *totals = t;

   VG_(deleteXA)(s_edges);
   VG_(deleteXA)(s_work);
   VG_(deleteXA)(s_roots);
   VG_(deleteXA)(s_found);
   VG_(free)(s_blocks);
   s_blocks = NULL;
   s_n = 0;
}

void MSC_(leaks_print) ( const MscLeakTotals* t,
                         UInt (*out)(const HChar* format, ...) )
{
   out("LEAK SUMMARY:\n");
   out("   definitely lost: %'llu bytes in %'llu blocks\n",
       t->bytes[MSC_LEAK_DEFINITE], t->blocks[MSC_LEAK_DEFINITE]);
   out("   indirectly lost: %'llu bytes in %'llu blocks\n",
       t->bytes[MSC_LEAK_INDIRECT], t->blocks[MSC_LEAK_INDIRECT]);
   out("     possibly lost: %'llu bytes in %'llu blocks\n",
       t->bytes[MSC_LEAK_POSSIBLE], t->blocks[MSC_LEAK_POSSIBLE]);
   out("   still reachable: %'llu bytes in %'llu blocks\n",
       t->bytes[MSC_LEAK_REACHABLE], t->blocks[MSC_LEAK_REACHABLE]);
}
