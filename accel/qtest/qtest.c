/*
 * The qtest accelerator and protocol server.
 *
 * Under "-accel qtest" no guest CPU runs: CPUs a board creates exist but
 * never execute, and the virtual clock moves only when the test says so.
 * A test program drives the machine over a line protocol on a chardev
 * given by -qtest SPEC (usually "unix:PATH", a client connecting to the
 * test's listening socket).  Each command line gets exactly one answer,
 * "OK ..." or "FAIL reason"; intercepted IRQ lines add asynchronous
 * "IRQ raise N" / "IRQ lower N" lines.  docs/qtest.md lists the commands.
 *
 * Everything runs in the main loop with the big lock held.
 */
#include "turtle/osdep.h"
#include "turtle/timer.h"
#include "accel/accel.h"
#include "chardev/char.h"
#include "exec/memory.h"
#include "hw/core/qdev.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "sysemu/qtest.h"
#include "sysemu/runstate.h"

#define QTEST_MAX_BLOB (64 * 1024 * 1024)   /* read/write/memset size cap */
#define QTEST_MAX_LINE (256 * 1024 * 1024)  /* longer input lines are dropped */

typedef struct QTestIrq {
    struct QTestIrq *next;
    struct IRQState *line;    /* reporting line we allocated (out) */
    int n;
    int level;                /* last level reported, -1 if none */
} QTestIrq;

typedef struct QTestServer {
    CharBackend chr;
    GString *inbuf;
    bool discarding;          /* inside an over-long line */
    FILE *log;
    int64_t start_us;
    QTestIrq *irqs;           /* every intercepted line */
    CPUState *cpu;            /* "cpu N": current_cpu of memory accesses */
} QTestServer;

static QTestServer *qtest;
static bool qtest_accel_active;

bool qtest_enabled(void)
{
    return qtest_accel_active || qtest != NULL;
}

/* ---- output ---- */

static double qtest_log_time(QTestServer *s)
{
    return (g_get_monotonic_time() - s->start_us) / 1e6;
}

static void qtest_send(QTestServer *s, const char *line)
{
    GString *out = g_string_new(line);

    g_string_append_c(out, '\n');
    if (s->log) {
        fprintf(s->log, "[S +%f] %s", qtest_log_time(s), out->str);
        fflush(s->log);
    }
    qemu_chr_fe_write_all(&s->chr, (const uint8_t *)out->str, out->len);
    g_string_free(out, true);
}

static void G_GNUC_PRINTF(2, 3) qtest_sendf(QTestServer *s, const char *fmt, ...)
{
    va_list ap;
    char *line;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send(s, line);
    g_free(line);
}

/* ---- IRQ interception ---- */

static void qtest_irq_handler(void *opaque, int n, int level)
{
    QTestIrq *qi = opaque;

    level = level != 0;
    if (!qtest || qi->level == level) {
        return;
    }
    qi->level = level;
    qtest_sendf(qtest, "IRQ %s %d", level ? "raise" : "lower", qi->n);
}

static QTestIrq *qtest_irq_new(QTestServer *s, int n)
{
    QTestIrq *qi = g_new0(QTestIrq, 1);

    qi->n = n;
    qi->level = -1;
    qi->next = s->irqs;
    s->irqs = qi;
    return qi;
}

/*
 * Inputs: the IRQState objects are already held by whoever drives them
 * (e.g. the ISA bus holds the sink's inputs), so redirect them in place.
 * Outputs: point the device's output fields at reporting lines.
 */
static int qtest_intercept(QTestServer *s, DeviceState *dev, const char *name,
                           bool in)
{
    int count = 0;

    for (NamedGPIOList *ngl = dev->gpios; ngl; ngl = ngl->next) {
        if (name && g_strcmp0(ngl->name, name) != 0) {
            continue;
        }
        if (in) {
            for (int i = 0; i < ngl->num_in; i++) {
                QTestIrq *qi = qtest_irq_new(s, i);
                ngl->in[i]->handler = qtest_irq_handler;
                ngl->in[i]->opaque = qi;
                count++;
            }
        } else {
            for (int i = 0; i < ngl->num_out; i++) {
                QTestIrq *qi = qtest_irq_new(s, i);
                qi->line = qemu_allocate_irq(qtest_irq_handler, qi, i);
                *ngl->out[i] = qi->line;
                count++;
            }
        }
    }
    return count;
}

