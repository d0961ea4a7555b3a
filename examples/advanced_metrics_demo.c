/* advanced_metrics_demo.c: the example that `make demo` (and so ./setup)
   runs under memscope, through examples/run_demo.py.  A C rendition of
   memscope-rs's advanced_metrics_demo: the same scenarios, each object
   that matters named (and typed) through memscope.h, every thread named.

     1. Nested structures: complex_map (10 outer keys, each a sorted list
        of 5 inner keys holding 10 strings), matrix (double***, 5x5x5),
        complex_data (8 keys to 50-byte arrays), complex_queue (a list of
        15 items, each with a label, 20 floats and a metadata pair).
     2. Pointer relationships between named blocks: shared_data, a
        reference-counted array held by the handles ref1, ref2 and ref3;
        guarded_map (a mutex-protected map of 20 keys); binary_tree (31
        nodes, depth 5); ring_list (a doubly linked ring of 6 nodes);
        boxed_complex.  MEMSCOPE_SNAPSHOT() records the heap's pointer
        graph while they are live; they are then freed.
     3. A shared-library boundary: libdemo_plugin.so (demo_plugin.c),
        loaded with dlopen, allocates 3 plugin_record blocks with their
        plugin_payload blocks and 2 ffi_buffer blocks, which this program
        frees (the last record after dlclose); it frees the 2 raw_data
        blocks this program allocated.  Also unsafe_data (type punning
        through memcpy) and manual_buffer (posix_memalign).
     4. Threads (19, each named with pthread_setname_np):
        producer-1..3 and consumer-1..2 on shared_buffer (a bounded queue
        of heap strings: one mutex, two condition variables) with
        buffer_stats (produced, consumed; its own mutex);
        cache-writer-1..2 and cache-reader-1..4 on shared_cache (an rwlock
        over a table of heap buffers) with cache_metrics (reads, writes,
        misses; a mutex); worker-1..4, each with its own mutex-protected
        deque (work_queue_1..4, tasks dealt 32/16/8/8) from whose back
        idle workers steal, started together by a barrier, with
        work_stats; atomic-1..4 on
        atomic_counter and atomic_flags (four atomic_bool).
     5. Memory layout: padded_data, optimized_data (the same fields
        reordered), packed_data, aligned_data (cache-line aligned),
        cache_friendly (hot fields apart from cold strings).
     6. Performance-critical allocations: large_buffer (1 MiB),
        preallocated_vec (5,000 strings), preallocated_map (500 values in
        an open-addressing table), ring_buffer, memory_pool (100 blocks),
        growing_vec (grown by realloc).
     7. Main-thread allocations with clear names: main_thread_buffer,
        main_thread_map, main_thread_string, main_thread_tuple.

   Everything is freed except two deliberate leaks, for the report's leak
   views (tests/test_demo.py checks the exact summary):
     - session_cache (a global) holding 3 sessions, their user names and
       the session_config they share: still reachable, 160 bytes in 8
       blocks;
     - forgotten_buffer, 256 bytes whose last pointer is dropped:
       definitely lost, 256 bytes in 1 block.

   Race-free by construction, and so that Helgrind and DRD stay silent
   too (checked by tests/test_demo.py): shared data moves only under
   mutexes, condition variables, the rwlock, thread creation and join;
   no thread holds two locks at once; atomics are only read-modify-writes
   (fetch_add, exchange) on the two atomic objects, whose values main
   reads after joining the threads.  (A flag set with a plain release
   store is fine for memscope but a false race to Helgrind and DRD.)

   Usage: advanced_metrics_demo [path of libdemo_plugin.so]; by default
   the library next to the executable.  Runs natively in about 10 ms
   (most of it the workers' simulated I/O waits).  Runs on the real CPU natively, on the simulated one
   under Valgrind. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "memscope.h"
#include "demo_plugin.h"

static void die(const char* fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   fputs("advanced_metrics_demo: ", stderr);
   vfprintf(stderr, fmt, ap);
   fputc('\n', stderr);
   va_end(ap);
   exit(1);
}

static void* checked(void* block)
{
   if (block == NULL)
      die("out of memory");
   return block;
}

/* Allocation through macros, not helper functions: the report labels an
   allocation site with the program's innermost frame, which must be the
   scenario's own line.  FORMAT evaluates its arguments twice. */
#define ALLOC(szB) checked(malloc(szB))
#define ALLOC_ZERO(n, szB) checked(calloc((n), (szB)))
#define FORMAT(...)                                                   \
   ({ size_t n_ = (size_t)snprintf(NULL, 0, __VA_ARGS__) + 1;         \
      char* s_ = ALLOC(n_);                                           \
      snprintf(s_, n_, __VA_ARGS__);                                  \
      s_; })

/* On each scenario's function: its name, not main's, then labels the
   allocation sites and stacks of the report. */
#define SCENARIO __attribute__((noinline)) static

static void say(const char* fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   fputs("advanced_metrics_demo: ", stdout);
   vprintf(fmt, ap);
   fputc('\n', stdout);
   va_end(ap);
}

/* The calling thread's name, "ROLE-ID" (at most 15 characters). */
static void name_thread(const char* role, int id)
{
   char name[16];
   snprintf(name, sizeof name, "%s-%d", role, id);
   pthread_setname_np(pthread_self(), name);
}

static void start(pthread_t* thread, void* (*fn)(void*), void* arg)
{
   int err = pthread_create(thread, NULL, fn, arg);
   if (err != 0)
      die("pthread_create: %s", strerror(err));
}

static void join(pthread_t thread)
{
   int err = pthread_join(thread, NULL);
   if (err != 0)
      die("pthread_join: %s", strerror(err));
}

/* FNV-1a: a string's hash. */
static unsigned string_hash(const char* s)
{
   unsigned h = 2166136261u;
   while (*s)
      h = (h ^ (unsigned char)*s++) * 16777619u;
   return h;
}

/* ---- 1. nested structures ---------------------------------------------- */
#define OUTER_KEYS 10
#define INNER_KEYS 5
#define STRINGS_PER_KEY 10
#define MAP_BUCKETS 16
#define MATRIX_N 5
#define DATA_KEYS 8
#define QUEUE_ITEMS 15

struct inner_entry {            /* one key of an inner map, keys in order */
   char* key;
   char** data;                 /* STRINGS_PER_KEY strings */
   struct inner_entry* next;
};
struct outer_entry {            /* one key of the outer hash map */
   char* key;
   struct inner_entry* inner;
   struct outer_entry* next;    /* the bucket's chain */
};
struct complex_map {
   struct outer_entry* bucket[MAP_BUCKETS];
   size_t entries;
};
struct byte_entry { char* key; unsigned char* bytes; size_t len; };
struct byte_map { struct byte_entry entry[DATA_KEYS]; size_t entries; };
struct meta_pair { char* key; int value; };
struct queue_item {
   char* label;
   float* values;               /* 20 */
   struct meta_pair* meta;
   struct queue_item* next;
};

