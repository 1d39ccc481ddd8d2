/*
 * The gdb stub: GDB's remote serial protocol on a character device, so
 * gdb (gdb-multiarch) can stop the machine, read and change registers and
 * memory, set breakpoints and watchpoints, step and continue.
 *
 *   -gdb tcp::1234 | unix:PATH | chardev:ID      (-s: -gdb tcp::1234)
 *
 * All-stop only: when gdb has control every vCPU is stopped (run state
 * "debug", or "paused" after Ctrl-C); `c`, `s` and vCont resume all of them,
 * with single step on one.  Each vCPU is one thread (thread id = cpu_index
 * + 1).  Everything here runs in the main loop with the big lock held,
 * while the vCPUs are stopped, so CPU state is read directly (after
 * cpu_synchronize_state for KVM).
 *
 * Packets (GDB manual, "Remote Protocol"): ? g G p P m M X c s vCont
 * vCont? Z0-Z4 z0-z4 H T D k qSupported qXfer:features:read
 * qfThreadInfo qsThreadInfo qC qAttached qThreadExtraInfo qRcmd
 * QStartNoAckMode, and QEMU's maintenance packets qqemu.sstep /
 * qqemu.sstepbits / Qqemu.sstep and qqemu.PhyMemMode / Qqemu.PhyMemMode
 * (1: m/M/X address guest physical memory instead of the current vCPU's
 * virtual addresses).  Anything else gets the empty reply ("not
 * supported"); a malformed packet gets an Exx error and changes nothing.
 */
#include "turtle/osdep.h"
#include "turtle/error.h"
#include "exec/gdbstub.h"
#include "exec/memory.h"
#include "chardev/char.h"
#include "accel/accel.h"
#include "monitor/monitor.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"
#include "packet.h"

/* gdb's signal numbers (include/gdb/signals.def) */
enum { GDB_SIGNAL_INT = 2, GDB_SIGNAL_TRAP = 5, GDB_SIGNAL_ABRT = 6,
       GDB_SIGNAL_TERM = 15 };

/* Errno-style error replies */
#define GDB_EPERM   "E01"
#define GDB_ENOENT  "E02"
#define GDB_EIO     "E05"
#define GDB_EFAULT  "E0e"
#define GDB_EINVAL  "E16"
#define GDB_ENOSPC  "E1c"

typedef struct GDBState {
    CharBackend chr;
    bool connected;
    GDBPacketParser rx;
    bool no_ack;            /* QStartNoAckMode accepted */
    GString *last;          /* last packet sent, for a '-' */
    CPUState *g_cpu;        /* Hg: registers and memory */
    CPUState *c_cpu;        /* Hc: what c/s act on */
    bool waiting;           /* the VM runs for gdb: report its next stop */
    bool interrupted;       /* the stop is gdb's Ctrl-C */
    bool phys_mem;          /* Qqemu.PhyMemMode:1 */
    int sstep_flags;
    char *xml;              /* target.xml, built on first request */
} GDBState;

static GDBState gdb;

static int gdb_thread_id(CPUState *cpu)
{
    return cpu->cpu_index + 1;
}

static CPUState *gdb_first_cpu(void)
{
    return first_cpu_get();
}

static const GDBArch *gdb_arch(void)
{
    CPUState *cpu = gdb_first_cpu();

    return cpu ? CPU_GET_CLASS(cpu)->gdb_arch : NULL;
}

/* ---- sending ---- */

static void gdb_send_raw(const char *buf, size_t len)
{
    if (gdb.connected) {
        qemu_chr_fe_write_all(&gdb.chr, (const uint8_t *)buf, len);
    }
}

static void gdb_send_packet_bin(const uint8_t *payload, size_t len)
{
    g_string_truncate(gdb.last, 0);
    gdb_packet_encode(gdb.last, payload, len);
    gdb_send_raw(gdb.last->str, gdb.last->len);
}

static void gdb_send(const char *payload)
{
    gdb_send_packet_bin((const uint8_t *)payload, strlen(payload));
}

static void gdb_sendf(const char *fmt, ...) TURTLE_PRINTF(1, 2);
static void gdb_sendf(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *s = NULL;

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    gdb_send(s);
}

/* ---- registers and target.xml ---- */

typedef struct GDBRegRef {
    const GDBFeature *f;
    int n;
} GDBRegRef;

static bool gdb_feature_present(const GDBFeature *f, CPUState *cpu)
{
    return !f->present || f->present(cpu);
}

