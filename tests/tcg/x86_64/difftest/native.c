/*
 * The native side of the differential tester: runs the generated cases on
 * this host's CPU in this process (code and data mapped at the guest's
 * addresses; exceptions come back as signals, on an alternate stack, with
 * the state from the signal frame) and prints one digest per case, or the
 * full state of one case (dump=N).
 *
 *   difftest-native seed=S count=N classes=int,sse-fp,... [features=F]
 *                   [dump=I]
 *   difftest-native probe         (prints this CPU's DTF_* features)
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "dt.h"

static sigjmp_buf jb;
static DTState *cur_out;

/* ucontext register order -> DTState's */
static const int greg_of[16] = {
    REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
    REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    DTState *o = cur_out;
    const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;

    for (int i = 0; i < 16; i++) {
        o->gpr[i] = uc->uc_mcontext.gregs[greg_of[i]];
    }
    o->rflags = uc->uc_mcontext.gregs[REG_EFL];
    o->rip = uc->uc_mcontext.gregs[REG_RIP];
    o->vector = uc->uc_mcontext.gregs[REG_TRAPNO] + 1;
    o->error = uc->uc_mcontext.gregs[REG_ERR];
    memcpy(o->xsave, fp, 512);
    /* the XSAVE header and AVX state follow when the frame has them */
    if (*(const uint32_t *)(fp + 464) == 0x46505853u) {    /* FP_XSTATE_MAGIC1 */
        memcpy(o->xsave + 512, fp + 512, 64);
        memcpy(o->xsave + 576, fp + 576, 256);
    } else {
        o->xsave[512] = 3;
    }
    siglongjmp(jb, 1);
}

static void pr(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, count = 100;
    long dump = -1;
    bool probe = false;
    const char *hex = NULL;
    char classes[256] = "int";
    static DTCase c;
    static DTState out __attribute__((aligned(64)));
    static uint8_t altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    struct sigaction sa = { 0 };
    uint8_t *code, *buf;

    dt_features = dt_cpu_features();

    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "seed=", 5)) {
            seed = strtoull(argv[i] + 5, NULL, 0);
        } else if (!strncmp(argv[i], "count=", 6)) {
            count = strtoull(argv[i] + 6, NULL, 0);
        } else if (!strncmp(argv[i], "classes=", 8)) {
            snprintf(classes, sizeof(classes), "%s", argv[i] + 8);
        } else if (!strncmp(argv[i], "features=", 9)) {
            dt_features = strtoul(argv[i] + 9, NULL, 0);
        } else if (!strncmp(argv[i], "hex=", 4)) {
            hex = argv[i] + 4;
        } else if (!strcmp(argv[i], "probe")) {
            probe = true;
        } else if (!strncmp(argv[i], "dump=", 5)) {
            dump = strtol(argv[i] + 5, NULL, 0);
        } else {
            fprintf(stderr, "usage: %s seed=S count=N classes=a,b [dump=I]\n",
                    argv[0]);
            return 2;
        }
    }
    if (probe) {
        printf("features 0x%x\n", dt_cpu_features());
        return 0;
    }
    code = mmap((void *)DT_CODE, DT_CODE_SZ, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    buf = mmap((void *)DT_BUF, 4096, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (code != (void *)DT_CODE || buf != (void *)DT_BUF) {
        perror("difftest-native: mmap at the fixed addresses");
        return 1;
    }
    sigaltstack(&ss, NULL);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);

    for (char *cl = strtok(classes, ","); cl; cl = strtok(NULL, ",")) {
        int cls = -1;

        for (int k = 0; k < DT_NCLASSES; k++) {
            if (!strcmp(cl, dt_class_names[k])) {
                cls = k;
            }
        }
        if (cls < 0) {
            fprintf(stderr, "difftest-native: unknown class %s\n", cl);
            return 2;
        }
        for (uint64_t i = 0; i < count; i++) {
            uint64_t exit_addr = (uint64_t)dt_exit;

            dt_gen_case(&c, seed, i, cls);
            if (hex) {
                dt_set_code(&c, hex);
            }
            memcpy(code, c.code, c.code_len);
            memcpy(code + c.code_len - 8, &exit_addr, 8);
            memcpy(buf, c.buf, DT_BUF_SZ);
            memset(&out, 0, sizeof(out));
            cur_out = &out;
            if (!sigsetjmp(jb, 1)) {
                dt_run(&c.in, &out);
            }
            if (dump >= 0 && i != (uint64_t)dump) {
                continue;
            }
            if (dump >= 0) {
                dt_dump(&c, &out, buf, pr);
            } else {
                printf("%s %lu %016lx\n", cl, (unsigned long)i,
                       (unsigned long)dt_digest(&c, &out, buf));
            }
        }
    }
    return 0;
}
