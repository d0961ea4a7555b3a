/* msc_elfdata.c: the program's own ELF objects' writable data sections
   and unique symbols.  See msc_elfdata.h.  Each object's file is read
   once, when the core first shows its debug info: the ELF header, the
   section headers with their names, and the symbol tables' unique
   objects (a few symbols to copy; the tables are read a slice at a
   time). */

#include "msc_elfdata.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_xarray.h"
#include <elf.h>

#define MAX_SECTIONS     4096         /* more is no ELF file we can use */
#define MAX_SHSTRTAB_SZB (1 << 20)
#define MAX_SYMBOLS      (1u << 24)
#define SYMBOL_SLICE     512
#define MAX_NAME_SZB     512

typedef struct {
   Addr         lo;
   SizeT        size;
   const HChar* name;
} UniqueSymbol;

/* One object read: known by its file and where its text lies. */
typedef struct {
   HChar*  filename;
   Addr    text_avma;
   Bool    has_symtab;
   Bool    seen;                 /* in the core's list at this refresh */
   Bool    is_exe;
   Bool    own;                  /* the program's own (is_own_object) */
   XArray* sections;             /* of MscDataSection */
   XArray* uniques;              /* of UniqueSymbol */
} Object;

static XArray* s_objects = NULL;       /* of Object */
/* All objects' sections, and all unique symbols sorted by address:
   rebuilt when an object comes or goes. */
static XArray* s_sections = NULL;      /* of MscDataSection */
static XArray* s_uniques = NULL;       /* of UniqueSymbol */
/* The other objects' sections (system libraries'): where an atomic word
   of a library may lie. */
static XArray* s_library_sections = NULL;  /* of MscDataSection */

/* The executable's thread-local storage: its template's layout and its
   symbols (lo: the offset in the block).  Threads' static TLS blocks
   hold it first, so its place below each thread pointer follows from
   the layout alone. */
static struct {
   Bool    known;
   SizeT   size, align;
   Addr    vaddr;
   XArray* symbols;              /* of UniqueSymbol, sorted */
} s_exe_tls;

static const HChar* base_name ( const HChar* path )
{
   const HChar* slash = VG_(strrchr)(path, '/');
   return slash ? slash + 1 : path;
}

static Bool starts_with ( const HChar* s, const HChar* prefix )
{
   return VG_(strncmp)(s, prefix, VG_(strlen)(prefix)) == 0;
}

/* The program's own objects: the executable, and shared objects from
   outside the system's library directories (the C library's and other
   system libraries' globals are guarded by locks the wrappers do not
   see) and other than Valgrind's preload objects. */
static Bool is_exe ( const HChar* filename )
{
   const HChar* exe = VG_(args_the_exename);
   return exe != NULL && exe[0] != 0
          && VG_(strcmp)(base_name(filename), base_name(exe)) == 0;
}

static Bool is_own_object ( const HChar* filename )
{
   static const HChar* const system_dirs[] = {
      "/lib/", "/lib32/", "/lib64/", "/libx32/", "/usr/lib/",
      "/usr/lib32/", "/usr/lib64/", "/usr/libx32/", "/usr/libexec/"
   };
   UInt i;
   if (is_exe(filename))
      return True;
   if (starts_with(base_name(filename), "vgpreload_"))
      return False;
   for (i = 0; i < sizeof system_dirs / sizeof system_dirs[0]; i++)
      if (starts_with(filename, system_dirs[i]))
         return False;
   return True;
}

static Bool read_at ( Int fd, void* buf, SizeT szB, ULong offset )
{
   if (szB > 0x7fffffff
       || VG_(lseek)(fd, (Off64T)offset, VKI_SEEK_SET) != (Off64T)offset)
      return False;
   return VG_(read)(fd, buf, (Int)szB) == (Int)szB;
}

static Bool is_data_section ( const Elf64_Shdr* sh, const HChar* name )
{
   /* Init and fini arrays and .dynamic have their own types; the GOT
      and relocation-read-only data are PROGBITS that only the dynamic
      linker writes, before the program runs or behind its own lock. */
   return (sh->sh_flags & SHF_ALLOC) && (sh->sh_flags & SHF_WRITE)
          && !(sh->sh_flags & SHF_TLS)
          && (sh->sh_type == SHT_PROGBITS || sh->sh_type == SHT_NOBITS)
          && sh->sh_size > 0
          && !starts_with(name, ".got")
          && !starts_with(name, ".data.rel.ro");
}

