/* stdio_user.c: a buffer of the program's own, written by one thread
   with memcpy while another passes it to fwrite.  argv[1] "racy": no
   lock between them (a race inside the C library's code on the
   program's memory, which the FILE's own lock does not cover);
   "strlen": the same, the other thread taking strlen of it instead (a
   race inside memscope's own strlen, which replaces glibc's);
   "locked": both hold one mutex (race-free).  Output goes to stdout. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define LINE 32
#define ROUNDS 200

char shared_line[LINE];
static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;
static int locked, measure;
static size_t measured;

__attribute__((noinline)) static void *filler(void *arg)
{
   static const char text[2][LINE + 1] = {
      "stdio_user: aaaaaaaaaaaaaaaaaaa\n", "stdio_user: bbbbbbbbbbbbbbbbbbb\n"
   };
   int i;
   for (i = 0; i < ROUNDS; i++) {
      if (locked)
         pthread_mutex_lock(&line_lock);
      memcpy(shared_line, text[i & 1], LINE);          /* the write */
      if (locked)
         pthread_mutex_unlock(&line_lock);
   }
   return arg;
}

__attribute__((noinline)) static void *printer(void *arg)
{
   int i;
   for (i = 0; i < ROUNDS; i++) {
      if (locked)
         pthread_mutex_lock(&line_lock);
      if (measure)
         measured += strlen(shared_line);              /* the read */
      else
         fwrite(shared_line, 1, LINE, stdout);         /* the read */
      if (locked)
         pthread_mutex_unlock(&line_lock);
   }
   return arg;
}

int main(int argc, char **argv)
{
   pthread_t a, b;
   locked = argc > 1 && strcmp(argv[1], "locked") == 0;
   measure = argc > 1 && strcmp(argv[1], "strlen") == 0;
   memcpy(shared_line, "stdio_user: start..............\n", LINE);
   pthread_create(&a, NULL, filler, NULL);
   pthread_create(&b, NULL, printer, NULL);
   pthread_join(a, NULL);
   pthread_join(b, NULL);
   if (measure)
      printf("stdio_user: measured %zu\n", measured);
   return 0;
}