SCENARIO struct complex_map* build_complex_map(void)
{
   struct complex_map* map = ALLOC_ZERO(1, sizeof *map);
   int i, j, k;
   for (i = 0; i < OUTER_KEYS; i++) {
      struct outer_entry* outer = ALLOC(sizeof *outer);
      struct inner_entry** tail = &outer->inner;
      unsigned b;
      outer->key = FORMAT("outer_key_%d", i);
      for (j = 0; j < INNER_KEYS; j++) {
         struct inner_entry* inner = ALLOC(sizeof *inner);
         inner->key = FORMAT("key_%d", j);
         inner->data = ALLOC(STRINGS_PER_KEY * sizeof *inner->data);
         for (k = 0; k < STRINGS_PER_KEY; k++)
            inner->data[k] = FORMAT("data_%d_%d", i, j);
         inner->next = NULL;
         *tail = inner;
         tail = &inner->next;
      }
      b = string_hash(outer->key) % MAP_BUCKETS;
      outer->next = map->bucket[b];
      map->bucket[b] = outer;
      map->entries++;
   }
   return map;
}

static void free_complex_map(struct complex_map* map)
{
   int b, k;
   for (b = 0; b < MAP_BUCKETS; b++) {
      while (map->bucket[b] != NULL) {
         struct outer_entry* outer = map->bucket[b];
         map->bucket[b] = outer->next;
         while (outer->inner != NULL) {
            struct inner_entry* inner = outer->inner;
            outer->inner = inner->next;
            for (k = 0; k < STRINGS_PER_KEY; k++)
               free(inner->data[k]);
            free(inner->data);
            free(inner->key);
            free(inner);
         }
         free(outer->key);
         free(outer);
      }
   }
   free(map);
}

SCENARIO void nested_structures(void)
{
   struct complex_map* complex_map = build_complex_map();
   double*** matrix;
   struct byte_map* complex_data;
   struct queue_item* complex_queue = NULL;
   struct queue_item** tail = &complex_queue;
   int i, j, k;
   double trace = 0;
   MEMSCOPE_TRACK_VAR_TYPED(complex_map, "struct complex_map");

   matrix = ALLOC(MATRIX_N * sizeof *matrix);
   for (i = 0; i < MATRIX_N; i++) {
      matrix[i] = ALLOC(MATRIX_N * sizeof *matrix[i]);
      for (j = 0; j < MATRIX_N; j++) {
         matrix[i][j] = ALLOC(MATRIX_N * sizeof *matrix[i][j]);
         for (k = 0; k < MATRIX_N; k++)
            matrix[i][j][k] = (double)(i * j * k);
      }
   }
   MEMSCOPE_TRACK_VAR_TYPED(matrix, "double***");

   complex_data = ALLOC_ZERO(1, sizeof *complex_data);
   for (i = 0; i < DATA_KEYS; i++) {
      struct byte_entry* e = &complex_data->entry[complex_data->entries++];
      e->key = FORMAT("complex_key_%d", i);
      e->len = 50;
      e->bytes = ALLOC(e->len);
      memset(e->bytes, i, e->len);
   }
   MEMSCOPE_TRACK_VAR_TYPED(complex_data, "struct byte_map");

   for (i = 0; i < QUEUE_ITEMS; i++) {
      struct queue_item* item = ALLOC(sizeof *item);
      item->label = FORMAT("queue_item_%d", i);
      item->values = ALLOC(20 * sizeof *item->values);
      for (j = 0; j < 20; j++)
         item->values[j] = (float)i;
      item->meta = ALLOC(sizeof *item->meta);
      item->meta->key = FORMAT("meta_%d", i);
      item->meta->value = i * 2;
      item->next = NULL;
      *tail = item;
      tail = &item->next;
   }
   MEMSCOPE_TRACK_VAR_TYPED(complex_queue, "struct queue_item");

   for (i = 0; i < MATRIX_N; i++)
      trace += matrix[i][i][i];
   say("nested structures: complex_map %zu outer keys x %d inner keys x %d "
       "strings, matrix %dx%dx%d (trace %.0f), complex_data %zu keys, "
       "complex_queue %d items", complex_map->entries, INNER_KEYS,
       STRINGS_PER_KEY, MATRIX_N, MATRIX_N, MATRIX_N, trace,
       complex_data->entries, QUEUE_ITEMS);

   free_complex_map(complex_map);
   for (i = 0; i < MATRIX_N; i++) {
      for (j = 0; j < MATRIX_N; j++)
         free(matrix[i][j]);
      free(matrix[i]);
   }
   free(matrix);
   for (i = 0; i < DATA_KEYS; i++) {
      free(complex_data->entry[i].key);
      free(complex_data->entry[i].bytes);
   }
   free(complex_data);
   while (complex_queue != NULL) {
      struct queue_item* item = complex_queue;
      complex_queue = item->next;
      free(item->meta->key);
      free(item->meta);
      free(item->values);
      free(item->label);
      free(item);
   }
}

/* ---- 2. pointer relationships ------------------------------------------ */
#define GUARDED_KEYS 20
#define TREE_DEPTH 5
#define RING_NODES 6

struct rc_vec { long refs; size_t len; int data[10]; };
struct rc_handle { struct rc_vec* target; char holder[16]; };
struct guarded_map {
   pthread_mutex_t lock;
   char* key[GUARDED_KEYS];
   unsigned char* value[GUARDED_KEYS];     /* 30 bytes each */
   size_t entries;
};
struct tree_node { long key; double weight; struct tree_node *left, *right; };
struct ring_node { int id; struct ring_node *prev, *next; };
struct boxed_complex {
   char* strings[15];
   unsigned* nested_vec;        /* 40 */
   unsigned* another_vec;       /* 35 */
};

static struct rc_handle* rc_share(struct rc_vec* target, const char* holder)
{
   struct rc_handle* h = ALLOC(sizeof *h);
   target->refs++;
   h->target = target;
   snprintf(h->holder, sizeof h->holder, "%s", holder);
   return h;
}

static void rc_drop(struct rc_handle* h)
{
   if (--h->target->refs == 0)
      free(h->target);
   free(h);
}

/* A balanced search tree of the keys [lo, hi). */
static struct tree_node* build_tree(long lo, long hi)
{
   struct tree_node* node;
   long mid;
   if (lo >= hi)
      return NULL;
   mid = lo + (hi - lo) / 2;
   node = ALLOC(sizeof *node);
   node->key = mid;
   node->weight = (double)mid / 2;
   node->left = build_tree(lo, mid);
   node->right = build_tree(mid + 1, hi);
   return node;
}

static int tree_depth(const struct tree_node* node)
{
   int l, r;
   if (node == NULL)
      return 0;
   l = tree_depth(node->left);
   r = tree_depth(node->right);
   return 1 + (l > r ? l : r);
}

static void free_tree(struct tree_node* node)
{
   if (node == NULL)
      return;
   free_tree(node->left);
   free_tree(node->right);
   free(node);
}