/* A copy of the NUL-terminated string at offset in [0, limit) of the
   table at table_off, at most MAX_NAME_SZB - 1 bytes. */
static HChar* read_string ( Int fd, ULong table_off, ULong limit,
                            ULong offset, const HChar* cc )
{
   HChar buf[MAX_NAME_SZB];
   SizeT n = MAX_NAME_SZB - 1;
   Int got, i;
   if (offset >= limit)
      return NULL;
   if (limit - offset < n)
      n = limit - offset;
   if (VG_(lseek)(fd, (Off64T)(table_off + offset), VKI_SEEK_SET) < 0)
      return NULL;
   got = VG_(read)(fd, buf, (Int)n);
   if (got <= 0)
      return NULL;
   for (i = 0; i < got && buf[i] != 0; i++)
      ;
   buf[i] = 0;
   return i == 0 ? NULL : VG_(strdup)(cc, buf);
}

#define ANY_BINDING 0xff

/* The symbols of one symbol table of type `type` (and binding `binding`
   unless ANY_BINDING) with a size, moved by bias. */
static void read_symbols ( Int fd, const Elf64_Shdr* symtab,
                           const Elf64_Shdr* strtab, UChar type,
                           UChar binding, PtrdiffT bias, XArray* out )
{
   Elf64_Sym slice[SYMBOL_SLICE];
   ULong n, i;
   if (symtab->sh_entsize != sizeof(Elf64_Sym))
      return;
   n = symtab->sh_size / sizeof(Elf64_Sym);
   if (n > MAX_SYMBOLS)
      n = MAX_SYMBOLS;
   for (i = 0; i < n; i += SYMBOL_SLICE) {
      ULong k, m = n - i < SYMBOL_SLICE ? n - i : SYMBOL_SLICE;
      if (!read_at(fd, slice, m * sizeof(Elf64_Sym),
                   symtab->sh_offset + i * sizeof(Elf64_Sym)))
         return;
      for (k = 0; k < m; k++) {
         const Elf64_Sym* s = &slice[k];
         UniqueSymbol u;
         if ((binding != ANY_BINDING && ELF64_ST_BIND(s->st_info) != binding)
             || ELF64_ST_TYPE(s->st_info) != type
             || s->st_size == 0 || s->st_shndx == SHN_UNDEF)
            continue;
         u.name = read_string(fd, strtab->sh_offset, strtab->sh_size,
                              s->st_name, "msc.elfdata.symbol");
         if (u.name == NULL)
            continue;
         u.lo = (Addr)s->st_value + bias;
         u.size = s->st_size;
         VG_(addToXA)(out, &u);
      }
   }
}

/* The executable's TLS template (PT_TLS), read from its program
   headers: size and alignment, and the first byte's offset in an
   aligned unit. */
static void read_tls_segment ( Int fd, const Elf64_Ehdr* eh )
{
   Elf64_Phdr ph;
   UInt i;
   if (eh->e_phentsize != sizeof ph || eh->e_phnum > MAX_SECTIONS)
      return;
   for (i = 0; i < eh->e_phnum; i++) {
      if (!read_at(fd, &ph, sizeof ph, eh->e_phoff + i * sizeof ph))
         return;
      if (ph.p_type == PT_TLS && ph.p_memsz > 0 && ph.p_memsz < (1u << 30)
          && (ph.p_align & (ph.p_align - 1)) == 0) {
         s_exe_tls.size = ph.p_memsz;
         s_exe_tls.align = ph.p_align ? ph.p_align : 1;
         s_exe_tls.vaddr = ph.p_vaddr;
         s_exe_tls.known = True;
         return;
      }
   }
}

