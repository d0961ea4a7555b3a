/* msc_hb.c: vector clocks.  See msc_hb.h.  Runs on the host.

   Clocks are dense arrays indexed by thread number, grown on demand: a
   missing component is 0 (nothing of that thread seen).  A thread's own
   component starts at 1, so that its first epoch is never "seen" by a
   thread that has no edge from it. */

#include "msc_hb.h"
#include "pub_tool_wordfm.h"

typedef struct {
   UInt  n;          /* components held (the rest are 0) */
   UInt* c;
} VC;

static VC*     s_threads = NULL;     /* indexed by thread number */
static UInt    s_n_threads = 0;      /* entries of s_threads */
static WordFM* s_objects = NULL;     /* addr -> VC* */

void MSC_(hb_init) ( void )
{
   s_objects = VG_(newFM)(VG_(malloc), "msc.hb.objects", VG_(free), NULL);
}

static void vc_grow ( VC* vc, UInt n )
{
   UInt i, size = vc->n ? vc->n : 4;
   if (n <= vc->n)
      return;
   while (size < n)
      size *= 2;
   vc->c = VG_(realloc)("msc.hb.vc", vc->c, size * sizeof(UInt));
   for (i = vc->n; i < size; i++)
      vc->c[i] = 0;
   vc->n = size;
}

/* dst = max(dst, src), component-wise. */
static void vc_join ( VC* dst, const VC* src )
{
   UInt i, n = src->n;
   while (n > 0 && src->c[n - 1] == 0)
      n--;
   vc_grow(dst, n);
   for (i = 0; i < n; i++)
      if (src->c[i] > dst->c[i])
         dst->c[i] = src->c[i];
}

static VC* thread_vc ( UInt t )
{
   if (t >= s_n_threads) {
      UInt i, n = s_n_threads ? s_n_threads : 16;
      while (n <= t)
         n *= 2;
      s_threads = VG_(realloc)("msc.hb.threads", s_threads, n * sizeof(VC));
      for (i = s_n_threads; i < n; i++) {
         s_threads[i].n = 0;
         s_threads[i].c = NULL;
      }
      s_n_threads = n;
   }
   if (s_threads[t].n <= t) {
      vc_grow(&s_threads[t], t + 1);
      if (s_threads[t].c[t] == 0)
         s_threads[t].c[t] = 1;
   }
   return &s_threads[t];
}

static VC* object_vc ( Addr obj, Bool create )
{
   UWord key, val;
   VC* vc;
   if (VG_(lookupFM)(s_objects, &key, &val, obj))
      return (VC*)val;
   if (!create)
      return NULL;
   vc = VG_(calloc)("msc.hb.object", 1, sizeof(VC));
   VG_(addToFM)(s_objects, obj, (UWord)vc);
   return vc;
}

void MSC_(hb_thread_start) ( UInt parent, UInt child )
{
   /* Both entries exist before either is used: growing s_threads moves
      them. */
   thread_vc(parent);
   thread_vc(child);
   if (parent != 0 && parent != child) {
      vc_join(&s_threads[child], &s_threads[parent]);
      s_threads[parent].c[parent]++;
   }
   s_threads[child].c[child]++;
}

void MSC_(hb_thread_joined) ( UInt joiner, UInt joined )
{
   if (joined == 0 || joined == joiner)
      return;
   /* Both looked up before the join: growing s_threads moves entries. */
   thread_vc(joined);
   thread_vc(joiner);
   vc_join(&s_threads[joiner], &s_threads[joined]);
   /* Nobody needs the joined thread's clock any more: a program that runs
      thousands of short threads keeps only the live ones'. */
   MSC_(hb_thread_gone)(joined);
}

void MSC_(hb_thread_gone) ( UInt thread )
{
   if (thread == 0 || thread >= s_n_threads)
      return;
   VG_(free)(s_threads[thread].c);
   s_threads[thread].c = NULL;
   s_threads[thread].n = 0;
}

void MSC_(hb_release) ( UInt thread, Addr obj )
{
   VC* t = thread_vc(thread);
   vc_join(object_vc(obj, True), t);
   t->c[thread]++;
}

void MSC_(hb_acquire) ( UInt thread, Addr obj )
{
   VC* t = thread_vc(thread);
   const VC* o = object_vc(obj, False);
   if (o != NULL)
      vc_join(t, o);
}

void MSC_(hb_release_epoch) ( Addr obj, UInt thread, UInt clock )
{
   VC* o = object_vc(obj, True);
   vc_grow(o, thread + 1);
   if (o->c[thread] < clock)
      o->c[thread] = clock;
}

void MSC_(hb_forget) ( Addr obj )
{
   UWord key, val;
   if (VG_(delFromFM)(s_objects, &key, &val, obj)) {
      VC* vc = (VC*)val;
      if (vc->c != NULL)
         VG_(free)(vc->c);
      VG_(free)(vc);
   }
}

void MSC_(hb_forget_range) ( Addr lo, Addr hi )
{
   UWord key, val;
   Addr found[16];
   UInt n, i;
   /* Collect, then delete: the map may not change while iterated. */
   do {
      n = 0;
      VG_(initIterAtFM)(s_objects, lo);
      while (n < 16 && VG_(nextIterFM)(s_objects, &key, &val) && key < hi)
         found[n++] = key;
      VG_(doneIterFM)(s_objects);
      for (i = 0; i < n; i++)
         MSC_(hb_forget)(found[i]);
   } while (n == 16);
}

void MSC_(hb_tick) ( UInt thread )
{
   thread_vc(thread)->c[thread]++;
}

UInt MSC_(hb_now) ( UInt thread )
{
   return thread_vc(thread)->c[thread];
}

Bool MSC_(hb_ordered) ( UInt earlier, UInt clock, UInt thread )
{
   const VC* t;
   if (earlier == thread)
      return True;
   t = thread_vc(thread);
   return earlier < t->n && t->c[earlier] >= clock;
}
