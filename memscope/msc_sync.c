/* msc_sync.c: synchronisation objects and calls.  Runs on the host.
   See msc_sync.h.

   Times are the tool's deterministic clock (guest instructions): a wait
   lasts the instructions other threads ran while this one was blocked. */

#include "msc_sync.h"
#include "msc_clock.h"
#include "msc_elfdata.h"
#include "msc_findings.h"
#include "msc_log.h"
#include "msc_stacks.h"
#include "msc_syncev.h"
#include "msc_threads.h"
#include "msc_warn.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_vki.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_xarray.h"

/* A thread holding a lock. */
typedef struct {
   UInt  serial;
   UInt  depth;       /* > 1 for a recursive mutex locked again */
   Bool  writer;      /* rwlocks: held for writing */
   ULong since;       /* time of the outermost acquisition */
} Holder;

typedef struct {
   Addr    addr;
   UChar   kind;      /* MscSyncKind */
   UInt    subtype;   /* mutex type */
   /* Barriers: the count given at init (0: unknown), threads arrived in
      the current round, and the round's number. */
   UInt    barrier_count, barrier_arrived, barrier_round;
   HChar*  name;      /* from debug info, or NULL */
   XArray* holders;   /* of Holder; locks only, else NULL */
} SyncObj;

/* A call between its PRE and POST, per Valgrind ThreadId. */
typedef struct {
   UWord op;          /* as resolved at PRE */
   ULong began;
   ULong held_span;   /* releases: how long the lock was held */
   UWord arg;         /* joins: the joined thread's number */
   Bool  logged;      /* releases: the record was written at PRE */
   Addr  hb_key;      /* barrier waits: the round's happens-before key */
   Bool  joining;     /* joins: waiting for thread `arg` to end */
   UInt  flags;       /* MSC_SYNC_FLAG_* found at PRE */
} Pending;

/* A thread's pthread_once calls in progress, innermost last (an init
   routine may call pthread_once again). */
#define MSC_MAX_ONCE_DEPTH 8
typedef struct {
   UInt  n;
   Addr  ctl[MSC_MAX_ONCE_DEPTH];
   UWord routine[MSC_MAX_ONCE_DEPTH];
} OnceStack;

static WordFM*  s_objects = NULL;       /* addr -> SyncObj* */
static OnceStack* s_once = NULL;        /* VG_N_THREADS entries */
static Pending* s_pending = NULL;       /* VG_N_THREADS entries */
static ULong    s_calls = 0;
/* Set while a call announced by an annotation is handled: its object is
   the program's own, of a size the tool does not know. */
static Bool     s_annotated = False;

void MSC_(sync_init) ( void )
{
   s_objects = VG_(newFM)(VG_(malloc), "msc.sync.objects", VG_(free), NULL);
   s_pending = VG_(calloc)("msc.sync.pending", VG_N_THREADS,
                           sizeof(Pending));
   s_once = VG_(calloc)("msc.sync.once", VG_N_THREADS, sizeof(OnceStack));
   MSC_(findings_set_lock_namer)(MSC_(sync_lock_name));
}

/* The init routine is the program's code: while it runs, the thread is
   outside pthread_once as far as the library's atomics go. */
UWord MSC_(sync_once_run) ( ThreadId tid )
{
   OnceStack* st = &s_once[tid];
   if (st->n == 0)
      return 0;
   MSC_(syncev_primitive_leave)(tid);
   return st->routine[st->n - 1];
}

void MSC_(sync_once_done) ( ThreadId tid )
{
   OnceStack* st = &s_once[tid];
   if (st->n > 0) {
      MSC_(syncev_primitive_enter)(tid);
      MSC_(syncev_release)(tid, st->ctl[st->n - 1]);
   }
}

/* The lock at `lock` is held by nobody any more (destroyed or
   initialised again while held): it leaves every thread's held set. */
static void held_forget_everywhere ( Addr lock )
{
   ThreadId t;
   for (t = 1; t < VG_N_THREADS; t++)
      MSC_(syncev_lock_lost)(t, lock);
}

ULong MSC_(sync_calls) ( void )
{
   return s_calls;
}

