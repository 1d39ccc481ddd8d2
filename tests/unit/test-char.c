/*
 * Character back ends: null, file, pipe, pty, sockets (unix and tcp,
 * server and client, flow control, disconnect and reconnect), the mux and
 * its Ctrl-A keys, -serial specs, and option errors.
 *
 * Runs on the real main loop (softmmu/main-loop.c, timer.c); the few
 * run-state entry points chardev/ calls are stand-ins here, so the test
 * links without the rest of the emulator.
 */
#include "turtle/osdep.h"
#include "chardev/char.h"
#include "chardev/char-internal.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "turtle/option.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* ---- run state: the few entry points chardev/ calls ---- */

static int shutdown_requests;

void qemu_system_shutdown_request(ShutdownCause cause)
{
    shutdown_requests++;
}

bool main_loop_should_exit(int *status)
{
    return false;
}

static void (*exit_notifiers[8])(void);
static int n_exit_notifiers;

void turtle_add_exit_notifier(void (*fn)(void))
{
    g_assert(n_exit_notifiers < (int)ARRAY_SIZE(exit_notifiers));
    exit_notifiers[n_exit_notifiers++] = fn;
}

void turtle_exit(int status)
{
    for (int i = 0; i < n_exit_notifiers; i++) {
        exit_notifiers[i]();
    }
    exit(status);
}

/* ---- helpers ---- */

static char *tmpdir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

typedef struct TestFE {
    CharBackend be;
    GByteArray *rx;
    int can_read;         /* what chr_can_read answers */
    int opened, closed, breaks, mux_in, mux_out;
    char events[32];      /* O C B I U: opened, closed, break, mux in/out */
} TestFE;

static int fe_can_read(void *opaque)
{
    TestFE *t = opaque;
    return t->can_read;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    TestFE *t = opaque;

    g_assert_cmpint(size, <=, t->can_read);
    g_byte_array_append(t->rx, buf, size);
    t->can_read -= size;
}

static void fe_event(void *opaque, ChrEvent ev)
{
    TestFE *t = opaque;
    size_t n = strlen(t->events);

    if (n + 1 < sizeof(t->events)) {
        t->events[n] = "BOIUC"[ev];
    }
    switch (ev) {
    case CHR_EVENT_OPENED:
        t->opened++;
        break;
    case CHR_EVENT_CLOSED:
        t->closed++;
        break;
    case CHR_EVENT_BREAK:
        t->breaks++;
        break;
    case CHR_EVENT_MUX_IN:
        t->mux_in++;
        break;
    case CHR_EVENT_MUX_OUT:
        t->mux_out++;
        break;
    }
}

static void fe_attach(TestFE *t, Chardev *chr)
{
    memset(t, 0, sizeof(*t));
    t->rx = g_byte_array_new();
    t->can_read = 1 << 20;
    g_assert_true(qemu_chr_fe_init(&t->be, chr, &error_abort));
    qemu_chr_fe_set_handlers(&t->be, fe_can_read, fe_read, fe_event, t);
}

static void fe_detach(TestFE *t)
{
    qemu_chr_fe_deinit(&t->be, false);
    g_byte_array_free(t->rx, TRUE);
    t->rx = NULL;
}

static Chardev *chr_from(const char *str)
{
    Opts *opts = opts_parse("chardev", str, "backend", &error_abort);
    Chardev *chr = qemu_chr_new_from_opts(opts, &error_abort);

    opts_free(opts);
    g_assert_nonnull(chr);
    return chr;
}

/* The error message for a -chardev string that must fail. */
static char *chr_error(const char *str)
{
    Error *err = NULL;
    Opts *opts = opts_parse("chardev", str, "backend", &error_abort);
    Chardev *chr = qemu_chr_new_from_opts(opts, &err);
    char *msg;

    opts_free(opts);
    g_assert_null(chr);
    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static bool rx_has(TestFE *t, size_t len)
{
    return t->rx->len >= len;
}

#define WAIT_FOR(cond)                                                  \
    do {                                                                \
        gint64 deadline_ = g_get_monotonic_time() + 5 * G_USEC_PER_SEC; \
        while (!(cond)) {                                               \
            g_assert_cmpint(g_get_monotonic_time(), <, deadline_);      \
            main_loop_wait(10);                                         \
        }                                                               \
    } while (0)

static void spin(int ms)
{
    gint64 end = g_get_monotonic_time() + ms * 1000;

    while (g_get_monotonic_time() < end) {
        main_loop_wait(5);
    }
}

static void write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

/* Read exactly len bytes from fd, running the main loop meanwhile. */
static void read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    while (len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;
        main_loop_wait(0);
        if (poll(&pfd, 1, 10) <= 0) {
            g_assert_cmpint(g_get_monotonic_time(), <, deadline);
            continue;
        }
        n = read(fd, p, len);
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

static char *file_contents(const char *path)
{
    char *s = NULL;

    g_assert_true(g_file_get_contents(path, &s, NULL, NULL));
    return s;
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    return fd;
}

static int tcp_connect(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    return fd;
}

/* The port a "tcp:127.0.0.1:PORT,server=on" listener got. */
static int chr_tcp_port(Chardev *chr)
{
    const char *p = strstr(chr->filename, "127.0.0.1:");

    g_assert_nonnull(p);
    return atoi(p + strlen("127.0.0.1:"));
}

/* ---- tests ---- */

static void test_null(void)
{
    Chardev *chr = chr_from("null,id=n0");
    TestFE fe;

    g_assert_true(qemu_chr_find("n0") == chr);
    fe_attach(&fe, chr);
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"abc", 3),
                    ==, 3);
    g_assert_cmpint(qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"ab", 2),
                    ==, 2);
    main_loop_wait(0);
    g_assert_cmpint(fe.rx->len, ==, 0);
    g_assert_cmpint(fe.opened, ==, 0);
    fe_detach(&fe);
    qemu_chr_delete(chr);
    g_assert_null(qemu_chr_find("n0"));
}