/* Global register number -> feature and index; false if out of range. */
static bool gdb_find_reg(CPUState *cpu, uint64_t regno, GDBRegRef *ref)
{
    const GDBArch *arch = CPU_GET_CLASS(cpu)->gdb_arch;

    for (int i = 0; arch && arch->features[i]; i++) {
        const GDBFeature *f = arch->features[i];

        if (!gdb_feature_present(f, cpu)) {
            continue;
        }
        if (regno < (uint64_t)f->num_regs) {
            ref->f = f;
            ref->n = regno;
            return true;
        }
        regno -= f->num_regs;
    }
    return false;
}

static int gdb_num_regs(CPUState *cpu)
{
    const GDBArch *arch = CPU_GET_CLASS(cpu)->gdb_arch;
    int n = 0;

    for (int i = 0; arch && arch->features[i]; i++) {
        if (gdb_feature_present(arch->features[i], cpu)) {
            n += arch->features[i]->num_regs;
        }
    }
    return n;
}

static const char *gdb_target_xml(void)
{
    CPUState *cpu = gdb_first_cpu();
    const GDBArch *arch = gdb_arch();
    GString *x;
    int regnum = 0;

    if (gdb.xml || !arch) {
        return gdb.xml;
    }
    x = g_string_new("<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                     "<target version=\"1.0\">\n");
    g_string_append_printf(x, "<architecture>%s</architecture>\n", arch->name);
    for (int i = 0; arch->features[i]; i++) {
        const GDBFeature *f = arch->features[i];

        if (!gdb_feature_present(f, cpu)) {
            continue;
        }
        g_string_append_printf(x, "<feature name=\"%s\">\n", f->name);
        if (f->types) {
            g_string_append(x, f->types);
        }
        for (int r = 0; r < f->num_regs; r++, regnum++) {
            const GDBRegister *reg = &f->regs[r];

            g_string_append_printf(x, "<reg name=\"%s\" bitsize=\"%d\" "
                                   "regnum=\"%d\" type=\"%s\"", reg->name,
                                   reg->bitsize, regnum, reg->type);
            if (reg->group) {
                g_string_append_printf(x, " group=\"%s\"", reg->group);
            }
            g_string_append(x, "/>\n");
        }
        g_string_append(x, "</feature>\n");
    }
    g_string_append(x, "</target>\n");
    gdb.xml = g_string_free(x, false);
    return gdb.xml;
}

/* Append register regno of cpu as hex; false if there is no such one. */
static bool gdb_read_reg_hex(CPUState *cpu, uint64_t regno, GString *out)
{
    GDBRegRef ref;
    g_autoptr(GByteArray) buf = g_byte_array_new();

    if (!gdb_find_reg(cpu, regno, &ref)) {
        return false;
    }
    ref.f->read(cpu, buf, ref.n);
    gdb_append_hex(out, buf->data, buf->len);
    return true;
}

/* ---- memory ---- */

static int gdb_rw_memory(CPUState *cpu, uint64_t addr, uint8_t *buf,
                         size_t len, bool is_write)
{
    MemTxAttrs attrs = { .debug = 1 };
    MemTxResult r;

    if (!gdb.phys_mem) {
        return cpu_memory_rw_debug(cpu, addr, buf, len, is_write);
    }
    if (is_write) {
        r = address_space_write_rom(cpu->as, addr, attrs, buf, len);
    } else {
        r = address_space_read(cpu->as, addr, attrs, buf, len);
    }
    return r == MEMTX_OK ? 0 : -1;
}

/* ---- running and stopping ---- */

static void gdb_set_stepping(CPUState *step)
{
    CPUState *cpu;

    CPU_FOREACH(cpu) {
        cpu->singlestep_enabled = cpu == step ? gdb.sstep_flags : 0;
    }
}

static void gdb_resume(CPUState *step)
{
    CPUState *cpu;

    /* a watchpoint another vCPU hit in the same stop was not reported:
     * it must not tag the next stop */
    CPU_FOREACH(cpu) {
        cpu->watchpoint_hit = false;
    }
    gdb_set_stepping(step);
    gdb.waiting = true;
    gdb.interrupted = false;
    if (runstate_is_running()) {
        return;
    }
    vm_start();
}

