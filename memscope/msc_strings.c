/* msc_strings.c: string functions that never begin a read outside the
   string, in the preload library
   (vgpreload_memscope-<platform>.so), replacing the C library's and the
   dynamic linker's.  Runs on the simulated CPU, inside the client.

   Why: glibc's vectorised string functions read whole aligned 16- or
   32-byte words, before a string's start (strlen's first load when the
   string lies near the end of a page) and past its terminator.  Those
   bytes are never used, but memscope's heap packs blocks without
   redzones, so they are often a neighbouring block that another thread
   is writing: the race check saw a read of the neighbour (a strlen of a
   string just handed over through a locked queue reported races with
   the producer filling the next string).  These versions read the bytes
   the function's contract reads, as Memcheck's, Helgrind's and DRD's
   replacements do: plain loops, and for strlen and memchr aligned words
   (below).  glibc's results, nothing more (no errno, no locale: the
   functions below have none).

   The names are those of the C library's exported symbols; for glibc's
   IFUNC symbols the core redirects the implementation the resolver
   picks, so the library's own internal calls (printf's strlen, strdup's)
   get these too.  -fno-builtin and -fno-tree-loop-distribute-patterns
   keep the compiler from turning a loop back into a call of the function
   it replaces. */

#include <stddef.h>
#include <wchar.h>

/* The core's name for "replace function fnname of soname" (its encoding
   in pub_tool_redir.h: _vgr, five digits of equivalence class and
   priority, ZU for a Z-encoded soname and a plain function name).  Not
   the header itself: it needs the core's config.h, which clashes with
   this build's. */
#define MSC_REPLACEMENT(soname, fnname) _vgr00000ZU_##soname##_##fnname

#define MSC_STR_LIBC libcZdsoZa                          /* libc.so*  */
#define MSC_STR_LD   ldZhlinuxZhx86Zh64ZdsoZd2   /* ld-linux-x86-64.so.2 */

/* Defines replacement `ret name params` in `soname`; the rest is its
   body (variadic: a body's declarations have commas). */
#define MSC_REPLACE(soname, ret, name, params, ...)                       \
   ret MSC_REPLACEMENT(soname, name) params;                             \
   ret MSC_REPLACEMENT(soname, name) params __VA_ARGS__

/* ---- word at a time ------------------------------------------------------ */

/* strlen and memchr scan long buffers (sort's line reading, every
   printf): a byte loop under the simulated CPU cost sort 15%.  They read
   aligned 8-byte words from the first aligned address at or after the
   start (bytes before it one at a time: a word there could begin in
   the object before the string), so no read begins outside the string;
   the last word may end up to 7 bytes past the terminator, inside the
   same aligned word, which the race check clips to the object the read
   begins in. */
#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Whether the word has a zero byte. */
static inline int has_zero ( unsigned long long w )
{
   return ((w - ONES) & ~w & HIGHS) != 0;
}

static inline size_t length_of ( const char* s )
{
   const char* p = s;
   const unsigned long long* w;
   while (((unsigned long)p & 7) != 0) {
      if (*p == 0)
         return p - s;
      p++;
   }
   w = (const unsigned long long*)p;
   while (!has_zero(*w))
      w++;
   p = (const char*)w;
   while (*p != 0)
      p++;
   return p - s;
}

static inline const unsigned char* find_byte ( const unsigned char* p,
                                               unsigned char c, size_t n )
{
   unsigned long long pattern = ONES * c;
   while (n > 0 && ((unsigned long)p & 7) != 0) {
      if (*p == c)
         return p;
      p++;
      n--;
   }
   while (n >= 8 && !has_zero(*(const unsigned long long*)p ^ pattern)) {
      p += 8;
      n -= 8;
   }
   for (; n > 0; p++, n--)
      if (*p == c)
         return p;
   return NULL;
}

/* ---- lengths ------------------------------------------------------------- */

#define STRLEN(soname, name)                                              \
   MSC_REPLACE(soname, size_t, name, ( const char* s ), {                 \
      return length_of(s);                                                \
   })

