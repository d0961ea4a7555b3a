/* own_library.c: a shared object of the program's own (built by
   tests/test_races.py beside own_library_main.c, loaded from outside
   the system's library directories).  Its global lib_counter is bumped
   without a lock by both of the main program's workers (the race); the
   one-byte static of the C runtime before it in .bss, which the dynamic
   linker clears 16 bytes at a time, must not swallow it. */
long lib_counter;

void lib_bump(void)
{
   lib_counter++;                                 /* the race */
}
