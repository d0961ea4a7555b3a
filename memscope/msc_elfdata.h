/* msc_elfdata.h: the writable data sections of the program's own ELF
   objects (the executable, and shared objects loaded from outside the
   system's library directories), read from their section headers, and
   the unique global symbols (C++17 inline variables, static members of
   templates: binding STB_GNU_UNIQUE) that the core's debug info does not
   name; and the executable's thread-local storage (its template's layout
   and symbols).  What the access tracker needs to check globals that no
   symbol names (every distribution binary is stripped) and thread-local
   variables another thread reaches; and the data sections of the other
   objects (system libraries), where a library's atomic words lie.  Also
   which object an instruction's code belongs to.  Runs on the host. */

#ifndef MSC_ELFDATA_H
#define MSC_ELFDATA_H

#include "msc_basics.h"

/* One writable data section in memory (.data, .bss and the like; never
   the GOT, relocation-read-only data, init arrays or TLS templates). */
typedef struct {
   Addr         lo, hi;          /* [lo, hi) in the client's memory */
   const HChar* section;         /* its name in the file: ".bss" */
   const HChar* object;          /* the file's base name: "prog" */
} MscDataSection;

/* Reads what is new in the core's list of debug infos (called when the
   core has read one: at start-up and at every mmap that gave one).
   Forgets objects no longer mapped.  True when the sections changed. */
Bool MSC_(elfdata_refresh) ( void );

/* The section holding a; NULL when a lies in none. */
const MscDataSection* MSC_(elfdata_section_at) ( Addr a );

/* The data section of another object (a system library) holding a;
   NULL when none. */
const MscDataSection* MSC_(elfdata_library_section_at) ( Addr a );

/* Narrows [*lo, *hi), a stretch around a that a lies in no section of,
   so that it enters none. */
void MSC_(elfdata_clip) ( Addr a, Addr* lo, Addr* hi );

/* The unique symbol holding a: its start, size and (mangled) name. */
Bool MSC_(elfdata_unique_symbol) ( Addr a, Addr* start, SizeT* size,
                                   const HChar** name );

/* The global data symbol holding a, from debug info or else a unique
   symbol: its name and a's offset in it (never negative).  Every module
   that names a global by its address asks here. */
Bool MSC_(elfdata_symbol_at) ( Addr a, const HChar** name,
                               PtrdiffT* offset );

/* The executable's static thread-local storage, as every thread has a
   copy of it: the block's size and how far below the thread pointer it
   starts.  False when the executable has none. */
Bool MSC_(elfdata_exe_tls) ( SizeT* size, SizeT* below_tp );

/* The executable's thread-local symbol holding byte `offset` of its
   block: its start (an offset too), size and name. */
Bool MSC_(elfdata_tls_symbol) ( SizeT offset, SizeT* start, SizeT* size,
                                const HChar** name );

/* The name of the global holding a, as reports show it: "sym", or
   "sym+offset" inside it.  False (buf untouched) when none holds a. */
Bool MSC_(elfdata_symbol_name) ( Addr a, HChar* buf, SizeT szB );

/* Whether the code at ip belongs to an object whose soname or file base
   name starts with one of the n prefixes ("libc.so", "ld-linux"; the
   preload has no soname, so its file name says). */
Bool MSC_(elfdata_code_of) ( Addr ip, const HChar* const* prefixes,
                             UInt n );

/* The base name of the n-th object (from 0) with data sections but no
   symbol table (stripped), for the exit summary; NULL past the last. */
const HChar* MSC_(elfdata_stripped) ( UInt n );

#endif /* MSC_ELFDATA_H */
