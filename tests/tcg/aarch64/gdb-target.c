/* The gdb stub's test program (tests/tcg/gdb/gdb-target.c) on aarch64. */
#include "../gdb/gdb-target.c"
