/* stdio_ok.c: three threads write to stdout and stderr at once with
   printf, fputs, fwrite, fprintf and, under an explicit flockfile,
   putc_unlocked.  The C library locks each FILE inside these calls (a
   lock of its own, not a pthread mutex), so the stream buffers are never
   raced on.
   race-suite: race-free
*/
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) static void *writer(void *arg)
{
   long id = (long)arg;
   int i;
   for (i = 0; i < 20; i++) {
      printf("stdio_ok: thread %ld printf %d\n", id, i);
      fputs("stdio_ok: fputs\n", stdout);
      fwrite("stdio_ok: fwrite\n", 1, 17, stdout);
      fprintf(stderr, "stdio_ok: thread %ld stderr %d\n", id, i);
      flockfile(stdout);
      putc_unlocked('#', stdout);
      putc_unlocked('\n', stdout);
      funlockfile(stdout);
   }
   return NULL;
}

int main(void)
{
   pthread_t t[3];
   long i;
   for (i = 0; i < 3; i++)
      pthread_create(&t[i], NULL, writer, (void *)i);
   for (i = 0; i < 3; i++)
      pthread_join(t[i], NULL);
   return 0;
}