static void test_file(void)
{
    g_autofree char *out = tmp_path("file.out");
    g_autofree char *in = tmp_path("file.in");
    g_autofree char *log = tmp_path("file.log");
    g_autofree char *spec = NULL;
    g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL;
    Chardev *chr;
    TestFE fe;

    g_assert_true(g_file_set_contents(in, "typed", -1, NULL));
    spec = g_strdup_printf("file,id=f0,path=%s,input-path=%s,logfile=%s",
                           out, in, log);
    chr = chr_from(spec);
    fe_attach(&fe, chr);
    qemu_chr_fe_printf(&fe.be, "hello %d\n", 42);
    WAIT_FOR(rx_has(&fe, 5));
    g_assert_cmpmem(fe.rx->data, fe.rx->len, "typed", 5);
    fe_detach(&fe);
    qemu_chr_delete(chr);
    s1 = file_contents(out);
    g_assert_cmpstr(s1, ==, "hello 42\n");
    s3 = file_contents(log);
    g_assert_cmpstr(s3, ==, "hello 42\n");

    /* append=on keeps what was there */
    g_free(spec);
    spec = g_strdup_printf("file,id=f1,path=%s,append=on", out);
    chr = chr_from(spec);
    fe_attach(&fe, chr);
    qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"more\n", 5);
    fe_detach(&fe);
    qemu_chr_delete(chr);
    s2 = file_contents(out);
    g_assert_cmpstr(s2, ==, "hello 42\nmore\n");
}

static void test_pipe(void)
{
    g_autofree char *base = tmp_path("pipe");
    g_autofree char *in = g_strdup_printf("%s.in", base);
    g_autofree char *out = g_strdup_printf("%s.out", base);
    g_autofree char *spec = g_strdup_printf("pipe,id=p0,path=%s", base);
    char buf[16];
    int win, rout;
    Chardev *chr;
    TestFE fe;

    g_assert_cmpint(mkfifo(in, 0600), ==, 0);
    g_assert_cmpint(mkfifo(out, 0600), ==, 0);
    chr = chr_from(spec);
    win = open(in, O_WRONLY);
    rout = open(out, O_RDONLY);
    g_assert_cmpint(win, >=, 0);
    g_assert_cmpint(rout, >=, 0);
    fe_attach(&fe, chr);

    write_full(win, "ping", 4);
    WAIT_FOR(rx_has(&fe, 4));
    g_assert_cmpmem(fe.rx->data, 4, "ping", 4);
    g_assert_cmpint(qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"pong", 4),
                    ==, 4);
    read_full(rout, buf, 4);
    g_assert_cmpmem(buf, 4, "pong", 4);

    /* a full front end that never calls accept_input still gets its
     * input once it has room (the back end asks again now and then) */
    fe.can_read = 0;
    write_full(win, "late", 4);
    spin(50);
    g_assert_cmpint(fe.rx->len, ==, 4);
    fe.can_read = 10;
    WAIT_FOR(rx_has(&fe, 8));
    g_assert_cmpmem(fe.rx->data + 4, 4, "late", 4);

    fe_detach(&fe);
    qemu_chr_delete(chr);
    close(win);
    close(rout);
}

/* Pseudo-terminals may be missing in a minimal sandbox. */
static bool have_ptys(void)
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY);

    if (fd < 0) {
        g_test_skip("no pseudo-terminals here");
        return false;
    }
    close(fd);
    return true;
}

static void test_pty(void)
{
    Chardev *chr;
    char buf[8];
    TestFE fe;
    int fd;

    if (!have_ptys()) {
        return;
    }
    chr = chr_from("pty,id=t0");
    g_assert_true(g_str_has_prefix(chr->filename, "pty:/dev/"));
    fd = open(chr->filename + 4, O_RDWR | O_NOCTTY);
    g_assert_cmpint(fd, >=, 0);
    fe_attach(&fe, chr);
    write_full(fd, "in", 2);
    WAIT_FOR(rx_has(&fe, 2));
    g_assert_cmpmem(fe.rx->data, 2, "in", 2);
    qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"out", 3);
    read_full(fd, buf, 3);
    g_assert_cmpmem(buf, 3, "out", 3);
    fe_detach(&fe);
    qemu_chr_delete(chr);
    close(fd);
}

