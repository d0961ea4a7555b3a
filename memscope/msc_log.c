/* msc_log.c: memscope's log writer: the file, its 64 KiB buffer, the
   string table, the record encoder and the periodic wall-clock marks.
   Runs on the host.  The format is defined in msc_logfmt.h only. */

#include "msc_log.h"
#include "msc_clock.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_options.h"
#include "pub_tool_vki.h"
#include "pub_tool_wordfm.h"
#include "pub_tool_xarray.h"

/* Not in the tool API, but exported by the statically linked core: moves
   an fd into Valgrind's reserved range and sets close-on-exec, so the
   client can neither close nor inherit the log's descriptor. */
extern Int VG_(safe_fd) ( Int oldfd );

#define MSC_LOG_BUF_SZB (64 * 1024)
/* The client's arguments kept in HEADER, in bytes. */
#define MSC_HEADER_ARGS_SZB (1024 * 1024)
/* How many event records pass between two readings of the wall clock.
   Reading it is a system call: once per event would cost more than the
   event itself.  Thread switches and exits read it too. */
#define MSC_WALL_SAMPLE_EVERY 256

static Int    s_fd = -1;
static HChar* s_path = NULL;             /* expanded file name */
static UInt   s_generation = 0;          /* the file being written */
static UInt   s_last_generation = 0;     /* the latest one handed out */
static ULong  s_bytes_written = 0;       /* reached the file */
static ULong  s_write_us = 0;            /* spent in write(), this file */
static UChar  s_buf[MSC_LOG_BUF_SZB];
static SizeT  s_buf_used = 0;
static UInt   s_last_flush_ms = 0;
/* Writing failed (disk full, I/O error): the file holds what came before. */
static Bool   s_write_failed = False;

/* The record being built (its payload), valid between rec_begin and
   rec_end. */
static UChar* s_rec = NULL;
static SizeT  s_rec_len = 0;
static SizeT  s_rec_cap = 0;
static UChar  s_rec_tag = 0;
static Bool   s_in_record = False;

/* Delta-coding state of the records written so far in this file. */
static ULong  s_last_event_time = 0;
static Addr   s_last_heap_addr = 0;
static UInt   s_events_since_wall = 0;
static UInt   s_last_wall_ms = 0;

/* String table: the string (owned copy) -> InternedString. */
typedef struct {
   UInt id;          /* from 1 */
   UInt generation;  /* the log file it was last written to */
} InternedString;
static WordFM* s_strings = NULL;
static UInt    s_next_string_id = 1;

/* ---- file ----------------------------------------------------------------- */

static void stop_logging ( const HChar* why )
{
   VG_(umsg)("memscope: error: writing the log '%s' failed (%s) after "
             "%llu bytes; the program continues without a log\n",
             s_path ? s_path : "", why, s_bytes_written);
   if (s_fd >= 0)
      VG_(close)(s_fd);
   s_fd = -1;
   s_buf_used = 0;
   s_write_failed = True;
}

static ULong now_us ( void )
{
   struct vki_timespec ts;
   VG_(clock_gettime)(&ts, VKI_CLOCK_MONOTONIC);
   return (ULong)ts.tv_sec * 1000000ULL + (ULong)ts.tv_nsec / 1000ULL;
}

static void write_all ( const UChar* bytes, SizeT len )
{
   ULong started = now_us();
   while (len > 0 && s_fd >= 0) {
      Int chunk = len > (1 << 30) ? (1 << 30) : (Int)len;
      Int n = VG_(write)(s_fd, bytes, chunk);
      if (n <= 0) {
         stop_logging(n == 0 ? "no space written"
                             : "disk full or I/O error");
         return;
      }
      bytes += n;
      len -= n;
      s_bytes_written += n;
   }
   s_write_us += now_us() - started;
}

void MSC_(log_flush) ( void )
{
   if (s_fd >= 0 && s_buf_used > 0)
      write_all(s_buf, s_buf_used);
   s_buf_used = 0;
   s_last_flush_ms = MSC_(clock_wall_ms)();
}

void MSC_(log_flush_if_due) ( UInt now_ms )
{
   if (now_ms - s_last_flush_ms >= MSC_(clo_flush_ms))
      MSC_(log_flush)();
}

void MSC_(log_tick) ( void )
{
   if (s_buf_used > 0)
      MSC_(log_flush_if_due)(MSC_(clock_wall_ms)());
}

