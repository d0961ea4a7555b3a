/* demo_plugin.h: the interface of libdemo_plugin.so (demo_plugin.c), the
   small shared library that advanced_metrics_demo.c loads with dlopen to
   move heap blocks across an object-file boundary.  The executable never
   links against it: it looks the functions up with dlsym and types the
   pointers with these prototypes.  Runs on the real CPU natively, on the
   simulated one under Valgrind. */
#ifndef DEMO_PLUGIN_H
#define DEMO_PLUGIN_H

#include <stddef.h>

/* A record the plugin makes; the caller owns it and its payload. */
struct plugin_record {
   char name[32];
   unsigned char* payload;       /* payload_szB bytes, allocated by the plugin */
   size_t payload_szB;
   unsigned checksum;            /* of the payload, as the plugin filled it */
};

/* A record and its payload, both allocated (and named through memscope.h)
   in the plugin; the caller frees both with free(). */
struct plugin_record* plugin_make_record(const char* name, size_t payload_szB);

/* A buffer of szB bytes, every one `fill`, allocated in the plugin and
   named "ffi_buffer"; the caller frees it with free(). */
unsigned char* plugin_make_buffer(size_t szB, int fill);

/* Frees a block of szB bytes that the caller allocated, after summing its
   bytes; returns the sum. */
unsigned plugin_consume(unsigned char* block, size_t szB);

#endif /* DEMO_PLUGIN_H */