/* a host tty passed through (a pty slave stands in for /dev/ttyS0) */
static void test_serial(void)
{
    int master;
    g_autofree char *name = NULL;
    struct termios tio;
    Chardev *chr;
    char buf[8];
    TestFE fe;

    if (!have_ptys()) {
        return;
    }
    master = posix_openpt(O_RDWR | O_NOCTTY);
    g_assert_cmpint(grantpt(master), ==, 0);
    g_assert_cmpint(unlockpt(master), ==, 0);
    name = g_strdup(ptsname(master));
    chr = qemu_chr_new("ser0", name, &error_abort);
    g_assert_true(g_str_has_prefix(chr->filename, "serial:/dev/"));
    fe_attach(&fe, chr);
    write_full(master, "a\rb", 3);
    WAIT_FOR(rx_has(&fe, 3));
    g_assert_cmpmem(fe.rx->data, 3, "a\rb", 3);  /* raw: CR stays CR */
    qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"x\ny", 3);
    read_full(master, buf, 3);
    g_assert_cmpmem(buf, 3, "x\ny", 3);         /* no output processing */
    fe_detach(&fe);
    qemu_chr_delete(chr);
    /* the line settings are put back (checked through a fresh open) */
    {
        int fd = open(name, O_RDWR | O_NOCTTY);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(tcgetattr(fd, &tio), ==, 0);
        g_assert_true(tio.c_lflag & ICANON);
        close(fd);
    }
    close(master);
}

/*
 * A connected server back end and a raw client socket: data both ways,
 * flow control with nothing lost, then disconnect and a second client.
 */
static void check_server(Chardev *chr, int (*connect_fn)(void *), void *arg)
{
    enum { BIG = 200000 };
    g_autofree uint8_t *big = g_malloc(BIG);
    g_autofree uint8_t *back = g_malloc(BIG);
    gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
    char buf[8];
    TestFE fe;
    int fd, fd2;

    for (int i = 0; i < BIG; i++) {
        big[i] = i * 7 + (i >> 8);
    }
    fe_attach(&fe, chr);
    g_assert_cmpint(fe.opened, ==, 0);
    /* output before anyone connected is dropped, not an error */
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"lost", 4),
                    ==, 4);

    fd = connect_fn(arg);
    WAIT_FOR(fe.opened == 1);
    g_assert_true(strstr(chr->filename, "<->") != NULL);
    write_full(fd, "hi", 2);
    WAIT_FOR(rx_has(&fe, 2));
    g_assert_cmpmem(fe.rx->data, 2, "hi", 2);
    qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"yo", 2);
    read_full(fd, buf, 2);
    g_assert_cmpmem(buf, 2, "yo", 2);

    /* flow control: a full front end stops the reads, nothing is lost */
    g_byte_array_set_size(fe.rx, 0);
    fe.can_read = 0;
    qemu_chr_fe_accept_input(&fe.be);
    write_full(fd, big, 4096);
    spin(50);
    g_assert_cmpint(fe.rx->len, ==, 0);
    for (int sent = 4096; fe.rx->len < BIG;) {
        /* a front end taking 100 bytes at a time, resumed each time */
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        fe.can_read = 100;
        qemu_chr_fe_accept_input(&fe.be);
        main_loop_wait(1);
        if (sent < BIG) {
            int n = MIN(BIG - sent, 8192);
            ssize_t w = send(fd, big + sent, n, MSG_DONTWAIT);
            if (w > 0) {
                sent += w;
            }
        }
    }
    g_assert_cmpmem(fe.rx->data, fe.rx->len, big, BIG);
    fe.can_read = 1 << 20;
    qemu_chr_fe_accept_input(&fe.be);

    /* a big write from the guest side arrives whole; the socket buffers
     * it since this single-threaded client only reads afterwards */
    g_assert_cmpint(qemu_chr_fe_write_all(&fe.be, big, 32768), ==, 32768);
    read_full(fd, back, 32768);
    g_assert_cmpmem(back, 32768, big, 32768);

    /* one client at a time: a second one waits in the listen queue and
     * is served when the first leaves, with what it sent meanwhile */
    g_byte_array_set_size(fe.rx, 0);
    fd2 = connect_fn(arg);
    write_full(fd2, "again", 5);
    spin(50);
    g_assert_cmpint(fe.opened, ==, 1);
    g_assert_cmpint(fe.rx->len, ==, 0);
    close(fd);
    WAIT_FOR(fe.closed == 1 && fe.opened == 2);
    WAIT_FOR(rx_has(&fe, 5));
    g_assert_cmpmem(fe.rx->data, 5, "again", 5);
    g_assert_cmpstr(fe.events, ==, "OCO");
    close(fd2);
    WAIT_FOR(fe.closed == 2);
    fe_detach(&fe);
}

static int connect_unix_cb(void *arg)
{
    return unix_connect(arg);
}

static int connect_tcp_cb(void *arg)
{
    return tcp_connect(GPOINTER_TO_INT(arg));
}

static void test_socket_unix(void)
{
    g_autofree char *path = tmp_path("sock");
    g_autofree char *spec = g_strdup_printf("socket,id=s0,path=%s,server=on,"
                                            "wait=off", path);
    Chardev *chr = chr_from(spec);
    struct stat st;

    check_server(chr, connect_unix_cb, path);
    qemu_chr_delete(chr);
    g_assert_cmpint(stat(path, &st), <, 0);   /* the server cleans up */
}