static void put_bytes ( const UChar* bytes, SizeT len )
{
   if (s_fd < 0)
      return;
   if (s_buf_used + len > MSC_LOG_BUF_SZB) {
      MSC_(log_flush)();
      if (len > MSC_LOG_BUF_SZB) {
         write_all(bytes, len);
         return;
      }
   }
   VG_(memcpy)(s_buf + s_buf_used, bytes, len);
   s_buf_used += len;
}

/* ---- record encoding ------------------------------------------------------ */

static SizeT encode_uleb ( UChar* out, ULong v )
{
   SizeT n = 0;
   do {
      UChar byte = v & 0x7f;
      v >>= 7;
      if (v != 0)
         byte |= 0x80;
      out[n++] = byte;
   } while (v != 0);
   return n;
}

/* Room for len more bytes in the record being built. */
static void rec_reserve ( SizeT len )
{
   if (s_rec_len + len > s_rec_cap) {
      SizeT cap = s_rec_cap ? s_rec_cap : 256;
      while (cap < s_rec_len + len)
         cap *= 2;
      s_rec = VG_(realloc)("msc.log.record", s_rec, cap);
      s_rec_cap = cap;
   }
}

static void rec_put ( const UChar* bytes, SizeT len )
{
   rec_reserve(len);
   VG_(memcpy)(s_rec + s_rec_len, bytes, len);
   s_rec_len += len;
}

void MSC_(rec_begin) ( MscRecTag tag )
{
   tl_assert(!s_in_record);
   s_in_record = True;
   s_rec_tag = (UChar)tag;
   s_rec_len = 0;
}

void MSC_(rec_u) ( ULong v )
{
   /* Straight into the record: most records are a dozen small numbers,
      and a copy per number showed in profiles. */
   if (s_rec_len + 10 > s_rec_cap)
      rec_reserve(10);
   s_rec_len += encode_uleb(s_rec + s_rec_len, v);
}

void MSC_(rec_z) ( Long v )
{
   MSC_(rec_u)(((ULong)v << 1) ^ (ULong)(v >> 63));
}

void MSC_(rec_s) ( const HChar* bytes, SizeT len )
{
   MSC_(rec_u)(len);
   rec_put((const UChar*)bytes, len);
}

void MSC_(rec_raw) ( const HChar* bytes, SizeT len )
{
   rec_put((const UChar*)bytes, len);
}

void MSC_(rec_heap_addr) ( Addr a )
{
   MSC_(rec_z)((Long)(a - s_last_heap_addr));
   s_last_heap_addr = a;
}

void MSC_(rec_end) ( void )
{
   UChar head[11];
   SizeT n;
   tl_assert(s_in_record);
   tl_assert(s_rec_len <= MSC_LOG_MAX_RECORD_SZB);
   s_in_record = False;
   head[0] = s_rec_tag;
   n = 1 + encode_uleb(head + 1, s_rec_len);
   if (s_fd >= 0 && s_buf_used + n + s_rec_len <= MSC_LOG_BUF_SZB) {
      /* The usual case: header and body into the buffer, copied by
         hand (records are short; the generic copy costs more). */
      UChar* out = s_buf + s_buf_used;
      SizeT i;
      for (i = 0; i < n; i++)
         out[i] = head[i];
      for (i = 0; i < s_rec_len; i++)
         out[n + i] = s_rec[i];
      s_buf_used += n + s_rec_len;
      return;
   }
   put_bytes(head, n);
   put_bytes(s_rec, s_rec_len);
}

static void begin_event ( MscRecTag tag )
{
   ULong now = MSC_(clock_now)();
   MSC_(rec_begin)(tag);
   MSC_(rec_u)(now - s_last_event_time);
   s_last_event_time = now;
}

static void mark_wall_time ( void )
{
   UInt ms = MSC_(clock_wall_ms)();
   s_events_since_wall = 0;
   if (ms == s_last_wall_ms)
      return;
   s_last_wall_ms = ms;
   begin_event(MSC_REC_TIME);
   MSC_(rec_u)(ms);
   MSC_(rec_end)();
   MSC_(log_flush_if_due)(ms);
}

void MSC_(rec_event) ( MscRecTag tag )
{
   if (++s_events_since_wall >= MSC_WALL_SAMPLE_EVERY)
      mark_wall_time();
   begin_event(tag);
}

