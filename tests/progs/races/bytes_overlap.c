/* bytes_overlap.c: two threads each store 4 bytes into one 8-byte word
   with no lock, one at offset 0 and one at offset 2: bytes 2 and 3 are
   written by both, a race even though the other bytes are split.
   race-suite: racy
   race-variable: word
*/
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

union {
   uint64_t all;
   uint32_t low;                       /* bytes 0 to 3 */
   struct __attribute__((packed)) {
      uint16_t skip;
      uint32_t mid;                    /* bytes 2 to 5 */
   } at2;
} word;
static pthread_barrier_t start;

__attribute__((noinline)) static void *write_low(void *arg)
{
   pthread_barrier_wait(&start);
   word.low = 0x11111111u; /* RACE */
   return arg;
}

__attribute__((noinline)) static void *write_mid(void *arg)
{
   pthread_barrier_wait(&start);
   word.at2.mid = 0x22222222u; /* RACE */
   return arg;
}

int main(void)
{
   pthread_t a, b;
   pthread_barrier_init(&start, NULL, 2);
   pthread_create(&a, NULL, write_low, NULL);
   pthread_create(&b, NULL, write_mid, NULL);
   pthread_join(a, NULL);
   pthread_join(b, NULL);
   pthread_barrier_destroy(&start);
   printf("bytes_overlap: bytes 6-7 are %04x\n", (unsigned)(word.all >> 48));
   return 0;
}
