/* msc_channels.c: ordering through the kernel.  See msc_channels.h.
   Runs on the host.

   A channel is a number; its happens-before key lies in a range of the
   key space no program address reaches (below the signals' range, at
   the top of the 64-bit space).  Both ends of a pipe or socket pair are
   one channel: what one end writes, the other reads.  Descriptors of
   other files (regular files, sockets from socket(), terminals) order
   nothing: a file another process may write is no hand-off between two
   threads, and connected sockets would need their peers matched. */

#include "msc_channels.h"
#include "msc_syncev.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_mallocfree.h"

#define CHANNEL_KEY_BASE 0xffe0000000000000ULL

static WordFM* s_channels = NULL;      /* descriptor -> channel number */
static UWord   s_next_channel = 1;

static Addr key_of ( UWord channel )
{
   return (Addr)(CHANNEL_KEY_BASE | channel);
}

static WordFM* channels ( void )
{
   if (s_channels == NULL)
      s_channels = VG_(newFM)(VG_(malloc), "msc.channels", VG_(free), NULL);
   return s_channels;
}

/* The channel of descriptor fd, 0 when it is none. */
static UWord channel_of ( UWord fd )
{
   UWord key, val;
   if (s_channels == NULL || !VG_(lookupFM)(s_channels, &key, &val, fd))
      return 0;
   return val;
}

static void forget ( UWord fd )
{
   if (s_channels != NULL)
      VG_(delFromFM)(s_channels, NULL, NULL, fd);
}

static void bind ( UWord fd, UWord channel )
{
   forget(fd);
   if (channel != 0)
      VG_(addToFM)(channels(), fd, channel);
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
   if (!is_write(sysno) || (channel = channel_of(args[0])) == 0)
      return;
   MSC_(syncev_release)(tid, key_of(channel));
}

void MSC_(channels_post_syscall) ( ThreadId tid, UInt sysno,
                                   const UWord* args, SysRes res )
{
   UWord channel;
   if (sr_isError(res))
      return;
   switch (sysno) {
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
      return;
   /* Calls that make a descriptor of something else: a number a channel
      had before is that no more (its close may have gone unseen, by an
      exec's close-on-exec or close_range). */
   case __NR_open: case __NR_openat: case __NR_creat: case __NR_socket:
   case __NR_accept: case __NR_accept4: case __NR_epoll_create1:
   case __NR_timerfd_create: case __NR_signalfd4: case __NR_memfd_create:
   case __NR_inotify_init1:
      forget(sr_Res(res));
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