void MSC_(log_mark_wall_time) ( void )
{
   if (!s_in_record)
      mark_wall_time();
}

/* ---- strings -------------------------------------------------------------- */

static Word cmp_strings ( UWord a, UWord b )
{
   return VG_(strcmp)((const HChar*)a, (const HChar*)b);
}

UInt MSC_(log_intern) ( const HChar* s )
{
   UWord key, val;
   InternedString* is;
   if (s == NULL || s[0] == 0)
      return 0;
   tl_assert(!s_in_record);
   if (VG_(lookupFM)(s_strings, &key, &val, (UWord)s)) {
      is = (InternedString*)val;
   } else {
      is = VG_(malloc)("msc.log.string", sizeof(InternedString));
      is->id = s_next_string_id++;
      is->generation = s_generation - 1;  /* not yet written */
      VG_(addToFM)(s_strings, (UWord)VG_(strdup)("msc.log.string.text", s),
                   (UWord)is);
   }
   if (is->generation != s_generation) {
      is->generation = s_generation;
      MSC_(rec_begin)(MSC_REC_STRING);
      MSC_(rec_u)(is->id);
      MSC_(rec_raw)(s, VG_(strlen)(s));
      MSC_(rec_end)();
   }
   return is->id;
}

/* ---- opening and closing ---------------------------------------------------- */

static void write_str_field ( const HChar* s )
{
   MSC_(rec_s)(s ? s : "", s ? VG_(strlen)(s) : 0);
}

static void write_preamble_and_header ( void )
{
   UChar preamble[MSC_LOG_PREAMBLE_LEN];
   struct vki_timeval tv;
   ULong start_ms;
   Word i, argc = VG_(sizeXA)(VG_(args_for_client));
   SizeT args_szB;

   VG_(memcpy)(preamble, MSC_LOG_MAGIC, MSC_LOG_MAGIC_LEN);
   preamble[8]  = MSC_LOG_MAJOR & 0xff;
   preamble[9]  = (MSC_LOG_MAJOR >> 8) & 0xff;
   preamble[10] = MSC_LOG_MINOR & 0xff;
   preamble[11] = (MSC_LOG_MINOR >> 8) & 0xff;
   put_bytes(preamble, sizeof preamble);

   VG_(gettimeofday)(&tv, NULL);
   start_ms = (ULong)tv.tv_sec * 1000ULL + (ULong)tv.tv_usec / 1000ULL;

   MSC_(rec_begin)(MSC_REC_HEADER);
   write_str_field(MSC_VERSION);
   write_str_field(MSC_PLATFORM);
   MSC_(rec_u)((ULong)VG_(getpid)());
   MSC_(rec_u)((ULong)VG_(getppid)());
   MSC_(rec_u)(start_ms);
   write_str_field(VG_(args_the_exename));
   /* Every record must stay under MSC_LOG_MAX_RECORD_SZB: arguments past
      MSC_HEADER_ARGS_SZB in all are left out (argc says how many are in). */
   for (i = 0, args_szB = 0; i < argc; i++) {
      SizeT len = VG_(strlen)(*(HChar**)VG_(indexXA)(VG_(args_for_client), i));
      if (args_szB + len > MSC_HEADER_ARGS_SZB)
         break;
      args_szB += len;
   }
   argc = i;
   MSC_(rec_u)((ULong)argc);
   for (i = 0; i < argc; i++)
      write_str_field(*(HChar**)VG_(indexXA)(VG_(args_for_client), i));
   write_str_field("instr");
   write_str_field(s_path);
   MSC_(rec_end)();
   MSC_(log_flush)();
}

/* The usual text of the errors that creating a file can give. */
static const HChar* open_error_text ( SysRes sr )
{
   static HChar other[32];
   switch (sr_Err(sr)) {
   case VKI_ENOENT:       return "no such directory";
   case VKI_EACCES:       return "permission denied";
   case VKI_EPERM:        return "operation not permitted";
   case VKI_EEXIST:       return "something else was created there meanwhile";
   case VKI_ENOTDIR:      return "a part of the path is not a directory";
   case VKI_EISDIR:       return "it is a directory";
   case VKI_EROFS:        return "read-only file system";
   case VKI_ENOSPC:       return "no space left on the device";
   case VKI_ELOOP:        return "too many symbolic links";
   default:
      VG_(snprintf)(other, sizeof other, "errno %lu", (UWord)sr_Err(sr));
      return other;
   }
}

