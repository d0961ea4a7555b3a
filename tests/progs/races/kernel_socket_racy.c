/* kernel_socket_racy.c: the twin of kernel_socket_ok, wrong: the client
   sends its byte over the loopback connection before it fills `table`,
   so main's read of the table after receiving the byte is ordered after
   nothing of the filling.
   race-suite: racy
   race-variable: table
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int table[16];
static struct sockaddr_in server;

__attribute__((noinline)) static void *client(void *arg)
{
   int fd = socket(AF_INET, SOCK_STREAM, 0), i;
   char byte = 1;
   if (connect(fd, (struct sockaddr *)&server, sizeof server) != 0
       || send(fd, &byte, 1, 0) != 1)
      abort();
   for (i = 0; i < 16; i++)
      table[i] = i;                                 /* RACE */
   close(fd);
   return NULL;
}

int main(void)
{
   int listener = socket(AF_INET, SOCK_STREAM, 0), conn, i;
   socklen_t len = sizeof server;
   long sum = 0;
   char byte;
   pthread_t t;
   server.sin_family = AF_INET;
   server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   if (bind(listener, (struct sockaddr *)&server, sizeof server) != 0
       || listen(listener, 1) != 0
       || getsockname(listener, (struct sockaddr *)&server, &len) != 0)
      abort();
   pthread_create(&t, NULL, client, NULL);
   conn = accept(listener, NULL, NULL);
   if (conn < 0 || recv(conn, &byte, 1, 0) != 1)
      abort();
   for (i = 0; i < 16; i++)
      sum += table[i];                              /* RACE */
   pthread_join(t, NULL);
   printf("kernel_socket_racy: %ld\n", sum);
   return 0;
}