Bool MSC_(sync_object_at) ( Addr addr )
{
   UWord key, val;
   return VG_(lookupFM)(s_objects, &key, &val, addr);
}

static SizeT object_size ( MscSyncKind kind );

Bool MSC_(sync_in_rwlock) ( Addr addr )
{
   UWord key, val, kMin, vMin, kMax, vMax;
   const SyncObj* o;
   if (VG_(lookupFM)(s_objects, &key, &val, addr)) {
      o = (const SyncObj*)val;
   } else {
      /* Not a key: the object starting below it, if any. */
      if (!VG_(findBoundsFM)(s_objects, &kMin, &vMin, &kMax, &vMax,
                             0, 0, ~0UL, 0, addr) || vMin == 0)
         return False;
      o = (const SyncObj*)vMin;
   }
   return o->kind == MSC_SYNC_KIND_RWLOCK
          && addr - o->addr < object_size(MSC_SYNC_KIND_RWLOCK);
}

const HChar* MSC_(sync_lock_name) ( Addr addr )
{
   UWord key, val;
   return VG_(lookupFM)(s_objects, &key, &val, addr)
          ? ((SyncObj*)val)->name : NULL;
}

/* The happens-before key of a rwlock's read holds: readers release into
   it and only writers acquire it, so that two readers are not ordered by
   the lock they share. */
static Addr readers_key ( Addr rwlock )
{
   return rwlock + 1;
}

static const HChar* kind_name ( MscSyncKind k )
{
   switch (k) {
   case MSC_SYNC_KIND_MUTEX:     return "mutex";
   case MSC_SYNC_KIND_RWLOCK:    return "rwlock";
   case MSC_SYNC_KIND_SPINLOCK:  return "spinlock";
   case MSC_SYNC_KIND_COND:      return "condition variable";
   case MSC_SYNC_KIND_SEMAPHORE: return "semaphore";
   case MSC_SYNC_KIND_BARRIER:   return "barrier";
   case MSC_SYNC_KIND_ONCE:      return "once control";
   default:                      return "thread";
   }
}

static Bool is_lock_kind ( MscSyncKind k )
{
   return k == MSC_SYNC_KIND_MUTEX || k == MSC_SYNC_KIND_RWLOCK
          || k == MSC_SYNC_KIND_SPINLOCK;
}

/* ---- the primitives --------------------------------------------------------- */

/* What a wrapped call does, as the rest of this module reads it.  Adding
   a primitive is one entry here (and its wrapper in msc_intercepts.c);
   the events each role speaks (msc_syncev.h) are in sync_pre and
   sync_post. */
#define R_INIT        0x0001  /* creates the object (a success: fresh) */
#define R_DESTROY     0x0002  /* ends it */
#define R_LOCK        0x0004  /* takes the lock when it succeeds */
#define R_TRY         0x0008  /* never waits: fails with EBUSY instead */
#define R_SHARED      0x0010  /* a read lock (rwlocks) */
#define R_UNLOCK      0x0020  /* gives the lock up (logged when it begins) */
#define R_POST        0x0040  /* releases into the object (logged when it
                                 begins: it may wake a waiter) */
#define R_SIGNAL      0x0080  /* releases into the object before it wakes
                                 the waiters */
#define R_WAIT        0x0100  /* acquires from the object when it
                                 succeeds */
#define R_COND_WAIT   0x0200  /* gives its mutex up, waits, takes it again */
#define R_BARRIER     0x0400  /* a barrier's arrival and departure */
#define R_ONCE        0x0800  /* pthread_once */
#define R_JOIN        0x1000  /* on a thread: orders its end before */
#define R_DETACH      0x2000  /* on a thread */
#define R_EXIT        0x4000  /* pthread_exit: never returns */
#define R_VALUE       0x8000  /* an init whose value is logged (count) */
#define R_TYPE       0x10000  /* an init whose value is the object's type */

typedef struct {
   UChar  kind;       /* MscSyncKind */
   UInt   roles;      /* R_* */
} Primitive;