/* The sections and unique symbols of o's file, loaded with bias. */
static void read_object ( Object* o, PtrdiffT bias )
{
   Elf64_Ehdr eh;
   Elf64_Shdr* sh = NULL;
   HChar* names = NULL;
   SysRes r = VG_(open)(o->filename, VKI_O_RDONLY, 0);
   Int fd;
   UInt i;
   if (sr_isError(r))
      return;
   fd = (Int)sr_Res(r);
   if (!read_at(fd, &eh, sizeof eh, 0)
       || VG_(memcmp)(eh.e_ident, ELFMAG, SELFMAG) != 0
       || eh.e_ident[EI_CLASS] != ELFCLASS64
       || eh.e_shentsize != sizeof(Elf64_Shdr)
       || eh.e_shnum == 0 || eh.e_shnum > MAX_SECTIONS
       || eh.e_shstrndx >= eh.e_shnum)
      goto done;
   sh = VG_(malloc)("msc.elfdata.shdrs", eh.e_shnum * sizeof *sh);
   if (!read_at(fd, sh, eh.e_shnum * sizeof *sh, eh.e_shoff))
      goto done;
   {
      const Elf64_Shdr* st = &sh[eh.e_shstrndx];
      SizeT szB = st->sh_size;
      if (szB == 0 || szB > MAX_SHSTRTAB_SZB)
         goto done;
      names = VG_(malloc)("msc.elfdata.shstrtab", szB + 1);
      if (!read_at(fd, names, szB, st->sh_offset))
         goto done;
      names[szB] = 0;
      for (i = 0; i < eh.e_shnum; i++) {
         const HChar* name = sh[i].sh_name < szB ? names + sh[i].sh_name
                                                 : "";
         if (is_data_section(&sh[i], name)) {
            MscDataSection d;
            d.lo = (Addr)sh[i].sh_addr + bias;
            d.hi = d.lo + sh[i].sh_size;
            d.section = VG_(strdup)("msc.elfdata.section", name);
            d.object = base_name(o->filename);
            VG_(addToXA)(o->sections, &d);
         }
      }
   }
   for (i = 0; o->own && i < eh.e_shnum; i++) {
      if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM)
         continue;
      if (sh[i].sh_type == SHT_SYMTAB)
         o->has_symtab = True;
      if (sh[i].sh_link >= eh.e_shnum)
         continue;
      read_symbols(fd, &sh[i], &sh[sh[i].sh_link], STT_OBJECT,
                   STB_GNU_UNIQUE, bias, o->uniques);
      if (o->is_exe)
         read_symbols(fd, &sh[i], &sh[sh[i].sh_link], STT_TLS, ANY_BINDING,
                      0, s_exe_tls.symbols);
   }
   if (o->is_exe)
      read_tls_segment(fd, &eh);
 done:
   if (names != NULL)
      VG_(free)(names);
   if (sh != NULL)
      VG_(free)(sh);
   VG_(close)(fd);
}

static void drop_object ( Object* o )
{
   Word i;
   for (i = 0; i < VG_(sizeXA)(o->sections); i++)
      VG_(free)((HChar*)((MscDataSection*)
                         VG_(indexXA)(o->sections, i))->section);
   for (i = 0; i < VG_(sizeXA)(o->uniques); i++)
      VG_(free)((HChar*)((UniqueSymbol*)
                         VG_(indexXA)(o->uniques, i))->name);
   VG_(deleteXA)(o->sections);
   VG_(deleteXA)(o->uniques);
   VG_(free)(o->filename);
}

static Int cmp_unique ( const void* a, const void* b )
{
   Addr x = ((const UniqueSymbol*)a)->lo, y = ((const UniqueSymbol*)b)->lo;
   return x < y ? -1 : x > y ? 1 : 0;
}

static void rebuild ( void )
{
   Word i, j;
   VG_(dropTailXA)(s_sections, VG_(sizeXA)(s_sections));
   VG_(dropTailXA)(s_library_sections, VG_(sizeXA)(s_library_sections));
   VG_(dropTailXA)(s_uniques, VG_(sizeXA)(s_uniques));
   for (i = 0; i < VG_(sizeXA)(s_objects); i++) {
      Object* o = VG_(indexXA)(s_objects, i);
      for (j = 0; j < VG_(sizeXA)(o->sections); j++)
         VG_(addToXA)(o->own ? s_sections : s_library_sections,
                      VG_(indexXA)(o->sections, j));
      for (j = 0; j < VG_(sizeXA)(o->uniques); j++)
         VG_(addToXA)(s_uniques, VG_(indexXA)(o->uniques, j));
   }
   VG_(setCmpFnXA)(s_uniques, cmp_unique);
   VG_(sortXA)(s_uniques);
}

static Object* object_of ( const HChar* filename, Addr text_avma )
{
   Word i;
   for (i = 0; i < VG_(sizeXA)(s_objects); i++) {
      Object* o = VG_(indexXA)(s_objects, i);
      if (o->text_avma == text_avma
          && VG_(strcmp)(o->filename, filename) == 0)
         return o;
   }
   return NULL;
}

