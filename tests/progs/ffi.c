/* ffi.c: blocks crossing an object-file boundary.  Loads libpool.so with
   dlopen, takes 3 blocks of 40 bytes from pool_make() and frees them
   here, hands 2 blocks of 24 bytes it allocated to pool_release(), then
   unloads the library before its last free, so the library's frames must
   already be in the log.  Expected (tests/test_errors.py): 3 blocks
   libpool.so -> ffi and 2 blocks ffi -> libpool.so. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv)
{
   char path[4096];
   void* lib;
   void* (*make)(unsigned long);
   void (*release)(void*);
   void* made[3];
   int i;
   snprintf(path, sizeof path, "%s.so", argc > 1 ? argv[1] : "./libpool");
   lib = dlopen(path, RTLD_NOW);
   if (lib == NULL) {
      printf("ffi: %s\n", dlerror());
      return 1;
   }
   make = (void* (*)(unsigned long))dlsym(lib, "pool_make");
   release = (void (*)(void*))dlsym(lib, "pool_release");
   for (i = 0; i < 3; i++)
      made[i] = make(40);
   for (i = 0; i < 2; i++)
      release(malloc(24));
   free(made[0]);
   free(made[1]);
   dlclose(lib);
   free(made[2]);
   printf("ffi: ok\n");
   return 0;
}