#define MUTEX   MSC_SYNC_KIND_MUTEX
#define RWLOCK  MSC_SYNC_KIND_RWLOCK
#define SPIN    MSC_SYNC_KIND_SPINLOCK
#define COND    MSC_SYNC_KIND_COND
#define SEM     MSC_SYNC_KIND_SEMAPHORE
#define BARRIER MSC_SYNC_KIND_BARRIER
#define ONCE    MSC_SYNC_KIND_ONCE
#define THREAD  MSC_SYNC_KIND_THREAD
static const Primitive s_primitives[MSC_SYNC_EXIT + 1] = {
   [MSC_SYNC_MUTEX_INIT]          = { MUTEX,   R_INIT | R_TYPE },
   [MSC_SYNC_MUTEX_DESTROY]       = { MUTEX,   R_DESTROY },
   [MSC_SYNC_MUTEX_LOCK]          = { MUTEX,   R_LOCK },
   [MSC_SYNC_MUTEX_TRYLOCK]       = { MUTEX,   R_LOCK | R_TRY },
   [MSC_SYNC_MUTEX_TIMEDLOCK]     = { MUTEX,   R_LOCK },
   [MSC_SYNC_MUTEX_UNLOCK]        = { MUTEX,   R_UNLOCK },
   [MSC_SYNC_RWLOCK_INIT]         = { RWLOCK,  R_INIT },
   [MSC_SYNC_RWLOCK_DESTROY]      = { RWLOCK,  R_DESTROY },
   [MSC_SYNC_RWLOCK_RDLOCK]       = { RWLOCK,  R_LOCK | R_SHARED },
   [MSC_SYNC_RWLOCK_WRLOCK]       = { RWLOCK,  R_LOCK },
   [MSC_SYNC_RWLOCK_TRYRDLOCK]    = { RWLOCK,  R_LOCK | R_TRY | R_SHARED },
   [MSC_SYNC_RWLOCK_TRYWRLOCK]    = { RWLOCK,  R_LOCK | R_TRY },
   [MSC_SYNC_RWLOCK_TIMEDRDLOCK]  = { RWLOCK,  R_LOCK | R_SHARED },
   [MSC_SYNC_RWLOCK_TIMEDWRLOCK]  = { RWLOCK,  R_LOCK },
   [MSC_SYNC_RWLOCK_UNLOCK]       = { RWLOCK,  R_UNLOCK },
   [MSC_SYNC_SPIN_INIT]           = { SPIN,    R_INIT },
   [MSC_SYNC_SPIN_DESTROY]        = { SPIN,    R_DESTROY },
   [MSC_SYNC_SPIN_LOCK]           = { SPIN,    R_LOCK },
   [MSC_SYNC_SPIN_TRYLOCK]        = { SPIN,    R_LOCK | R_TRY },
   [MSC_SYNC_SPIN_UNLOCK]         = { SPIN,    R_UNLOCK },
   [MSC_SYNC_COND_INIT]           = { COND,    R_INIT },
   [MSC_SYNC_COND_DESTROY]        = { COND,    R_DESTROY },
   [MSC_SYNC_COND_WAIT]           = { COND,    R_COND_WAIT },
   [MSC_SYNC_COND_TIMEDWAIT]      = { COND,    R_COND_WAIT },
   [MSC_SYNC_COND_SIGNAL]         = { COND,    R_SIGNAL },
   [MSC_SYNC_COND_BROADCAST]      = { COND,    R_SIGNAL },
   [MSC_SYNC_SEM_INIT]            = { SEM,     R_INIT | R_VALUE },
   [MSC_SYNC_SEM_DESTROY]         = { SEM,     R_DESTROY },
   [MSC_SYNC_SEM_WAIT]            = { SEM,     R_WAIT },
   [MSC_SYNC_SEM_TRYWAIT]         = { SEM,     R_WAIT },
   [MSC_SYNC_SEM_TIMEDWAIT]       = { SEM,     R_WAIT },
   [MSC_SYNC_SEM_POST]            = { SEM,     R_POST },
   [MSC_SYNC_BARRIER_INIT]        = { BARRIER, R_INIT | R_VALUE },
   [MSC_SYNC_BARRIER_DESTROY]     = { BARRIER, R_DESTROY },
   [MSC_SYNC_BARRIER_WAIT]        = { BARRIER, R_BARRIER },
   [MSC_SYNC_ONCE]                = { ONCE,    R_ONCE },
   [MSC_SYNC_JOIN]                = { THREAD,  R_JOIN },
   [MSC_SYNC_DETACH]              = { THREAD,  R_DETACH },
   [MSC_SYNC_EXIT]                = { THREAD,  R_EXIT },
};
#undef MUTEX
#undef RWLOCK
#undef SPIN
#undef COND
#undef SEM
#undef BARRIER
#undef ONCE
#undef THREAD

