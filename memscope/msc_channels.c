/* msc_channels.c: ordering through the kernel.  See msc_channels.h.
   Runs on the host.

   A channel is a number; its happens-before key lies in a range of the
   key space no program address reaches (below the signals' range, at
   the top of the 64-bit space).  Both ends of a pipe or socket pair are
   one channel: what one end writes, the other reads.  So are both ends
   of a stream socket connection made in the process: a connect() to an
   address joins a new channel, which the next accept() on a listener
   bound to that address gives its new descriptor (tools have no
   getsockname of their own: a listener's address is what its bind() or
   the program's getsockname() said; the key is the family and port, or
   a local socket's path).  A poll, ppoll or epoll_wait that reports a
   channel readable acquires it, as a read would.  Descriptors of other
   files (regular files, terminals, sockets connected elsewhere) order
   nothing: a file another process may write is no hand-off between two
   threads. */

#include "msc_channels.h"
#include "msc_syncev.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_mallocfree.h"

#define CHANNEL_KEY_BASE 0xffe0000000000000ULL
#define LINUX_EINPROGRESS 115          /* a non-blocking connect */
#define LINUX_EPOLLIN     0x001
#define LINUX_POLLRDNORM  0x040
#define MAX_PENDING       256          /* connects waiting for an accept */
#define MAX_POLLED        4096         /* poll entries looked at */

/* A connect's channel waiting for the accept that gives the other end. */
typedef struct {
   ULong address;
   UWord channel;
} Pending;

static WordFM* s_channels = NULL;      /* descriptor -> channel number */
static UWord   s_next_channel = 1;
static WordFM* s_listeners = NULL;     /* descriptor -> address key */
static Pending s_pending[MAX_PENDING];
static UInt    s_n_pending = 0;
/* What epoll_ctl registered: (epoll descriptor, user data) -> descriptor
   + 1, keyed by a mix of the two (epoll_wait gives back the data alone). */
static WordFM* s_epoll_data = NULL;

static Addr key_of ( UWord channel )
{
   return (Addr)(CHANNEL_KEY_BASE | channel);
}

/* The value of key in fm, 0 when it has none (or fm is not made yet). */
static UWord value_in ( WordFM* fm, UWord key )
{
   UWord k, val;
   if (fm == NULL || !VG_(lookupFM)(fm, &k, &val, key))
      return 0;
   return val;
}

/* key -> val in *fm, or nothing for key when val is 0. */
static void set_value ( WordFM** fm, const HChar* cc, UWord key, UWord val )
{
   if (*fm == NULL) {
      if (val == 0)
         return;
      *fm = VG_(newFM)(VG_(malloc), cc, VG_(free), NULL);
   }
   VG_(delFromFM)(*fm, NULL, NULL, key);
   if (val != 0)
      VG_(addToFM)(*fm, key, val);
}

/* The channel of descriptor fd, 0 when it is none. */
static UWord channel_of ( UWord fd )
{
   return value_in(s_channels, fd);
}

static void bind ( UWord fd, UWord channel )
{
   set_value(&s_channels, "msc.channels", fd, channel);
}

static void forget ( UWord fd )
{
   bind(fd, 0);
}

/* Both descriptors of a pipe or socket pair, written by the call into
   the program's int[2] at `pair`. */
static void bind_pair ( Addr pair )
{
   const Int* fds = (const Int*)pair;
   UWord channel = s_next_channel++;
   bind((UWord)fds[0], channel);
   bind((UWord)fds[1], channel);
}

/* The key of a socket address the program passed (a family and port, or
   a local socket's path), 0 when it is none of those. */
static ULong address_key ( Addr sa, UWord len )
{
   const UChar* b = (const UChar*)sa;
   UShort family;
   if (sa == 0 || len < 4 || len > 4096)
      return 0;
   family = *(const UShort*)sa;
   if (family == VKI_AF_INET || family == VKI_AF_INET6)
      return ((ULong)family << 32) | ((ULong)b[2] << 8) | b[3];
   if (family == VKI_AF_UNIX) {
      /* FNV-1a of the path (an abstract name starts with a NUL). */
      ULong h = 0xcbf29ce484222325ULL;
      UWord i;
      for (i = 2; i < len && (b[i] != 0 || i == 2); i++)
         h = (h ^ b[i]) * 0x100000001b3ULL;
      return h | 1ULL << 63;        /* never a family and port */
   }
   return 0;
}

