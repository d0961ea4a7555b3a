/* msc_lockorder.c: the lock-order graph.  See msc_lockorder.h.  Runs on
   the host.  Edges are few (pairs of locks a program nests), so each node
   keeps its out-edges in an XArray and a search marks nodes with a
   generation number instead of clearing a visited set.  Each node also
   keeps the locks with edges into it: a lock nothing leads to closes no
   cycle (no search: a chain of hand-over-hand locks would otherwise cost
   a walk down the chain at every step), and a lock that goes takes its
   edges with it without a walk over the whole graph. */

#include "msc_lockorder.h"
#include "msc_findings.h"
#include "msc_log.h"
#include "msc_stacks.h"
#include "msc_threads.h"
#include "pub_tool_execontext.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_xarray.h"

typedef struct {
   Addr to;
   UInt first_stack;     /* where the source lock was acquired */
   UInt second_stack;    /* where `to` was then acquired */
} Edge;

typedef struct {
   Addr    lock;
   XArray* out;          /* of Edge */
   XArray* in;           /* of Addr: the locks with an edge to this one */
   UInt    seen;         /* search generation */
} Node;

/* A lock a thread holds and where it took it. */
#define MAX_HELD 16
typedef struct {
   UInt n;
   Addr lock[MAX_HELD];
   UInt stack[MAX_HELD];
} Held;

static WordFM* s_nodes = NULL;       /* lock -> Node* */
static Held*   s_held = NULL;        /* per ThreadId */
static WordFM* s_reported = NULL;    /* (lo lock, hi lock) pair key -> 1 */
static UInt    s_generation = 0;

typedef struct {
   Addr a, b;
} LockPair;

static Word cmp_lock_pairs ( UWord x, UWord y )
{
   const LockPair* p = (const LockPair*)x;
   const LockPair* q = (const LockPair*)y;
   if (p->a != q->a)
      return p->a < q->a ? -1 : 1;
   if (p->b != q->b)
      return p->b < q->b ? -1 : 1;
   return 0;
}

void MSC_(lockorder_init) ( void )
{
   s_nodes = VG_(newFM)(VG_(malloc), "msc.lockorder.nodes", VG_(free), NULL);
   s_held = VG_(calloc)("msc.lockorder.held", VG_N_THREADS, sizeof(Held));
   s_reported = VG_(newFM)(VG_(malloc), "msc.lockorder.reported", VG_(free),
                           cmp_lock_pairs);
}

static Node* node ( Addr lock, Bool create )
{
   UWord key, val;
   Node* n;
   if (VG_(lookupFM)(s_nodes, &key, &val, lock))
      return (Node*)val;
   if (!create)
      return NULL;
   n = VG_(calloc)("msc.lockorder.node", 1, sizeof(Node));
   n->lock = lock;
   n->out = VG_(newXA)(VG_(malloc), "msc.lockorder.edges", VG_(free),
                       sizeof(Edge));
   n->in = VG_(newXA)(VG_(malloc), "msc.lockorder.sources", VG_(free),
                      sizeof(Addr));
   VG_(addToFM)(s_nodes, lock, (UWord)n);
   return n;
}

static Edge* edge ( Node* from, Addr to )
{
   Word i, n = VG_(sizeXA)(from->out);
   for (i = 0; i < n; i++) {
      Edge* e = VG_(indexXA)(from->out, i);
      if (e->to == to)
         return e;
   }
   return NULL;
}

/* Whether `target` is reachable from `from`: an iterative search (a
   chain of hand-over-hand locks can be long), nodes marked with the
   current generation. */
static XArray* s_search = NULL;          /* of Node*: the search's stack */

static Bool reaches ( Node* from, Addr target )
{
   Bool found = False;
   if (s_search == NULL)
      s_search = VG_(newXA)(VG_(malloc), "msc.lockorder.search", VG_(free),
                            sizeof(Node*));
   VG_(dropTailXA)(s_search, VG_(sizeXA)(s_search));
   VG_(addToXA)(s_search, &from);
   while (!found && VG_(sizeXA)(s_search) > 0) {
      Node* n = *(Node**)VG_(indexXA)(s_search, VG_(sizeXA)(s_search) - 1);
      Word i, m;
      VG_(dropTailXA)(s_search, 1);
      if (n->seen == s_generation)
         continue;
      n->seen = s_generation;
      m = VG_(sizeXA)(n->out);
      for (i = 0; i < m; i++) {
         const Edge* e = VG_(indexXA)(n->out, i);
         Node* next;
         if (e->to == target) {
            found = True;
            break;
         }
         next = node(e->to, False);
         if (next != NULL && next->seen != s_generation)
            VG_(addToXA)(s_search, &next);
      }
   }
   return found;
}

/* The first edge of a path from `from` to `target` (the direct edge when
   there is one), NULL when there is no path. */
