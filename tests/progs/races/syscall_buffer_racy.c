/* syscall_buffer_racy.c: the kernel's accesses race too.  One thread
   read(2)s into a buffer (the kernel writes it) while another write(2)s
   the same buffer out (the kernel reads it), with nothing ordering the
   two calls.
   race-suite: racy
   race-variable: buffer
*/
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

char buffer[64];
static int zero_fd, null_fd;

__attribute__((noinline)) static void *filler(void *arg)
{
   if (read(zero_fd, buffer, sizeof buffer) != sizeof buffer) /* RACE */
      return NULL;
   return arg;
}

__attribute__((noinline)) static void *sender(void *arg)
{
   if (write(null_fd, buffer, sizeof buffer) != sizeof buffer) /* RACE */
      return NULL;
   return arg;
}

int main(void)
{
   pthread_t t[2];
   zero_fd = open("/dev/zero", O_RDONLY);
   null_fd = open("/dev/null", O_WRONLY);
   if (zero_fd < 0 || null_fd < 0)
      return 1;
   pthread_create(&t[0], NULL, filler, NULL);
   pthread_create(&t[1], NULL, sender, NULL);
   pthread_join(t[0], NULL);
   pthread_join(t[1], NULL);
   printf("syscall_buffer_racy: %d\n", buffer[7]);
   return 0;
}