static int gdb_stop_signal(RunState state)
{
    switch (state) {
    case RUN_STATE_INTERNAL_ERROR:
    case RUN_STATE_GUEST_PANICKED:
        return GDB_SIGNAL_ABRT;
    case RUN_STATE_SHUTDOWN:
        return GDB_SIGNAL_TERM;
    default:
        /* -S, the monitor's stop: a plain stop (Ctrl-C's is INT) */
        return GDB_SIGNAL_TRAP;
    }
}

static void gdb_send_stop_reply(CPUState *cpu, int sig)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "T%02xthread:%x;", sig, gdb_thread_id(cpu));
    if (sig == GDB_SIGNAL_TRAP && cpu->watchpoint_hit) {
        static const char *const kinds[] = { "", "", "watch", "rwatch",
                                             "awatch" };
        int type = cpu->watchpoint_type;

        if (type < 2 || type > 4) {
            type = 2;
        }
        g_string_append_printf(s, "%s:%" PRIx64 ";", kinds[type],
                               (uint64_t)cpu->watchpoint_addr);
        cpu->watchpoint_hit = false;
    }
    gdb_send(s->str);
    g_string_free(s, true);
}

static void gdb_vm_state_change(void *opaque, bool running, RunState state)
{
    CPUState *cpu;

    if (running || !gdb.connected || !gdb.waiting) {
        return;
    }
    gdb.waiting = false;
    gdb_set_stepping(NULL);
    cpu = state == RUN_STATE_DEBUG ? qemu_system_debug_cpu() : NULL;
    if (!cpu) {
        cpu = gdb.c_cpu ? gdb.c_cpu : gdb_first_cpu();
    }
    /* gdb looks at the thread that stopped next */
    gdb.g_cpu = gdb.c_cpu = cpu;
    gdb_send_stop_reply(cpu, gdb.interrupted ? GDB_SIGNAL_INT :
                             gdb_stop_signal(state));
}

/*
 * The machine is about to exit (guest power-off, semihosting exit, quit):
 * tell gdb the "process" ended, with the guest's exit status when it gave
 * one ("[Inferior 1 (Remote target) exited with code 01]"), instead of a
 * closed connection.
 */
static void gdb_send_exit(void)
{
    static int sent;
    int status = qemu_system_exit_status();

    /* only as the answer to a continue: unasked, gdb would take the W
     * for the reply to its next packet */
    if (!gdb.connected || !gdb.waiting || g_atomic_int_exchange(&sent, 1)) {
        return;
    }
    gdb_sendf("W%02x", status >= 0 ? status & 0xff : 0);
    gdb.waiting = false;
}

static void gdb_runstate_event(const char *event, bool guest,
                               ShutdownCause cause, bool exiting, void *opaque)
{
    if (exiting && !strcmp(event, "SHUTDOWN")) {
        gdb_send_exit();
    }
}

/* ---- breakpoints ---- */

static int gdb_breakpoint(bool insert, int type, uint64_t addr, uint64_t len)
{
    const AccelOps *ops = current_accel();
    CPUState *cpu = gdb.g_cpu ? gdb.g_cpu : gdb_first_cpu();

    if (!ops || !ops->supports_guest_debug || !ops->supports_guest_debug() ||
        !ops->insert_breakpoint) {
        return -ENOSYS;
    }
    return insert ? ops->insert_breakpoint(cpu, type, addr, len) :
                    ops->remove_breakpoint(cpu, type, addr, len);
}

static void gdb_remove_all_breakpoints(void)
{
    const AccelOps *ops = current_accel();
    CPUState *cpu = gdb_first_cpu();

    if (cpu && ops && ops->remove_all_breakpoints) {
        ops->remove_all_breakpoints(cpu);
    }
}

/* ---- threads ---- */

/* Thread id text at *p: -1 (all), 0 (any) or cpu_index + 1.  *all is set
 * for -1; *cpu is NULL for "any"/"all". */
static bool gdb_parse_thread(const char **p, CPUState **cpu, bool *all)
{
    uint64_t id;

    *cpu = NULL;
    *all = false;
    if (!strncmp(*p, "-1", 2)) {
        *p += 2;
        *all = true;
        return true;
    }
    if (!gdb_parse_hex(p, &id)) {
        return false;
    }
    if (id == 0) {
        return true;
    }
    *cpu = id <= INT_MAX ? qemu_get_cpu(id - 1) : NULL;
    return *cpu != NULL;
}

/* ---- packet handlers ---- */

static void gdb_handle_query(const char *p);
static void gdb_handle_v(const char *p);