static void forget_exe_tls ( void )
{
   Word i;
   for (i = 0; i < VG_(sizeXA)(s_exe_tls.symbols); i++)
      VG_(free)((HChar*)((UniqueSymbol*)
                         VG_(indexXA)(s_exe_tls.symbols, i))->name);
   VG_(dropTailXA)(s_exe_tls.symbols, VG_(sizeXA)(s_exe_tls.symbols));
   s_exe_tls.known = False;
}

Bool MSC_(elfdata_refresh) ( void )
{
   const DebugInfo* di;
   Bool changed = False;
   Word i;
   if (s_objects == NULL) {
      s_objects = VG_(newXA)(VG_(malloc), "msc.elfdata.objects",
                             VG_(free), sizeof(Object));
      s_sections = VG_(newXA)(VG_(malloc), "msc.elfdata.sections",
                              VG_(free), sizeof(MscDataSection));
      s_uniques = VG_(newXA)(VG_(malloc), "msc.elfdata.uniques",
                             VG_(free), sizeof(UniqueSymbol));
      s_library_sections = VG_(newXA)(VG_(malloc), "msc.elfdata.lsections",
                                      VG_(free), sizeof(MscDataSection));
      s_exe_tls.symbols = VG_(newXA)(VG_(malloc), "msc.elfdata.tls",
                                     VG_(free), sizeof(UniqueSymbol));
      VG_(setCmpFnXA)(s_exe_tls.symbols, cmp_unique);
   }
   for (i = 0; i < VG_(sizeXA)(s_objects); i++)
      ((Object*)VG_(indexXA)(s_objects, i))->seen = False;
   for (di = VG_(next_DebugInfo)(NULL); di != NULL;
        di = VG_(next_DebugInfo)(di)) {
      const HChar* filename = VG_(DebugInfo_get_filename)(di);
      Addr text = VG_(DebugInfo_get_text_avma)(di);
      Object* o;
      if (filename == NULL)
         continue;
      o = object_of(filename, text);
      if (o == NULL) {
         Object fresh;
         VG_(memset)(&fresh, 0, sizeof fresh);
         fresh.filename = VG_(strdup)("msc.elfdata.filename", filename);
         fresh.text_avma = text;
         fresh.is_exe = is_exe(filename);
         fresh.own = is_own_object(filename);
         if (fresh.is_exe)
            forget_exe_tls();
         fresh.sections = VG_(newXA)(VG_(malloc), "msc.elfdata.osections",
                                     VG_(free), sizeof(MscDataSection));
         fresh.uniques = VG_(newXA)(VG_(malloc), "msc.elfdata.ouniques",
                                    VG_(free), sizeof(UniqueSymbol));
         read_object(&fresh, VG_(DebugInfo_get_text_bias)(di));
         if (fresh.is_exe)
            VG_(sortXA)(s_exe_tls.symbols);
         VG_(addToXA)(s_objects, &fresh);
         o = VG_(indexXA)(s_objects, VG_(sizeXA)(s_objects) - 1);
         changed = True;
      }
      o->seen = True;
   }
   for (i = VG_(sizeXA)(s_objects) - 1; i >= 0; i--) {
      Object* o = VG_(indexXA)(s_objects, i);
      if (!o->seen) {
         drop_object(o);
         VG_(removeIndexXA)(s_objects, i);
         changed = True;
      }
   }
   if (changed)
      rebuild();
   return changed;
}

static const MscDataSection* section_in ( XArray* sections, Addr a )
{
   Word i;
   if (sections == NULL)
      return NULL;
   for (i = 0; i < VG_(sizeXA)(sections); i++) {
      const MscDataSection* d = VG_(indexXA)(sections, i);
      if (a >= d->lo && a < d->hi)
         return d;
   }
   return NULL;
}

const MscDataSection* MSC_(elfdata_section_at) ( Addr a )
{
   return section_in(s_sections, a);
}

const MscDataSection* MSC_(elfdata_library_section_at) ( Addr a )
{
   return section_in(s_library_sections, a);
}

void MSC_(elfdata_clip) ( Addr a, Addr* lo, Addr* hi )
{
   Word i;
   if (s_sections == NULL)
      return;
   for (i = 0; i < VG_(sizeXA)(s_sections); i++) {
      const MscDataSection* d = VG_(indexXA)(s_sections, i);
      if (a < d->lo && *hi > d->lo)
         *hi = d->lo;
      else if (a >= d->hi && *lo < d->hi)
         *lo = d->hi;
   }
}