/* Only ops up to MSC_SYNC_EXIT reach here (sync_pre and sync_post drop
   the others). */
static MscSyncKind kind_of ( UWord op )
{
   return s_primitives[op].kind;
}

static Bool has ( UWord op, UInt role )
{
   return (s_primitives[op].roles & role) != 0;
}

/* The size of each kind's object (glibc on amd64, the one platform the
   build accepts): the C library reads and writes inside it without the
   ordering the object itself gives, so its accesses there, inside the
   calls, are its business; the calls' uses of the object are the
   program's (syncev_object_used). */
static SizeT object_size ( MscSyncKind kind )
{
   switch (kind) {
   case MSC_SYNC_KIND_MUTEX:     return 40;
   case MSC_SYNC_KIND_RWLOCK:    return 56;
   case MSC_SYNC_KIND_COND:      return 48;
   case MSC_SYNC_KIND_SEMAPHORE: return 32;
   case MSC_SYNC_KIND_BARRIER:   return 32;
   case MSC_SYNC_KIND_SPINLOCK:
   case MSC_SYNC_KIND_ONCE:      return 4;
   default:                      return 0;
   }
}

static XArray* new_holders ( void )
{
   return VG_(newXA)(VG_(malloc), "msc.sync.holders", VG_(free),
                     sizeof(Holder));
}

/* The object at addr, announced in the log the first time it is seen
   (and again after a destroy or an init). */
static SyncObj* object ( ThreadId tid, Addr addr, MscSyncKind kind,
                         UInt subtype, Bool fresh )
{
   UWord key, val;
   SyncObj* o;
   UInt name_id = 0, stack;
   if (VG_(lookupFM)(s_objects, &key, &val, addr)) {
      o = (SyncObj*)val;
      if (!fresh && o->kind == kind) {
         /* Used again after a destroy, without an init: a program error,
            but it must find the lock's state, empty, not a NULL. */
         if (is_lock_kind(kind) && o->holders == NULL)
            o->holders = new_holders();
         return o;
      }
   } else {
      o = VG_(calloc)("msc.sync.object", 1, sizeof(SyncObj));
      o->addr = addr;
      VG_(addToFM)(s_objects, addr, (UWord)o);
   }
   if (object_size(kind) > 0 && !s_annotated)
      MSC_(syncev_object_bytes)(addr, object_size(kind), True);
   o->kind = kind;
   o->subtype = subtype;
   if (o->holders != NULL) {   /* re-initialised: nobody holds it */
      if (VG_(sizeXA)(o->holders) > 0)
         held_forget_everywhere(addr);
      VG_(deleteXA)(o->holders);
      o->holders = NULL;
   }
   if (is_lock_kind(kind))
      o->holders = new_holders();
   /* A lock inside a global gets the global's name; one in the heap or on
      a stack gets none (the report names it by address and site). */
   if (o->name == NULL) {
      HChar name[256];
      if (MSC_(elfdata_symbol_name)(addr, name, sizeof name))
         o->name = VG_(strdup)("msc.sync.name", name);
   }
   name_id = MSC_(log_intern)(o->name);
   stack = MSC_(stack_here)(tid);
   MSC_(rec_event)(MSC_REC_SYNC_OBJECT);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(kind);
   MSC_(rec_u)(addr);
   MSC_(rec_u)(name_id);
   MSC_(rec_u)(subtype);
   MSC_(rec_end)();
   return o;
}