static void gdb_cmd_read_registers(void)
{
    CPUState *cpu = gdb.g_cpu;
    GString *s = g_string_new(NULL);
    int n = gdb_num_regs(cpu);

    cpu_synchronize_state(cpu);
    for (int i = 0; i < n; i++) {
        gdb_read_reg_hex(cpu, i, s);
    }
    gdb_send(s->str);
    g_string_free(s, true);
}

static void gdb_cmd_write_registers(const char *p)
{
    CPUState *cpu = gdb.g_cpu;
    size_t hexlen = strlen(p);
    int n = gdb_num_regs(cpu);

    cpu_synchronize_state(cpu);
    for (int i = 0; i < n && hexlen; i++) {
        GDBRegRef ref;
        uint8_t buf[64];
        size_t size;

        if (!gdb_find_reg(cpu, i, &ref)) {
            break;
        }
        size = ref.f->regs[ref.n].bitsize / 8;
        if (size > sizeof(buf) || hexlen < 2 * size ||
            !gdb_hex_to_bytes(p, buf, size)) {
            gdb_send(GDB_EINVAL);
            return;
        }
        /* read-only registers keep their value, as with a real G */
        ref.f->write(cpu, buf, ref.n);
        p += 2 * size;
        hexlen -= 2 * size;
    }
    gdb_send("OK");
}

static void gdb_cmd_read_register(const char *p)
{
    uint64_t regno;
    GString *s;

    if (!gdb_parse_hex(&p, &regno) || *p) {
        gdb_send(GDB_EINVAL);
        return;
    }
    cpu_synchronize_state(gdb.g_cpu);
    s = g_string_new(NULL);
    if (!gdb_read_reg_hex(gdb.g_cpu, regno, s)) {
        /* gdb probes registers it does not know about this way */
        gdb_send(GDB_EINVAL);
    } else {
        gdb_send(s->str);
    }
    g_string_free(s, true);
}

static void gdb_cmd_write_register(const char *p)
{
    uint64_t regno;
    GDBRegRef ref;
    uint8_t buf[64];
    size_t size;

    if (!gdb_parse_hex(&p, &regno) || *p++ != '=' ||
        !gdb_find_reg(gdb.g_cpu, regno, &ref)) {
        gdb_send(GDB_EINVAL);
        return;
    }
    size = ref.f->regs[ref.n].bitsize / 8;
    if (size > sizeof(buf) || strlen(p) != 2 * size ||
        !gdb_hex_to_bytes(p, buf, size)) {
        gdb_send(GDB_EINVAL);
        return;
    }
    cpu_synchronize_state(gdb.g_cpu);
    gdb_send(ref.f->write(gdb.g_cpu, buf, ref.n) ? "OK" : GDB_EPERM);
}

/* "ADDR,LEN" then a terminator; len checked against max */
static bool gdb_parse_addr_len(const char **p, uint64_t *addr, uint64_t *len)
{
    return gdb_parse_hex(p, addr) && *(*p)++ == ',' && gdb_parse_hex(p, len);
}

static void gdb_cmd_read_memory(const char *p)
{
    uint64_t addr, len;
    g_autofree uint8_t *buf = NULL;
    GString *s;

    if (!gdb_parse_addr_len(&p, &addr, &len) || *p) {
        gdb_send(GDB_EINVAL);
        return;
    }
    /* the reply is hex: two characters a byte */
    if (len > GDB_MAX_PACKET / 2) {
        gdb_send(GDB_EINVAL);
        return;
    }
    buf = g_malloc(len ? len : 1);
    cpu_synchronize_state(gdb.g_cpu);
    if (gdb_rw_memory(gdb.g_cpu, addr, buf, len, false) < 0) {
        gdb_send(GDB_EFAULT);
        return;
    }
    s = g_string_new(NULL);
    gdb_append_hex(s, buf, len);
    gdb_send(s->str);
    g_string_free(s, true);
}

