/*
 * Arm semihosting (HLT #0xF000 in A64, with -semihosting): the calls the
 * bare-metal tests and simple firmware use.  Operation in w0, parameter
 * (or parameter block address) in x1, result in x0.  Output goes to
 * stderr, as QEMU's does without a semihosting chardev.
 *
 * Reference: Arm "Semihosting for AArch32 and AArch64", version 3.0.
 */
#include "turtle/osdep.h"
#include "target/arm/cpu.h"
#include "sysemu/runstate.h"

#define SYS_WRITEC          0x03
#define SYS_WRITE0          0x04
#define SYS_WRITE           0x05
#define SYS_CLOCK           0x10
#define SYS_TIME            0x11
#define SYS_ERRNO           0x13
#define SYS_EXIT            0x18
#define SYS_EXIT_EXTENDED   0x20

#define ADP_Stopped_ApplicationExit 0x20026

static bool semi_read(CPUState *cs, uint64_t addr, void *buf, size_t len)
{
    return cpu_memory_rw_debug(cs, addr, buf, len, false) == 0;
}

static uint64_t semi_write0(CPUState *cs, uint64_t addr)
{
    char buf[256];
    size_t n = 0;
    uint8_t c;

    while (semi_read(cs, addr++, &c, 1) && c) {
        buf[n++] = c;
        if (n == sizeof(buf)) {
            fwrite(buf, 1, n, stderr);
            n = 0;
        }
    }
    fwrite(buf, 1, n, stderr);
    fflush(stderr);
    return 0;
}

static uint64_t semi_write(CPUState *cs, uint64_t block)
{
    uint64_t args[3];                   /* fd, buffer, length */
    uint8_t buf[256];
    uint64_t left;

    if (!semi_read(cs, block, args, sizeof(args))) {
        return -1;
    }
    left = args[2];
    while (left) {
        size_t n = MIN(left, sizeof(buf));

        if (!semi_read(cs, args[1] + (args[2] - left), buf, n)) {
            return left;
        }
        fwrite(buf, 1, n, args[0] == 2 ? stderr : stdout);
        left -= n;
    }
    fflush(args[0] == 2 ? stderr : stdout);
    return 0;
}

void arm_do_semihosting(CPUARMState *env)
{
    CPUState *cs = env_cpu(env);
    uint32_t op = env->xregs[0];
    uint64_t arg = env->xregs[1];
    uint64_t ret = -1;
    uint8_t c;

    switch (op) {
    case SYS_WRITEC:
        if (semi_read(cs, arg, &c, 1)) {
            fputc(c, stderr);
            fflush(stderr);
        }
        ret = 0;
        break;
    case SYS_WRITE0:
        ret = semi_write0(cs, arg);
        break;
    case SYS_WRITE:
        ret = semi_write(cs, arg);
        break;
    case SYS_CLOCK:
        ret = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) / 10000000;
        break;
    case SYS_TIME:
        ret = time(NULL);
        break;
    case SYS_ERRNO:
        ret = 0;
        break;
    case SYS_EXIT:
    case SYS_EXIT_EXTENDED: {
        uint64_t block[2] = { 0, 0 };
        int status;

        semi_read(cs, arg, block, sizeof(block));
        status = block[0] == ADP_Stopped_ApplicationExit ? (int)block[1] : 1;
        fflush(stdout);
        fflush(stderr);
        turtle_exit(status);
    }
    default:
        break;
    }
    env->xregs[0] = ret;
}