/* A thread arrives at a barrier: it releases into the current round's
   key, which the round's waiters acquire when they return.  Rounds
   alternate between two keys: a thread returning from round r acquires
   round r's key, which the next round does not touch (its arrivals use
   the other key) and the round after cannot start before every thread
   has left round r.  Without the count (an annotated barrier), one key:
   a fast thread's next arrival may then order a slow one. */
static Addr barrier_arrive ( ThreadId tid, SyncObj* o )
{
   Addr key = o->addr + 2 + (o->barrier_round & 1);
   if (o->barrier_count == 0) {
      MSC_(syncev_release)(tid, o->addr);
      return o->addr;
   }
   if (o->barrier_arrived == 0)
      MSC_(syncev_forget)(key);
   MSC_(syncev_release)(tid, key);
   if (++o->barrier_arrived >= o->barrier_count) {
      o->barrier_arrived = 0;
      o->barrier_round++;
   }
   return key;
}

static Holder* holder_of ( SyncObj* o, UInt serial )
{
   Word i, n = VG_(sizeXA)(o->holders);
   for (i = 0; i < n; i++) {
      Holder* h = VG_(indexXA)(o->holders, i);
      if (h->serial == serial)
         return h;
   }
   return NULL;
}

static void drop_holder ( SyncObj* o, Holder* h )
{
   Word i, n = VG_(sizeXA)(o->holders);
   for (i = 0; i < n; i++) {
      if (VG_(indexXA)(o->holders, i) == (void*)h) {
         VG_(removeIndexXA)(o->holders, i);
         return;
      }
   }
}

/* Whether another thread holds `o` in a way that makes `op` wait. */
static Bool held_against ( SyncObj* o, UInt serial, UWord op )
{
   Word i, n = VG_(sizeXA)(o->holders);
   for (i = 0; i < n; i++) {
      Holder* h = VG_(indexXA)(o->holders, i);
      if (h->serial == serial)
         continue;
      if (!has(op, R_SHARED) || h->writer)
         return True;
   }
   return False;
}

/* `stack`: the log id of the acquiring call's stack. */
static void acquire ( ThreadId tid, SyncObj* o, UInt serial, UWord op,
                      UInt stack )
{
   Holder* h = holder_of(o, serial);
   if (has(op, R_SHARED)) {
      MSC_(syncev_acquire_shared)(tid, o->addr);
   } else {
      MSC_(syncev_acquire)(tid, o->addr);
      if (o->kind == MSC_SYNC_KIND_RWLOCK)
         MSC_(syncev_acquire)(tid, readers_key(o->addr));
   }
   if (h != NULL) {           /* a recursive mutex, or a second read lock */
      h->depth++;
      return;
   }
   Holder fresh = { serial, 1, !has(op, R_SHARED), MSC_(clock_now)() };
   VG_(addToXA)(o->holders, &fresh);
   MSC_(syncev_lock_taken)(tid, o->addr, stack, has(op, R_TRY));
}

/* Releases `serial`'s hold; returns the hold span, or sets NOT_HELD. */
static ULong release ( ThreadId tid, SyncObj* o, UInt serial, UInt* flags )
{
   Holder* h = holder_of(o, serial);
   ULong span;
   if (h == NULL) {
      *flags |= MSC_SYNC_FLAG_NOT_HELD;
      /* Still a release for the ordering: a lock taken behind the
         wrappers' back (an annotated one) is released here. */
      MSC_(syncev_release)(tid, o->addr);
      return 0;
   }
   if (o->kind == MSC_SYNC_KIND_RWLOCK && !h->writer) {
      MSC_(syncev_release)(tid, readers_key(o->addr));
      MSC_(syncev_shared_end)(tid);
   } else {
      MSC_(syncev_release)(tid, o->addr);
   }
   span = MSC_(clock_now)() - h->since;
   if (--h->depth == 0) {
      drop_holder(o, h);
      MSC_(syncev_lock_given_up)(tid, o->addr);
   }
   return span;
}