static ULong listener_address ( UWord fd )
{
   return value_in(s_listeners, fd);
}

static void set_listener ( UWord fd, ULong address )
{
   set_value(&s_listeners, "msc.channels.listeners", fd, (UWord)address);
}

static void drop_pending ( UInt i )
{
   VG_(memmove)(&s_pending[i], &s_pending[i + 1],
                (s_n_pending - i - 1) * sizeof s_pending[0]);
   s_n_pending--;
}

/* A connect to `address` makes a channel for fd; the oldest waiting one
   goes when the queue is full (a connect to another process's server). */
static void connected ( UWord fd, ULong address )
{
   UWord channel = s_next_channel++;
   bind(fd, channel);
   if (address == 0)
      return;
   if (s_n_pending == MAX_PENDING)
      drop_pending(0);
   s_pending[s_n_pending].address = address;
   s_pending[s_n_pending].channel = channel;
   s_n_pending++;
}

/* The connect of fd failed: its channel waits for no accept. */
static void not_connected ( UWord fd )
{
   UWord channel = channel_of(fd);
   UInt i;
   forget(fd);
   for (i = 0; channel != 0 && i < s_n_pending; i++)
      if (s_pending[i].channel == channel) {
         drop_pending(i);
         return;
      }
}

/* accept() on listener gave fd: the oldest connect to its address. */
static void accepted ( UWord listener, UWord fd )
{
   ULong address = listener_address(listener);
   UInt i;
   forget(fd);
   for (i = 0; address != 0 && i < s_n_pending; i++)
      if (s_pending[i].address == address) {
         bind(fd, s_pending[i].channel);
         drop_pending(i);
         return;
      }
}

static UWord epoll_key ( UWord epfd, ULong data )
{
   return (UWord)(data * 0x9e3779b97f4a7c15ULL) ^ epfd;
}

static void epoll_registered ( UWord epfd, UWord op, UWord fd, Addr event )
{
   ULong data;
   if (op != VKI_EPOLL_CTL_ADD && op != VKI_EPOLL_CTL_MOD)
      return;
   if (event == 0 || channel_of(fd) == 0)
      return;
   data = ((const struct vki_epoll_event*)event)->data;
   /* fd + 1: descriptor 0 may be a channel too, and 0 means none. */
   set_value(&s_epoll_data, "msc.channels.epoll", epoll_key(epfd, data),
             fd + 1);
}

/* A descriptor reported readable: its channel, if any, is acquired. */
static void readable ( ThreadId tid, UWord fd )
{
   UWord channel = channel_of(fd);
   if (channel != 0)
      MSC_(syncev_acquire)(tid, key_of(channel));
}

static void polled ( ThreadId tid, Addr fds, UWord n, UWord ready )
{
   const struct vki_pollfd* p = (const struct vki_pollfd*)fds;
   UWord i;
   for (i = 0; i < n && i < MAX_POLLED && ready > 0; i++)
      if (p[i].revents & (VKI_POLLIN | LINUX_POLLRDNORM)) {
         readable(tid, (UWord)p[i].fd);
         ready--;
      }
}

static void epoll_waited ( ThreadId tid, UWord epfd, Addr events, UWord n )
{
   const struct vki_epoll_event* e = (const struct vki_epoll_event*)events;
   UWord i, fd;
   for (i = 0; s_epoll_data != NULL && i < n && i < MAX_POLLED; i++)
      if ((e[i].events & LINUX_EPOLLIN)
          && (fd = value_in(s_epoll_data, epoll_key(epfd, e[i].data))) != 0)
         readable(tid, fd - 1);
}

static Bool is_write ( UInt sysno )
{
   switch (sysno) {
   case __NR_write: case __NR_writev: case __NR_pwrite64:
   case __NR_pwritev: case __NR_sendto: case __NR_sendmsg:
   case __NR_sendmmsg: case __NR_mq_timedsend:
#if defined(__NR_pwritev2)
   case __NR_pwritev2:
#endif
      return True;
   default:
      return False;
   }
}

