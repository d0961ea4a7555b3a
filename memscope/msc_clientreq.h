/* msc_clientreq.h: the one dispatcher of client requests: memscope.h's
   public ones and the preload library's internal ones.  Validates every
   argument (a client request is untrusted input), copies strings out of
   client memory, and hands clean values to the owning module.  Runs on
   the host. */

#ifndef MSC_CLIENTREQ_H
#define MSC_CLIENTREQ_H

#include "msc_basics.h"

Bool MSC_(handle_client_request) ( ThreadId tid, UWord* args, UWord* ret );

#endif /* MSC_CLIENTREQ_H */
