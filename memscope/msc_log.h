/* msc_log.h: the buffered writer of memscope's binary log (format in
   msc_logfmt.h).  Owns the log file, its buffer, the string table and the
   record encoder.  Runs on the host.

   A record is built between MSC_(rec_begin) and MSC_(rec_end); nothing
   else may be written in between, so ids of strings and stacks that a
   record names are obtained before it begins. */

#ifndef MSC_LOG_H
#define MSC_LOG_H

#include "msc_basics.h"
#include "msc_logfmt.h"

/* Opens the log named by --memscope-out-file and writes its preamble and
   HEADER.  The name is resolved once, against the start directory; the
   file is created, never replaced: a taken name gives "<name>.<n>", an
   exec'd image "<first log>.exec<n>" (--memscope-exec-of), each said on
   the tool's output.  On failure prints one line and continues without
   a log. */
void MSC_(log_open) ( void );

/* Records go to a new, self-contained log file at `path` (its own
   preamble, header, strings and stacks) until log_divert_end, which
   closes it and goes back to the main log where it was.  False (the main
   log goes on) when the file cannot be created: the message is printed. */
Bool MSC_(log_divert_begin) ( const HChar* path );
void MSC_(log_divert_end)   ( void );

/* Writes what is buffered and closes the log (after MSC_REC_END). */
void MSC_(log_close) ( void );

/* Writes what is buffered now. */
void MSC_(log_flush) ( void );

/* Writes what is buffered if --flush-ms has passed since the last write;
   `now_ms` is the wall-clock reading the caller already has. */
void MSC_(log_flush_if_due) ( UInt now_ms );

/* Writes a TIME record now if the wall clock moved since the last one
   (event records also do so every 256 events). */
void MSC_(log_mark_wall_time) ( void );

/* Cheap periodic check: flushes when records wait and --flush-ms has
   passed. */
void MSC_(log_tick) ( void );

/* In a forked child: leave the parent's log alone and start the child's
   own (the file name is expanded again, so %p names the child). */
void MSC_(log_reopen_in_child) ( void );

/* Whether the log's path still names the file this process created
   (False when it was removed or replaced meanwhile, or never created). */
Bool MSC_(log_still_there) ( void );

/* Whether writing the log failed (disk full, I/O error, file-size
   limit): the file holds what was written before. */
Bool MSC_(log_write_failed) ( void );

/* True while records are being written somewhere. */
Bool MSC_(log_is_open) ( void );

/* The log's expanded path ("" before it is opened) and bytes written. */
const HChar* MSC_(log_path) ( void );
ULong MSC_(log_bytes_written) ( void );

/* Microseconds spent in write() for this log file so far. */
ULong MSC_(log_write_us) ( void );

/* Bumped each time a new log file starts (forked child): interning tables
   compare it with the generation they last wrote an entry in. */
UInt MSC_(log_generation) ( void );

/* The id of `s` in the log's string table, writing a STRING record the
   first time (per log file).  NULL and "" give 0. */
UInt MSC_(log_intern) ( const HChar* s );

/* ---- record encoding ---------------------------------------------------- */
void MSC_(rec_begin) ( MscRecTag tag );
/* rec_begin plus the event's time delta (dt) from the clock. */
void MSC_(rec_event) ( MscRecTag tag );
void MSC_(rec_u)     ( ULong v );
void MSC_(rec_z)     ( Long v );
void MSC_(rec_s)     ( const HChar* bytes, SizeT len );
/* Raw bytes up to the payload's end (STRING's text). */
void MSC_(rec_raw)   ( const HChar* bytes, SizeT len );
/* A heap address, zigzag delta-coded against the previous one. */
void MSC_(rec_heap_addr) ( Addr a );
void MSC_(rec_end)   ( void );

#endif /* MSC_LOG_H */