SCENARIO void pointer_relationships(void)
{
   struct rc_vec* shared_data = ALLOC(sizeof *shared_data);
   struct rc_handle *ref1, *ref2, *ref3;
   struct guarded_map* guarded_map;
   struct tree_node* binary_tree;
   struct ring_node* ring_list = NULL;
   struct boxed_complex* boxed_complex;
   int i;

   shared_data->refs = 0;
   shared_data->len = 10;
   for (i = 0; i < 10; i++)
      shared_data->data[i] = i + 1;
   MEMSCOPE_TRACK_VAR_TYPED(shared_data, "struct rc_vec");
   ref1 = rc_share(shared_data, "ref1");
   ref2 = rc_share(shared_data, "ref2");
   ref3 = rc_share(shared_data, "ref3");
   MEMSCOPE_TRACK_VAR_TYPED(ref1, "struct rc_handle");
   MEMSCOPE_TRACK_VAR_TYPED(ref2, "struct rc_handle");
   MEMSCOPE_TRACK_VAR_TYPED(ref3, "struct rc_handle");

   guarded_map = ALLOC_ZERO(1, sizeof *guarded_map);
   pthread_mutex_init(&guarded_map->lock, NULL);
   MEMSCOPE_TRACK_VAR_TYPED(guarded_map, "struct guarded_map");
   for (i = 0; i < GUARDED_KEYS; i++) {
      pthread_mutex_lock(&guarded_map->lock);
      guarded_map->key[i] = FORMAT("thread_key_%d", i);
      guarded_map->value[i] = ALLOC(30);
      memset(guarded_map->value[i], i, 30);
      guarded_map->entries++;
      pthread_mutex_unlock(&guarded_map->lock);
   }

   binary_tree = build_tree(0, (1L << TREE_DEPTH) - 1);
   MEMSCOPE_TRACK_VAR_TYPED(binary_tree, "struct tree_node");

   for (i = 0; i < RING_NODES; i++) {
      struct ring_node* node = ALLOC(sizeof *node);
      node->id = i;
      if (ring_list == NULL) {
         node->prev = node->next = node;
         ring_list = node;
      } else {
         node->prev = ring_list->prev;
         node->next = ring_list;
         ring_list->prev->next = node;
         ring_list->prev = node;
      }
   }
   MEMSCOPE_TRACK_VAR_TYPED(ring_list, "struct ring_node");

   boxed_complex = ALLOC(sizeof *boxed_complex);
   for (i = 0; i < 15; i++)
      boxed_complex->strings[i] = FORMAT("boxed_string_%d", i);
   boxed_complex->nested_vec = ALLOC(40 * sizeof(unsigned));
   boxed_complex->another_vec = ALLOC(35 * sizeof(unsigned));
   for (i = 0; i < 40; i++)
      boxed_complex->nested_vec[i] = 42;
   for (i = 0; i < 35; i++)
      boxed_complex->another_vec[i] = 84;
   MEMSCOPE_TRACK_VAR_TYPED(boxed_complex, "struct boxed_complex");

   /* The pointer graph and leak classes now, with all of it live (the
      report lists this scan beside the one at exit). */
   MEMSCOPE_SNAPSHOT();
   say("pointer relationships: shared_data held by %ld handles, "
       "guarded_map %zu keys, binary_tree %d nodes of depth %d, "
       "ring_list %d nodes, boxed_complex 15 strings",
       shared_data->refs, guarded_map->entries, (1 << TREE_DEPTH) - 1,
       tree_depth(binary_tree), RING_NODES);

   rc_drop(ref1);
   rc_drop(ref2);
   rc_drop(ref3);               /* the last handle frees shared_data */
   for (i = 0; i < GUARDED_KEYS; i++) {
      free(guarded_map->key[i]);
      free(guarded_map->value[i]);
   }
   pthread_mutex_destroy(&guarded_map->lock);
   free(guarded_map);
   free_tree(binary_tree);
   ring_list->prev->next = NULL;
   while (ring_list != NULL) {
      struct ring_node* next = ring_list->next;
      free(ring_list);
      ring_list = next;
   }
   for (i = 0; i < 15; i++)
      free(boxed_complex->strings[i]);
   free(boxed_complex->nested_vec);
   free(boxed_complex->another_vec);
   free(boxed_complex);
}

/* ---- 3. a shared-library boundary and unsafe code ---------------------- */
#define PLUGIN_RECORDS 3
#define PLUGIN_BUFFERS 2
#define RAW_BLOCKS 2

static void* plugin_symbol(void* lib, const char* name)
{
   void* fn = dlsym(lib, name);
   if (fn == NULL)
      die("%s: %s", name, dlerror());
   return fn;
}

SCENARIO void library_boundary(const char* plugin_path)
{
   void* lib = dlopen(plugin_path, RTLD_NOW | RTLD_LOCAL);
   __typeof__(&plugin_make_record) make_record;
   __typeof__(&plugin_make_buffer) make_buffer;
   __typeof__(&plugin_consume) consume;
   struct plugin_record* record[PLUGIN_RECORDS];
   unsigned char* ffi_buffer[PLUGIN_BUFFERS];
   unsigned char* raw_data;
   unsigned char* unsafe_data;
   unsigned char* manual_buffer;
   uint64_t* words;
   int64_t int_value = 0x123456789ABCDEF0;
   size_t payload_szB = 0;
   unsigned sums = 0;
   int i;
   void* aligned;

   if (lib == NULL)
      die("%s", dlerror());
   make_record = (__typeof__(make_record))plugin_symbol(lib, "plugin_make_record");
   make_buffer = (__typeof__(make_buffer))plugin_symbol(lib, "plugin_make_buffer");
   consume = (__typeof__(consume))plugin_symbol(lib, "plugin_consume");

   for (i = 0; i < PLUGIN_RECORDS; i++) {
      char name[32];
      snprintf(name, sizeof name, "record_%d", i);
      record[i] = make_record(name, 64 + 32 * (size_t)i);
      if (record[i] == NULL)
         die("plugin_make_record: out of memory");
      payload_szB += record[i]->payload_szB;
   }
   for (i = 0; i < PLUGIN_BUFFERS; i++) {
      ffi_buffer[i] = make_buffer(2048, 0xAB);
      if (ffi_buffer[i] == NULL)
         die("plugin_make_buffer: out of memory");
   }
   for (i = 0; i < RAW_BLOCKS; i++) {
      raw_data = ALLOC(1024);
      MEMSCOPE_TRACK_VAR_TYPED(raw_data, "unsigned char[1024]");
      memset(raw_data, i, 1024);
      sums += consume(raw_data, 1024);   /* freed in the library */
   }

   /* Freed here, in the executable: blocks the library allocated. */
   for (i = 0; i < PLUGIN_BUFFERS; i++)
      free(ffi_buffer[i]);
   for (i = 0; i < PLUGIN_RECORDS - 1; i++) {
      free(record[i]->payload);
      free(record[i]);
   }
   dlclose(lib);
   /* The library is gone: the log already holds its frames. */
   free(record[PLUGIN_RECORDS - 1]->payload);
   free(record[PLUGIN_RECORDS - 1]);

   /* Type punning through memcpy, then a byte patched. */
   unsafe_data = ALLOC(sizeof int_value);
   memcpy(unsafe_data, &int_value, sizeof int_value);
   unsafe_data[0] = 0xFF;
   MEMSCOPE_TRACK_VAR_TYPED(unsafe_data, "unsigned char[8]");

   /* Manual memory management: 16-byte aligned, filled word by word. */
   if (posix_memalign(&aligned, 16, 4096) != 0)
      die("posix_memalign: out of memory");
   manual_buffer = aligned;
   MEMSCOPE_TRACK_VAR_TYPED(manual_buffer, "uint64_t[512]");
   words = aligned;
   for (i = 0; i < 512; i++)
      words[i] = (uint64_t)i * 0x0123456789ABCDEFULL;

   say("library boundary: %d records (%zu payload bytes) and %d buffers "
       "from libdemo_plugin.so freed here, %d raw_data blocks freed there "
       "(checksum %u); unsafe_data 0x%02x..., manual_buffer 16-aligned",
       PLUGIN_RECORDS, payload_szB, PLUGIN_BUFFERS, RAW_BLOCKS, sums,
       unsafe_data[0]);
   free(unsafe_data);
   free(manual_buffer);
}

