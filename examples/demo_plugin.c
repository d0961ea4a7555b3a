/* demo_plugin.c: libdemo_plugin.so, the shared library of
   advanced_metrics_demo.c's library-boundary scenario.  It allocates
   blocks that the executable frees (plugin_make_record,
   plugin_make_buffer) and frees blocks that the executable allocated
   (plugin_consume), naming what it allocates through memscope.h.  Built
   with -O0 (Makefile.am) so that no call to malloc or free becomes a
   tail call: the allocating and freeing frame must be this library's
   for memscope to see the boundary.  Runs on the real CPU natively, on
   the simulated one under Valgrind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memscope.h"
#include "demo_plugin.h"

static unsigned checksum(const unsigned char* bytes, size_t szB)
{
   unsigned sum = 0;
   size_t i;
   for (i = 0; i < szB; i++)
      sum = sum * 31 + bytes[i];
   return sum;
}

struct plugin_record* plugin_make_record(const char* name, size_t payload_szB)
{
   struct plugin_record* record = malloc(sizeof *record);
   size_t i;
   if (record == NULL)
      return NULL;
   record->payload = malloc(payload_szB);
   if (record->payload == NULL) {
      free(record);
      return NULL;
   }
   snprintf(record->name, sizeof record->name, "%s", name);
   record->payload_szB = payload_szB;
   for (i = 0; i < payload_szB; i++)
      record->payload[i] = (unsigned char)(i * 7 + 1);
   record->checksum = checksum(record->payload, payload_szB);
   MEMSCOPE_NAME_BLOCK(record, sizeof *record, "plugin_record",
                       "struct plugin_record");
   MEMSCOPE_NAME_BLOCK(record->payload, payload_szB, "plugin_payload",
                       "unsigned char[]");
   return record;
}

unsigned char* plugin_make_buffer(size_t szB, int fill)
{
   unsigned char* buffer = malloc(szB);
   if (buffer == NULL)
      return NULL;
   memset(buffer, fill, szB);
   MEMSCOPE_NAME_BLOCK(buffer, szB, "ffi_buffer", "unsigned char[]");
   return buffer;
}

unsigned plugin_consume(unsigned char* block, size_t szB)
{
   unsigned sum = checksum(block, szB);
   free(block);
   return sum;
}