/* M addr,len:hex  or  X addr,len:binary (the parser undid the escapes) */
static void gdb_cmd_write_memory(const uint8_t *pkt, size_t pktlen)
{
    const char *p = (const char *)pkt + 1;
    bool binary = pkt[0] == 'X';
    uint64_t addr, len;
    size_t data_len;
    g_autofree uint8_t *buf = NULL;

    if (!gdb_parse_addr_len(&p, &addr, &len) || *p++ != ':' ||
        len > GDB_MAX_PACKET) {
        gdb_send(GDB_EINVAL);
        return;
    }
    data_len = pktlen - (size_t)((const uint8_t *)p - pkt);
    if (data_len != (binary ? len : 2 * len)) {
        gdb_send(GDB_EINVAL);
        return;
    }
    buf = g_malloc(len ? len : 1);
    if (binary) {
        memcpy(buf, p, len);
    } else if (!gdb_hex_to_bytes(p, buf, len)) {
        gdb_send(GDB_EINVAL);
        return;
    }
    cpu_synchronize_state(gdb.g_cpu);
    gdb_send(gdb_rw_memory(gdb.g_cpu, addr, buf, len, true) < 0 ?
             GDB_EFAULT : "OK");
}

static void gdb_cmd_breakpoint(const char *p, bool insert)
{
    uint64_t type, addr, kind;
    int r;

    if (!gdb_parse_hex(&p, &type) || *p++ != ',' ||
        !gdb_parse_addr_len(&p, &addr, &kind) || (*p && *p != ';')) {
        gdb_send(GDB_EINVAL);
        return;
    }
    if (type > 4) {
        gdb_send("");           /* unknown kinds: unsupported */
        return;
    }
    r = gdb_breakpoint(insert, type, addr, kind);
    if (r == -ENOSYS) {
        gdb_send("");           /* gdb falls back (e.g. to stepping) */
    } else if (r == -ENOSPC) {
        gdb_send(GDB_ENOSPC);
    } else if (r == -ENOENT) {
        gdb_send(GDB_ENOENT);
    } else {
        gdb_send(r < 0 ? GDB_EINVAL : "OK");
    }
}

/* c [addr] / s [addr] */
static void gdb_cmd_continue(const char *p, bool step)
{
    CPUState *cpu = gdb.c_cpu ? gdb.c_cpu : gdb.g_cpu;
    uint64_t addr;

    if (*p) {
        if (!gdb_parse_hex(&p, &addr) || *p) {
            gdb_send(GDB_EINVAL);
            return;
        }
        cpu_synchronize_state(cpu);
        CPU_GET_CLASS(cpu)->set_pc(cpu, addr);
    }
    gdb_resume(step ? cpu : NULL);
}

static void gdb_cmd_set_thread(const char *p)
{
    char op = *p++;
    CPUState *cpu;
    bool all;

    if ((op != 'g' && op != 'c') || !gdb_parse_thread(&p, &cpu, &all) || *p) {
        gdb_send(GDB_EINVAL);
        return;
    }
    if (!cpu) {
        cpu = op == 'g' ? gdb.g_cpu : NULL;   /* c: any/all = no choice */
    }
    if (op == 'g') {
        gdb.g_cpu = cpu ? cpu : gdb_first_cpu();
    } else {
        gdb.c_cpu = cpu;
    }
    gdb_send("OK");
}

static void gdb_cmd_thread_alive(const char *p)
{
    CPUState *cpu;
    bool all;

    gdb_send(gdb_parse_thread(&p, &cpu, &all) && !*p && cpu ? "OK" :
             GDB_ENOENT);
}

static void gdb_detach(void)
{
    gdb_remove_all_breakpoints();
    gdb_set_stepping(NULL);
    gdb.waiting = false;
    if (runstate_get() == RUN_STATE_DEBUG ||
        (runstate_get() == RUN_STATE_PAUSED)) {
        vm_start();
    }
}

