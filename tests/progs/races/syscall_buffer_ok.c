/* syscall_buffer_ok.c: buffers the kernel reads and writes, passed
   between threads correctly: a block read(2) into by one thread and
   handed to another under a mutex and a condition variable, which
   write(2)s it out and changes it; two threads reading into the two
   halves of one block at once; a buffer filled by a thread and read by
   main after the join; and a futex word waited on while another thread
   changes it with atomics (the kernel reads it atomically).
   race-suite: race-free
*/
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int zero_fd, null_fd;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static char *handed;                       /* under lock */
static char *halves;
static char joined_buffer[48];
static int futex_word;

__attribute__((noinline)) static void *filler(void *arg)
{
   char *block = malloc(128);
   if (block == NULL || read(zero_fd, block, 128) != 128)
      abort();
   pthread_mutex_lock(&lock);
   handed = block;
   pthread_cond_signal(&ready);
   pthread_mutex_unlock(&lock);
   return arg;
}

__attribute__((noinline)) static void *sender(void *arg)
{
   char *block;
   pthread_mutex_lock(&lock);
   while (handed == NULL)
      pthread_cond_wait(&ready, &lock);
   block = handed;
   pthread_mutex_unlock(&lock);
   if (write(null_fd, block, 128) != 128)
      abort();
   block[5] = 'x';
   if (write(null_fd, block, 128) != 128)
      abort();
   free(block);
   return arg;
}

__attribute__((noinline)) static void *half_reader(void *arg)
{
   long which = (long)arg;
   if (read(zero_fd, halves + 64 * which, 64) != 64)
      abort();
   return NULL;
}

__attribute__((noinline)) static void *join_filler(void *arg)
{
   if (read(zero_fd, joined_buffer, sizeof joined_buffer)
       != sizeof joined_buffer)
      abort();
   return arg;
}

__attribute__((noinline)) static void *futex_waker(void *arg)
{
   __atomic_store_n(&futex_word, 1, __ATOMIC_SEQ_CST);
   syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
   return arg;
}

int main(void)
{
   pthread_t t[2];
   long i;
   zero_fd = open("/dev/zero", O_RDONLY);
   null_fd = open("/dev/null", O_WRONLY);
   if (zero_fd < 0 || null_fd < 0)
      return 1;

   pthread_create(&t[0], NULL, filler, NULL);
   pthread_create(&t[1], NULL, sender, NULL);
   pthread_join(t[0], NULL);
   pthread_join(t[1], NULL);

   halves = malloc(128);
   for (i = 0; i < 2; i++)
      pthread_create(&t[i], NULL, half_reader, (void *)i);
   for (i = 0; i < 2; i++)
      pthread_join(t[i], NULL);
   if (write(null_fd, halves, 128) != 128)
      return 1;
   free(halves);

   pthread_create(&t[0], NULL, join_filler, NULL);
   pthread_join(t[0], NULL);
   if (write(null_fd, joined_buffer, sizeof joined_buffer)
       != sizeof joined_buffer)
      return 1;

   pthread_create(&t[0], NULL, futex_waker, NULL);
   while (__atomic_load_n(&futex_word, __ATOMIC_SEQ_CST) == 0)
      syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
   pthread_join(t[0], NULL);
   printf("syscall_buffer_ok: %d\n", joined_buffer[3]);
   return 0;
}
