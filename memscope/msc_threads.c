/* msc_threads.c: thread numbering, creation, exit, names and run slices.
   Runs on the host.  See msc_threads.h. */

#include "msc_threads.h"
#include "msc_log.h"
#include "msc_stacks.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_xarray.h"

/* Per Valgrind ThreadId slot.  Its serial stays after the thread's exit
   until the slot is reused: the core still runs client code on an exited
   thread's slot (the exit-time frees of __libc_freeres). */
typedef struct {
   UInt  serial;            /* 0: slot never used */
   Bool  exited;
   UInt  last_child;        /* serial of the thread it created last */
   UWord handle;            /* its pthread_t, once the creator said */
   Bool  has_handle;
   /* The start routine and argument: of the thread being created, in the
      creator's slot, and then of the thread itself, in its own. */
   UWord start, start_arg;
   Bool  has_start;
   Bool  body_begun;        /* its start routine began */
} ThreadSlot;

static ThreadSlot* s_slots = NULL;      /* VG_N_THREADS entries */
static UInt        s_next_serial = 1;
/* pthread_t -> serial, for naming a thread from another one. */
static WordFM*     s_by_handle = NULL;
static ThreadId    s_running = VG_INVALID_THREADID;
/* Creation stack (log id, 0: none) per thread number, for error
   messages that announce the threads they involve. */
static XArray*     s_creation = NULL;
/* Per thread number: FATE_* bits, for freeing a detached thread's clock
   once it has both ended and been detached (in either order). */
#define FATE_DETACHED 1
#define FATE_EXITED   2
static XArray*     s_fate = NULL;      /* of UChar */

static UChar* fate_of ( UInt serial )
{
   UChar none = 0;
   while (VG_(sizeXA)(s_fate) <= serial)
      VG_(addToXA)(s_fate, &none);
   return (UChar*)VG_(indexXA)(s_fate, serial);
}

static void log_create ( UInt serial, UInt parent, UInt stack )
{
   UInt none = 0;
   while (VG_(sizeXA)(s_creation) <= serial)
      VG_(addToXA)(s_creation, &none);
   *(UInt*)VG_(indexXA)(s_creation, serial) = stack;
   MSC_(rec_event)(MSC_REC_THREAD_CREATE);
   MSC_(rec_u)(serial);
   MSC_(rec_u)(parent);
   MSC_(rec_u)(stack);
   MSC_(rec_end)();
}

void MSC_(threads_init) ( void )
{
   s_slots = VG_(calloc)("msc.threads.slots", VG_N_THREADS, sizeof(ThreadSlot));
   s_by_handle = VG_(newFM)(VG_(malloc), "msc.threads.by_handle", VG_(free),
                            NULL);
   s_creation = VG_(newXA)(VG_(malloc), "msc.threads.creation", VG_(free),
                           sizeof(UInt));
   s_fate = VG_(newXA)(VG_(malloc), "msc.threads.fate", VG_(free),
                       sizeof(UChar));
   /* The main thread exists before any tool callback; it is ThreadId 1. */
   s_slots[1].serial = s_next_serial++;
   log_create(s_slots[1].serial, 0, 0);
}

UInt MSC_(thread_serial) ( ThreadId tid )
{
   if (tid == VG_INVALID_THREADID || tid >= VG_N_THREADS)
      return 0;
   return s_slots[tid].serial;
}

UInt MSC_(thread_serial_of_handle) ( UWord handle )
{
   UWord key, serial;
   return VG_(lookupFM)(s_by_handle, &key, &serial, handle) ? serial : 0;
}

UInt MSC_(thread_creation_stack) ( UInt serial )
{
   return serial < VG_(sizeXA)(s_creation)
          ? *(UInt*)VG_(indexXA)(s_creation, serial) : 0;
}

UInt MSC_(threads_count) ( void )
{
   return s_next_serial - 1;
}

void MSC_(threads_ll_create) ( ThreadId parent, ThreadId child )
{
   UInt stack = 0, parent_serial = MSC_(thread_serial)(parent);
   tl_assert(child > 0 && child < VG_N_THREADS);
   /* The core announces the main thread too, after threads_init has
      already numbered it. */
   if (parent == VG_INVALID_THREADID && s_slots[child].serial != 0)
      return;
   if (parent_serial != 0)
      stack = MSC_(stack_here)(parent);
   s_slots[child].serial = s_next_serial++;
   s_slots[child].exited = False;
   s_slots[child].last_child = 0;
   s_slots[child].has_handle = False;
   s_slots[child].has_start = False;
   s_slots[child].body_begun = False;
   if (parent_serial != 0 && s_slots[parent].has_start) {
      s_slots[child].start = s_slots[parent].start;
      s_slots[child].start_arg = s_slots[parent].start_arg;
      s_slots[child].has_start = True;
      s_slots[parent].has_start = False;
   }
   if (parent_serial != 0)
      s_slots[parent].last_child = s_slots[child].serial;
   if (s_running == child)
      s_running = VG_INVALID_THREADID;   /* a new thread in a reused slot */
   log_create(s_slots[child].serial, parent_serial, stack);
}