/* ---- 4a. producers and consumers on a bounded queue -------------------- */
#define PRODUCERS 3
#define CONSUMERS 2
#define ITEMS_PER_PRODUCER 40
#define QUEUE_CAPACITY 8

struct bounded_queue {
   pthread_mutex_t lock;
   pthread_cond_t not_empty, not_full;
   char* item[QUEUE_CAPACITY];  /* count items from head, round the ring */
   size_t head, count;
   int producers_left;          /* consumers stop at 0 with the queue empty */
};
struct buffer_stats { pthread_mutex_t lock; size_t produced, consumed; };
struct consumer_data { size_t items, capacity, bytes; char** item; };
struct pc_args {
   struct bounded_queue* queue;
   struct buffer_stats* stats;
   int id;
   size_t consumed_bytes;       /* a consumer's, read by main after join */
};

static void* producer(void* arg)
{
   struct pc_args* a = arg;
   struct bounded_queue* q = a->queue;
   int i;
   name_thread("producer", a->id);
   for (i = 0; i < ITEMS_PER_PRODUCER; i++) {
      char* item = FORMAT("producer_%d_item_%d", a->id, i);
      pthread_mutex_lock(&q->lock);
      while (q->count == QUEUE_CAPACITY)
         pthread_cond_wait(&q->not_full, &q->lock);
      q->item[(q->head + q->count++) % QUEUE_CAPACITY] = item;
      pthread_cond_signal(&q->not_empty);
      pthread_mutex_unlock(&q->lock);

      pthread_mutex_lock(&a->stats->lock);
      a->stats->produced++;
      pthread_mutex_unlock(&a->stats->lock);
   }
   pthread_mutex_lock(&q->lock);
   q->producers_left--;
   pthread_cond_broadcast(&q->not_empty);
   pthread_mutex_unlock(&q->lock);
   return NULL;
}

static void* consumer(void* arg)
{
   struct pc_args* a = arg;
   struct bounded_queue* q = a->queue;
   struct consumer_data* consumer_data = ALLOC_ZERO(1, sizeof *consumer_data);
   size_t i;
   name_thread("consumer", a->id);
   MEMSCOPE_TRACK_VAR_TYPED(consumer_data, "struct consumer_data");
   for (;;) {
      char* item;
      pthread_mutex_lock(&q->lock);
      while (q->count == 0 && q->producers_left > 0)
         pthread_cond_wait(&q->not_empty, &q->lock);
      if (q->count == 0) {
         pthread_mutex_unlock(&q->lock);
         break;
      }
      item = q->item[q->head];
      q->head = (q->head + 1) % QUEUE_CAPACITY;
      q->count--;
      pthread_cond_signal(&q->not_full);
      pthread_mutex_unlock(&q->lock);

      if (consumer_data->items == consumer_data->capacity) {
         consumer_data->capacity = consumer_data->capacity ? 2 * consumer_data->capacity : 8;
         consumer_data->item = checked(realloc(consumer_data->item,
            consumer_data->capacity * sizeof *consumer_data->item));
      }
      consumer_data->item[consumer_data->items++] = item;
      consumer_data->bytes += strlen(item);

      pthread_mutex_lock(&a->stats->lock);
      a->stats->consumed++;
      pthread_mutex_unlock(&a->stats->lock);
   }
   a->consumed_bytes = consumer_data->bytes;
   for (i = 0; i < consumer_data->items; i++)
      free(consumer_data->item[i]);        /* a producer's blocks */
   free(consumer_data->item);
   free(consumer_data);
   return NULL;
}

SCENARIO void producers_consumers(void)
{
   struct bounded_queue* shared_buffer = ALLOC_ZERO(1, sizeof *shared_buffer);
   struct buffer_stats* buffer_stats = ALLOC_ZERO(1, sizeof *buffer_stats);
   struct pc_args args[PRODUCERS + CONSUMERS];
   pthread_t thread[PRODUCERS + CONSUMERS];
   size_t bytes = 0;
   int i;

   pthread_mutex_init(&shared_buffer->lock, NULL);
   pthread_cond_init(&shared_buffer->not_empty, NULL);
   pthread_cond_init(&shared_buffer->not_full, NULL);
   shared_buffer->producers_left = PRODUCERS;
   pthread_mutex_init(&buffer_stats->lock, NULL);
   MEMSCOPE_TRACK_VAR_TYPED(shared_buffer, "struct bounded_queue");
   MEMSCOPE_TRACK_VAR_TYPED(buffer_stats, "struct buffer_stats");

   for (i = 0; i < PRODUCERS + CONSUMERS; i++) {
      args[i].queue = shared_buffer;
      args[i].stats = buffer_stats;
      args[i].id = i < PRODUCERS ? i + 1 : i - PRODUCERS + 1;
      args[i].consumed_bytes = 0;
   }
   for (i = 0; i < PRODUCERS + CONSUMERS; i++)
      start(&thread[i], i < PRODUCERS ? producer : consumer, &args[i]);
   for (i = 0; i < PRODUCERS + CONSUMERS; i++) {
      join(thread[i]);
      bytes += args[i].consumed_bytes;
   }
   if (buffer_stats->produced != PRODUCERS * ITEMS_PER_PRODUCER ||
       buffer_stats->consumed != buffer_stats->produced)
      die("producers/consumers: %zu produced, %zu consumed",
          buffer_stats->produced, buffer_stats->consumed);
   say("producers/consumers: %d producers, %d consumers, queue of %d: "
       "%zu produced, %zu consumed, %zu bytes", PRODUCERS, CONSUMERS,
       QUEUE_CAPACITY, buffer_stats->produced, buffer_stats->consumed,
       bytes);

   pthread_cond_destroy(&shared_buffer->not_empty);
   pthread_cond_destroy(&shared_buffer->not_full);
   pthread_mutex_destroy(&shared_buffer->lock);
   pthread_mutex_destroy(&buffer_stats->lock);
   free(shared_buffer);
   free(buffer_stats);
}