/* O_NOFOLLOW for Linux (not in the tool's vki headers). */
#define MSC_O_NOFOLLOW 0400000
/* The names tried after the one asked for is taken. */
#define MSC_MAX_NAME_TRIES 1000

/* The identity of the file created, to tell at exit whether its path
   still names it (the file or its directory may be removed or replaced
   while the program runs). */
static Bool  s_file_known = False;
static ULong s_file_dev = 0, s_file_ino = 0;

/* The expanded template of --memscope-out-file, absolute: resolved once,
   against the directory Valgrind started in, so that neither a chdir of
   the program nor an exec'd image (whose own start directory may differ)
   moves the log. */
static HChar* s_template = NULL;
/* The first log this process wrote, before any exec ("" when it wrote
   none): an exec'd image writes "<it>.exec<n>" beside it. */
static HChar* s_exec_root = NULL;

static SysRes create_exclusively ( const HChar* path )
{
   /* O_EXCL fails on any existing name, a symlink (even a dangling one)
      included: nothing existing is ever written through or replaced. */
   return VG_(open)(path, VKI_O_CREAT | VKI_O_EXCL | VKI_O_WRONLY
                          | MSC_O_NOFOLLOW, 0666);
}

/* Creates the first free name of `base` followed by `sep` and 1, 2, ...
   (and `base` itself first when try_base).  The result of the last try;
   *tried is that try's name (the caller frees it). */
static SysRes create_first_free ( const HChar* base, const HChar* sep,
                                  Bool try_base, HChar** tried )
{
   HChar* name = VG_(malloc)("msc.log.path",
                             VG_(strlen)(base) + VG_(strlen)(sep) + 16);
   SysRes sr;
   UInt k = try_base ? 0 : 1;
   do {
      if (k == 0)
         VG_(strcpy)(name, base);
      else
         VG_(sprintf)(name, "%s%s%u", base, sep, k);
      sr = create_exclusively(name);
      k++;
   } while (sr_isError(sr) && sr_Err(sr) == VKI_EEXIST
            && k < MSC_MAX_NAME_TRIES);
   *tried = name;
   return sr;
}

/* Opens s_path for writing, never replacing or writing through what is
   there: a character device (/dev/null) or a FIFO at the path is opened
   as it is (a FIFO without waiting for a reader), a directory or a socket
   is refused, and a file or symlink of that name, an earlier run's log or
   anything else, is left alone: the log gets the first free name
   "<path>.<n>" and the tool says so.  An exec'd image (exec_of) always
   writes "<the first log>.exec<n>". */
static Bool open_log_file ( const HChar* exec_of )
{
   SysRes sr;
   struct vg_stat st;
   HChar link[8];
   HChar* tried = NULL;
   if (exec_of != NULL) {
      sr = create_first_free(exec_of, ".exec", False, &tried);
   } else if (VG_(readlink)(s_path, link, sizeof link) < 0
              && !sr_isError(VG_(stat)(s_path, &st))
              && !VKI_S_ISREG(st.mode)) {
      if (VKI_S_ISCHR(st.mode) || VKI_S_ISFIFO(st.mode)) {
         sr = VG_(open)(s_path, VKI_O_WRONLY | MSC_O_NOFOLLOW
                        | (VKI_S_ISFIFO(st.mode) ? VKI_O_NONBLOCK : 0), 0);
      } else {
         VG_(umsg)("memscope: error: cannot create the log '%s' (%s); "
                   "the program continues without a log\n", s_path,
                   VKI_S_ISDIR(st.mode) ? "it is a directory"
                                        : "not a file, device or FIFO");
         s_fd = -1;
         return False;
      }
   } else {
      sr = create_first_free(s_path, ".", True, &tried);
      if (!sr_isError(sr) && VG_(strcmp)(tried, s_path) != 0)
         VG_(umsg)("memscope: warning: '%s' exists and is never replaced; "
                   "this run's log is '%s'\n", s_path, tried);
   }
   if (sr_isError(sr)) {
      VG_(umsg)("memscope: error: cannot create the log '%s' (%s); "
                "the program continues without a log\n",
                exec_of != NULL ? tried : s_path,
                sr_Err(sr) == VKI_EEXIST ? "it and every name after it up "
                                           "to .999 exist"
                                         : open_error_text(sr));
      VG_(free)(tried);
      s_fd = -1;
      return False;
   }
   if (tried != NULL) {
      VG_(free)(s_path);
      s_path = tried;
   }
   s_fd = VG_(safe_fd)((Int)sr_Res(sr));
   s_file_known = VG_(fstat)(s_fd, &st) == 0;
   s_file_dev = s_file_known ? st.dev : 0;
   s_file_ino = s_file_known ? st.ino : 0;
   return True;
}