/* The symbol of the sorted array xa whose [lo, lo+size) holds a. */
static const UniqueSymbol* symbol_holding ( XArray* xa, Addr a )
{
   Word lo = 0, hi;
   const UniqueSymbol* u;
   if (xa == NULL)
      return NULL;
   /* The last symbol starting at or below a. */
   hi = VG_(sizeXA)(xa);
   while (lo < hi) {
      Word mid = lo + (hi - lo) / 2;
      if (((UniqueSymbol*)VG_(indexXA)(xa, mid))->lo <= a)
         lo = mid + 1;
      else
         hi = mid;
   }
   if (lo == 0)
      return NULL;
   u = VG_(indexXA)(xa, lo - 1);
   return a - u->lo < u->size ? u : NULL;
}

Bool MSC_(elfdata_unique_symbol) ( Addr a, Addr* start, SizeT* size,
                                   const HChar** name )
{
   const UniqueSymbol* u = symbol_holding(s_uniques, a);
   if (u == NULL)
      return False;
   *start = u->lo;
   *size = u->size;
   *name = u->name;
   return True;
}

Bool MSC_(elfdata_exe_tls) ( SizeT* size, SizeT* below_tp )
{
   /* x86-64's TLS variant II, as glibc lays the first module out: the
      block ends at the thread pointer, rounded so that its first byte
      keeps the template's place in an aligned unit. */
   SizeT first_byte;
   if (!s_exe_tls.known)
      return False;
   first_byte = (SizeT)(-(s_exe_tls.vaddr & (s_exe_tls.align - 1)))
                & (s_exe_tls.align - 1);
   *size = s_exe_tls.size;
   *below_tp = VG_ROUNDUP(s_exe_tls.size - first_byte, s_exe_tls.align)
               + first_byte;
   return True;
}

Bool MSC_(elfdata_tls_symbol) ( SizeT offset, SizeT* start, SizeT* size,
                                const HChar** name )
{
   const UniqueSymbol* u = symbol_holding(s_exe_tls.symbols, offset);
   if (u == NULL)
      return False;
   *start = u->lo;
   *size = u->size;
   *name = u->name;
   return True;
}

Bool MSC_(elfdata_symbol_at) ( Addr a, const HChar** name,
                               PtrdiffT* offset )
{
   Addr start;
   SizeT size;
   if (VG_(get_datasym_and_offset)(VG_(current_DiEpoch)(), a, name, offset)
       && *offset >= 0)
      return True;
   if (!MSC_(elfdata_unique_symbol)(a, &start, &size, name))
      return False;
   *offset = (PtrdiffT)(a - start);
   return True;
}

Bool MSC_(elfdata_symbol_name) ( Addr a, HChar* buf, SizeT szB )
{
   const HChar* sym;
   PtrdiffT offset;
   if (!MSC_(elfdata_symbol_at)(a, &sym, &offset))
      return False;
   if (offset == 0)
      VG_(snprintf)(buf, szB, "%s", sym);
   else
      VG_(snprintf)(buf, szB, "%s+%ld", sym, (long)offset);
   return True;
}

Bool MSC_(elfdata_code_of) ( Addr ip, const HChar* const* prefixes,
                             UInt n )
{
   const DebugInfo* di = VG_(find_DebugInfo)(VG_(current_DiEpoch)(), ip);
   const HChar* names[2];
   UInt i, k;
   if (di == NULL)
      return False;
   names[0] = VG_(DebugInfo_get_soname)(di);
   names[1] = base_name(VG_(DebugInfo_get_filename)(di));
   for (k = 0; k < 2; k++)
      for (i = 0; names[k] != NULL && i < n; i++)
         if (starts_with(names[k], prefixes[i]))
            return True;
   return False;
}

const HChar* MSC_(elfdata_stripped) ( UInt n )
{
   Word i;
   if (s_objects == NULL)
      return NULL;
   for (i = 0; i < VG_(sizeXA)(s_objects); i++) {
      const Object* o = VG_(indexXA)(s_objects, i);
      if (o->own && !o->has_symtab && VG_(sizeXA)(o->sections) > 0
          && n-- == 0)
         return base_name(o->filename);
   }
   return NULL;
}
