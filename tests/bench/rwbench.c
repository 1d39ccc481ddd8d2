/*
 * rwbench: 4 KiB random (or sequential) reads or writes on a block device,
 * with O_DIRECT, for the in-guest disk benchmark (disk_guest_bench.py).
 *
 *     rwbench DEVICE randread|randwrite|seqread|seqwrite COUNT SPAN_MB
 *
 * Prints "rwbench MODE COUNT ops NS ns": COUNT requests of 4 KiB at
 * offsets in the first SPAN_MB MiB (random: a fixed xorshift sequence,
 * so every run and every emulator does the same requests).
 *
 * The guest has no C library (a busybox initramfs), so this is freestanding
 * AArch64 Linux: raw system calls, no libc.  Build:
 *     aarch64-linux-gnu-gcc -O2 -static -nostdlib -ffreestanding \
 *         -fno-stack-protector -o rwbench rwbench.c
 */
typedef unsigned long u64;
typedef long s64;

#define SYS_openat          56
#define SYS_pread64         67
#define SYS_pwrite64        68
#define SYS_write           64
#define SYS_exit_group      94
#define SYS_clock_gettime   113
#define AT_FDCWD            (-100)
#define O_RDWR              02
#define O_DIRECT_ARM64      0200000
#define CLOCK_MONOTONIC     1
#define BS                  4096

static s64 sys6(s64 n, s64 a, s64 b, s64 c, s64 d)
{
    register s64 x8 __asm__("x8") = n;
    register s64 x0 __asm__("x0") = a;
    register s64 x1 __asm__("x1") = b;
    register s64 x2 __asm__("x2") = c;
    register s64 x3 __asm__("x3") = d;

    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2),
                     "r"(x3) : "memory");
    return x0;
}

static void out(const char *s)
{
    u64 n = 0;

    while (s[n]) {
        n++;
    }
    sys6(SYS_write, 1, (s64)s, n, 0);
}

static void out_num(u64 v)
{
    char b[24];
    int i = 23;

    b[i] = 0;
    do {
        b[--i] = '0' + v % 10;
        v /= 10;
    } while (v);
    out(b + i);
}

static u64 parse(const char *s)
{
    u64 v = 0;

    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (u64)(*s++ - '0');
    }
    return v;
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static u64 now_ns(void)
{
    s64 ts[2];

    sys6(SYS_clock_gettime, CLOCK_MONOTONIC, (s64)ts, 0, 0);
    return (u64)ts[0] * 1000000000ull + (u64)ts[1];
}

static _Alignas(4096) unsigned char buf[BS];

static void __attribute__((noreturn)) die(const char *msg)
{
    out("rwbench: ");
    out(msg);
    out("\n");
    sys6(SYS_exit_group, 1, 0, 0, 0);
    __builtin_unreachable();
}

static void __attribute__((used)) start_c(s64 *sp)
{
    s64 argc = sp[0];
    char **argv = (char **)(sp + 1);
    u64 count, blocks, x = 88172645463325252ull, t0, t1;
    int rnd, wr;
    s64 fd;

    if (argc != 5) {
        die("usage: rwbench DEVICE randread|randwrite|seqread|seqwrite "
            "COUNT SPAN_MB");
    }
    rnd = streq(argv[2], "randread") || streq(argv[2], "randwrite");
    wr = streq(argv[2], "randwrite") || streq(argv[2], "seqwrite");
    count = parse(argv[3]);
    blocks = parse(argv[4]) * (1024 * 1024 / BS);
    if (!blocks) {
        die("SPAN_MB must be at least 1");
    }
    fd = sys6(SYS_openat, AT_FDCWD, (s64)argv[1], O_RDWR | O_DIRECT_ARM64,
              0);
    if (fd < 0) {
        die("cannot open the device");
    }
    for (int i = 0; i < BS; i++) {
        buf[i] = (unsigned char)(i * 7);
    }
    t0 = now_ns();
    for (u64 i = 0; i < count; i++) {
        u64 blk;
        s64 r;

        if (rnd) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            blk = x % blocks;
        } else {
            blk = i % blocks;
        }
        r = sys6(wr ? SYS_pwrite64 : SYS_pread64, fd, (s64)buf, BS,
                 (s64)(blk * BS));
        if (r != BS) {
            die("I/O error");
        }
    }
    t1 = now_ns();
    out("rwbench ");
    out(argv[2]);
    out(" ");
    out_num(count);
    out(" ops ");
    out_num(t1 - t0);
    out(" ns\n");
    sys6(SYS_exit_group, 0, 0, 0, 0);
}

/* The entry point: the stack pointer holds argc, argv... */
__asm__(".globl _start\n"
        "_start:\n"
        "    mov x0, sp\n"
        "    bl start_c\n");