static void log_sync ( ThreadId tid, UInt stack, UWord op, Addr addr,
                       UWord result, ULong span, UInt flags, UWord arg )
{
   MSC_(rec_event)(MSC_REC_SYNC);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_u)(stack);
   MSC_(rec_u)(op);
   MSC_(rec_u)(addr);
   MSC_(rec_u)(result);
   MSC_(rec_u)(span);
   MSC_(rec_u)(flags);
   MSC_(rec_u)(arg);
   MSC_(rec_end)();
   if (!(flags & MSC_SYNC_FLAG_BEGIN))
      s_calls++;
}

static void warn_misuse ( ThreadId tid, const HChar* what, SyncObj* o )
{
   MSC_(warn)(tid, "thread %u: %s %s %#lx%s%s", MSC_(thread_serial)(tid),
              what, kind_name(o->kind), o->addr, o->name ? " " : "",
              o->name ? o->name : "");
}

/* glibc implements pthread_spin_init and pthread_spin_unlock as one
   function (both store 0), so one wrapper serves both names and its op
   may be either: a thread that holds the lock is unlocking it. */
static UWord resolve_spin_op ( UWord op, Addr obj, UInt serial )
{
   UWord key, val;
   if (op != MSC_SYNC_SPIN_INIT && op != MSC_SYNC_SPIN_UNLOCK)
      return op;
   if (VG_(lookupFM)(s_objects, &key, &val, obj)
       && ((SyncObj*)val)->holders != NULL
       && holder_of((SyncObj*)val, serial) != NULL)
      return MSC_SYNC_SPIN_UNLOCK;
   return MSC_SYNC_SPIN_INIT;
}

void MSC_(sync_pre) ( ThreadId tid, UWord op, Addr obj, UWord other )
{
   Pending* p = &s_pending[tid];
   UInt serial = MSC_(thread_serial)(tid);
   MscSyncKind kind;
   SyncObj* o;
   if (op > MSC_SYNC_EXIT)
      return;
   MSC_(syncev_primitive_enter)(tid);
   op = resolve_spin_op(op, obj, serial);
   p->op = op;
   p->logged = False;
   p->began = MSC_(clock_now)();
   p->held_span = 0;
   p->flags = 0;
   if (has(op, R_EXIT)) {              /* pthread_exit never returns */
      log_sync(tid, MSC_(stack_here)(tid), op, 0, 0, 0, 0, 0);
      return;
   }
   kind = kind_of(op);
   if (has(op, R_JOIN | R_DETACH))
      p->arg = MSC_(thread_serial_of_handle)(other);
   /* A join orders the thread's end before the joiner from the moment
      the thread has ended, not from the join's return: glibc frees the
      ended thread's stack-cache entries and thread-local storage inside
      pthread_join, before it returns.  Taken now when the thread has
      ended already, else at its end (sync_thread_exit). */
   p->joining = False;
   if (has(op, R_JOIN) && p->arg != 0) {
      if (MSC_(threads_ended)((UInt)p->arg))
         MSC_(syncev_thread_joined)(tid, (UInt)p->arg);
      else
         p->joining = True;
   }
   /* The call's use of the object's bytes, before anything it releases:
      a thread's last use is ordered by its own release, and the next
      thread that destroys or frees the object after acquiring it is
      ordered after that use.  An init makes them the object's now. */
   if (kind != MSC_SYNC_KIND_THREAD && object_size(kind) > 0 && obj != 0
       && !s_annotated) {
      if (has(op, R_INIT))
         MSC_(syncev_object_bytes)(obj, object_size(kind), True);
      MSC_(syncev_object_used)(tid, obj, object_size(kind),
                               has(op, R_INIT | R_DESTROY));
      if (has(op, R_COND_WAIT) && other != 0)       /* it unlocks it */
         MSC_(syncev_object_used)(tid, other,
                                  object_size(MSC_SYNC_KIND_MUTEX), False);
   }
   if (has(op, R_ONCE) && s_once[tid].n < MSC_MAX_ONCE_DEPTH) {
      s_once[tid].ctl[s_once[tid].n] = obj;
      s_once[tid].routine[s_once[tid].n] = other;
      s_once[tid].n++;
   }
   if (kind == MSC_SYNC_KIND_THREAD || has(op, R_INIT))
      return;
   o = object(tid, obj, kind, 0, False);
   if (has(op, R_DESTROY)) {
      if (o->holders != NULL && VG_(sizeXA)(o->holders) > 0) {
         p->flags |= MSC_SYNC_FLAG_HELD;
         warn_misuse(tid, "destroys a held", o);
      }
   } else if (has(op, R_UNLOCK)) {
      p->held_span = release(tid, o, serial, &p->flags);
      if (p->flags & MSC_SYNC_FLAG_NOT_HELD)
         warn_misuse(tid, "unlocks a not held", o);
      /* Logged now, before the original wakes a waiter whose acquisition
         could otherwise reach the log first.  Its result is not known
         yet: 0 in the record; NOT_HELD says when it was a misuse. */
      log_sync(tid, MSC_(stack_here)(tid), op, obj, 0, p->held_span,
               p->flags, 0);
      p->logged = True;
   } else if (has(op, R_POST)) {
      MSC_(syncev_release)(tid, obj);
      log_sync(tid, MSC_(stack_here)(tid), op, obj, 0, 0, 0, 0);
      p->logged = True;
   } else if (has(op, R_BARRIER)) {
      p->hb_key = barrier_arrive(tid, o);
   } else if (has(op, R_SIGNAL)) {
      /* Before the original: it wakes the threads that acquire this. */
      MSC_(syncev_release)(tid, obj);
   } else if (has(op, R_LOCK) && !has(op, R_TRY)) {
      if (held_against(o, serial, op))
         p->flags |= MSC_SYNC_FLAG_CONTENDED;
   } else if (has(op, R_COND_WAIT)) {
      /* The wait releases the mutex until it returns: logged now, so
         that a reader sees the mutex free while this thread waits. */
      SyncObj* m = object(tid, other, MSC_SYNC_KIND_MUTEX, 0, False);
      UInt flags = MSC_SYNC_FLAG_BEGIN;
      ULong held = release(tid, m, serial, &flags);
      log_sync(tid, MSC_(stack_here)(tid), op, obj, 0, held, flags, other);
   }
}