static void test_socket_tcp(void)
{
    Chardev *chr = chr_from("socket,id=s1,host=127.0.0.1,port=0,server=on,"
                            "wait=off,nodelay=on");
    int port = chr_tcp_port(chr);

    g_assert_cmpint(port, >, 0);
    check_server(chr, connect_tcp_cb, GINT_TO_POINTER(port));
    qemu_chr_delete(chr);
}

/* A client back end talking to a server back end; reconnection. */
static void test_socket_client_reconnect(void)
{
    Chardev *srv = chr_from("socket,id=srv,host=127.0.0.1,port=0,server=on,"
                            "wait=off");
    int port = chr_tcp_port(srv);
    g_autofree char *cspec = g_strdup_printf("socket,id=cli,host=127.0.0.1,"
                                             "port=%d,reconnect=1", port);
    g_autofree char *sspec = NULL;
    Chardev *cli;
    TestFE fs, fc;

    fe_attach(&fs, srv);
    cli = chr_from(cspec);
    fe_attach(&fc, cli);
    WAIT_FOR(fs.opened == 1 && fc.opened == 1);
    qemu_chr_fe_write_all(&fc.be, (const uint8_t *)"c2s", 3);
    qemu_chr_fe_write_all(&fs.be, (const uint8_t *)"s2c", 3);
    WAIT_FOR(rx_has(&fs, 3) && rx_has(&fc, 3));
    g_assert_cmpmem(fs.rx->data, 3, "c2s", 3);
    g_assert_cmpmem(fc.rx->data, 3, "s2c", 3);

    /* the server goes away: the client sees CLOSED, then a new server on
     * the same port gets the client back within the reconnect period */
    fe_detach(&fs);
    qemu_chr_delete(srv);
    WAIT_FOR(fc.closed == 1);
    sspec = g_strdup_printf("socket,id=srv,host=127.0.0.1,port=%d,server=on,"
                            "wait=off", port);
    srv = chr_from(sspec);
    fe_attach(&fs, srv);
    WAIT_FOR(fs.opened == 1 && fc.opened == 2);
    qemu_chr_fe_write_all(&fc.be, (const uint8_t *)"back", 4);
    WAIT_FOR(rx_has(&fs, 4));
    g_assert_cmpmem(fs.rx->data, 4, "back", 4);

    fe_detach(&fc);
    qemu_chr_delete(cli);
    WAIT_FOR(fs.closed == 1);
    fe_detach(&fs);
    qemu_chr_delete(srv);
}

/* IPv6 through the short form: tcp:[::1]:PORT, server and client */
static void test_socket_ipv6(void)
{
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
                                 .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    g_autofree char *cspec = NULL;
    Chardev *srv, *cli;
    const char *p;
    TestFE fs;

    if (probe < 0 || bind(probe, (struct sockaddr *)&sin6, sizeof(sin6)) < 0) {
        if (probe >= 0) {
            close(probe);
        }
        g_test_skip("no IPv6 loopback");
        return;
    }
    close(probe);
    srv = qemu_chr_new("v6s", "tcp:[::1]:0,server=on,wait=off,ipv6=on",
                       &error_abort);
    p = strstr(srv->filename, "[::1]:");
    g_assert_nonnull(p);
    fe_attach(&fs, srv);
    cspec = g_strdup_printf("tcp:[::1]:%d", atoi(p + 6));
    cli = qemu_chr_new("v6c", cspec, &error_abort);
    WAIT_FOR(fs.opened == 1);
    g_assert_true(cli->be_open);
    qemu_chr_delete(cli);
    WAIT_FOR(fs.closed == 1);
    fe_detach(&fs);
    qemu_chr_delete(srv);
}

/* a client without host= tries every local address (::1, 127.0.0.1) */
static void test_socket_client_addrs(void)
{
    Chardev *srv = chr_from("socket,id=srv4,host=127.0.0.1,port=0,server=on,"
                            "wait=off");
    g_autofree char *cspec = g_strdup_printf("socket,id=cli4,port=%d",
                                             chr_tcp_port(srv));
    Chardev *cli;
    TestFE fs;

    fe_attach(&fs, srv);
    cli = chr_from(cspec);
    g_assert_true(cli->be_open);
    g_assert_true(g_str_has_prefix(cli->filename, "tcp:localhost:"));
    WAIT_FOR(fs.opened == 1);
    qemu_chr_delete(cli);
    WAIT_FOR(fs.closed == 1);
    fe_detach(&fs);
    qemu_chr_delete(srv);
}

/* server with wait=on: open blocks until a client connects */
static gpointer connect_later(gpointer arg)
{
    char *path = arg;
    struct stat st;

    while (stat(path, &st) < 0) {
        g_usleep(1000);
    }
    g_usleep(20000);
    return GINT_TO_POINTER(unix_connect(path));
}

static gboolean watch_cb(GIOCondition cond, void *opaque)
{
    (*(int *)opaque)++;
    return G_SOURCE_REMOVE;
}

/*
 * Output never blocks: a client that does not read makes writes short
 * (0), a watch says when there is room again, and the front end can drop
 * the client (from the main loop: CLOSED comes after the call returns).
 */
