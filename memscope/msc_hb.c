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

/* A thread's clock, and while it holds read locks (shared holds), the
   clock its writes are checked with: the clock as it was before its
   first shared acquire, joined with what every other acquire brought
   since.  A write under a read lock is then not ordered after the last
   writer's critical section by that lock (other readers could be
   inside with it: the lock does not protect it), while its reads are. */
typedef struct {
   VC    vc;
   VC*   writes;     /* NULL: writes use vc */
   UInt  shared;     /* shared holds not yet ended */
   VC*   library;    /* what the C library's stream locks brought (see
                        MSC_(hb_acquire_library)); NULL: nothing yet */
} ThreadClock;

static ThreadClock* s_threads = NULL; /* indexed by thread number */
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
      s_threads = VG_(realloc)("msc.hb.threads", s_threads,
                               n * sizeof(ThreadClock));
      for (i = s_n_threads; i < n; i++) {
         s_threads[i].vc.n = 0;
         s_threads[i].vc.c = NULL;
         s_threads[i].writes = NULL;
         s_threads[i].shared = 0;
         s_threads[i].library = NULL;
      }
      s_n_threads = n;
   }
   if (s_threads[t].vc.n <= t) {
      vc_grow(&s_threads[t].vc, t + 1);
      if (s_threads[t].vc.c[t] == 0)
         s_threads[t].vc.c[t] = 1;
   }
   return &s_threads[t].vc;
}

/* Joins `src` into thread t's clock, and into its writes' clock if it
   has one (every acquire but a shared one). */
static void thread_join ( UInt t, const VC* src )
{
   vc_join(thread_vc(t), src);
   if (s_threads[t].writes != NULL)
      vc_join(s_threads[t].writes, src);
}

/* Thread t's library view (made empty at its first use).  It holds only
   what the stream locks brought; the thread's own clock is joined in
   where it is read (MSC_(hb_ordered_library)). */
static VC* library_vc ( UInt t )
{
   thread_vc(t);
   if (s_threads[t].library == NULL)
      s_threads[t].library = VG_(calloc)("msc.hb.library", 1, sizeof(VC));
   return s_threads[t].library;
}

/* An object's clock and, once a thread in a shared hold released into
   it, the clock a later acquire gives to writes: the releaser's writes'
   clock, so that what a read lock ordered for reads only does not come
   back to the reader's writes through its own release (glibc's stdout
   lock, taken and released by a printf under the read lock). */
typedef struct {
   VC  vc;
   VC* writes;       /* NULL: vc */
} ObjectClock;

static ObjectClock* object_clock ( Addr obj, Bool create )
{
   UWord key, val;
   ObjectClock* o;
   if (VG_(lookupFM)(s_objects, &key, &val, obj))
      return (ObjectClock*)val;
   if (!create)
      return NULL;
   o = VG_(calloc)("msc.hb.object", 1, sizeof(ObjectClock));
   VG_(addToFM)(s_objects, obj, (UWord)o);
   return o;
}

static void vc_free ( VC* vc )
{
   if (vc->c != NULL)
      VG_(free)(vc->c);
   VG_(free)(vc);
}

void MSC_(hb_thread_start) ( UInt parent, UInt child )
{
   /* Both entries exist before either is used: growing s_threads moves
      them. */
   thread_vc(parent);
   thread_vc(child);
   if (parent != 0 && parent != child) {
      vc_join(&s_threads[child].vc, &s_threads[parent].vc);
      if (s_threads[parent].library != NULL)
         vc_join(library_vc(child), s_threads[parent].library);
      s_threads[parent].vc.c[parent]++;
   }
   s_threads[child].vc.c[child]++;
}

void MSC_(hb_thread_joined) ( UInt joiner, UInt joined )
{
   if (joined == 0 || joined == joiner)
      return;
   /* Both looked up before the join: growing s_threads moves entries. */
   thread_vc(joined);
   thread_vc(joiner);
   thread_join(joiner, &s_threads[joined].vc);
   if (s_threads[joined].library != NULL)
      vc_join(library_vc(joiner), s_threads[joined].library);
   /* Nobody needs the joined thread's clock any more: a program that runs
      thousands of short threads keeps only the live ones'. */
   MSC_(hb_thread_gone)(joined);
}

static void drop_writes ( ThreadClock* tc )
{
   if (tc->writes != NULL) {
      vc_free(tc->writes);
      tc->writes = NULL;
   }
   tc->shared = 0;
}

void MSC_(hb_thread_gone) ( UInt thread )
{
   if (thread == 0 || thread >= s_n_threads)
      return;
   VG_(free)(s_threads[thread].vc.c);
   s_threads[thread].vc.c = NULL;
   s_threads[thread].vc.n = 0;
   drop_writes(&s_threads[thread]);
   if (s_threads[thread].library != NULL) {
      vc_free(s_threads[thread].library);
      s_threads[thread].library = NULL;
   }
}

