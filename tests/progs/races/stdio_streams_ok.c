/* stdio_streams_ok.c: threads share streams in the ways the C library
   makes safe.  Three writers print to stdout, which has a buffer of the
   program's own (setvbuf), and to a file they all write with fprintf,
   and, under an explicit flockfile or a successful ftrylockfile, with
   putc_unlocked and fputs after the others' fprintf (built with
   optimisation, so that putc_unlocked is inline); two readers take
   lines from one file with fgets; a memory stream (open_memstream, which
   glibc keeps out of its list of streams) is written by two threads and
   read by the main thread after the joins; two
   threads print to an unbuffered fopencookie stream, whose write
   function (the program's) the library calls under the stream's lock.
   Every stream's buffer is written by several threads, each time under
   the stream's lock.
   race-suite: race-free
*/
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITERS 3
#define LINES 30
#define INPUT_LINES 400

static char stdout_buffer[2048];   /* stdout's buffer: the program's memory */
static FILE *shared_log;           /* every writer writes it */
static FILE *shared_input;         /* both readers read it */
static long lines_read[2];         /* each reader's own count */

__attribute__((noinline)) static void *writer(void *arg)
{
   long id = (long)arg;
   int i;
   for (i = 0; i < LINES; i++) {
      printf("stdio_streams_ok: writer %ld line %d\n", id, i);
      fprintf(shared_log, "writer %ld line %d\n", id, i);
      /* Writer 1 takes the stream's lock with ftrylockfile only, the
         others with flockfile: built with optimisation, putc_unlocked
         is the program's own store into the buffer. */
      if (id == 1) {
         while (ftrylockfile(shared_log) != 0)
            sched_yield();
      } else {
         flockfile(shared_log);
      }
      putc_unlocked('0' + (int)id, shared_log);
      putc_unlocked('\n', shared_log);
      fputs("under the lock\n", shared_log);
      funlockfile(shared_log);
   }
   return NULL;
}

__attribute__((noinline)) static void *reader(void *arg)
{
   long id = (long)arg;
   char line[64];
   while (fgets(line, sizeof line, shared_input) != NULL)
      lines_read[id]++;
   return NULL;
}

/* A fopencookie stream's sink: its state is the program's, serialised
   by the stream's lock. */
struct sink {
   char data[4096];
   size_t len;
};
static struct sink cookie_sink;
static FILE *cookie_stream;

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
   struct sink *s = cookie;
   if (n > sizeof s->data - s->len)
      n = sizeof s->data - s->len;
   memcpy(s->data + s->len, buf, n);
   s->len += n;
   return (ssize_t)n;
}

__attribute__((noinline)) static void *cookie_writer(void *arg)
{
   int i;
   for (i = 0; i < 20; i++)
      fprintf(cookie_stream, "%s %d\n", (const char *)arg, i);
   return NULL;
}

__attribute__((noinline)) static void *memstream_writer(void *arg)
{
   FILE *m = arg;
   int i;
   for (i = 0; i < 100; i++)
      fprintf(m, "entry %d;", i);
   return NULL;
}

int main(void)
{
   pthread_t w[WRITERS], r[2], m[2], c[2];
   cookie_io_functions_t sink_io = { NULL, sink_write, NULL, NULL };
   char *memory = NULL;
   size_t memory_len = 0;
   FILE *mem;
   long i;

   setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
   shared_log = tmpfile();
   shared_input = tmpfile();
   mem = open_memstream(&memory, &memory_len);
   cookie_stream = fopencookie(&cookie_sink, "w", sink_io);
   if (shared_log == NULL || shared_input == NULL || mem == NULL
       || cookie_stream == NULL)
      return 1;
   setvbuf(cookie_stream, NULL, _IONBF, 0);
   for (i = 0; i < INPUT_LINES; i++)
      fprintf(shared_input, "input line %ld\n", i);
   rewind(shared_input);

   for (i = 0; i < WRITERS; i++)
      pthread_create(&w[i], NULL, writer, (void *)i);
   for (i = 0; i < 2; i++)
      pthread_create(&r[i], NULL, reader, (void *)i);
   pthread_create(&m[0], NULL, memstream_writer, mem);
   pthread_create(&m[1], NULL, memstream_writer, mem);
   pthread_create(&c[0], NULL, cookie_writer, "first");
   pthread_create(&c[1], NULL, cookie_writer, "second");
   for (i = 0; i < WRITERS; i++)
      pthread_join(w[i], NULL);
   for (i = 0; i < 2; i++)
      pthread_join(r[i], NULL);
   pthread_join(m[0], NULL);
   pthread_join(m[1], NULL);
   pthread_join(c[0], NULL);
   pthread_join(c[1], NULL);
   fclose(cookie_stream);

   fclose(mem);
   printf("stdio_streams_ok: %ld lines read, memory stream of %zu bytes "
          "(%zu by strlen), log at %ld, cookie sink of %zu bytes\n",
          lines_read[0] + lines_read[1], memory_len, strlen(memory),
          ftell(shared_log), cookie_sink.len);
   free(memory);
   fclose(shared_log);
   fclose(shared_input);
   return lines_read[0] + lines_read[1] == INPUT_LINES ? 0 : 1;
}