static const Edge* path_start ( Node* from, Addr target )
{
   Word i, n = VG_(sizeXA)(from->out);
   const Edge* direct = edge(from, target);
   if (direct != NULL)
      return direct;
   s_generation++;
   from->seen = s_generation;
   for (i = 0; i < n; i++) {
      const Edge* e = VG_(indexXA)(from->out, i);
      Node* next = node(e->to, False);
      if (next != NULL && reaches(next, target))
         return e;
   }
   return NULL;
}

/* Reports `lock` acquired while holding `held` (held_stack) when the graph
   already orders `lock` before `held`. */
static void check_order ( ThreadId tid, Addr lock, Addr held, UInt held_stack )
{
   Node* from = node(lock, False);
   Node* to = node(held, False);
   const Edge* via;
   LockPair key = { lock < held ? lock : held, lock < held ? held : lock };
   ExeContext* where;
   UInt stack;
   if (from == NULL || to == NULL || VG_(sizeXA)(to->in) == 0
       || VG_(sizeXA)(from->out) == 0
       || (via = path_start(from, held)) == NULL)
      return;
   if (VG_(lookupFM)(s_reported, NULL, NULL, (UWord)&key))
      return;
   {
      LockPair* stored = VG_(malloc)("msc.lockorder.reported",
                                     sizeof(LockPair));
      *stored = key;
      VG_(addToFM)(s_reported, (UWord)stored, 1);
   }
   where = VG_(record_ExeContext)(tid, 0);
   if (!MSC_(finding_lock_order)(tid, where, lock, held, held_stack, via->to,
                                 via->first_stack, via->second_stack))
      return;                                  /* suppressed */
   stack = MSC_(stack_id)(where);
   MSC_(rec_event)(MSC_REC_LOCK_ORDER);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(lock);
   MSC_(rec_u)(held);
   MSC_(rec_u)(held_stack);
   MSC_(rec_u)(via->first_stack);
   MSC_(rec_u)(via->second_stack);
   MSC_(rec_end)();
}

void MSC_(lockorder_acquired) ( ThreadId tid, Addr lock, UInt stack,
                                Bool is_try )
{
   Held* h = &s_held[tid];
   UInt i;
   for (i = 0; i < h->n; i++)
      if (h->lock[i] == lock)
         return;                     /* a recursive or second read hold */
   for (i = 0; i < h->n; i++) {
      Node* from;
      if (!is_try)
         check_order(tid, lock, h->lock[i], h->stack[i]);
      from = node(h->lock[i], True);
      if (edge(from, lock) == NULL) {
         Edge e = { lock, h->stack[i], stack };
         VG_(addToXA)(from->out, &e);
         VG_(addToXA)(node(lock, True)->in, &from->lock);
      }
   }
   node(lock, True);
   if (h->n < MAX_HELD) {
      h->lock[h->n] = lock;
      h->stack[h->n] = stack;
      h->n++;
   }
}

void MSC_(lockorder_released) ( ThreadId tid, Addr lock )
{
   Held* h = &s_held[tid];
   UInt i;
   for (i = 0; i < h->n; i++)
      if (h->lock[i] == lock) {
         h->n--;
         h->lock[i] = h->lock[h->n];
         h->stack[i] = h->stack[h->n];
         return;
      }
}

/* Removes the first `value` from xa, an XArray of elements of szB. */
static void remove_value ( XArray* xa, const void* value, SizeT szB )
{
   Word i, n = VG_(sizeXA)(xa);
   for (i = 0; i < n; i++)
      if (VG_(memcmp)(VG_(indexXA)(xa, i), value, szB) == 0) {
         VG_(removeIndexXA)(xa, i);
         return;
      }
}

void MSC_(lockorder_forget) ( Addr lock )
{
   UWord key, val;
   Node* n;
   Word i;
   if (!VG_(delFromFM)(s_nodes, &key, &val, lock))
      return;
   n = (Node*)val;
   /* Edges into it go too (a new lock at this address is another lock),
      and it leaves the sources of the locks it led to. */
   for (i = 0; i < VG_(sizeXA)(n->in); i++) {
      Node* src = node(*(Addr*)VG_(indexXA)(n->in, i), False);
      Word j;
      if (src == NULL)
         continue;
      for (j = VG_(sizeXA)(src->out) - 1; j >= 0; j--)
         if (((Edge*)VG_(indexXA)(src->out, j))->to == lock)
            VG_(removeIndexXA)(src->out, j);
   }
   for (i = 0; i < VG_(sizeXA)(n->out); i++) {
      Node* dst = node(((Edge*)VG_(indexXA)(n->out, i))->to, False);
      if (dst != NULL)
         remove_value(dst->in, &lock, sizeof lock);
   }
   VG_(deleteXA)(n->out);
   VG_(deleteXA)(n->in);
   VG_(free)(n);
}