#define STRNLEN(soname, name)                                             \
   MSC_REPLACE(soname, size_t, name, ( const char* s, size_t max ), {     \
      size_t n = 0;                                                       \
      while (n < max && s[n] != 0)                                        \
         n++;                                                             \
      return n;                                                           \
   })

#define WCSLEN(soname, name)                                              \
   MSC_REPLACE(soname, size_t, name, ( const wchar_t* s ), {              \
      size_t n = 0;                                                       \
      while (s[n] != 0)                                                   \
         n++;                                                             \
      return n;                                                           \
   })

/* ---- searches ------------------------------------------------------------ */

#define STRCHR(soname, name)                                              \
   MSC_REPLACE(soname, char*, name, ( const char* s, int c ), {           \
      char ch = (char)c;                                                  \
      for (;; s++) {                                                      \
         if (*s == ch)                                                    \
            return (char*)s;                                              \
         if (*s == 0)                                                     \
            return NULL;                                                  \
      }                                                                   \
   })

#define STRCHRNUL(soname, name)                                           \
   MSC_REPLACE(soname, char*, name, ( const char* s, int c ), {           \
      char ch = (char)c;                                                  \
      while (*s != ch && *s != 0)                                         \
         s++;                                                             \
      return (char*)s;                                                    \
   })

#define STRRCHR(soname, name)                                             \
   MSC_REPLACE(soname, char*, name, ( const char* s, int c ), {           \
      char ch = (char)c;                                                  \
      const char* last = NULL;                                            \
      for (;; s++) {                                                      \
         if (*s == ch)                                                    \
            last = s;                                                     \
         if (*s == 0)                                                     \
            return (char*)last;                                           \
      }                                                                   \
   })

#define MEMCHR(soname, name)                                              \
   MSC_REPLACE(soname, void*, name, ( const void* s, int c, size_t n ), { \
      return (void*)find_byte(s, (unsigned char)c, n);                    \
   })

#define MEMRCHR(soname, name)                                             \
   MSC_REPLACE(soname, void*, name, ( const void* s, int c, size_t n ), { \
      const unsigned char* p = s;                                         \
      while (n-- > 0)                                                     \
         if (p[n] == (unsigned char)c)                                    \
            return (void*)(p + n);                                        \
      return NULL;                                                        \
   })

#define RAWMEMCHR(soname, name)                                           \
   MSC_REPLACE(soname, void*, name, ( const void* s, int c ), {           \
      const unsigned char* p = s;                                         \
      while (*p != (unsigned char)c)                                      \
         p++;                                                             \
      return (void*)p;                                                    \
   })

/* ---- comparisons ----------------------------------------------------------- */

#define STRCMP(soname, name)                                              \
   MSC_REPLACE(soname, int, name, ( const char* a, const char* b ), {     \
      const unsigned char* x = (const unsigned char*)a;                   \
      const unsigned char* y = (const unsigned char*)b;                   \
      while (*x != 0 && *x == *y) {                                       \
         x++;                                                             \
         y++;                                                             \
      }                                                                   \
      return (int)*x - (int)*y;                                           \
   })

#define STRNCMP(soname, name)                                             \
   MSC_REPLACE(soname, int, name,                                         \
               ( const char* a, const char* b, size_t n ), {              \
      const unsigned char* x = (const unsigned char*)a;                   \
      const unsigned char* y = (const unsigned char*)b;                   \
      size_t i;                                                           \
      for (i = 0; i < n; i++) {                                           \
         if (x[i] != y[i] || x[i] == 0)                                   \
            return (int)x[i] - (int)y[i];                                 \
      }                                                                   \
      return 0;                                                           \
   })

/* ---- copies ------------------------------------------------------------------ */

#define STPCPY(soname, name)                                              \
   MSC_REPLACE(soname, char*, name, ( char* d, const char* s ), {         \
      while ((*d = *s) != 0) {                                            \
         d++;                                                             \
         s++;                                                             \
      }                                                                   \
      return d;                                                           \
   })