/* ---- 4b. an rwlock-protected cache ------------------------------------- */
#define CACHE_WRITERS 2
#define CACHE_READERS 4
#define WRITES_PER_WRITER 20
#define READS_PER_READER 30
#define CACHE_SLOTS 8
#define WRITTEN_KEYS 5          /* writers' keys; readers ask for 7: 2 miss */
#define ASKED_KEYS 7

struct cache_slot { char key[8]; unsigned char* value; size_t len; };
struct rw_cache { pthread_rwlock_t lock; struct cache_slot slot[CACHE_SLOTS]; };
struct cache_metrics { pthread_mutex_t lock; size_t reads, writes, misses; };
struct read_result { int key; size_t len; };
struct cache_args {
   struct rw_cache* cache;
   struct cache_metrics* metrics;
   int id;
};

static void* cache_writer(void* arg)
{
   struct cache_args* a = arg;
   int i, s;
   name_thread("cache-writer", a->id);
   for (i = 0; i < WRITES_PER_WRITER; i++) {
      char key[8];
      size_t len = 50 + (size_t)i * 10;
      unsigned char* value = ALLOC(len);
      unsigned char* old = NULL;
      snprintf(key, sizeof key, "key_%d", i % WRITTEN_KEYS);
      memset(value, a->id, len);
      pthread_rwlock_wrlock(&a->cache->lock);
      for (s = 0; s < CACHE_SLOTS; s++) {
         struct cache_slot* slot = &a->cache->slot[s];
         if (slot->key[0] == '\0' || strcmp(slot->key, key) == 0) {
            old = slot->value;
            memcpy(slot->key, key, sizeof key);
            slot->value = value;
            slot->len = len;
            break;
         }
      }
      pthread_rwlock_unlock(&a->cache->lock);
      free(old);                /* no reader can hold it: they copy it */

      pthread_mutex_lock(&a->metrics->lock);
      a->metrics->writes++;
      pthread_mutex_unlock(&a->metrics->lock);
   }
   return NULL;
}

static void* cache_reader(void* arg)
{
   struct cache_args* a = arg;
   struct read_result* reader_results =
      ALLOC(READS_PER_READER * sizeof *reader_results);
   size_t hits = 0;
   int i, s;
   name_thread("cache-reader", a->id);
   MEMSCOPE_TRACK_VAR_TYPED(reader_results, "struct read_result[30]");
   for (i = 0; i < READS_PER_READER; i++) {
      char key[8];
      unsigned char* copy = NULL;
      size_t len = 0;
      snprintf(key, sizeof key, "key_%d", i % ASKED_KEYS);
      pthread_rwlock_rdlock(&a->cache->lock);
      for (s = 0; s < CACHE_SLOTS; s++) {
         const struct cache_slot* slot = &a->cache->slot[s];
         if (slot->key[0] != '\0' && strcmp(slot->key, key) == 0) {
            len = slot->len;
            copy = ALLOC(len);
            memcpy(copy, slot->value, len);
            break;
         }
      }
      pthread_rwlock_unlock(&a->cache->lock);

      pthread_mutex_lock(&a->metrics->lock);
      a->metrics->reads++;
      if (copy == NULL)
         a->metrics->misses++;
      pthread_mutex_unlock(&a->metrics->lock);
      if (copy != NULL) {
         reader_results[hits].key = i % ASKED_KEYS;
         reader_results[hits].len = len;
         hits++;
         free(copy);
      }
   }
   free(reader_results);
   return NULL;
}

SCENARIO void rwlock_cache(void)
{
   struct rw_cache* shared_cache = ALLOC_ZERO(1, sizeof *shared_cache);
   struct cache_metrics* cache_metrics = ALLOC_ZERO(1, sizeof *cache_metrics);
   struct cache_args args[CACHE_WRITERS + CACHE_READERS];
   pthread_t thread[CACHE_WRITERS + CACHE_READERS];
   int i, entries = 0;

   pthread_rwlock_init(&shared_cache->lock, NULL);
   pthread_mutex_init(&cache_metrics->lock, NULL);
   MEMSCOPE_TRACK_VAR_TYPED(shared_cache, "struct rw_cache");
   MEMSCOPE_TRACK_VAR_TYPED(cache_metrics, "struct cache_metrics");
   for (i = 0; i < CACHE_WRITERS + CACHE_READERS; i++) {
      args[i].cache = shared_cache;
      args[i].metrics = cache_metrics;
      args[i].id = i < CACHE_WRITERS ? i + 1 : i - CACHE_WRITERS + 1;
      start(&thread[i], i < CACHE_WRITERS ? cache_writer : cache_reader,
            &args[i]);
   }
   for (i = 0; i < CACHE_WRITERS + CACHE_READERS; i++)
      join(thread[i]);
   for (i = 0; i < CACHE_SLOTS; i++) {
      if (shared_cache->slot[i].value != NULL)
         entries++;
      free(shared_cache->slot[i].value);
   }
   say("rwlock cache: %d writers, %d readers: %zu reads, %zu writes, "
       "%zu misses, %d entries", CACHE_WRITERS, CACHE_READERS,
       cache_metrics->reads, cache_metrics->writes, cache_metrics->misses,
       entries);
   pthread_rwlock_destroy(&shared_cache->lock);
   pthread_mutex_destroy(&cache_metrics->lock);
   free(shared_cache);
   free(cache_metrics);
}

/* ---- 4c. work stealing ------------------------------------------------- */
#define WORKERS 4
#define TASKS 64
static const int tasks_dealt[WORKERS] = { 32, 16, 8, 8 };

/* The owner pops at the front, thieves at the back.  All tasks are dealt
   before the workers start and none is added later: a worker that finds
   every deque empty is done.  The workers leave a barrier together, so
   that none has finished before the last one starts. */
struct work_deque { pthread_mutex_t lock; char* task[TASKS]; size_t head, tail; };
struct work_stats { pthread_mutex_t lock; size_t done[WORKERS], stolen[WORKERS]; };
struct worker_args {
   struct work_deque** deque;   /* WORKERS */
   pthread_barrier_t* start_line;
   struct work_stats* stats;
   int id;                      /* 0-based */
};

static char* pop(struct work_deque* d, bool front)
{
   char* task = NULL;
   pthread_mutex_lock(&d->lock);
   if (d->head < d->tail)
      task = front ? d->task[d->head++] : d->task[--d->tail];
   pthread_mutex_unlock(&d->lock);
   return task;
}

/* A task: some computation, then a short wait as for I/O (which lets the
   other workers run, and steal, natively and under Valgrind alike). */