static Bool is_read ( UInt sysno )
{
   switch (sysno) {
   case __NR_read: case __NR_readv: case __NR_pread64:
   case __NR_preadv: case __NR_recvfrom: case __NR_recvmsg:
   case __NR_recvmmsg: case __NR_mq_timedreceive:
#if defined(__NR_preadv2)
   case __NR_preadv2:
#endif
      return True;
   default:
      return False;
   }
}

void MSC_(channels_pre_syscall) ( ThreadId tid, UInt sysno,
                                  const UWord* args )
{
   UWord channel;
   /* Before the kernel connects: the accept may return, and be seen,
      before this thread is back from its connect. */
   if (sysno == __NR_connect) {
      connected(args[0], address_key(args[1], args[2]));
      return;
   }
   if (!is_write(sysno) || (channel = channel_of(args[0])) == 0)
      return;
   MSC_(syncev_release)(tid, key_of(channel));
}

void MSC_(channels_post_syscall) ( ThreadId tid, UInt sysno,
                                   const UWord* args, SysRes res )
{
   UWord channel;
   if (sysno == __NR_connect && sr_isError(res)
       && sr_Err(res) != LINUX_EINPROGRESS) {
      not_connected(args[0]);
      return;
   }
   if (sr_isError(res))
      return;
   switch (sysno) {
   case __NR_bind:
      set_listener(args[0], address_key(args[1], args[2]));
      return;
   case __NR_getsockname:
      /* The port the kernel chose for a bind to port 0. */
      if (args[2] != 0)
         set_listener(args[0], address_key(args[1],
                                           *(const UInt*)args[2]));
      return;
   case __NR_accept:
   case __NR_accept4:
      accepted(args[0], sr_Res(res));
      return;
   case __NR_poll:
   case __NR_ppoll:
      polled(tid, args[0], args[1], sr_Res(res));
      return;
   case __NR_epoll_ctl:
      epoll_registered(args[0], args[1], args[2], args[3]);
      return;
   case __NR_epoll_wait:
   case __NR_epoll_pwait:
      epoll_waited(tid, args[0], args[1], sr_Res(res));
      return;
   case __NR_pipe:
   case __NR_pipe2:
      bind_pair(args[0]);
      return;
   case __NR_socketpair:
      bind_pair(args[3]);
      return;
   case __NR_eventfd:
   case __NR_eventfd2:
   case __NR_mq_open:
      bind(sr_Res(res), s_next_channel++);
      return;
   case __NR_close:
      forget(args[0]);
      set_listener(args[0], 0);
      return;
   /* Calls that make a descriptor of something else: a number a channel
      had before is that no more (its close may have gone unseen, by an
      exec's close-on-exec or close_range). */
   case __NR_open: case __NR_openat: case __NR_creat: case __NR_socket:
   case __NR_epoll_create1:
   case __NR_timerfd_create: case __NR_signalfd4: case __NR_memfd_create:
   case __NR_inotify_init1:
      forget(sr_Res(res));
      set_listener(sr_Res(res), 0);
      return;
#if defined(__NR_close_range)
   case __NR_close_range: {
      UWord fd;
      for (fd = args[0]; fd <= args[1] && fd < args[0] + 65536; fd++)
         forget(fd);
      return;
   }
#endif
   case __NR_dup:
      bind(sr_Res(res), channel_of(args[0]));
      return;
   case __NR_dup2:
   case __NR_dup3:
      if (args[0] != args[1])
         bind(args[1], channel_of(args[0]));
      return;
   case __NR_fcntl:
      if (args[1] == VKI_F_DUPFD || args[1] == VKI_F_DUPFD_CLOEXEC)
         bind(sr_Res(res), channel_of(args[0]));
      return;
   default:
      break;
   }
   if (is_read(sysno) && sr_Res(res) > 0
       && (channel = channel_of(args[0])) != 0)
      MSC_(syncev_acquire)(tid, key_of(channel));
}