static void gdb_handle_packet(const uint8_t *pkt, size_t len)
{
    const char *p = (const char *)pkt;

    if (!gdb.g_cpu) {
        gdb.g_cpu = gdb_first_cpu();
    }
    if (!gdb.g_cpu) {
        gdb_send(GDB_EIO);          /* no CPU to debug */
        return;
    }
    switch (p[0]) {
    case '?':
        /* we always report a stop: gdb attaches to a stopped machine */
        gdb_send_stop_reply(gdb.c_cpu ? gdb.c_cpu : gdb.g_cpu,
                            gdb.interrupted ? GDB_SIGNAL_INT :
                            gdb_stop_signal(runstate_get()));
        break;
    case 'g':
        gdb_cmd_read_registers();
        break;
    case 'G':
        gdb_cmd_write_registers(p + 1);
        break;
    case 'p':
        gdb_cmd_read_register(p + 1);
        break;
    case 'P':
        gdb_cmd_write_register(p + 1);
        break;
    case 'm':
        gdb_cmd_read_memory(p + 1);
        break;
    case 'M':
    case 'X':
        gdb_cmd_write_memory(pkt, len);
        break;
    case 'c':
        gdb_cmd_continue(p + 1, false);
        break;
    case 's':
        gdb_cmd_continue(p + 1, true);
        break;
    case 'Z':
    case 'z':
        gdb_cmd_breakpoint(p + 1, p[0] == 'Z');
        break;
    case 'H':
        gdb_cmd_set_thread(p + 1);
        break;
    case 'T':
        gdb_cmd_thread_alive(p + 1);
        break;
    case 'D':
        gdb_send("OK");
        gdb_detach();
        break;
    case 'k':
        /* kill: end the emulator, as gdb's "kill" ends a process */
        gdb_remove_all_breakpoints();
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
        break;
    case 'q':
    case 'Q':
        gdb_handle_query(p);
        break;
    case 'v':
        gdb_handle_v(p);
        break;
    default:
        gdb_send("");
        break;
    }
}

/* vCont;ACTION[:TID];... - the first action naming a thread wins for
 * it; a default (no tid) action applies to the rest.  All-stop: any
 * c or s resumes the whole VM, s steps its thread. */
static void gdb_cmd_vcont(const char *p)
{
    CPUState *step = NULL;
    bool resume = false;

    while (*p == ';') {
        char action = *++p;
        CPUState *cpu = NULL;
        bool all = true;

        p++;
        if (action == 'C' || action == 'S') {
            uint64_t sig;       /* the signal gdb passes is not ours */

            if (!gdb_parse_hex(&p, &sig)) {
                gdb_send(GDB_EINVAL);
                return;
            }
            action = action == 'C' ? 'c' : 's';
        } else if (action != 'c' && action != 's') {
            gdb_send(GDB_EINVAL);   /* 't', 'r': non-stop / ranges */
            return;
        }
        if (*p == ':') {
            p++;
            if (!gdb_parse_thread(&p, &cpu, &all)) {
                gdb_send(GDB_EINVAL);
                return;
            }
        }
        resume = true;
        if (action == 's' && !step) {
            step = cpu ? cpu : (gdb.c_cpu ? gdb.c_cpu : gdb.g_cpu);
        }
    }
    if (*p || !resume) {
        gdb_send(GDB_EINVAL);
        return;
    }
    gdb_resume(step);
}

static void gdb_handle_v(const char *p)
{
    if (!strcmp(p, "vCont?")) {
        gdb_send("vCont;c;C;s;S");
    } else if (g_str_has_prefix(p, "vCont;")) {
        gdb_cmd_vcont(p + 5);
    } else if (!strcmp(p, "vMustReplyEmpty")) {
        gdb_send("");
    } else if (g_str_has_prefix(p, "vKill")) {
        gdb_send("OK");
        gdb_remove_all_breakpoints();
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    } else {
        gdb_send("");
    }
}

static void gdb_cmd_xfer_features(const char *p)
{
    const char *xml;
    uint64_t off, len;
    size_t total;
    GString *s;

    if (!g_str_has_prefix(p, "target.xml:")) {
        gdb_send(GDB_ENOENT);
        return;
    }
    p += strlen("target.xml:");
    if (!gdb_parse_addr_len(&p, &off, &len) || *p) {
        gdb_send(GDB_EINVAL);
        return;
    }
    xml = gdb_target_xml();
    if (!xml) {
        gdb_send(GDB_ENOENT);
        return;
    }
    total = strlen(xml);
    if (off > total) {
        gdb_send(GDB_EINVAL);
        return;
    }
    /* escapes may double a byte: keep the reply within our packet size */
    len = MIN(len, (uint64_t)(GDB_MAX_PACKET / 2 - 1));
    len = MIN(len, total - off);
    s = g_string_new(off + len < total ? "m" : "l");
    g_string_append_len(s, xml + off, len);
    /* gdb_send_packet_bin escapes it */
    gdb_send_packet_bin((const uint8_t *)s->str, s->len);
    g_string_free(s, true);
}