void MSC_(hb_release) ( UInt thread, Addr obj )
{
   VC* t = thread_vc(thread);
   const VC* tw = s_threads[thread].writes;
   ObjectClock* o = object_clock(obj, True);
   if (o->writes == NULL && tw != NULL) {
      o->writes = VG_(calloc)("msc.hb.writes", 1, sizeof(VC));
      vc_join(o->writes, &o->vc);
   }
   vc_join(&o->vc, t);
   if (o->writes != NULL)
      vc_join(o->writes, tw != NULL ? tw : t);
   t->c[thread]++;
}

void MSC_(hb_acquire) ( UInt thread, Addr obj )
{
   const ObjectClock* o = object_clock(obj, False);
   VC* tw;
   if (o == NULL)
      return;
   vc_join(thread_vc(thread), &o->vc);
   tw = s_threads[thread].writes;
   if (tw != NULL)
      vc_join(tw, o->writes != NULL ? o->writes : &o->vc);
}

void MSC_(hb_acquire_shared) ( UInt thread, Addr obj )
{
   VC* t = thread_vc(thread);
   const ObjectClock* o = object_clock(obj, False);
   ThreadClock* tc = &s_threads[thread];
   if (tc->writes == NULL) {
      tc->writes = VG_(calloc)("msc.hb.writes", 1, sizeof(VC));
      vc_join(tc->writes, t);
   }
   tc->shared++;
   if (o != NULL)
      vc_join(t, &o->vc);
}

void MSC_(hb_shared_end) ( UInt thread )
{
   ThreadClock* tc;
   if (thread >= s_n_threads)
      return;
   tc = &s_threads[thread];
   if (tc->shared > 0 && --tc->shared == 0)
      drop_writes(tc);
}

void MSC_(hb_release_epoch) ( Addr obj, UInt thread, UInt clock )
{
   ObjectClock* o = object_clock(obj, True);
   VC* v[2] = { &o->vc, o->writes };
   UInt i;
   for (i = 0; i < 2 && v[i] != NULL; i++) {
      vc_grow(v[i], thread + 1);
      if (v[i]->c[thread] < clock)
         v[i]->c[thread] = clock;
   }
}

void MSC_(hb_forget) ( Addr obj )
{
   UWord key, val;
   if (VG_(delFromFM)(s_objects, &key, &val, obj)) {
      ObjectClock* o = (ObjectClock*)val;
      if (o->writes != NULL)
         vc_free(o->writes);
      if (o->vc.c != NULL)
         VG_(free)(o->vc.c);
      VG_(free)(o);
   }
}

void MSC_(hb_forget_range) ( Addr lo, Addr hi )
{
   UWord key, val;
   UWord next_key = 0;
   Addr found[16];
   UInt n, i;
   /* Most freed blocks hold no synchronisation object: one descent says
      so (the key above lo is at hi or beyond), without an iterator. */
   if (VG_(findBoundsFM)(s_objects, NULL, NULL, &next_key, NULL,
                         0, 0, ~(UWord)0, 0, lo)
       && next_key >= hi)
      return;
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

Bool MSC_(hb_ordered_writes) ( UInt earlier, UInt clock, UInt thread )
{
   const VC* w;
   if (earlier == thread)
      return True;
   thread_vc(thread);
   w = s_threads[thread].writes;
   if (w == NULL)
      return MSC_(hb_ordered)(earlier, clock, thread);
   return earlier < w->n && w->c[earlier] >= clock;
}

void MSC_(hb_release_library) ( UInt thread, Addr obj )
{
   ObjectClock* o;
   thread_vc(thread);
   o = object_clock(obj, True);
   if (s_threads[thread].library != NULL) {
      vc_join(&o->vc, s_threads[thread].library);
      if (o->writes != NULL)
         vc_join(o->writes, s_threads[thread].library);
   }
   MSC_(hb_release)(thread, obj);
}

void MSC_(hb_acquire_library) ( UInt thread, Addr obj )
{
   const ObjectClock* o = object_clock(obj, False);
   if (o != NULL)
      vc_join(library_vc(thread), &o->vc);
}

Bool MSC_(hb_ordered_library) ( UInt earlier, UInt clock, UInt thread )
{
   const VC* l;
   if (MSC_(hb_ordered)(earlier, clock, thread))
      return True;
   if (thread >= s_n_threads || (l = s_threads[thread].library) == NULL)
      return False;
   return earlier < l->n && l->c[earlier] >= clock;
}