void MSC_(sync_post) ( ThreadId tid, UWord op, Addr obj, UWord result,
                       UWord value )
{
   Pending* p = &s_pending[tid];
   UInt serial = MSC_(thread_serial)(tid);
   MscSyncKind kind;
   SyncObj* o = NULL;
   ULong span;
   UWord arg = 0;
   UInt stack;
   if (op > MSC_SYNC_EXIT)
      return;
   MSC_(syncev_primitive_leave)(tid);
   if (op == MSC_SYNC_SPIN_INIT || op == MSC_SYNC_SPIN_UNLOCK)
      op = p->op;                      /* as resolved at PRE */
   kind = kind_of(op);
   span = MSC_(clock_now)() - p->began;
   /* The stack is taken before the state changes: the lock-order graph
      keeps it for the acquisitions. */
   stack = p->logged ? 0 : MSC_(stack_here)(tid);
   if ((has(op, R_INIT) || has(op, R_DESTROY)) && result == 0) {
      /* A new object at the address has no history. */
      MSC_(syncev_forget)(obj);
      MSC_(syncev_forget)(readers_key(obj));
      MSC_(syncev_lock_gone)(obj);
   }
   if (has(op, R_INIT) && result == 0) {
      o = object(tid, obj, kind, has(op, R_TYPE) ? value : 0, True);
      arg = has(op, R_TYPE) ? 0 : value;
   } else if (kind != MSC_SYNC_KIND_THREAD) {
      o = object(tid, obj, kind, 0, False);
   }
   if (has(op, R_LOCK)) {
      if (result == 0)
         acquire(tid, o, serial, op, stack);
      else if (has(op, R_TRY) && result == VKI_EBUSY)
         p->flags |= MSC_SYNC_FLAG_CONTENDED;
   } else if (has(op, R_UNLOCK)) {
      span = p->held_span;
   } else if (has(op, R_COND_WAIT)) {
      /* Returns holding the mutex again, even on a timeout or when
         cancelled (glibc takes it before the cleanup handlers run); a
         signal or broadcast before a return that was woken happens
         before it (a wait that timed out or was cancelled was not). */
      if (result == 0)
         MSC_(syncev_acquire)(tid, obj);
      acquire(tid, object(tid, value, MSC_SYNC_KIND_MUTEX, 0, False), serial,
              MSC_SYNC_MUTEX_LOCK, stack);
      arg = value;
   } else if (has(op, R_JOIN)) {
      arg = p->arg;       /* resolved at PRE: the thread is gone now */
      p->joining = False;
      /* (A join that failed after its thread ended, a wrong thread's or
         a timed one just too early, keeps the order it took: the end
         did come before.) */
      if (result == 0)
         MSC_(syncev_thread_joined)(tid, (UInt)p->arg);
   } else if (has(op, R_DETACH)) {
      /* A thread that detached after its end is gone now; one that ends
         later goes at its exit (msc_main). */
      if (result == 0 && MSC_(threads_detached)((UInt)p->arg))
         MSC_(syncev_thread_gone)((UInt)p->arg);
   } else if (has(op, R_ONCE) && s_once[tid].n > 0
              && s_once[tid].ctl[s_once[tid].n - 1] == obj) {
      /* Cancelled, the routine did not finish: nothing to see of it. */
      s_once[tid].n--;
      if (result != MSC_ECANCELED)
         MSC_(syncev_acquire)(tid, obj);
   } else if (has(op, R_BARRIER)) {
      MSC_(syncev_acquire)(tid, p->hb_key);
   } else if (has(op, R_WAIT) && result == 0) {
      MSC_(syncev_acquire)(tid, obj);
   } else if (has(op, R_VALUE)) {
      arg = value;
      if (kind == MSC_SYNC_KIND_BARRIER && o != NULL) {
         o->barrier_count = value;
         o->barrier_arrived = 0;
         o->barrier_round = 0;
      }
   }
   if (has(op, R_DESTROY) && result == 0 && object_size(kind) > 0
       && !s_annotated)
      MSC_(syncev_object_bytes)(obj, object_size(kind), False);
   if (has(op, R_DESTROY) && result == 0 && o != NULL && o->holders != NULL) {
      if (VG_(sizeXA)(o->holders) > 0)
         held_forget_everywhere(obj);
      VG_(deleteXA)(o->holders);
      o->holders = NULL;
   }
   if (p->logged)
      return;
   log_sync(tid, stack, op, kind == MSC_SYNC_KIND_THREAD ? 0 : obj, result,
            span, p->flags, arg);
}