static void gdb_cmd_monitor(const char *hex)
{
    size_t n = strlen(hex) / 2;
    g_autofree char *line = g_malloc0(n + 1);
    g_autofree char *out = NULL;
    GString *s;

    if (strlen(hex) % 2 || !gdb_hex_to_bytes(hex, (uint8_t *)line, n) ||
        memchr(line, 0, n)) {
        gdb_send(GDB_EINVAL);
        return;
    }
    out = hmp_run_command(line, gdb.g_cpu->cpu_index);
    /* console output packets: O then hex, in pieces that fit */
    for (size_t off = 0, total = strlen(out); off < total;) {
        size_t chunk = MIN(total - off, (size_t)GDB_MAX_PACKET / 2 - 2);

        s = g_string_new("O");
        gdb_append_hex(s, (const uint8_t *)out + off, chunk);
        gdb_send(s->str);
        g_string_free(s, true);
        off += chunk;
    }
    gdb_send("OK");
}

static void gdb_cmd_thread_info(CPUState *cpu)
{
    g_autofree char *text = NULL;
    GString *s = g_string_new(NULL);

    cpu_synchronize_state(cpu);
    text = g_strdup_printf("CPU#%d [%s]", cpu->cpu_index,
                           cpu->halted ? "halted" : "running");
    gdb_append_hex(s, (const uint8_t *)text, strlen(text));
    gdb_send(s->str);
    g_string_free(s, true);
}

static void gdb_handle_query(const char *p)
{
    CPUState *cpu;
    bool all;

    if (g_str_has_prefix(p, "qSupported")) {
        gdb_sendf("PacketSize=%x;qXfer:features:read%c;QStartNoAckMode+;"
                  "vContSupported+", GDB_MAX_PACKET, gdb_arch() ? '+' : '-');
    } else if (!strcmp(p, "QStartNoAckMode")) {
        gdb_send("OK");
        gdb.no_ack = true;      /* from the next packet on */
    } else if (g_str_has_prefix(p, "qXfer:features:read:")) {
        gdb_cmd_xfer_features(p + strlen("qXfer:features:read:"));
    } else if (!strcmp(p, "qfThreadInfo")) {
        GString *s = g_string_new("m");

        CPU_FOREACH(cpu) {
            g_string_append_printf(s, "%s%x", s->len > 1 ? "," : "",
                                   gdb_thread_id(cpu));
        }
        gdb_send(s->str);
        g_string_free(s, true);
    } else if (!strcmp(p, "qsThreadInfo")) {
        gdb_send("l");
    } else if (!strcmp(p, "qC")) {
        gdb_sendf("QC%x", gdb_thread_id(gdb.g_cpu));
    } else if (g_str_has_prefix(p, "qThreadExtraInfo,")) {
        p += strlen("qThreadExtraInfo,");
        if (!gdb_parse_thread(&p, &cpu, &all) || *p || !cpu) {
            gdb_send(GDB_ENOENT);
        } else {
            gdb_cmd_thread_info(cpu);
        }
    } else if (g_str_has_prefix(p, "qAttached")) {
        gdb_send("1");          /* detach, not kill, when gdb quits */
    } else if (g_str_has_prefix(p, "qRcmd,")) {
        gdb_cmd_monitor(p + strlen("qRcmd,"));
    } else if (!strcmp(p, "qqemu.sstepbits")) {
        gdb_sendf("ENABLE=%x,NOIRQ=%x", SSTEP_ENABLE, SSTEP_NOIRQ);
    } else if (!strcmp(p, "qqemu.sstep")) {
        gdb_sendf("0x%x", gdb.sstep_flags);
    } else if (g_str_has_prefix(p, "Qqemu.sstep=")) {
        uint64_t v;

        p += strlen("Qqemu.sstep=");
        if (!gdb_parse_hex(&p, &v) || *p || !(v & SSTEP_ENABLE) ||
            (v & ~(uint64_t)(SSTEP_ENABLE | SSTEP_NOIRQ))) {
            gdb_send(GDB_EINVAL);
        } else {
            gdb.sstep_flags = v;
            gdb_send("OK");
        }
    } else if (!strcmp(p, "qqemu.PhyMemMode")) {
        gdb_send(gdb.phys_mem ? "1" : "0");
    } else if (!strcmp(p, "Qqemu.PhyMemMode:0") ||
               !strcmp(p, "Qqemu.PhyMemMode:1")) {
        gdb.phys_mem = p[strlen(p) - 1] == '1';
        gdb_send("OK");
    } else if (!strcmp(p, "qSymbol::")) {
        gdb_send("OK");
    } else {
        gdb_send("");
    }
}

/* ---- receiving ---- */