__attribute__((noinline)) static unsigned long run_task(const char* task)
{
   struct timespec io_wait = { 0, 100 * 1000 };
   unsigned long x = string_hash(task);
   int i;
   for (i = 0; i < 2000; i++)
      x = (x * 1103515245 + 12345) & 0x7fffffff;
   nanosleep(&io_wait, NULL);
   return x & 0xffff;
}

static void* worker(void* arg)
{
   struct worker_args* a = arg;
   char** worker_results = NULL;
   size_t results = 0, capacity = 0, i;
   name_thread("worker", a->id + 1);
   pthread_barrier_wait(a->start_line);
   for (;;) {
      int from = a->id, v;
      char* task = pop(a->deque[a->id], true);
      unsigned long sum;
      for (v = 1; task == NULL && v < WORKERS; v++) {
         from = (a->id + v) % WORKERS;
         task = pop(a->deque[from], false);
      }
      if (task == NULL)
         break;
      sum = run_task(task);
      if (results == capacity) {
         capacity = capacity ? 2 * capacity : 4;
         worker_results = checked(realloc(worker_results,
                                          capacity * sizeof *worker_results));
      }
      worker_results[results++] = from == a->id
         ? FORMAT("done: %s (%lu)", task, sum)
         : FORMAT("stolen_from_%d: %s (%lu)", from + 1, task, sum);
      free(task);               /* main's block */

      pthread_mutex_lock(&a->stats->lock);
      a->stats->done[a->id]++;
      if (from != a->id)
         a->stats->stolen[a->id]++;
      pthread_mutex_unlock(&a->stats->lock);
   }
   MEMSCOPE_TRACK_VAR_TYPED(worker_results, "char*[]");
   for (i = 0; i < results; i++)
      free(worker_results[i]);
   free(worker_results);
   return NULL;
}

SCENARIO void work_stealing(void)
{
   struct work_deque* deque[WORKERS];
   struct work_stats* work_stats = ALLOC_ZERO(1, sizeof *work_stats);
   struct worker_args args[WORKERS];
   pthread_t thread[WORKERS];
   pthread_barrier_t start_line;
   size_t done = 0, stolen = 0;
   int w, t;

   pthread_barrier_init(&start_line, NULL, WORKERS);
   pthread_mutex_init(&work_stats->lock, NULL);
   MEMSCOPE_TRACK_VAR_TYPED(work_stats, "struct work_stats");
   for (w = 0; w < WORKERS; w++) {
      char name[16];
      deque[w] = ALLOC_ZERO(1, sizeof *deque[w]);
      pthread_mutex_init(&deque[w]->lock, NULL);
      for (t = 0; t < tasks_dealt[w]; t++)
         deque[w]->task[deque[w]->tail++] = FORMAT("worker_%d_task_%d", w + 1, t);
      snprintf(name, sizeof name, "work_queue_%d", w + 1);
      MEMSCOPE_NAME_BLOCK(deque[w], sizeof *deque[w], name, "struct work_deque");
   }
   for (w = 0; w < WORKERS; w++) {
      args[w].deque = deque;
      args[w].start_line = &start_line;
      args[w].stats = work_stats;
      args[w].id = w;
      start(&thread[w], worker, &args[w]);
   }
   for (w = 0; w < WORKERS; w++)
      join(thread[w]);
   for (w = 0; w < WORKERS; w++) {
      done += work_stats->done[w];
      stolen += work_stats->stolen[w];
   }
   if (done != TASKS)
      die("work stealing: %zu of %d tasks done", done, TASKS);
   say("work stealing: %d workers, %d tasks dealt %d/%d/%d/%d, done "
       "%zu/%zu/%zu/%zu, %zu stolen", WORKERS, TASKS, tasks_dealt[0],
       tasks_dealt[1], tasks_dealt[2], tasks_dealt[3], work_stats->done[0],
       work_stats->done[1], work_stats->done[2], work_stats->done[3],
       stolen);
   for (w = 0; w < WORKERS; w++) {
      pthread_mutex_destroy(&deque[w]->lock);
      free(deque[w]);
   }
   pthread_barrier_destroy(&start_line);
   pthread_mutex_destroy(&work_stats->lock);
   free(work_stats);
}

/* ---- 4d. atomic counters and flags ------------------------------------- */
#define ATOMIC_THREADS 4
#define ATOMIC_ROUNDS 100
#define FLAGS 4

struct atomic_args {
   atomic_size_t* counter;
   atomic_bool* flags;          /* FLAGS */
   int id;
};

/* Only read-modify-writes touch the counter and the flags while the
   threads run: Helgrind and DRD see a plain store to an atomic as a race
   with the other threads' exchanges. */
static void* atomic_worker(void* arg)
{
   struct atomic_args* a = arg;
   char** atomic_results = ALLOC(2 * ATOMIC_ROUNDS * sizeof *atomic_results);
   size_t n = 0, i;
   int round;
   name_thread("atomic", a->id);
   MEMSCOPE_TRACK_VAR_TYPED(atomic_results, "char*[200]");
   for (round = 0; round < ATOMIC_ROUNDS; round++) {
      size_t old = atomic_fetch_add(a->counter, 1);
      int flag = round % FLAGS;
      bool set = round % 2 == 0;
      bool was = atomic_exchange(&a->flags[flag], set);
      atomic_results[n++] = FORMAT("increment: %zu -> %zu", old, old + 1);
      atomic_results[n++] = FORMAT("flag[%d]: %d -> %d", flag, was, set);
   }
   for (i = 0; i < n; i++)
      free(atomic_results[i]);
   free(atomic_results);
   return NULL;
}

SCENARIO void atomics(void)
{
   atomic_size_t* atomic_counter = ALLOC(sizeof *atomic_counter);
   atomic_bool* atomic_flags = ALLOC(FLAGS * sizeof *atomic_flags);
   struct atomic_args args[ATOMIC_THREADS];
   pthread_t thread[ATOMIC_THREADS];
   int i;

   atomic_init(atomic_counter, 0);
   for (i = 0; i < FLAGS; i++)
      atomic_init(&atomic_flags[i], false);
   MEMSCOPE_TRACK_VAR_TYPED(atomic_counter, "atomic_size_t");
   MEMSCOPE_TRACK_VAR_TYPED(atomic_flags, "atomic_bool[4]");
   for (i = 0; i < ATOMIC_THREADS; i++) {
      args[i].counter = atomic_counter;
      args[i].flags = atomic_flags;
      args[i].id = i + 1;
      start(&thread[i], atomic_worker, &args[i]);
   }
   for (i = 0; i < ATOMIC_THREADS; i++)
      join(thread[i]);
   /* After the joins: plain loads are ordered after every exchange. */
   if (atomic_load(atomic_counter) != ATOMIC_THREADS * ATOMIC_ROUNDS)
      die("atomics: counter %zu", atomic_load(atomic_counter));
   say("atomics: %d threads x %d rounds: atomic_counter %zu, "
       "atomic_flags %d%d%d%d", ATOMIC_THREADS, ATOMIC_ROUNDS,
       atomic_load(atomic_counter), atomic_load(&atomic_flags[0]),
       atomic_load(&atomic_flags[1]), atomic_load(&atomic_flags[2]),
       atomic_load(&atomic_flags[3]));
   free(atomic_counter);
   free(atomic_flags);
}

