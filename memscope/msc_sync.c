/* msc_sync.c: synchronisation objects and calls.  Runs on the host.
   See msc_sync.h.

   Times are the tool's deterministic clock (guest instructions): a wait
   lasts the instructions other threads ran while this one was blocked. */

#include "msc_sync.h"
#include "msc_clock.h"
#include "msc_findings.h"
#include "msc_lockorder.h"
#include "msc_locksets.h"
#include "msc_log.h"
#include "msc_race.h"
#include "msc_stacks.h"
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

UWord MSC_(sync_once_run) ( ThreadId tid )
{
   OnceStack* st = &s_once[tid];
   return st->n > 0 ? st->routine[st->n - 1] : 0;
}

void MSC_(sync_once_done) ( ThreadId tid )
{
   OnceStack* st = &s_once[tid];
   if (st->n > 0)
      MSC_(race_release)(tid, st->ctl[st->n - 1]);
}

/* The lock at `lock` is held by nobody any more (destroyed or
   initialised again while held): it leaves every thread's held set. */
static void held_forget_everywhere ( Addr lock )
{
   ThreadId t;
   for (t = 1; t < VG_N_THREADS; t++)
      if (MSC_(lockset_remove)(t, lock))
         MSC_(lockorder_released)(t, lock);
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

static MscSyncKind kind_of ( UWord op )
{
   if (op <= MSC_SYNC_MUTEX_UNLOCK)    return MSC_SYNC_KIND_MUTEX;
   if (op <= MSC_SYNC_RWLOCK_UNLOCK)   return MSC_SYNC_KIND_RWLOCK;
   if (op <= MSC_SYNC_SPIN_UNLOCK)     return MSC_SYNC_KIND_SPINLOCK;
   if (op <= MSC_SYNC_COND_BROADCAST)  return MSC_SYNC_KIND_COND;
   if (op <= MSC_SYNC_SEM_POST)        return MSC_SYNC_KIND_SEMAPHORE;
   if (op <= MSC_SYNC_BARRIER_WAIT)    return MSC_SYNC_KIND_BARRIER;
   if (op == MSC_SYNC_ONCE)            return MSC_SYNC_KIND_ONCE;
   return MSC_SYNC_KIND_THREAD;
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

static Bool is_acquire ( UWord op )
{
   switch (op) {
   case MSC_SYNC_MUTEX_LOCK: case MSC_SYNC_MUTEX_TRYLOCK:
   case MSC_SYNC_MUTEX_TIMEDLOCK:
   case MSC_SYNC_RWLOCK_RDLOCK: case MSC_SYNC_RWLOCK_WRLOCK:
   case MSC_SYNC_RWLOCK_TRYRDLOCK: case MSC_SYNC_RWLOCK_TRYWRLOCK:
   case MSC_SYNC_RWLOCK_TIMEDRDLOCK: case MSC_SYNC_RWLOCK_TIMEDWRLOCK:
   case MSC_SYNC_SPIN_LOCK: case MSC_SYNC_SPIN_TRYLOCK:
      return True;
   default:
      return False;
   }
}

static Bool is_try ( UWord op )
{
   return op == MSC_SYNC_MUTEX_TRYLOCK || op == MSC_SYNC_RWLOCK_TRYRDLOCK
          || op == MSC_SYNC_RWLOCK_TRYWRLOCK || op == MSC_SYNC_SPIN_TRYLOCK;
}

static Bool is_read_acquire ( UWord op )
{
   return op == MSC_SYNC_RWLOCK_RDLOCK || op == MSC_SYNC_RWLOCK_TRYRDLOCK
          || op == MSC_SYNC_RWLOCK_TIMEDRDLOCK;
}

static Bool is_release ( UWord op )
{
   return op == MSC_SYNC_MUTEX_UNLOCK || op == MSC_SYNC_RWLOCK_UNLOCK
          || op == MSC_SYNC_SPIN_UNLOCK;
}

static Bool is_init ( UWord op )
{
   return op == MSC_SYNC_MUTEX_INIT || op == MSC_SYNC_RWLOCK_INIT
          || op == MSC_SYNC_SPIN_INIT || op == MSC_SYNC_COND_INIT
          || op == MSC_SYNC_SEM_INIT || op == MSC_SYNC_BARRIER_INIT;
}

static Bool is_destroy ( UWord op )
{
   return op == MSC_SYNC_MUTEX_DESTROY || op == MSC_SYNC_RWLOCK_DESTROY
          || op == MSC_SYNC_SPIN_DESTROY || op == MSC_SYNC_COND_DESTROY
          || op == MSC_SYNC_SEM_DESTROY || op == MSC_SYNC_BARRIER_DESTROY;
}

/* The size of each kind's object (glibc on amd64, the one platform the
   build accepts): the C library reads and writes inside it without the
   ordering the object itself gives, so races there are the library's
   business, not the program's. */
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
   const HChar* sym;
   PtrdiffT offset;
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
      MSC_(race_benign)(addr, object_size(kind), True);
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
   if (o->name == NULL
       && VG_(get_datasym_and_offset)(VG_(current_DiEpoch)(), addr, &sym,
                                      &offset)) {
      HChar name[256];
      if (offset == 0)
         VG_(snprintf)(name, sizeof name, "%s", sym);
      else
         VG_(snprintf)(name, sizeof name, "%s+%ld", sym, (long)offset);
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
      MSC_(race_release)(tid, o->addr);
      return o->addr;
   }
   if (o->barrier_arrived == 0)
      MSC_(race_forget)(key);
   MSC_(race_release)(tid, key);
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
      if (!is_read_acquire(op) || h->writer)
         return True;
   }
   return False;
}

