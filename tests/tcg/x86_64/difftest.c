/*
 * The guest side of the differential tester (difftest/README.md): the same
 * cases as difftest-native, run at CPL 0 in 64-bit mode, one digest line
 * per case on COM1.  Arguments come from the multiboot command line
 * (-append "seed=S count=N classes=a,b [dump=I]").  No .ref: difftest.py
 * compares the output with the native run.
 */
#include "lib.h"
#include "difftest/dt.h"

typedef struct {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
} DTFrame;

extern uint32_t mb_info;
static DTCase c;
static DTState out __attribute__((aligned(64)));

void dt_trap_c(DTFrame *f);
void dt_trap_c(DTFrame *f)
{
    const uint64_t g[16] = {
        f->rax, f->rcx, f->rdx, f->rbx, f->rsp, f->rbp, f->rsi, f->rdi,
        f->r8, f->r9, f->r10, f->r11, f->r12, f->r13, f->r14, f->r15 };

    memcpy(dt_out->gpr, g, sizeof(g));
    dt_out->rflags = f->rflags;
    dt_out->rip = f->rip;
    dt_out->vector = f->vector + 1;
    dt_out->error = f->error;
}

static const char *arg(const char *cmd, const char *key)
{
    for (const char *p = cmd; p && *p; p++) {
        if ((p == cmd || p[-1] == ' ')) {
            const char *k = key, *q = p;

            while (*k && *q == *k) {
                k++;
                q++;
            }
            if (!*k) {
                return q;
            }
        }
    }
    return NULL;
}

static uint64_t num(const char *s, uint64_t def)
{
    uint64_t v = 0;

    if (!s || *s < '0' || *s > '9') {
        return def;
    }
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + *s++ - '0';
    }
    return v;
}

static void pr(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

int main(void)
{
    const uint32_t *mb = (const uint32_t *)(uint64_t)mb_info;
    const char *cmd = (mb[0] & 4) ? (const char *)(uint64_t)mb[4] : "";
    uint64_t seed = num(arg(cmd, "seed="), 1);
    uint64_t count = num(arg(cmd, "count="), 100);
    const char *cl = arg(cmd, "classes=");
    const char *dump_s = arg(cmd, "dump=");
    int64_t dump = dump_s ? (int64_t)num(dump_s, 0) : -1;
    const char *feat = arg(cmd, "features=");
    const char *hex = arg(cmd, "hex=");
    uint32_t r[4];
    uint64_t xcr0 = 3;

    /* CR4.OSXSAVE, and XCR0 = x87 | SSE (| AVX if offered) */
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 26))) {
        printf("difftest: no XSAVE\n");
        return 1;
    }
    write_cr4(read_cr4() | (1u << 18));
    if (r[2] & (1u << 28)) {
        xcr0 |= 4;
    }
    __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"(0));
    dt_features = feat ? num(feat, 0) : dt_cpu_features();
    if (arg(cmd, "probe")) {
        printf("features %u\n", dt_cpu_features());
        return 0;
    }
    for (int v = 0; v < 32; v++) {
        idt_set(v, dt_trap_stubs + 16 * v, 0, 1, false);
    }
    while (cl && *cl && *cl != ' ') {
        int cls = -1;

        for (int k = 0; k < DT_NCLASSES; k++) {
            const char *n = dt_class_names[k], *q = cl;

            while (*n && *q == *n) {
                n++;
                q++;
            }
            if (!*n && (*q == ',' || *q == ' ' || !*q)) {
                cls = k;
                cl = q;
                break;
            }
        }
        if (cls < 0) {
            printf("difftest: unknown class at %s\n", cl);
            return 1;
        }
        for (uint64_t i = 0; i < count; i++) {
            uint64_t exit_addr = (uint64_t)dt_exit;

            dt_gen_case(&c, seed, i, cls);
            if (hex) {
                dt_set_code(&c, hex);
            }
            memcpy((void *)DT_CODE, c.code, c.code_len);
            memcpy((void *)(DT_CODE + c.code_len - 8), &exit_addr, 8);
            memcpy((void *)DT_BUF, c.buf, DT_BUF_SZ);
            memset(&out, 0, sizeof(out));
            dt_run(&c.in, &out);
            if (dump >= 0 && i != (uint64_t)dump) {
                continue;
            }
            if (dump >= 0) {
                dt_dump(&c, &out, (const uint8_t *)DT_BUF, pr);
            } else {
                printf("%s %lu %016lx\n", dt_class_names[cls], i,
                       dt_digest(&c, &out, (const uint8_t *)DT_BUF));
            }
        }
        if (*cl == ',') {
            cl++;
        }
    }
    return 0;
}