/* ---- 5. memory layout -------------------------------------------------- */
#define RECORDS 16
#define COLD_STRINGS 50

struct padded_record {          /* fields in a careless order: padding */
   char tag;
   double value;
   short kind;
   void* next;
   int count;
};
struct ordered_record {         /* the same fields, largest first */
   double value;
   void* next;
   int count;
   short kind;
   char tag;
};
struct __attribute__((packed)) packed_record {
   char tag;
   double value;
   short kind;
};
struct cache_friendly {         /* hot fields together, cold ones apart */
   uint64_t hot[8];
   char** cold;                 /* COLD_STRINGS */
};

SCENARIO void memory_layout(void)
{
   struct padded_record* padded_data = ALLOC_ZERO(RECORDS, sizeof *padded_data);
   struct ordered_record* optimized_data = ALLOC_ZERO(RECORDS, sizeof *optimized_data);
   struct packed_record* packed_data = ALLOC_ZERO(RECORDS, sizeof *packed_data);
   struct cache_friendly* cache_friendly = ALLOC(sizeof *cache_friendly);
   unsigned char* aligned_data = checked(aligned_alloc(64, 1024));
   int i;

   MEMSCOPE_TRACK_VAR_TYPED(padded_data, "struct padded_record[16]");
   MEMSCOPE_TRACK_VAR_TYPED(optimized_data, "struct ordered_record[16]");
   MEMSCOPE_TRACK_VAR_TYPED(packed_data, "struct packed_record[16]");
   MEMSCOPE_TRACK_VAR_TYPED(aligned_data, "unsigned char[1024]");
   for (i = 0; i < RECORDS; i++) {
      padded_data[i].value = optimized_data[i].value = i * 1.5;
      padded_data[i].count = optimized_data[i].count = i;
      packed_data[i].tag = (char)('a' + i);
      packed_data[i].value = i * 2.5;
   }
   memset(aligned_data, 0xAB, 1024);
   for (i = 0; i < 8; i++)
      cache_friendly->hot[i] = (uint64_t)i + 1;
   cache_friendly->cold = ALLOC(COLD_STRINGS * sizeof *cache_friendly->cold);
   for (i = 0; i < COLD_STRINGS; i++)
      cache_friendly->cold[i] = FORMAT("cold_data_%d", i);
   MEMSCOPE_TRACK_VAR_TYPED(cache_friendly, "struct cache_friendly");

   say("memory layout: a record takes %zu bytes padded, %zu reordered, "
       "%zu packed; aligned_data on a %d-byte boundary; cache_friendly "
       "%zu hot bytes, %d cold strings", sizeof *padded_data,
       sizeof *optimized_data, sizeof *packed_data,
       ((uintptr_t)aligned_data % 64) == 0 ? 64 : 1,
       sizeof cache_friendly->hot, COLD_STRINGS);

   for (i = 0; i < COLD_STRINGS; i++)
      free(cache_friendly->cold[i]);
   free(cache_friendly->cold);
   free(cache_friendly);
   free(aligned_data);
   free(packed_data);
   free(optimized_data);
   free(padded_data);
}

/* ---- 6. performance-critical allocations ------------------------------- */
#define LARGE_BUFFER_SZB (1024 * 1024)
#define VEC_CAPACITY 10000
#define VEC_ITEMS 5000
#define MAP_SLOTS 1024
#define MAP_ITEMS 500
#define RING_SLOTS 1024
#define POOL_BLOCKS 100

struct perf_entry { char* key; unsigned char* value; };   /* value: 100 bytes */

SCENARIO void performance_allocations(void)
{
   unsigned char* large_buffer = ALLOC(LARGE_BUFFER_SZB);
   char** preallocated_vec = ALLOC(VEC_CAPACITY * sizeof *preallocated_vec);
   struct perf_entry* preallocated_map = ALLOC_ZERO(MAP_SLOTS, sizeof *preallocated_map);
   uint64_t* ring_buffer = ALLOC_ZERO(RING_SLOTS, sizeof *ring_buffer);
   unsigned char** memory_pool = ALLOC(POOL_BLOCKS * sizeof *memory_pool);
   int* growing_vec = NULL;
   size_t head = 0, tail = 0, capacity = 0, grown = 0, i;
   int collisions = 0;

   memset(large_buffer, 0, LARGE_BUFFER_SZB);
   MEMSCOPE_TRACK_VAR_TYPED(large_buffer, "unsigned char[1048576]");
   MEMSCOPE_TRACK_VAR_TYPED(preallocated_vec, "char*[10000]");
   for (i = 0; i < VEC_ITEMS; i++)
      preallocated_vec[i] = FORMAT("preallocated_item_%zu", i);

   MEMSCOPE_TRACK_VAR_TYPED(preallocated_map, "struct perf_entry[1024]");
   for (i = 0; i < MAP_ITEMS; i++) {
      char* key = FORMAT("perf_key_%zu", i);
      size_t s = string_hash(key) % MAP_SLOTS;
      while (preallocated_map[s].key != NULL) {
         s = (s + 1) % MAP_SLOTS;
         collisions++;
      }
      preallocated_map[s].key = key;
      preallocated_map[s].value = ALLOC(100);
      memset(preallocated_map[s].value, (int)i, 100);
   }

   MEMSCOPE_TRACK_VAR_TYPED(ring_buffer, "uint64_t[1024]");
   for (i = 0; i < 2 * RING_SLOTS; i++) {
      ring_buffer[tail] = i;
      tail = (tail + 1) % RING_SLOTS;
      if (tail == head)
         head = (head + 1) % RING_SLOTS;
   }

   MEMSCOPE_TRACK_VAR_TYPED(memory_pool, "unsigned char*[100]");
   for (i = 0; i < POOL_BLOCKS; i++) {
      memory_pool[i] = ALLOC(256);
      memset(memory_pool[i], (int)i, 256);
   }

   for (i = 0; i < 4096; i++) {
      if (i == capacity) {
         capacity = capacity ? 2 * capacity : 4;
         growing_vec = checked(realloc(growing_vec, capacity * sizeof *growing_vec));
         grown++;
      }
      growing_vec[i] = (int)i;
   }
   MEMSCOPE_TRACK_VAR_TYPED(growing_vec, "int[]");

   say("performance allocations: large_buffer %d bytes, preallocated_vec "
       "%d of %d, preallocated_map %d values (%d collisions), ring_buffer "
       "head %zu tail %zu, memory_pool %d x 256 bytes, growing_vec %zu "
       "allocations to %zu ints", LARGE_BUFFER_SZB, VEC_ITEMS, VEC_CAPACITY,
       MAP_ITEMS, collisions, head, tail, POOL_BLOCKS, grown, capacity);

   free(growing_vec);
   for (i = 0; i < POOL_BLOCKS; i++)
      free(memory_pool[i]);
   free(memory_pool);
   free(ring_buffer);
   for (i = 0; i < MAP_SLOTS; i++) {
      free(preallocated_map[i].key);
      free(preallocated_map[i].value);
   }
   free(preallocated_map);
   for (i = 0; i < VEC_ITEMS; i++)
      free(preallocated_vec[i]);
   free(preallocated_vec);
   free(large_buffer);
}