static void test_socket_nonblocking(void)
{
    g_autofree char *path = tmp_path("nb.sock");
    g_autofree char *spec = g_strdup_printf("socket,id=nb,path=%s,"
                                            "server=on,wait=off", path);
    Chardev *chr = chr_from(spec);
    static uint8_t chunk[65536];
    size_t total = 0, drained = 0;
    gint64 t0;
    TestFE fe;
    int fd, fired = 0;

    fe_attach(&fe, chr);
    g_assert_false(qemu_chr_fe_disconnect(&fe.be));   /* nobody yet */
    fd = unix_connect(path);
    WAIT_FOR(fe.opened == 1);

    t0 = g_get_monotonic_time();
    for (;;) {
        int n = qemu_chr_fe_write(&fe.be, chunk, sizeof(chunk));
        g_assert_cmpint(n, >=, 0);
        if (n == 0) {
            break;
        }
        total += n;
        g_assert_cmpuint(total, <, 64 << 20);
    }
    /* filling the socket took no waiting (generous: a loaded machine) */
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, chunk, 1), ==, 0);

    qemu_chr_fe_add_watch(&fe.be, G_IO_OUT | G_IO_HUP, watch_cb, &fired);
    spin(50);
    g_assert_cmpint(fired, ==, 0);
    while (!fired) {
        char buf[65536];
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        if (poll(&pfd, 1, 0) > 0) {
            ssize_t n = read(fd, buf, sizeof(buf));
            g_assert_cmpint(n, >, 0);
            drained += n;
        }
        main_loop_wait(1);
        g_assert_cmpuint(drained, <=, total);
    }
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, chunk, 1), ==, 1);

    g_assert_true(qemu_chr_fe_disconnect(&fe.be));
    g_assert_cmpint(fe.closed, ==, 0);
    WAIT_FOR(fe.closed == 1);
    close(fd);
    fe_detach(&fe);
    qemu_chr_delete(chr);
}

static void test_socket_wait(void)
{
    g_autofree char *path = tmp_path("sock-wait");
    g_autofree char *spec = g_strdup_printf("socket,id=w0,path=%s,server=on",
                                            path);
    GThread *th;
    Chardev *chr;
    TestFE fe;
    int fd;

    unlink(path);
    th = g_thread_new("client", connect_later, path);
    chr = chr_from(spec);
    fd = GPOINTER_TO_INT(g_thread_join(th));
    g_assert_true(chr->be_open);
    fe_attach(&fe, chr);
    g_assert_cmpint(fe.opened, ==, 1);  /* delivered when handlers are set */
    close(fd);
    WAIT_FOR(fe.closed == 1);
    fe_detach(&fe);
    qemu_chr_delete(chr);
}

static void test_socket_telnet(void)
{
    Chardev *chr = qemu_chr_new("tn0", "telnet:127.0.0.1:0,server=on,wait=off",
                                &error_abort);
    static const uint8_t in[] = {
        'a', 0xff, 0xff, 'b', '\r', 0, 'c',
        0xff, 251, 1,                       /* IAC WILL ECHO: dropped */
        0xff, 250, 24, 0, 'x', 0xff, 240,   /* IAC SB ... IAC SE: dropped */
        0xff, 243,                          /* IAC BRK: a break */
        'd',
    };
    uint8_t buf[16];
    TestFE fe;
    int fd;

    g_assert_true(g_str_has_prefix(chr->filename, "disconnected:telnet:"));
    fe_attach(&fe, chr);
    fd = tcp_connect(chr_tcp_port(chr));
    WAIT_FOR(fe.opened == 1);
    read_full(fd, buf, 9);      /* the option requests */
    g_assert_cmpint(buf[0], ==, 0xff);
    g_assert_cmpint(buf[1], ==, 251);
    write_full(fd, in, sizeof(in));
    WAIT_FOR(rx_has(&fe, 6));
    g_assert_cmpmem(fe.rx->data, fe.rx->len, "a\xff" "b\rcd", 6);
    g_assert_cmpint(fe.breaks, ==, 1);
    qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"x\xffy", 3);
    read_full(fd, buf, 4);
    g_assert_cmpmem(buf, 4, "x\xff\xffy", 4);
    close(fd);
    WAIT_FOR(fe.closed == 1);
    fe_detach(&fe);
    qemu_chr_delete(chr);
}

/* A mux on a pipe pair we drive: escapes, focus, buffering. */
typedef struct MuxFixture {
    char *base;
    int win, rout;
    Chardev *chr;
} MuxFixture;

static void mux_setup(MuxFixture *m, const char *name)
{
    g_autofree char *in = NULL, *out = NULL, *spec = NULL;

    m->base = tmp_path(name);
    in = g_strdup_printf("%s.in", m->base);
    out = g_strdup_printf("%s.out", m->base);
    g_assert_cmpint(mkfifo(in, 0600), ==, 0);
    g_assert_cmpint(mkfifo(out, 0600), ==, 0);
    spec = g_strdup_printf("pipe,id=mx,path=%s,mux=on", m->base);
    m->chr = chr_from(spec);
    g_assert_true(qemu_chr_find("mx") == m->chr);
    g_assert_nonnull(qemu_chr_find("mx-base"));
    m->win = open(in, O_WRONLY);
    m->rout = open(out, O_RDONLY | O_NONBLOCK);
}