void MSC_(sync_annotated) ( ThreadId tid, UWord op, Addr obj, UWord value )
{
   s_annotated = True;
   MSC_(sync_pre)(tid, op, obj, 0);
   MSC_(sync_post)(tid, op, obj, 0, value);
   s_annotated = False;
}

void MSC_(sync_thread_exit) ( ThreadId tid )
{
   UInt serial = MSC_(thread_serial)(tid);
   UWord key, val;
   ThreadId t;
   /* Threads blocked joining this one are ordered after its end now
      (see sync_pre). */
   for (t = 1; t < VG_N_THREADS; t++)
      if (s_pending[t].joining && s_pending[t].arg == serial && t != tid) {
         s_pending[t].joining = False;
         MSC_(syncev_thread_joined)(t, serial);
      }
   VG_(initIterFM)(s_objects);
   while (VG_(nextIterFM)(s_objects, &key, &val)) {
      SyncObj* o = (SyncObj*)val;
      Holder* h;
      if (o->holders == NULL || (h = holder_of(o, serial)) == NULL)
         continue;
      log_sync(tid, 0, MSC_SYNC_EXIT_HOLDING, o->addr, 0,
               MSC_(clock_now)() - h->since, 0, 0);
      drop_holder(o, h);
      MSC_(syncev_lock_lost)(tid, o->addr);
      warn_misuse(tid, "exits holding a", o);
   }
   VG_(doneIterFM)(s_objects);
   /* Whatever is left (a lock freed while held) must not pass to the
      next thread in this slot. */
   MSC_(syncev_all_locks_lost)(tid);
}