/* ---- 7. main-thread allocations ---------------------------------------- */
struct int_vec { int* items; size_t len; };
struct string_map { char* key[2]; struct int_vec value[2]; };
struct tuple3 { char** items; size_t n_items; int* numbers; char** metadata; };

SCENARIO void main_thread_allocations(void)
{
   unsigned char* main_thread_buffer = ALLOC(1024);
   struct string_map* main_thread_map = ALLOC(sizeof *main_thread_map);
   char* main_thread_string = FORMAT("This is a main thread string for testing");
   struct tuple3* main_thread_tuple = ALLOC(sizeof *main_thread_tuple);
   int i, k, sum = 0;

   memset(main_thread_buffer, 42, 1024);
   MEMSCOPE_TRACK_VAR_TYPED(main_thread_buffer, "unsigned char[1024]");
   for (k = 0; k < 2; k++) {
      main_thread_map->key[k] = FORMAT("key%d", k + 1);
      main_thread_map->value[k].len = 5;
      main_thread_map->value[k].items = ALLOC(5 * sizeof(int));
      for (i = 0; i < 5; i++)
         main_thread_map->value[k].items[i] = 5 * k + i + 1;
   }
   MEMSCOPE_TRACK_VAR_TYPED(main_thread_map, "struct string_map");
   MEMSCOPE_TRACK_VAR_TYPED(main_thread_string, "char[]");
   main_thread_tuple->n_items = 2;
   main_thread_tuple->items = ALLOC(2 * sizeof(char*));
   main_thread_tuple->items[0] = FORMAT("tuple_item_1");
   main_thread_tuple->items[1] = FORMAT("tuple_item_2");
   main_thread_tuple->numbers = ALLOC(3 * sizeof(int));
   for (i = 0; i < 3; i++)
      main_thread_tuple->numbers[i] = 100 * (i + 1);
   main_thread_tuple->metadata = ALLOC(sizeof(char*));
   main_thread_tuple->metadata[0] = FORMAT("metadata");
   MEMSCOPE_TRACK_VAR_TYPED(main_thread_tuple, "struct tuple3");

   for (k = 0; k < 2; k++)
      for (i = 0; i < 5; i++)
         sum += main_thread_map->value[k].items[i];
   say("main-thread allocations: main_thread_buffer 1024 bytes, "
       "main_thread_map 2 keys (sum %d), main_thread_string \"%s\", "
       "main_thread_tuple", sum, main_thread_string);

   free(main_thread_tuple->metadata[0]);
   free(main_thread_tuple->metadata);
   free(main_thread_tuple->numbers);
   free(main_thread_tuple->items[0]);
   free(main_thread_tuple->items[1]);
   free(main_thread_tuple->items);
   free(main_thread_tuple);
   free(main_thread_string);
   for (k = 0; k < 2; k++) {
      free(main_thread_map->key[k]);
      free(main_thread_map->value[k].items);
   }
   free(main_thread_map);
   free(main_thread_buffer);
}

/* ---- the deliberate leaks ---------------------------------------------- */
struct session_config { long refs; char theme[16]; int idle_timeout_s, max_sessions; };
struct session {
   unsigned long id;
   char* user;
   struct session_config* config;   /* shared by every session */
   struct session* next;
};
struct session_cache { struct session* head; size_t sessions; };

/* Still reachable at exit, through this global: the cache, its 3
   sessions, their user names and the config they share. */
static struct session_cache* session_cache;

SCENARIO void fill_session_cache(void)
{
   static const char* const users[] = { "alice", "bob", "carol" };
   struct session_config* config = ALLOC_ZERO(1, sizeof *config);
   int i;
   snprintf(config->theme, sizeof config->theme, "dark");
   config->idle_timeout_s = 300;
   config->max_sessions = 8;
   MEMSCOPE_NAME_BLOCK(config, sizeof *config, "session_config",
                       "struct session_config");
   session_cache = ALLOC_ZERO(1, sizeof *session_cache);
   MEMSCOPE_TRACK_VAR_TYPED(session_cache, "struct session_cache");
   for (i = 2; i >= 0; i--) {
      struct session* s = ALLOC(sizeof *s);
      s->id = 1000 + (unsigned long)i;
      s->user = FORMAT("%s", users[i]);
      s->config = config;
      config->refs++;
      s->next = session_cache->head;
      session_cache->head = s;
      session_cache->sessions++;
      MEMSCOPE_NAME_BLOCK(s, sizeof *s, "session", "struct session");
      MEMSCOPE_NAME_BLOCK(s->user, strlen(s->user) + 1, "session_user", "char[]");
   }
}

/* Definitely lost at exit: the only pointer to it dies with this frame. */
__attribute__((noinline)) static void forget_buffer(void)
{
   char* forgotten_buffer = ALLOC(256);
   memset(forgotten_buffer, 0, 256);
   snprintf(forgotten_buffer, 256, "a buffer nobody frees");
   MEMSCOPE_NAME_BLOCK(forgotten_buffer, 256, "forgotten_buffer", "char[256]");
}

/* The library next to this executable (/proc/self/exe, which Valgrind
   maps to the client), else in the current directory. */
static void default_plugin_path(char* path, size_t szB)
{
   char exe[PATH_MAX];
   ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
   char* slash;
   if (n > 0) {
      exe[n] = '\0';
      slash = strrchr(exe, '/');
      if (slash != NULL) {
         slash[1] = '\0';
         snprintf(path, szB, "%slibdemo_plugin.so", exe);
         return;
      }
   }
   snprintf(path, szB, "./libdemo_plugin.so");
}

int main(int argc, char** argv)
{
   char plugin_path[PATH_MAX + 32];
   if (argc > 2)
      die("usage: advanced_metrics_demo [libdemo_plugin.so]");
   if (argc == 2)
      snprintf(plugin_path, sizeof plugin_path, "%s", argv[1]);
   else
      default_plugin_path(plugin_path, sizeof plugin_path);
   /* Thread 1's name in the report (the process's name too). */
   pthread_setname_np(pthread_self(), "main");

   nested_structures();
   pointer_relationships();
   library_boundary(plugin_path);
   producers_consumers();
   rwlock_cache();
   work_stealing();
   atomics();
   memory_layout();
   performance_allocations();
   main_thread_allocations();

   fill_session_cache();
   forget_buffer();
   say("left at exit on purpose: session_cache (%zu sessions, still "
       "reachable) and forgotten_buffer (256 bytes, definitely lost)",
       session_cache->sessions);
   return 0;
}
