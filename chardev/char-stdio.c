/*
 * "stdio": guest input from stdin, output to stdout.
 * Options: signal=on|off (default on: Ctrl-C stops Turtle; off: Ctrl-C
 * goes to the guest).
 *
 * When stdin is a terminal it is put in raw mode (no echo, no line
 * editing, 8-bit clean, output post-processing kept so "\n" still starts a
 * new line) and restored on every way out: normal exit (atexit and the
 * exit notifier), turtle_exit(), SIGTERM/SIGINT/SIGHUP (which request a
 * clean shutdown; a second one restores the terminal and dies), and
 * crashes (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGQUIT restore, then die).
 * After Ctrl-Z and fg (SIGCONT) raw mode is set again.
 * Only one stdio back end can exist.
 *
 * Output never blocks the emulator: when standard output is a terminal or
 * a pipe it is opened again (/proc/self/fd/1) as a file description of
 * our own in non-blocking mode, so that the shell's, which it shares, is
 * left as it was; a socket is written with MSG_DONTWAIT; a regular file
 * never stalls.  A reader that stops reading makes the front ends wait
 * (a UART's FIFO stays full, the monitor keeps its output), nothing is
 * dropped.
 */
#include "turtle/osdep.h"
#include "chardev/char-internal.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "turtle/option.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>

static Chardev *stdio_chr;              /* the one instance */
static int stdio_out_fd = -1;           /* our own description of stdout */
static struct termios stdio_saved_tio;
static struct termios stdio_raw_tio;
static volatile sig_atomic_t stdio_tio_saved;
static volatile sig_atomic_t stdio_term_signals;
static int stdio_sig_pipe[2] = { -1, -1 };

void stdio_term_restore(void)
{
    if (stdio_tio_saved) {
        tcsetattr(0, TCSANOW, &stdio_saved_tio);
    }
}

static void stdio_atexit(void)
{
    stdio_term_restore();
}

/* SIGTERM, SIGINT, SIGHUP: ask the main loop for a clean shutdown. */
static void stdio_term_signal(int sig)
{
    int saved_errno = errno;
    char c = sig;

    if (stdio_term_signals++ > 0 || stdio_sig_pipe[1] < 0) {
        /* the first request was not acted on: give up the clean way */
        stdio_term_restore();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    if (write(stdio_sig_pipe[1], &c, 1) < 0) {
        /* nothing to do: the pipe is never full with one byte */
    }
    errno = saved_errno;
}

/* Back from Ctrl-Z: the shell restored its own modes; raw again. */
static void stdio_cont_signal(int sig)
{
    if (stdio_tio_saved) {
        tcsetattr(0, TCSANOW, &stdio_raw_tio);
    }
}

/* Crashes: put the terminal back, then let the default action happen. */
static void stdio_crash_signal(int sig)
{
    stdio_term_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void stdio_sig_pipe_read(void *opaque)
{
    char c;

    while (read(stdio_sig_pipe[0], &c, 1) == 1) {
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    }
}

/* Install a handler only where nobody else (main.c, ASan) has one. */
static void stdio_install_signal(int sig, void (*fn)(int))
{
    struct sigaction sa;

    if (sigaction(sig, NULL, &sa) < 0 || sa.sa_handler != SIG_DFL ||
        (sa.sa_flags & SA_SIGINFO)) {
        return;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void stdio_setup_signals(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    if (pipe2(stdio_sig_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        qemu_set_fd_handler(stdio_sig_pipe[0], stdio_sig_pipe_read, NULL, NULL);
        stdio_install_signal(SIGTERM, stdio_term_signal);
        stdio_install_signal(SIGINT, stdio_term_signal);
        stdio_install_signal(SIGHUP, stdio_term_signal);
    }
    stdio_install_signal(SIGCONT, stdio_cont_signal);
    stdio_install_signal(SIGSEGV, stdio_crash_signal);
    stdio_install_signal(SIGBUS, stdio_crash_signal);
    stdio_install_signal(SIGABRT, stdio_crash_signal);
    stdio_install_signal(SIGFPE, stdio_crash_signal);
    stdio_install_signal(SIGQUIT, stdio_crash_signal);
    atexit(stdio_atexit);
}

static void stdio_term_raw(bool allow_signals)
{
    struct termios tio;

    if (!isatty(0) || tcgetattr(0, &stdio_saved_tio) < 0) {
        return;
    }
    stdio_tio_saved = 1;
    tio = stdio_saved_tio;
    tio.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                     ICRNL | IXON);
    tio.c_oflag |= OPOST;
    tio.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!allow_signals) {
        tio.c_lflag &= ~ISIG;
    }
    tio.c_cflag &= ~(CSIZE | PARENB);
    tio.c_cflag |= CS8;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    stdio_raw_tio = tio;
    tcsetattr(0, TCSANOW, &tio);
}

static void stdio_in_closed(Chardev *chr)
{
    qemu_chr_be_event(chr, CHR_EVENT_CLOSED);
}

/* The fd to write standard output through without ever blocking. */
static int stdio_open_output(bool *is_socket)
{
    struct stat st;
    int fd;

    *is_socket = false;
    if (fstat(1, &st) < 0 || S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
        return 1;
    }
    if (S_ISSOCK(st.st_mode)) {
        *is_socket = true;
        return 1;
    }
    fd = open("/proc/self/fd/1", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return 1;       /* no /proc: blocking writes, as before */
    }
    stdio_out_fd = fd;
    return fd;
}

static bool stdio_chr_open(Chardev *chr, Opts *opts, bool *be_opened,
                           Error **errp)
{
    bool allow_signals = true;

    if (stdio_chr) {
        error_setg(errp, "chardev '%s': stdio is already used by chardev "
                   "'%s'; only one stdio back end is possible (share it "
                   "with mux=on or mon:stdio)", chr->label, stdio_chr->label);
        return false;
    }
    if (!opts_get_bool(opts, "signal", &allow_signals, errp)) {
        return false;
    }
    stdio_setup_signals();
    stdio_term_raw(allow_signals);
    stdio_chr = chr;
    chr->filename = g_strdup("stdio");
    /* a closed stdin (started with 0<&-) gives no input, not a busy loop */
    {
        bool is_socket;
        int out = stdio_open_output(&is_socket);
        fd_chr_attach(chr, fcntl(0, F_GETFL) < 0 ? -1 : 0, out, false);
        FD_CHARDEV(chr)->out_is_socket = is_socket;
    }
    /* end of input is the peer going away: serial ports ignore it, a
     * qtest driver on stdio uses it to end the run */
    FD_CHARDEV(chr)->in_closed = stdio_in_closed;
    return true;
}

static void stdio_chr_cleanup(Chardev *chr)
{
    fd_chr_detach(chr);
    if (stdio_out_fd >= 0) {
        close(stdio_out_fd);
        stdio_out_fd = -1;
    }
    if (stdio_chr == chr) {
        stdio_term_restore();
        stdio_tio_saved = 0;
        stdio_chr = NULL;
    }
}

static void stdio_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->backend_name = "stdio";
    cc->help = "standard input and output [,signal=on|off]";
    cc->open = stdio_chr_open;
    cc->chr_cleanup = stdio_chr_cleanup;
}

static const TypeInfo stdio_chr_types[] = {
    {
        .name = TYPE_CHARDEV_STDIO,
        .parent = TYPE_CHARDEV_FD,
        .instance_size = sizeof(FDChardev),
        .class_init = stdio_chr_class_init,
    },
};

DEFINE_TYPES(stdio_chr_types)