static void start_new_file ( const HChar* exec_of )
{
   s_generation = ++s_last_generation;
   s_bytes_written = 0;
   s_write_us = 0;
   s_buf_used = 0;
   s_write_failed = False;
   s_file_known = False;
   s_last_event_time = MSC_(clock_now)();
   s_last_heap_addr = 0;
   s_events_since_wall = 0;
   if (open_log_file(exec_of))
      write_preamble_and_header();
}

/* `t` with the start directory before it when relative; '%' in the
   directory's name doubled, since the result is expanded again. */
static HChar* absolute_template ( const HChar* t )
{
   const HChar* wd = VG_(get_startup_wd)();
   HChar* out;
   SizeT n = 0, i;
   if (t[0] == '/' || wd == NULL)
      return VG_(strdup)("msc.log.template", t);
   out = VG_(malloc)("msc.log.template",
                     2 * VG_(strlen)(wd) + VG_(strlen)(t) + 2);
   for (i = 0; wd[i] != 0; i++) {
      if (wd[i] == '%')
         out[n++] = '%';
      out[n++] = wd[i];
   }
   if (n == 0 || out[n - 1] != '/')
      out[n++] = '/';
   VG_(strcpy)(out + n, t);
   return out;
}

/* Makes an exec'd image (--trace-children=yes) get `option` with `value`:
   the core builds the new image's command line from
   VG_(args_for_valgrind) when the exec happens, so the entry is changed
   in place (or added after the ones the core passes on, where it wins
   over VALGRIND_OPTS and .valgrindrc, which the new image reads first). */
static void pass_to_exec ( const HChar* option, const HChar* value )
{
   SizeT olen = VG_(strlen)(option);
   HChar* arg = VG_(malloc)("msc.log.execarg", olen + VG_(strlen)(value) + 2);
   Word i;
   VG_(sprintf)(arg, "%s=%s", option, value);
   for (i = VG_(args_for_valgrind_noexecpass);
        i < VG_(sizeXA)(VG_(args_for_valgrind)); i++) {
      HChar** slot = (HChar**)VG_(indexXA)(VG_(args_for_valgrind), i);
      if (VG_(strncmp)(*slot, option, olen) == 0 && (*slot)[olen] == '=') {
         /* The old text may be the core's (argv): left as it is. */
         *slot = arg;
         return;
      }
   }
   VG_(addToXA)(VG_(args_for_valgrind), &arg);
}

static void set_exec_root ( const HChar* root )
{
   VG_(free)(s_exec_root);
   s_exec_root = VG_(strdup)("msc.log.root", root);
   pass_to_exec("--memscope-exec-of", s_exec_root);
}

void MSC_(log_open) ( void )
{
   const HChar* exec_of = MSC_(clo_exec_of);
   s_strings = VG_(newFM)(VG_(malloc), "msc.log.strings", VG_(free),
                          cmp_strings);
   s_template = absolute_template(MSC_(clo_out_file));
   pass_to_exec("--memscope-out-file", s_template);
   s_path = VG_(expand_file_name)("--memscope-out-file", s_template);
   s_last_flush_ms = MSC_(clock_wall_ms)();
   if (exec_of != NULL && exec_of[0] == 0)
      exec_of = NULL;          /* the image before the exec had no log */
   start_new_file(exec_of);
   set_exec_root(exec_of != NULL ? exec_of : s_fd >= 0 ? s_path : "");
}

