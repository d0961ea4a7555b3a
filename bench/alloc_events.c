/* alloc_events.c: makes exactly N heap events (N/2 allocations of mixed
   sizes from 8 call sites, each freed), for measuring the log and the
   report at a known size.  Usage: alloc_events N */
#include <stdio.h>
#include <stdlib.h>

#define LIVE 4096

static void* site(int which, size_t size)
{
   switch (which & 7) {
   case 0: return malloc(size);
   case 1: return malloc(size + 8);
   case 2: return calloc(1, size);
   case 3: return malloc(size * 2);
   case 4: return malloc(size + 64);
   case 5: return calloc(2, size);
   case 6: return malloc(size + 128);
   default: return malloc(size + 256);
   }
}

int main(int argc, char** argv)
{
   static void* live[LIVE];
   long n = argc > 1 ? atol(argv[1]) : 100000, i;
   for (i = 0; i < n / 2; i++) {
      long slot = (i * 2654435761u) % LIVE;
      free(live[slot]);   /* one free per allocation after the first LIVE */
      live[slot] = site((int)i, (size_t)(16 + i % 200));
   }
   for (i = 0; i < LIVE; i++)
      free(live[i]);
   printf("alloc_events: %ld allocations\n", n / 2);
   return 0;
}
