/* kernel_socket_ok.c: hand-offs through a TCP connection on loopback
   and through readiness.  Main listens on 127.0.0.1 (port 0: the kernel
   picks it, getsockname says which); the client thread fills `table`,
   connects and sends a byte; main accepts, receives the byte, then reads
   the table.  Then the client fills `ready_table` and sends a second
   byte; main learns of it from poll(2) alone and reads the table before
   receiving.  Last, the client fills `pipe_table` and writes to a pipe
   that main watches with epoll; main reads the table when epoll_wait
   says the pipe is readable.
   race-suite: race-free
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static int table[16], ready_table[16], pipe_table[16];
static struct sockaddr_in server;
static int pipe_fds[2];

__attribute__((noinline)) static void *client(void *arg)
{
   int fd = socket(AF_INET, SOCK_STREAM, 0), i;
   char byte = 1;
   for (i = 0; i < 16; i++)
      table[i] = i;
   if (connect(fd, (struct sockaddr *)&server, sizeof server) != 0
       || send(fd, &byte, 1, 0) != 1)
      abort();
   for (i = 0; i < 16; i++)
      ready_table[i] = 2 * i;
   if (send(fd, &byte, 1, 0) != 1)
      abort();
   for (i = 0; i < 16; i++)
      pipe_table[i] = 3 * i;
   if (write(pipe_fds[1], &byte, 1) != 1)
      abort();
   close(fd);
   return NULL;
}

int main(void)
{
   int listener = socket(AF_INET, SOCK_STREAM, 0), conn, ep, i;
   socklen_t len = sizeof server;
   long sum = 0;
   char byte;
   pthread_t t;
   struct pollfd p;
   struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 77 }, got;
   server.sin_family = AF_INET;
   server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   if (bind(listener, (struct sockaddr *)&server, sizeof server) != 0
       || listen(listener, 1) != 0
       || getsockname(listener, (struct sockaddr *)&server, &len) != 0
       || pipe(pipe_fds) != 0)
      abort();
   pthread_create(&t, NULL, client, NULL);
   conn = accept(listener, NULL, NULL);
   if (conn < 0 || recv(conn, &byte, 1, 0) != 1)
      abort();
   for (i = 0; i < 16; i++)
      sum += table[i];
   p.fd = conn;
   p.events = POLLIN;
   if (poll(&p, 1, -1) != 1)
      abort();
   for (i = 0; i < 16; i++)
      sum += ready_table[i];
   if (recv(conn, &byte, 1, 0) != 1)
      abort();
   ep = epoll_create1(0);
   if (epoll_ctl(ep, EPOLL_CTL_ADD, pipe_fds[0], &ev) != 0
       || epoll_wait(ep, &got, 1, -1) != 1 || got.data.u64 != 77)
      abort();
   for (i = 0; i < 16; i++)
      sum += pipe_table[i];
   pthread_join(t, NULL);
   printf("kernel_socket_ok: %ld\n", sum);
   return 0;
}