void MSC_(log_reopen_in_child) ( void )
{
   HChar* child_path = VG_(expand_file_name)("--memscope-out-file",
                                             s_template);
   if (s_fd >= 0)
      VG_(close)(s_fd);
   s_fd = -1;
   s_buf_used = 0;
   s_file_known = False;
   if (VG_(strcmp)(child_path, s_path) == 0) {
      /* Without %p both processes would write one file: keep the
         parent's log whole and let the child go unlogged. */
      VG_(umsg)("memscope: warning: forked child %d not logged: "
                "--memscope-out-file has no %%p, and the parent writes "
                "'%s'\n", VG_(getpid)(), s_path);
      VG_(free)(child_path);
      set_exec_root("");
      return;
   }
   VG_(free)(s_path);
   s_path = child_path;
   start_new_file(NULL);
   set_exec_root(s_fd >= 0 ? s_path : "");
}

Bool MSC_(log_still_there) ( void )
{
   struct vg_stat st;
   return s_file_known && !sr_isError(VG_(stat)(s_path, &st))
          && st.dev == s_file_dev && st.ino == s_file_ino;
}

Bool MSC_(log_write_failed) ( void )
{
   return s_write_failed;
}

/* ---- snapshot files ------------------------------------------------------- */

/* The main log's state while records go to a snapshot file. */
static struct {
   Bool   active;
   Int    fd;
   HChar* path;
   UInt   generation;
   ULong  bytes_written, write_us, last_event_time;
   Addr   last_heap_addr;
   UInt   events_since_wall;
   Bool   file_known, write_failed;
   ULong  file_dev, file_ino;
} s_main;

Bool MSC_(log_divert_begin) ( const HChar* path )
{
   struct vg_stat main_st, path_st;
   tl_assert(!s_main.active && !s_in_record);
   /* Never named as the main log: said plainly (the snapshot would only
      get the next free name, which nobody asked for). */
   if ((s_path != NULL && VG_(strcmp)(path, s_path) == 0)
       || (s_fd >= 0 && VG_(fstat)(s_fd, &main_st) == 0
           && !sr_isError(VG_(stat)(path, &path_st))
           && main_st.dev == path_st.dev && main_st.ino == path_st.ino)) {
      VG_(umsg)("memscope: error: a snapshot cannot be written over the "
                "log '%s'\n", s_path);
      return False;
   }
   MSC_(log_flush)();
   s_main.active = True;
   s_main.fd = s_fd;
   s_main.path = s_path;
   s_main.generation = s_generation;
   s_main.bytes_written = s_bytes_written;
   s_main.write_us = s_write_us;
   s_main.last_event_time = s_last_event_time;
   s_main.last_heap_addr = s_last_heap_addr;
   s_main.events_since_wall = s_events_since_wall;
   s_main.file_known = s_file_known;
   s_main.write_failed = s_write_failed;
   s_main.file_dev = s_file_dev;
   s_main.file_ino = s_file_ino;
   s_path = VG_(strdup)("msc.log.snapshot", path);
   start_new_file(NULL);
   if (s_fd < 0) {
      MSC_(log_divert_end)();
      return False;
   }
   return True;
}

void MSC_(log_divert_end) ( void )
{
   tl_assert(s_main.active && !s_in_record);
   MSC_(log_close)();
   VG_(free)(s_path);
   s_fd = s_main.fd;
   s_path = s_main.path;
   /* The main log's own generation: what it has written stays written,
      what only the snapshot file got is written again when needed. */
   s_generation = s_main.generation;
   s_bytes_written = s_main.bytes_written;
   s_write_us = s_main.write_us;
   s_last_event_time = s_main.last_event_time;
   s_last_heap_addr = s_main.last_heap_addr;
   s_events_since_wall = s_main.events_since_wall;
   s_file_known = s_main.file_known;
   s_write_failed = s_main.write_failed;
   s_file_dev = s_main.file_dev;
   s_file_ino = s_main.file_ino;
   s_main.active = False;
}

void MSC_(log_close) ( void )
{
   MSC_(log_flush)();
   if (s_fd >= 0)
      VG_(close)(s_fd);
   s_fd = -1;
}

Bool MSC_(log_is_open) ( void )
{
   return s_fd >= 0;
}

const HChar* MSC_(log_path) ( void )
{
   return s_path ? s_path : "";
}

ULong MSC_(log_bytes_written) ( void )
{
   return s_bytes_written + s_buf_used;
}

ULong MSC_(log_write_us) ( void )
{
   return s_write_us;
}

UInt MSC_(log_generation) ( void )
{
   return s_generation;
}
