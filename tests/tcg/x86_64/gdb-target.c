/* The gdb stub's test program (tests/tcg/gdb/gdb-target.c) on x86_64. */
#include "../gdb/gdb-target.c"