static void mux_teardown(MuxFixture *m)
{
    qemu_chr_delete(m->chr);
    qemu_chr_delete(qemu_chr_find("mx-base"));
    close(m->win);
    close(m->rout);
    g_free(m->base);
}

static void test_mux(void)
{
    MuxFixture m;
    TestFE a, b;
    char buf[512];
    ssize_t n;

    mux_setup(&m, "mux");
    fe_attach(&a, m.chr);
    g_assert_cmpstr(a.events, ==, "IO");   /* focus, then "open" */
    fe_attach(&b, m.chr);      /* set up last: B has the focus */
    g_assert_cmpstr(a.events, ==, "IOU");
    g_assert_cmpstr(b.events, ==, "IO");
    g_assert_cmpint(a.mux_out, ==, 1);
    g_assert_cmpint(b.mux_in, ==, 1);
    g_assert_cmpint(b.be.tag, ==, 1);

    write_full(m.win, "x", 1);
    WAIT_FOR(rx_has(&b, 1));
    g_assert_cmpint(a.rx->len, ==, 0);

    /* C-a c: focus to A */
    write_full(m.win, "\x01" "cy", 3);
    WAIT_FOR(rx_has(&a, 1));
    g_assert_cmpmem(a.rx->data, a.rx->len, "y", 1);
    g_assert_cmpint(b.rx->len, ==, 1);
    g_assert_cmpint(a.mux_in, ==, 2);
    g_assert_cmpint(b.mux_out, ==, 1);

    /* C-a C-a: one C-a; C-a b: a break; unknown escapes vanish */
    write_full(m.win, "\x01\x01" "\x01" "b" "\x01" "qz", 7);
    WAIT_FOR(rx_has(&a, 3));
    g_assert_cmpmem(a.rx->data, a.rx->len, "y\x01z", 3);
    g_assert_cmpint(a.breaks, ==, 1);

    /* buffering: A full, its input waits, then arrives in order */
    a.can_read = 0;
    write_full(m.win, "hold", 4);
    spin(50);
    g_assert_cmpint(a.rx->len, ==, 3);
    a.can_read = 2;
    qemu_chr_fe_accept_input(&a.be);
    spin(20);
    g_assert_cmpmem(a.rx->data, a.rx->len, "y\x01zho", 5);
    a.can_read = 100;
    qemu_chr_fe_accept_input(&a.be);
    WAIT_FOR(rx_has(&a, 7));
    g_assert_cmpmem(a.rx->data, a.rx->len, "y\x01zhold", 7);

    /* both front ends write to the same back end */
    qemu_chr_fe_write_all(&a.be, (const uint8_t *)"A", 1);
    qemu_chr_fe_write_all(&b.be, (const uint8_t *)"B", 1);
    read_full(m.rout, buf, 2);
    g_assert_cmpmem(buf, 2, "AB", 2);

    /* C-a h prints the key list on the back end */
    write_full(m.win, "\x01h", 2);
    spin(50);
    n = read(m.rout, buf, sizeof(buf) - 1);
    g_assert_cmpint(n, >, 0);
    buf[n] = 0;
    g_assert_nonnull(strstr(buf, "C-a x"));
    g_assert_nonnull(strstr(buf, "C-a c"));

    /* C-a t: each output line starts with the time since the toggle */
    write_full(m.win, "\x01t", 2);
    spin(30);
    qemu_chr_fe_write_all(&a.be, (const uint8_t *)"l1\nl2", 5);
    qemu_chr_fe_write_all(&b.be, (const uint8_t *)"\n", 1);
    read_full(m.rout, buf, 2 * 15 + 6);
    buf[2 * 15 + 6] = 0;
    g_assert_true(g_regex_match_simple("^\\[00:00:00\\.\\d{3}\\] l1\n"
                                       "\\[00:00:00\\.\\d{3}\\] l2\n$",
                                       buf, 0, 0));
    write_full(m.win, "\x01t", 2);
    spin(30);
    qemu_chr_fe_write_all(&a.be, (const uint8_t *)"l3\n", 3);
    read_full(m.rout, buf, 3);
    g_assert_cmpmem(buf, 3, "l3\n", 3);

    /* C-a c cycles back to B */
    write_full(m.win, "\x01" "cq", 3);
    WAIT_FOR(rx_has(&b, 2));
    g_assert_cmpmem(b.rx->data, 2, "xq", 2);

    fe_detach(&a);
    fe_detach(&b);
    mux_teardown(&m);
}