Bool MSC_(threads_ll_exit) ( ThreadId tid )
{
   ThreadSlot* slot = &s_slots[tid];
   UChar* fate;
   if (slot->serial == 0 || slot->exited)
      return False;
   MSC_(log_mark_wall_time)();
   MSC_(rec_event)(MSC_REC_THREAD_EXIT);
   MSC_(rec_u)(slot->serial);
   MSC_(rec_end)();
   /* The pthread_t keeps naming this thread after its exit: a join comes
      later.  A new thread that reuses the value replaces the entry. */
   slot->exited = True;
   slot->has_handle = False;
   fate = fate_of(slot->serial);
   *fate |= FATE_EXITED;
   return (*fate & FATE_DETACHED) != 0;
}

Bool MSC_(threads_detached) ( UInt serial )
{
   UChar* fate;
   if (serial == 0)
      return False;
   fate = fate_of(serial);
   *fate |= FATE_DETACHED;
   return (*fate & FATE_EXITED) != 0;
}

void MSC_(threads_creating) ( ThreadId parent, UWord start, UWord arg )
{
   s_slots[parent].start = start;
   s_slots[parent].start_arg = arg;
   s_slots[parent].has_start = True;
}

void MSC_(threads_creating_done) ( ThreadId parent )
{
   s_slots[parent].has_start = False;
}

Bool MSC_(threads_start_routine) ( ThreadId tid, UInt which, UWord* out )
{
   if (!s_slots[tid].has_start)
      return False;
   *out = which == 0 ? s_slots[tid].start : s_slots[tid].start_arg;
   return True;
}

void MSC_(threads_body_begun) ( ThreadId tid )
{
   s_slots[tid].body_begun = True;
}

/* The live slot of the thread numbered `serial`; NULL when it has gone
   (its slot reused) or never was. */
static ThreadSlot* slot_of_serial ( UInt serial )
{
   ThreadId t;
   for (t = 1; t < VG_N_THREADS; t++)
      if (s_slots[t].serial == serial)
         return &s_slots[t];
   return NULL;
}

Bool MSC_(threads_child_started) ( ThreadId parent )
{
   UInt child = s_slots[parent].last_child;
   const ThreadSlot* slot;
   if (child == 0 || (slot = slot_of_serial(child)) == NULL)
      return True;                    /* none, or gone */
   return slot->body_begun || slot->exited;
}

Bool MSC_(threads_ended) ( UInt serial )
{
   return serial != 0 && serial < VG_(sizeXA)(s_fate)
          && (*fate_of(serial) & FATE_EXITED) != 0;
}

void MSC_(threads_log_live) ( void )
{
   ThreadId t;
   for (t = 1; t < VG_N_THREADS; t++)
      if (s_slots[t].serial != 0 && !s_slots[t].exited)
         log_create(s_slots[t].serial, 0,
                    MSC_(thread_creation_stack)(s_slots[t].serial));
}

void MSC_(threads_restart_in_child) ( ThreadId tid )
{
   /* Its parent thread lived in the parent process: 0 here. */
   log_create(MSC_(thread_serial)(tid), 0, 0);
   s_running = VG_INVALID_THREADID;
   MSC_(threads_start_client_code)(tid, 0);
}

void MSC_(threads_start_client_code) ( ThreadId tid, ULong bbs_done )
{
   /* Called each time a thread resumes client code, also the same thread
      after a system call: only a change of thread starts a new slice. */
   if (tid == s_running)
      return;
   s_running = tid;
   MSC_(log_mark_wall_time)();
   MSC_(rec_event)(MSC_REC_SWITCH);
   MSC_(rec_u)(MSC_(thread_serial)(tid));
   MSC_(rec_end)();
}

UInt MSC_(threads_created) ( ThreadId parent, UWord child_handle,
                             Bool detached )
{
   UInt child_serial = s_slots[parent].last_child;
   ThreadSlot* slot;
   if (child_serial == 0)
      return 0;
   if (detached && MSC_(threads_detached)(child_serial))
      return child_serial;             /* it has already ended */
   slot = slot_of_serial(child_serial);
   if (slot != NULL) {               /* else it has already exited */
      slot->handle = child_handle;
      slot->has_handle = True;
      VG_(addToFM)(s_by_handle, child_handle, child_serial);
   }
   return 0;
}

Bool MSC_(threads_named) ( ThreadId tid, UWord target_handle, Bool is_self,
                           const HChar* name )
{
   UWord key, serial;
   UInt name_id;
   if (is_self) {
      serial = MSC_(thread_serial)(tid);
      if (!s_slots[tid].has_handle) {
         s_slots[tid].handle = target_handle;
         s_slots[tid].has_handle = True;
         VG_(addToFM)(s_by_handle, target_handle, serial);
      }
   } else if (!VG_(lookupFM)(s_by_handle, &key, &serial, target_handle)) {
      return False;
   }
   name_id = MSC_(log_intern)(name);
   MSC_(rec_event)(MSC_REC_THREAD_NAME);
   MSC_(rec_u)(serial);
   MSC_(rec_u)(name_id);
   MSC_(rec_end)();
   return True;
}