static void gdb_interrupt(void)
{
    if (gdb.waiting && runstate_is_running()) {
        gdb.interrupted = true;
        vm_stop(RUN_STATE_PAUSED);      /* the state handler replies */
    }
}

static void gdb_rx_byte(uint8_t ch)
{
    switch (gdb_packet_feed(&gdb.rx, ch)) {
    case GDB_RX_PACKET:
        if (!gdb.no_ack) {
            gdb_send_raw("+", 1);
        }
        /* while the VM runs for gdb only Ctrl-C means something */
        if (gdb.waiting && runstate_is_running()) {
            break;
        }
        gdb_handle_packet(gdb.rx.payload, gdb.rx.len);
        break;
    case GDB_RX_BAD_CHECKSUM:
    case GDB_RX_TOO_LONG:
        if (!gdb.no_ack) {
            gdb_send_raw("-", 1);       /* gdb sends it again */
        }
        break;
    case GDB_RX_NACK:
        if (gdb.last->len && !gdb.no_ack) {
            gdb_send_raw(gdb.last->str, gdb.last->len);
        }
        break;
    case GDB_RX_INTERRUPT:
        gdb_interrupt();
        break;
    default:
        break;
    }
}

static int gdb_chr_can_read(void *opaque)
{
    return GDB_MAX_PACKET;
}

static void gdb_chr_read(void *opaque, const uint8_t *buf, int size)
{
    for (int i = 0; i < size; i++) {
        gdb_rx_byte(buf[i]);
    }
}

static void gdb_chr_event(void *opaque, ChrEvent event)
{
    switch (event) {
    case CHR_EVENT_OPENED:
        gdb.connected = true;
        gdb.no_ack = false;
        gdb.phys_mem = false;
        gdb.waiting = false;
        gdb.interrupted = false;
        gdb.g_cpu = gdb.c_cpu = NULL;
        gdb_packet_parser_init(&gdb.rx);
        g_string_truncate(gdb.last, 0);
        /* gdb attaches to a stopped machine */
        if (runstate_is_running()) {
            vm_stop(RUN_STATE_PAUSED);
        }
        break;
    case CHR_EVENT_CLOSED:
        if (gdb.connected) {
            gdb.connected = false;
            gdb_detach();
        }
        break;
    default:
        break;
    }
}

/* ---- start-up ---- */

/* -gdb's shorthand to a chardev spec: the socket forms listen */
static char *gdb_chardev_spec(const char *device)
{
    if ((g_str_has_prefix(device, "tcp:") || g_str_has_prefix(device, "unix:"))
        && !strstr(device, "server")) {
        return g_strdup_printf("%s,server=on,wait=off%s", device,
                               device[0] == 't' ? ",nodelay=on" : "");
    }
    return g_strdup(device);
}

bool gdbserver_start(const char *device, Error **errp)
{
    g_autofree char *spec = NULL;
    Chardev *chr;

    if (!strcmp(device, "none")) {
        return true;
    }
    if (gdb.last) {
        error_setg(errp, "-gdb: only one gdb stub is supported");
        return false;
    }
    if (g_str_has_prefix(device, "chardev:")) {
        chr = qemu_chr_find(device + strlen("chardev:"));
        if (!chr) {
            error_setg(errp, "-gdb %s: no -chardev with that id", device);
            return false;
        }
    } else {
        Error *err = NULL;

        spec = gdb_chardev_spec(device);
        chr = qemu_chr_new("gdb", spec, &err);
        if (!chr) {
            if (err) {
                error_prepend(&err, "-gdb %s: ", device);
                error_propagate(errp, err);
            } else {
                error_setg(errp, "-gdb %s: no character device", device);
            }
            return false;
        }
    }
    if (!qemu_chr_fe_init(&gdb.chr, chr, errp)) {
        return false;
    }
    gdb.last = g_string_new(NULL);
    gdb.sstep_flags = SSTEP_ENABLE | SSTEP_NOIRQ;
    gdb_packet_parser_init(&gdb.rx);
    qemu_add_vm_change_state_handler(gdb_vm_state_change, NULL);
    runstate_add_event_listener(gdb_runstate_event, NULL);
    /* semihosting's SYS_EXIT ends the process from the vCPU thread */
    turtle_add_exit_notifier(gdb_send_exit);
    qemu_chr_fe_set_handlers(&gdb.chr, gdb_chr_can_read, gdb_chr_read,
                             gdb_chr_event, NULL);
    return true;
}