#define STRCPY(soname, name)                                              \
   MSC_REPLACE(soname, char*, name, ( char* d, const char* s ), {         \
      char* start = d;                                                    \
      while ((*d++ = *s++) != 0) {                                        \
      }                                                                   \
      return start;                                                       \
   })

#define STRCAT(soname, name)                                              \
   MSC_REPLACE(soname, char*, name, ( char* d, const char* s ), {         \
      char* start = d;                                                    \
      while (*d != 0)                                                     \
         d++;                                                             \
      while ((*d++ = *s++) != 0) {                                        \
      }                                                                   \
      return start;                                                       \
   })

#define STRNCAT(soname, name)                                             \
   MSC_REPLACE(soname, char*, name,                                       \
               ( char* d, const char* s, size_t n ), {                    \
      char* start = d;                                                    \
      while (*d != 0)                                                     \
         d++;                                                             \
      while (n-- > 0 && *s != 0)                                          \
         *d++ = *s++;                                                     \
      *d = 0;                                                             \
      return start;                                                       \
   })

/* strncpy pads with NULs up to n; stpncpy returns the end of the copy. */
#define STRNCPY(soname, name)                                             \
   MSC_REPLACE(soname, char*, name,                                       \
               ( char* d, const char* s, size_t n ), {                    \
      size_t i = 0;                                                       \
      for (; i < n && s[i] != 0; i++)                                     \
         d[i] = s[i];                                                     \
      for (; i < n; i++)                                                  \
         d[i] = 0;                                                        \
      return d;                                                           \
   })

#define STPNCPY(soname, name)                                             \
   MSC_REPLACE(soname, char*, name,                                       \
               ( char* d, const char* s, size_t n ), {                    \
      size_t i = 0, end;                                                  \
      for (; i < n && s[i] != 0; i++)                                     \
         d[i] = s[i];                                                     \
      end = i;                                                            \
      for (; i < n; i++)                                                  \
         d[i] = 0;                                                        \
      return d + end;                                                     \
   })

/* The C library: every function whose vectorised versions read past
   what they use. */
STRLEN(MSC_STR_LIBC, strlen)
STRNLEN(MSC_STR_LIBC, strnlen)
STRNLEN(MSC_STR_LIBC, __strnlen)
WCSLEN(MSC_STR_LIBC, wcslen)
STRCHR(MSC_STR_LIBC, strchr)
STRCHR(MSC_STR_LIBC, index)
STRCHRNUL(MSC_STR_LIBC, strchrnul)
STRCHRNUL(MSC_STR_LIBC, __strchrnul)
STRRCHR(MSC_STR_LIBC, strrchr)
STRRCHR(MSC_STR_LIBC, rindex)
MEMCHR(MSC_STR_LIBC, memchr)
MEMRCHR(MSC_STR_LIBC, memrchr)
RAWMEMCHR(MSC_STR_LIBC, rawmemchr)
RAWMEMCHR(MSC_STR_LIBC, __rawmemchr)
STRCMP(MSC_STR_LIBC, strcmp)
STRNCMP(MSC_STR_LIBC, strncmp)
STRCPY(MSC_STR_LIBC, strcpy)
STPCPY(MSC_STR_LIBC, stpcpy)
STPCPY(MSC_STR_LIBC, __stpcpy)
STRCAT(MSC_STR_LIBC, strcat)
STRNCAT(MSC_STR_LIBC, strncat)
STRNCPY(MSC_STR_LIBC, strncpy)
STPNCPY(MSC_STR_LIBC, stpncpy)
STPNCPY(MSC_STR_LIBC, __stpncpy)

/* The dynamic linker's own copies (its memory and the program's names
   of libraries). */
STRLEN(MSC_STR_LD, strlen)
STRNLEN(MSC_STR_LD, __strnlen)
STRCHR(MSC_STR_LD, strchr)
STRCHR(MSC_STR_LD, index)
STRCMP(MSC_STR_LD, strcmp)
STRNCMP(MSC_STR_LD, strncmp)
MEMCHR(MSC_STR_LD, memchr)
RAWMEMCHR(MSC_STR_LD, __rawmemchr)
