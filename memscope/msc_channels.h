/* msc_channels.h: ordering through the kernel.  Bytes one thread writes
   into a pipe, a socket pair or an eventfd, or a message it sends on a
   POSIX message queue, happen before the read that receives them: the
   writer's past is ordered before the reader's next step (as a
   semaphore post before a wait).  Channels are known from the system
   calls that make them (pipe, pipe2, socketpair, eventfd, eventfd2,
   mq_open) and follow the descriptors that dup, dup2, dup3 and fcntl's
   F_DUPFD copy, until close; both ends of a stream connection made in
   the process are one channel (a connect paired with the next accept on
   a listener bound to its address), and a poll or epoll_wait that
   reports a channel readable acquires it.  Runs on the host. */

#ifndef MSC_CHANNELS_H
#define MSC_CHANNELS_H

#include "msc_basics.h"

/* Every system call before it runs: a write or send on a channel
   releases into it (before: the reader may run as soon as the kernel
   has the bytes, while this thread is still in the call). */
void MSC_(channels_pre_syscall) ( ThreadId tid, UInt sysno,
                                  const UWord* args );

/* Every system call after it returned: channels made, copied and
   closed; a read or receive that got bytes acquires its channel. */
void MSC_(channels_post_syscall) ( ThreadId tid, UInt sysno,
                                   const UWord* args, SysRes res );

#endif /* MSC_CHANNELS_H */