/* `stack`: the log id of the acquiring call's stack. */
static void acquire ( ThreadId tid, SyncObj* o, UInt serial, UWord op,
                      UInt stack )
{
   Holder* h = holder_of(o, serial);
   MSC_(race_acquire)(tid, o->addr);
   if (o->kind == MSC_SYNC_KIND_RWLOCK && !is_read_acquire(op))
      MSC_(race_acquire)(tid, readers_key(o->addr));
   if (h != NULL) {           /* a recursive mutex, or a second read lock */
      h->depth++;
      return;
   }
   Holder fresh = { serial, 1, !is_read_acquire(op), MSC_(clock_now)() };
   VG_(addToXA)(o->holders, &fresh);
   MSC_(lockorder_acquired)(tid, o->addr, stack, is_try(op));
   MSC_(lockset_add)(tid, o->addr);
   MSC_(race_locks_changed)(tid);
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
      MSC_(race_release)(tid, o->addr);
      return 0;
   }
   MSC_(race_release)(tid, o->kind == MSC_SYNC_KIND_RWLOCK && !h->writer
                           ? readers_key(o->addr) : o->addr);
   span = MSC_(clock_now)() - h->since;
   if (--h->depth == 0) {
      drop_holder(o, h);
      MSC_(lockset_remove)(tid, o->addr);
      MSC_(lockorder_released)(tid, o->addr);
      MSC_(race_locks_changed)(tid);
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
   op = resolve_spin_op(op, obj, serial);
   p->op = op;
   p->logged = False;
   p->began = MSC_(clock_now)();
   p->held_span = 0;
   p->flags = 0;
   if (op == MSC_SYNC_EXIT) {          /* pthread_exit never returns */
      log_sync(tid, MSC_(stack_here)(tid), op, 0, 0, 0, 0, 0);
      return;
   }
   kind = kind_of(op);
   if (op == MSC_SYNC_JOIN || op == MSC_SYNC_DETACH)
      p->arg = MSC_(thread_serial_of_handle)(other);
   if (op == MSC_SYNC_ONCE && s_once[tid].n < MSC_MAX_ONCE_DEPTH) {
      s_once[tid].ctl[s_once[tid].n] = obj;
      s_once[tid].routine[s_once[tid].n] = other;
      s_once[tid].n++;
   }
   if (kind == MSC_SYNC_KIND_THREAD || is_init(op))
      return;
   o = object(tid, obj, kind, 0, False);
   if (is_destroy(op)) {
      if (o->holders != NULL && VG_(sizeXA)(o->holders) > 0) {
         p->flags |= MSC_SYNC_FLAG_HELD;
         warn_misuse(tid, "destroys a held", o);
      }
   } else if (is_release(op)) {
      p->held_span = release(tid, o, serial, &p->flags);
      if (p->flags & MSC_SYNC_FLAG_NOT_HELD)
         warn_misuse(tid, "unlocks a not held", o);
      /* Logged now, before the original wakes a waiter whose acquisition
         could otherwise reach the log first.  Its result is not known
         yet: 0 in the record; NOT_HELD says when it was a misuse. */
      log_sync(tid, MSC_(stack_here)(tid), op, obj, 0, p->held_span,
               p->flags, 0);
      p->logged = True;
   } else if (op == MSC_SYNC_SEM_POST) {
      MSC_(race_release)(tid, obj);
      log_sync(tid, MSC_(stack_here)(tid), op, obj, 0, 0, 0, 0);
      p->logged = True;
   } else if (op == MSC_SYNC_BARRIER_WAIT) {
      p->hb_key = barrier_arrive(tid, o);
   } else if (op == MSC_SYNC_COND_SIGNAL || op == MSC_SYNC_COND_BROADCAST) {
      /* Before the original: it wakes the threads that acquire this. */
      MSC_(race_release)(tid, obj);
   } else if (is_acquire(op) && !is_try(op)) {
      if (held_against(o, serial, op))
         p->flags |= MSC_SYNC_FLAG_CONTENDED;
   } else if (op == MSC_SYNC_COND_WAIT || op == MSC_SYNC_COND_TIMEDWAIT) {
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
   if (op == MSC_SYNC_SPIN_INIT || op == MSC_SYNC_SPIN_UNLOCK)
      op = p->op;                      /* as resolved at PRE */
   kind = kind_of(op);
   span = MSC_(clock_now)() - p->began;
   /* The stack is taken before the state changes: the lock-order graph
      keeps it for the acquisitions. */
   stack = p->logged ? 0 : MSC_(stack_here)(tid);
   if ((is_init(op) || is_destroy(op)) && result == 0) {
      /* A new object at the address has no history. */
      MSC_(race_forget)(obj);
      MSC_(race_forget)(readers_key(obj));
      MSC_(lockorder_forget)(obj);
   }
   if (is_init(op) && result == 0) {
      o = object(tid, obj, kind, op == MSC_SYNC_MUTEX_INIT ? value : 0,
                 True);
      arg = op == MSC_SYNC_MUTEX_INIT ? 0 : value;
   } else if (kind != MSC_SYNC_KIND_THREAD) {
      o = object(tid, obj, kind, 0, False);
   }
   if (is_acquire(op)) {
      if (result == 0)
         acquire(tid, o, serial, op, stack);
      else if (is_try(op) && result == VKI_EBUSY)
         p->flags |= MSC_SYNC_FLAG_CONTENDED;
   } else if (is_release(op)) {
      span = p->held_span;
   } else if (op == MSC_SYNC_COND_WAIT || op == MSC_SYNC_COND_TIMEDWAIT) {
      /* Returns holding the mutex again, even on a timeout; a signal or
         broadcast before the return happens before it. */
      MSC_(race_acquire)(tid, obj);
      acquire(tid, object(tid, value, MSC_SYNC_KIND_MUTEX, 0, False), serial,
              MSC_SYNC_MUTEX_LOCK, stack);
      arg = value;
   } else if (op == MSC_SYNC_JOIN) {
      arg = p->arg;       /* resolved at PRE: the thread is gone now */
      if (result == 0)
         MSC_(race_thread_joined)(tid, (UInt)p->arg);
   } else if (op == MSC_SYNC_DETACH) {
      /* A thread that detached after its end is gone now; one that ends
         later goes at its exit (msc_main). */
      if (result == 0 && MSC_(threads_detached)((UInt)p->arg))
         MSC_(race_thread_gone)((UInt)p->arg);
   } else if (op == MSC_SYNC_ONCE && s_once[tid].n > 0
              && s_once[tid].ctl[s_once[tid].n - 1] == obj) {
      s_once[tid].n--;
      MSC_(race_acquire)(tid, obj);
   } else if (op == MSC_SYNC_BARRIER_WAIT) {
      MSC_(race_acquire)(tid, p->hb_key);
   } else if ((op == MSC_SYNC_SEM_WAIT || op == MSC_SYNC_SEM_TRYWAIT
               || op == MSC_SYNC_SEM_TIMEDWAIT) && result == 0) {
      MSC_(race_acquire)(tid, obj);
   } else if (op == MSC_SYNC_BARRIER_INIT || op == MSC_SYNC_SEM_INIT) {
      arg = value;
      if (op == MSC_SYNC_BARRIER_INIT && o != NULL) {
         o->barrier_count = value;
         o->barrier_arrived = 0;
         o->barrier_round = 0;
      }
   }
   if (is_destroy(op) && result == 0 && object_size(kind) > 0
       && !s_annotated)
      MSC_(race_benign)(obj, object_size(kind), False);
   if (is_destroy(op) && result == 0 && o != NULL && o->holders != NULL) {
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
   VG_(initIterFM)(s_objects);
   while (VG_(nextIterFM)(s_objects, &key, &val)) {
      SyncObj* o = (SyncObj*)val;
      Holder* h;
      if (o->holders == NULL || (h = holder_of(o, serial)) == NULL)
         continue;
      log_sync(tid, 0, MSC_SYNC_EXIT_HOLDING, o->addr, 0,
               MSC_(clock_now)() - h->since, 0, 0);
      drop_holder(o, h);
      MSC_(lockset_remove)(tid, o->addr);
      MSC_(lockorder_released)(tid, o->addr);
      warn_misuse(tid, "exits holding a", o);
   }
   VG_(doneIterFM)(s_objects);
   /* Whatever is left (a lock freed while held) must not pass to the
      next thread in this slot. */
   for (;;) {
      const Addr* held;
      Addr lock;
      if (MSC_(lockset_of)(tid, &held) == 0)
         break;
      lock = held[0];
      MSC_(lockset_remove)(tid, lock);
      MSC_(lockorder_released)(tid, lock);
   }
}