static void test_mux_exit(void)
{
    if (g_test_subprocess()) {
        MuxFixture m;
        TestFE a;

        mux_setup(&m, "mux-exit");
        fe_attach(&a, m.chr);
        write_full(m.win, "\x01x", 2);
        spin(2000);
        exit(3);    /* not reached if C-a x works */
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
}

static void test_spec(void)
{
    g_autofree char *path = tmp_path("spec.out");
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    g_autofree char *uspec = NULL, *upath = tmp_path("spec-sock");
    Error *err = NULL;
    Chardev *chr;

    g_assert_null(qemu_chr_new("serial0", "none", &error_abort));

    chr = qemu_chr_new("serial0", spec, &error_abort);
    g_assert_true(qemu_chr_find("serial0") == chr);
    g_assert_true(qemu_chr_new("x", "chardev:serial0", &error_abort) == chr);
    qemu_chr_delete(chr);

    chr = qemu_chr_new("serial1", "null", &error_abort);
    qemu_chr_delete(chr);

    uspec = g_strdup_printf("unix:%s,server=on,wait=off", upath);
    chr = qemu_chr_new("serial2", uspec, &error_abort);
    g_assert_true(g_str_has_prefix(chr->filename, "disconnected:unix:"));
    qemu_chr_delete(chr);

    chr = qemu_chr_new("serial3", "tcp:127.0.0.1:0,server=on,wait=off",
                       &error_abort);
    g_assert_cmpint(chr_tcp_port(chr), >, 0);
    qemu_chr_delete(chr);

    g_free(spec);
    spec = g_strdup_printf("mon:file:%s", path);
    chr = qemu_chr_new("serial4", spec, &error_abort);
    g_assert_true(chr_is_mux(chr));
    g_assert_nonnull(qemu_chr_find("serial4-base"));
    qemu_chr_delete(chr);
    qemu_chr_delete(qemu_chr_find("serial4-base"));

    g_assert_null(qemu_chr_new("serial5", "vc", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "unsupported"));
    error_free(err);
    err = NULL;
    g_assert_null(qemu_chr_new("serial5", "chardev:nope", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "nope"));
    error_free(err);
    err = NULL;
    g_assert_null(qemu_chr_new("serial5", "tcp:localhost", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "HOST:PORT"));
    error_free(err);
    g_assert_null(qemu_chr_find("serial5"));
}

static void test_stdio_once(void)
{
    Chardev *chr = chr_from("stdio,id=io0,signal=off");
    g_autofree char *msg = chr_error("stdio,id=io1");

    g_assert_nonnull(strstr(msg, "only one stdio"));
    g_assert_nonnull(strstr(msg, "io0"));
    qemu_chr_delete(chr);
    chr = chr_from("stdio,id=io2");
    qemu_chr_delete(chr);
}

/* stdio on a terminal: raw mode, both directions, restore, SIGTERM */
static void test_stdio_tty(void)
{
    int master, slave, saved0, saved1;
    struct termios tio;
    char buf[8];
    Chardev *chr;
    TestFE fe;

    if (!have_ptys()) {
        return;
    }
    master = posix_openpt(O_RDWR | O_NOCTTY);
    saved0 = dup(0);
    saved1 = dup(1);
    g_assert_cmpint(master, >=, 0);
    g_assert_cmpint(grantpt(master), ==, 0);
    g_assert_cmpint(unlockpt(master), ==, 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    g_assert_cmpint(slave, >=, 0);
    fflush(stdout);
    dup2(slave, 0);
    dup2(slave, 1);

    chr = chr_from("stdio,id=tty0,signal=off");
    g_assert_cmpint(tcgetattr(slave, &tio), ==, 0);
    g_assert_false(tio.c_lflag & (ICANON | ECHO | ISIG));
    g_assert_false(tio.c_iflag & ICRNL);
    g_assert_true(tio.c_oflag & OPOST);
    fe_attach(&fe, chr);
    write_full(master, "k\r", 2);           /* no line editing: at once */
    WAIT_FOR(rx_has(&fe, 2));
    g_assert_cmpmem(fe.rx->data, 2, "k\r", 2);
    qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"ok\n", 3);
    read_full(master, buf, 4);
    g_assert_cmpmem(buf, 4, "ok\r\n", 4);  /* output processing kept */

    /* after Ctrl-Z the shell puts its modes back; SIGCONT makes it raw */
    tio.c_lflag |= ICANON | ECHO;
    tcsetattr(slave, TCSANOW, &tio);
    raise(SIGCONT);
    g_assert_cmpint(tcgetattr(slave, &tio), ==, 0);
    g_assert_false(tio.c_lflag & (ICANON | ECHO));

    /* SIGTERM asks for a clean shutdown through the main loop */
    g_assert_cmpint(shutdown_requests, ==, 0);
    raise(SIGTERM);
    WAIT_FOR(shutdown_requests == 1);

    fe_detach(&fe);
    qemu_chr_delete(chr);
    g_assert_cmpint(tcgetattr(slave, &tio), ==, 0);
    g_assert_true(tio.c_lflag & ICANON);     /* restored */
    g_assert_true(tio.c_lflag & ECHO);

    dup2(saved0, 0);
    dup2(saved1, 1);
    close(saved0);
    close(saved1);
    close(slave);
    close(master);
}

static void test_errors(void)
{
    static const struct {
        const char *spec;
        const char *expect;
    } cases[] = {
        { "nosuch,id=e0", "unknown back end 'nosuch'" },
        { "null", "'id' is required" },
        { "id=e0", "back end type is missing" },
        { "null,id=0bad", "invalid id" },
        { "null,id=e0,color=red", "unknown option 'color'" },
        { "socket,id=e0,port=70000,server=on,wait=off", "bad port '70000'" },
        { "socket,id=e0,host=127.0.0.1,port=abc", "bad port 'abc'" },
        { "socket,id=e0,server=maybe", "server='maybe'" },
        { "socket,id=e0", "needs port=" },
        { "socket,id=e0,path=/x,port=3", "either path=" },
        { "socket,id=e0,path=/x,server=on,reconnect=2", "clients only" },
        { "file,id=e0", "path=FILE" },
        { "serial,id=e0,path=/dev/null", "not a terminal" },
        { "file,id=e0,path=/nonexistent-dir/x", "cannot open" },
        { "pipe,id=e0,path=/nonexistent-dir/p", "cannot open" },
        { "mux,id=e0,chardev=nope", "no chardev 'nope'" },
        { "socket,id=e0,host=127.0.0.1,port=1", "cannot connect" },
        { "null,id=e0,logfile=/nonexistent-dir/log", "log file" },
    };
    Chardev *dup = chr_from("null,id=dup");
    g_autofree char *msg = chr_error("null,id=dup");

    g_assert_nonnull(strstr(msg, "duplicate id 'dup'"));
    qemu_chr_delete(dup);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *m = chr_error(cases[i].spec);
        if (!strstr(m, cases[i].expect)) {
            g_error("'%s': got '%s', expected '%s'", cases[i].spec, m,
                    cases[i].expect);
        }
        g_assert_null(qemu_chr_find("e0"));
    }
}