/* ---- parsing helpers ---- */

static bool qtest_parse_u64(const char *str, uint64_t *val)
{
    char *end;

    if (!str || !*str || *str == '-') {
        return false;
    }
    errno = 0;
    *val = g_ascii_strtoull(str, &end, 0);
    return errno == 0 && *end == '\0';
}

static bool qtest_parse_i64(const char *str, int64_t *val)
{
    char *end;

    if (!str || !*str) {
        return false;
    }
    errno = 0;
    *val = g_ascii_strtoll(str, &end, 0);
    return errno == 0 && *end == '\0';
}

static int qtest_hexval(char c)
{
    return g_ascii_xdigit_value(c);
}

static const char *gpio_name_arg(const char *name)
{
    /* the default (unnamed) list, spelt as QEMU's tests do */
    if (!strcmp(name, "unnamed-gpio-in") || !strcmp(name, "unnamed-gpio-out") ||
        !strcmp(name, "unnamed") || !strcmp(name, "-")) {
        return NULL;
    }
    return name;
}

/* ---- commands ---- */

static void qtest_cmd_read(QTestServer *s, char **w, int nw, unsigned size,
                           bool io)
{
    AddressSpace *as = io ? &address_space_io : &address_space_memory;
    uint64_t addr, val = 0;

    if (nw != 2 || !qtest_parse_u64(w[1], &addr)) {
        qtest_sendf(s, "FAIL usage: %s ADDR", w[0]);
        return;
    }
    if (io && addr > 0xffff) {
        qtest_sendf(s, "FAIL port 0x%" PRIx64 " out of range", addr);
        return;
    }
    switch (size) {
    case 1:
        val = address_space_ldub(as, addr, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    case 2:
        val = address_space_lduw_le(as, addr, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    case 4:
        val = address_space_ldl_le(as, addr, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    case 8:
        val = address_space_ldq_le(as, addr, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    }
    qtest_sendf(s, "OK 0x%016" PRIx64, val);
}

static void qtest_cmd_write(QTestServer *s, char **w, int nw, unsigned size,
                            bool io)
{
    AddressSpace *as = io ? &address_space_io : &address_space_memory;
    uint64_t addr, val;

    if (nw != 3 || !qtest_parse_u64(w[1], &addr) ||
        !qtest_parse_u64(w[2], &val)) {
        qtest_sendf(s, "FAIL usage: %s ADDR VALUE", w[0]);
        return;
    }
    if (io && addr > 0xffff) {
        qtest_sendf(s, "FAIL port 0x%" PRIx64 " out of range", addr);
        return;
    }
    if (size < 8 && val >> (size * 8)) {
        qtest_sendf(s, "FAIL value 0x%" PRIx64 " does not fit in %u bytes",
                    val, size);
        return;
    }
    switch (size) {
    case 1:
        address_space_stub(as, addr, val, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    case 2:
        address_space_stuw_le(as, addr, val, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    case 4:
        address_space_stl_le(as, addr, val, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    case 8:
        address_space_stq_le(as, addr, val, MEMTXATTRS_UNSPECIFIED, NULL);
        break;
    }
    qtest_send(s, "OK");
}

static bool qtest_blob_args(QTestServer *s, char **w, int nw, int want,
                            uint64_t *addr, uint64_t *len)
{
    if (nw != want || !qtest_parse_u64(w[1], addr) ||
        !qtest_parse_u64(w[2], len)) {
        qtest_sendf(s, "FAIL usage: %s ADDR SIZE%s", w[0],
                    want == 4 ? " DATA" : "");
        return false;
    }
    if (*len > QTEST_MAX_BLOB) {
        qtest_sendf(s, "FAIL size %" PRIu64 " too large (max %d)", *len,
                    QTEST_MAX_BLOB);
        return false;
    }
    return true;
}

static void qtest_cmd_memread(QTestServer *s, char **w, int nw, bool b64)
{
    uint64_t addr, len;
    uint8_t *buf;

    if (!qtest_blob_args(s, w, nw, 3, &addr, &len)) {
        return;
    }
    buf = g_malloc0(len ? len : 1);
    address_space_read(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                       buf, len);
    if (b64) {
        gchar *enc = g_base64_encode(buf, len);
        qtest_sendf(s, "OK %s", enc);
        g_free(enc);
    } else {
        GString *hex = g_string_sized_new(len * 2 + 4);
        g_string_append(hex, "OK 0x");
        for (uint64_t i = 0; i < len; i++) {
            g_string_append_printf(hex, "%02x", buf[i]);
        }
        qtest_send(s, hex->str);
        g_string_free(hex, true);
    }
    g_free(buf);
}

static void qtest_cmd_memwrite(QTestServer *s, char **w, int nw, bool b64)
{
    uint64_t addr, len;
    uint8_t *buf;
    const char *data;

    if (!qtest_blob_args(s, w, nw, 4, &addr, &len)) {
        return;
    }
    data = w[3];
    buf = g_malloc0(len ? len : 1);
    if (b64) {
        gsize n = 0;
        guchar *dec = g_base64_decode(data, &n);
        if (n != len) {
            g_free(dec);
            g_free(buf);
            qtest_sendf(s, "FAIL base64 data is %zu bytes, expected %" PRIu64,
                        (size_t)n, len);
            return;
        }
        memcpy(buf, dec, n);
        g_free(dec);
    } else {
        size_t dlen;
        if (data[0] != '0' || (data[1] != 'x' && data[1] != 'X')) {
            g_free(buf);
            qtest_send(s, "FAIL data must start with 0x");
            return;
        }
        data += 2;
        dlen = strlen(data);
        /* shorter data is zero-extended, as QEMU's qtest does */
        if (dlen > len * 2) {
            g_free(buf);
            qtest_sendf(s, "FAIL data longer than %" PRIu64 " bytes", len);
            return;
        }
        for (size_t i = 0; i < dlen; i++) {
            int v = qtest_hexval(data[i]);
            if (v < 0) {
                g_free(buf);
                qtest_sendf(s, "FAIL bad hex digit '%c'", data[i]);
                return;
            }
            buf[i / 2] |= (i & 1) ? v : v << 4;
        }
    }
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        buf, len);
    g_free(buf);
    qtest_send(s, "OK");
}

static void qtest_cmd_memset(QTestServer *s, char **w, int nw)
{
    uint64_t addr, len, val;

    if (!qtest_blob_args(s, w, nw, 4, &addr, &len)) {
        return;
    }
    if (!qtest_parse_u64(w[3], &val) || val > 0xff) {
        qtest_send(s, "FAIL memset value must be a byte");
        return;
    }
    address_space_set(&address_space_memory, addr, val, len,
                      MEMTXATTRS_UNSPECIFIED);
    qtest_send(s, "OK");
}

static void qtest_cmd_clock(QTestServer *s, char **w, int nw, bool set)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int64_t dest, arg;

    if (!qemu_clock_virtual_is_manual()) {
        /* -qtest with another accelerator: guest time runs by itself */
        qtest_sendf(s, "FAIL %s needs -accel qtest", w[0]);
        return;
    }
    if (set) {
        if (nw != 2 || !qtest_parse_i64(w[1], &dest)) {
            qtest_send(s, "FAIL usage: clock_set NS");
            return;
        }
    } else if (nw == 1) {
        dest = qemu_clock_next_expiry_ns(QEMU_CLOCK_VIRTUAL);
        if (dest < now) {
            dest = now;   /* nothing armed: time stays */
        }
    } else if (nw == 2 && qtest_parse_i64(w[1], &arg) && arg >= 0 &&
               arg <= INT64_MAX - now) {
        dest = now + arg;
    } else {
        qtest_send(s, "FAIL usage: clock_step [NS]");
        return;
    }
    if (dest < now) {
        qtest_sendf(s, "FAIL cannot go back in time (now %" PRId64 ")", now);
        return;
    }
    qemu_clock_warp_to(dest);
    qtest_sendf(s, "OK %" PRId64, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

static DeviceState *qtest_find_dev(QTestServer *s, const char *id)
{
    DeviceState *dev = qdev_find(id);

    if (!dev) {
        qtest_sendf(s, "FAIL no device '%s'", id);
    }
    return dev;
}

static void qtest_cmd_intercept(QTestServer *s, char **w, int nw, bool in)
{
    DeviceState *dev;
    const char *name = NULL;

    if (nw != 2 && nw != 3) {
        qtest_sendf(s, "FAIL usage: %s DEVID [NAME]", w[0]);
        return;
    }
    dev = qtest_find_dev(s, w[1]);
    if (!dev) {
        return;
    }
    if (nw == 3) {
        name = gpio_name_arg(w[2]);
    }
    if (qtest_intercept(s, dev, name, in) == 0) {
        qtest_sendf(s, "FAIL device '%s' has no gpio %s lines%s%s", w[1],
                    in ? "input" : "output", name ? " named " : "",
                    name ? name : "");
        return;
    }
    qtest_send(s, "OK");
}

static void qtest_cmd_set_irq_in(QTestServer *s, char **w, int nw)
{
    DeviceState *dev;
    const char *name;
    int64_t n, level;

    if (nw != 5 || !qtest_parse_i64(w[3], &n) ||
        !qtest_parse_i64(w[4], &level)) {
        qtest_send(s, "FAIL usage: set_irq_in DEVID NAME N LEVEL");
        return;
    }
    dev = qtest_find_dev(s, w[1]);
    if (!dev) {
        return;
    }
    name = gpio_name_arg(w[2]);
    for (NamedGPIOList *ngl = dev->gpios; ngl; ngl = ngl->next) {
        if (g_strcmp0(ngl->name, name) == 0 && ngl->num_in > 0) {
            if (n < 0 || n >= ngl->num_in) {
                qtest_sendf(s, "FAIL line %" PRId64 " out of range (0..%d)",
                            n, ngl->num_in - 1);
                return;
            }
            qemu_set_irq(ngl->in[n], level);
            qtest_send(s, "OK");
            return;
        }
    }
    qtest_sendf(s, "FAIL device '%s' has no gpio inputs named %s", w[1], w[2]);
}

/*
 * cpu N: later memory and I/O accesses behave as if CPU N made them
 * (current_cpu is N around them), for per-CPU register windows such as
 * the local APIC's or the GIC CPU interface.  "cpu -1" goes back to no
 * CPU (a device's access).
 */
static void qtest_cmd_cpu(QTestServer *s, char **w, int nw)
{
    int64_t n;
    CPUState *cpu = NULL;

    if (nw != 2 || !qtest_parse_i64(w[1], &n)) {
        qtest_send(s, "FAIL usage: cpu N");
        return;
    }
    if (n >= 0) {
        cpu = n <= INT_MAX ? qemu_get_cpu(n) : NULL;
        if (!cpu) {
            qtest_sendf(s, "FAIL no CPU %" PRId64, n);
            return;
        }
    }
    s->cpu = cpu;
    qtest_send(s, "OK");
}

static bool qtest_is_access(const char *cmd)
{
    static const char *const cmds[] = {
        "readb", "readw", "readl", "readq", "writeb", "writew", "writel",
        "writeq", "inb", "inw", "inl", "outb", "outw", "outl", "read",
        "b64read", "write", "b64write", "memset",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        if (!strcmp(cmd, cmds[i])) {
            return true;
        }
    }
    return false;
}

static void qtest_process_line(QTestServer *s, char *line)
{
    CPUState *saved_cpu = current_cpu;
    char **w;
    int nw;

    g_strstrip(line);
    if (!*line) {
        return;
    }
    if (s->log) {
        fprintf(s->log, "[R +%f] %s\n", qtest_log_time(s), line);
        fflush(s->log);
    }
    w = g_strsplit_set(line, " \t", -1);
    /* drop empty words from repeated blanks */
    nw = 0;
    for (int i = 0; w[i]; i++) {
        if (*w[i]) {
            w[nw++] = w[i];
        } else {
            g_free(w[i]);
        }
    }
    w[nw] = NULL;

    if (s->cpu && qtest_is_access(w[0])) {
        current_cpu = s->cpu;
    }
    if (!strcmp(w[0], "readb")) {
        qtest_cmd_read(s, w, nw, 1, false);
    } else if (!strcmp(w[0], "readw")) {
        qtest_cmd_read(s, w, nw, 2, false);
    } else if (!strcmp(w[0], "readl")) {
        qtest_cmd_read(s, w, nw, 4, false);
    } else if (!strcmp(w[0], "readq")) {
        qtest_cmd_read(s, w, nw, 8, false);
    } else if (!strcmp(w[0], "writeb")) {
        qtest_cmd_write(s, w, nw, 1, false);
    } else if (!strcmp(w[0], "writew")) {
        qtest_cmd_write(s, w, nw, 2, false);
    } else if (!strcmp(w[0], "writel")) {
        qtest_cmd_write(s, w, nw, 4, false);
    } else if (!strcmp(w[0], "writeq")) {
        qtest_cmd_write(s, w, nw, 8, false);
    } else if (!strcmp(w[0], "inb")) {
        qtest_cmd_read(s, w, nw, 1, true);
    } else if (!strcmp(w[0], "inw")) {
        qtest_cmd_read(s, w, nw, 2, true);
    } else if (!strcmp(w[0], "inl")) {
        qtest_cmd_read(s, w, nw, 4, true);
    } else if (!strcmp(w[0], "outb")) {
        qtest_cmd_write(s, w, nw, 1, true);
    } else if (!strcmp(w[0], "outw")) {
        qtest_cmd_write(s, w, nw, 2, true);
    } else if (!strcmp(w[0], "outl")) {
        qtest_cmd_write(s, w, nw, 4, true);
    } else if (!strcmp(w[0], "read")) {
        qtest_cmd_memread(s, w, nw, false);
    } else if (!strcmp(w[0], "b64read")) {
        qtest_cmd_memread(s, w, nw, true);
    } else if (!strcmp(w[0], "write")) {
        qtest_cmd_memwrite(s, w, nw, false);
    } else if (!strcmp(w[0], "b64write")) {
        qtest_cmd_memwrite(s, w, nw, true);
    } else if (!strcmp(w[0], "memset")) {
        qtest_cmd_memset(s, w, nw);
    } else if (!strcmp(w[0], "clock_step")) {
        qtest_cmd_clock(s, w, nw, false);
    } else if (!strcmp(w[0], "clock_set")) {
        qtest_cmd_clock(s, w, nw, true);
    } else if (!strcmp(w[0], "irq_intercept_in")) {
        qtest_cmd_intercept(s, w, nw, true);
    } else if (!strcmp(w[0], "irq_intercept_out")) {
        qtest_cmd_intercept(s, w, nw, false);
    } else if (!strcmp(w[0], "set_irq_in")) {
        qtest_cmd_set_irq_in(s, w, nw);
    } else if (!strcmp(w[0], "cpu")) {
        qtest_cmd_cpu(s, w, nw);
    } else if (!strcmp(w[0], "endianness")) {
        qtest_send(s, "OK little");
    } else if (!strcmp(w[0], "system_reset")) {
        qemu_system_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
        qtest_send(s, "OK");
    } else {
        qtest_sendf(s, "FAIL unknown command '%s'", w[0]);
    }
    current_cpu = saved_cpu;
    g_strfreev(w);
}

/* ---- chardev handlers ---- */

static int qtest_can_read(void *opaque)
{
    return 4096;
}

static void qtest_read(void *opaque, const uint8_t *buf, int size)
{
    QTestServer *s = opaque;
    char *nl;

    g_string_append_len(s->inbuf, (const char *)buf, size);
    if (s->inbuf->len > QTEST_MAX_LINE &&
        !memchr(s->inbuf->str, '\n', s->inbuf->len)) {
        /* no sane command is this long: drop it rather than grow forever */
        g_string_truncate(s->inbuf, 0);
        s->discarding = true;
        return;
    }
    if (s->discarding) {
        nl = memchr(s->inbuf->str, '\n', s->inbuf->len);
        if (!nl) {
            g_string_truncate(s->inbuf, 0);
            return;
        }
        g_string_erase(s->inbuf, 0, nl - s->inbuf->str + 1);
        s->discarding = false;
        qtest_send(s, "FAIL command line too long");
    }
    while ((nl = memchr(s->inbuf->str, '\n', s->inbuf->len))) {
        size_t len = nl - s->inbuf->str;
        char *line = g_strndup(s->inbuf->str, len);

        g_string_erase(s->inbuf, 0, len + 1);
        qtest_process_line(s, line);
        g_free(line);
    }
}

static void qtest_event(void *opaque, ChrEvent event)
{
    QTestServer *s = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        if (s->log) {
            fprintf(s->log, "[I +%f] OPENED\n", qtest_log_time(s));
        }
        break;
    case CHR_EVENT_CLOSED:
        /* the test went away: nobody can drive us any more */
        if (s->log) {
            fprintf(s->log, "[I +%f] CLOSED\n", qtest_log_time(s));
            fflush(s->log);
        }
        qemu_system_exit_request(0);
        break;
    default:
        break;
    }
}

bool qtest_server_init(const char *spec, const char *log, Error **errp)
{
    QTestServer *s;
    Chardev *chr;

    chr = qemu_chr_new("qtest", spec, errp);
    if (!chr) {
        if (errp && !*errp) {
            error_setg(errp, "-qtest %s: no character device", spec);
        }
        return false;
    }
    s = g_new0(QTestServer, 1);
    s->inbuf = g_string_new(NULL);
    s->start_us = g_get_monotonic_time();
    if (log) {
        s->log = !strcmp(log, "-") || !strcmp(log, "/dev/stderr")
                 ? stderr : fopen(log, "w");
        if (!s->log) {
            error_setg_errno(errp, errno, "-qtest-log: cannot open '%s'", log);
            g_string_free(s->inbuf, true);
            g_free(s);
            return false;
        }
    }
    if (!qemu_chr_fe_init(&s->chr, chr, errp)) {
        if (s->log && s->log != stderr) {
            fclose(s->log);
        }
        g_string_free(s->inbuf, true);
        g_free(s);
        return false;
    }
    qtest = s;
    qemu_chr_fe_set_handlers(&s->chr, qtest_can_read, qtest_read, qtest_event,
                             s);
    return true;
}

/* ---- the accelerator ---- */

static bool qtest_init_machine(MachineState *ms, Error **errp)
{
    qtest_accel_active = true;
    qemu_clock_set_virtual_manual(true);
    return true;
}

/* No vCPU thread: a CPU only has to acknowledge stop requests and run
 * queued work, which the main thread does when it is kicked. */
static void qtest_kick_vcpu_thread(CPUState *cpu)
{
    qemu_wait_io_event_common(cpu);
}

static const AccelOps qtest_accel_ops = {
    .name = "qtest",
    .help = "no CPU runs; a test drives devices over -qtest (tests only)",
    .init_machine = qtest_init_machine,
    .kick_vcpu_thread = qtest_kick_vcpu_thread,
};
ACCEL_REGISTER(qtest_accel_ops)