static void test_in_use(void)
{
    Chardev *chr = chr_from("null,id=u0");
    CharBackend a = { 0 }, b = { 0 };
    Error *err = NULL;

    g_assert_true(qemu_chr_fe_init(&a, chr, &error_abort));
    g_assert_false(qemu_chr_fe_init(&b, chr, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "already in use"));
    error_free(err);
    qemu_chr_fe_deinit(&a, true);
    g_assert_null(qemu_chr_find("u0"));
}

static void collect_label(Chardev *chr, void *opaque)
{
    g_string_append_printf(opaque, "%s=%s;", chr->label, chr->filename);
}

static void test_foreach(void)
{
    g_autofree char *path = tmp_path("each");
    g_autofree char *spec = g_strdup_printf("mon:file:%s", path);
    g_autofree char *expect = g_strdup_printf("n1=null;m1-base=file:%s;"
                                              "m1=mux:m1-base;", path);
    Chardev *n = chr_from("null,id=n1");
    Chardev *m = qemu_chr_new("m1", spec, &error_abort);
    GString *out = g_string_new("");

    qemu_chr_foreach(collect_label, out);
    g_assert_cmpstr(out->str, ==, expect);
    g_string_free(out, TRUE);
    qemu_chr_delete(m);
    qemu_chr_delete(qemu_chr_find("m1-base"));
    qemu_chr_delete(n);
}

static void test_help(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    qemu_chr_list_help(f);
    fclose(f);
    for (const char *const *p = (const char *const[]){ "null", "stdio", "file",
             "pipe", "pty", "serial", "socket", "mux", NULL }; *p; p++) {
        g_assert_nonnull(strstr(buf, *p));
    }
    g_assert_null(strstr(buf, "chardev-fd"));
    free(buf);
}

static void remove_tmpdir(void)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);

    if (system(cmd) != 0) {
        g_printerr("could not remove %s\n", tmpdir);
    }
}

int main(int argc, char **argv)
{
    char *tmpl = g_build_filename(g_get_tmp_dir(), "test-char-XXXXXX", NULL);
    int ret;

    g_test_init(&argc, &argv, NULL);
    main_loop_init();
    tmpdir = g_mkdtemp(tmpl);
    g_assert_nonnull(tmpdir);
    atexit(remove_tmpdir);     /* also for the C-a x subprocess */

    g_test_add_func("/char/null", test_null);
    g_test_add_func("/char/file", test_file);
    g_test_add_func("/char/pipe", test_pipe);
    g_test_add_func("/char/pty", test_pty);
    g_test_add_func("/char/serial", test_serial);
    g_test_add_func("/char/socket/unix-server", test_socket_unix);
    g_test_add_func("/char/socket/tcp-server", test_socket_tcp);
    g_test_add_func("/char/socket/client-reconnect",
                    test_socket_client_reconnect);
    g_test_add_func("/char/socket/server-wait", test_socket_wait);
    g_test_add_func("/char/socket/nonblocking", test_socket_nonblocking);
    g_test_add_func("/char/socket/client-addrs", test_socket_client_addrs);
    g_test_add_func("/char/socket/ipv6", test_socket_ipv6);
    g_test_add_func("/char/socket/telnet", test_socket_telnet);
    g_test_add_func("/char/mux/keys-focus-buffering", test_mux);
    g_test_add_func("/char/mux/exit", test_mux_exit);
    g_test_add_func("/char/spec", test_spec);
    g_test_add_func("/char/stdio-once", test_stdio_once);
    g_test_add_func("/char/stdio-tty", test_stdio_tty);
    g_test_add_func("/char/errors", test_errors);
    g_test_add_func("/char/fe-in-use", test_in_use);
    g_test_add_func("/char/help", test_help);
    g_test_add_func("/char/foreach", test_foreach);
    ret = g_test_run();
    qemu_chr_cleanup_all();
    return ret;
}
