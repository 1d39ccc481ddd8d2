/*
 * The pc board's small devices and options: isa-debug-exit (exit status
 * (v << 1) | 1), isa-debugcon, port 0x92 (A20 bit sticks, bit 0 resets), the COM ports
 * the board creates from -serial, -bios sizes and the ROM alias at
 * 0xe0000, the firmware-less error, and -M pc,kernel-irqchip=.
 */
#include "libqtest.h"

#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Start turtle with a qtest socket, send the command lines, and return
 * the process's exit status (the commands make it exit by themselves).
 */
static int run_until_exit(const char *args, const char *const *cmds)
{
    g_autofree char *dir = g_dir_make_tmp("pc-misc-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "q.sock", NULL);
    g_autofree char *cmdline = g_strdup_printf(
        "%s -accel qtest -qtest unix:%s -display none -nodefaults %s",
        qtest_binary(), sock, args);
    g_auto(GStrv) argv = NULL;
    int lfd = qtest_socket_server(sock);
    GPid pid;
    int fd, status;

    g_assert_true(g_shell_parse_argv(cmdline, NULL, &argv, NULL));
    g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, NULL));
    fd = qtest_socket_accept(lfd);
    g_assert_cmpint(fd, >=, 0);
    for (int i = 0; cmds[i]; i++) {
        g_assert_cmpint(write(fd, cmds[i], strlen(cmds[i])), ==,
                        (ssize_t)strlen(cmds[i]));
    }
    for (int i = 0; i < 100; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            break;
        }
        g_usleep(50000);
        if (i == 99) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            g_assert_not_reached();
        }
    }
    close(fd);
    close(lfd);
    unlink(sock);
    rmdir(dir);
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_debug_exit(void)
{
    const char *const c1[] = { "outb 0x501 0x10\n", NULL };
    const char *const c2[] = { "outb 0xf4 0x23\n", NULL };
    const char *const c3[] = { "outl 0xf4 0x0\n", NULL };

    g_assert_cmpint(run_until_exit("-M pc -device isa-debug-exit", c1), ==,
                    0x21);
    /* the tests/kvm runner's setting */
    g_assert_cmpint(run_until_exit("-M pc -device isa-debug-exit,"
                                   "iobase=0xf4,iosize=0x04", c2), ==, 0x47);
    g_assert_cmpint(run_until_exit("-M pc -device isa-debug-exit,"
                                   "iobase=0xf4,iosize=0x04", c3), ==, 1);
}

static void test_debug_exit_bad(void)
{
    g_autofree char *err = NULL;
    int status = qtest_run(qtest_binary(), "-M pc -accel qtest -display none "
                           "-device isa-debug-exit,iosize=3", NULL, &err);

    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(err, "iosize"));
}

/* isa-debugcon: bytes to the chardev, reads answer the readback value */
static void test_debugcon(void)
{
    g_autofree char *dir = g_dir_make_tmp("pc-debugcon-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "dbg.log", NULL);
    g_autofree char *text = NULL;
    g_autofree char *err = NULL;
    QTestState *qts = qtest_initf("-M pc -chardev file,id=d,path=%s "
                                  "-device isa-debugcon,iobase=0x402,"
                                  "chardev=d -device isa-debugcon,"
                                  "readback=0x5a", log);
    size_t len;

    for (const char *p = "SeaBIOS\n"; *p; p++) {
        qtest_outb(qts, 0x402, *p);
    }
    g_assert_cmphex(qtest_inb(qts, 0x402), ==, 0xe9);
    /* the second one sits at the Bochs port 0xe9, without a back end */
    g_assert_cmphex(qtest_inb(qts, 0xe9), ==, 0x5a);
    qtest_outb(qts, 0xe9, 'x');
    qtest_quit(qts);
    g_assert_true(g_file_get_contents(log, &text, &len, NULL));
    g_assert_cmpstr(text, ==, "SeaBIOS\n");
    unlink(log);
    rmdir(dir);

    g_assert_cmpint(qtest_run(qtest_binary(), "-M pc -accel qtest -display "
                              "none -device isa-debugcon,readback=256", NULL,
                              &err), ==, 1);
    g_assert_nonnull(strstr(err, "readback"));
}

static void test_port92(void)
{
    QTestState *qts = qtest_init("-M pc");

    g_assert_cmphex(qtest_inb(qts, 0x92), ==, 0x00);
    qtest_outb(qts, 0x92, 0x02);
    g_assert_cmphex(qtest_inb(qts, 0x92), ==, 0x02);
    qtest_system_reset(qts);
    g_assert_cmphex(qtest_inb(qts, 0x92), ==, 0x00);
    qtest_quit(qts);
}

static void test_port92_reset(void)
{
    const char *const c[] = { "outb 0x92 0x01\n", NULL };

    /* bit 0 requests a reset; -no-reboot makes that an exit (status 0) */
    g_assert_cmpint(run_until_exit("-M pc -no-reboot", c), ==, 0);
}

static void test_serial_ports(void)
{
    QTestState *qts = qtest_init("-M pc -serial null -serial null");

    /* COM1 and COM2 answer (scratch register), COM3 does not */
    qtest_outb(qts, 0x3ff, 0x5a);
    g_assert_cmphex(qtest_inb(qts, 0x3ff), ==, 0x5a);
    qtest_outb(qts, 0x2ff, 0xa5);
    g_assert_cmphex(qtest_inb(qts, 0x2ff), ==, 0xa5);
    g_assert_cmphex(qtest_inb(qts, 0x3ef), ==, 0xff);
    qtest_quit(qts);
}

static char *write_bios(size_t size)
{
    g_autofree uint8_t *data = g_malloc(size);
    char *path;
    int fd = g_file_open_tmp("pc-bios-XXXXXX", &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    for (size_t i = 0; i < size; i++) {
        data[i] = (uint8_t)(i >> 12) ^ (uint8_t)i;
    }
    g_assert_cmpint(write(fd, data, size), ==, (ssize_t)size);
    close(fd);
    return path;
}

static void test_bios(void)
{
    g_autofree char *bios = write_bios(256 * 1024);
    QTestState *qts = qtest_initf("-M pc -bios %s", bios);
    size_t size = 256 * 1024;

    /* top of 4 GiB: the reset vector is the image's last 16 bytes */
    for (size_t off = 0; off < size; off += 0x7ff3) {
        uint8_t expect = (uint8_t)(off >> 12) ^ (uint8_t)off;
        g_assert_cmphex(qtest_readb(qts, 0x100000000ULL - size + off), ==,
                        expect);
    }
    /* the last 128 KiB also at 0xe0000 (PAM: PCI) */
    for (size_t off = 0; off < 128 * 1024; off += 0x1001) {
        size_t foff = size - 128 * 1024 + off;
        uint8_t expect = (uint8_t)(foff >> 12) ^ (uint8_t)foff;
        g_assert_cmphex(qtest_readb(qts, 0xe0000 + off), ==, expect);
    }
    /* ROM: writes are ignored */
    qtest_writeb(qts, 0xfffffff0, 0x00);
    g_assert_cmphex(qtest_readb(qts, 0xfffffff0), ==,
                    (uint8_t)((size - 16) >> 12) ^ (uint8_t)(size - 16));
    qtest_quit(qts);
    unlink(bios);
}

static void test_bios_bad_size(void)
{
    g_autofree char *bios = write_bios(100 * 1024);
    g_autofree char *args = g_strdup_printf("-M pc -accel qtest -display none "
                                            "-bios %s", bios);
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run(qtest_binary(), args, NULL, &err), ==, 1);
    g_assert_nonnull(strstr(err, "multiple of 64 KiB"));
    unlink(bios);
}

/* Without -bios/-kernel the board refuses to start (under a real
 * accelerator; qtest runs no CPU and needs no firmware).  Until an x86
 * accelerator exists the accelerator error comes first. */
static void test_no_firmware(void)
{
    g_autofree char *err = NULL;
    int status = qtest_run(qtest_binary(), "-M pc -display none -nodefaults",
                           NULL, &err);

    g_assert_cmpint(status, ==, 1);
    g_assert_true(strstr(err, "no PC BIOS is bundled") ||
                  strstr(err, "accelerator"));
}

static void test_kernel_irqchip(void)
{
    g_autofree char *err = NULL;
    QTestState *qts;

    qts = qtest_init("-M pc,kernel-irqchip=split");
    qtest_quit(qts);
    qts = qtest_init("-M pc,kernel_irqchip=off");
    qtest_quit(qts);
    g_assert_cmpint(qtest_run(qtest_binary(), "-M pc,kernel-irqchip=maybe "
                              "-accel qtest -display none", NULL, &err),
                    ==, 1);
    g_assert_nonnull(strstr(err, "kernel-irqchip"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pc/isa-debug-exit", test_debug_exit);
    g_test_add_func("/pc/isa-debug-exit-bad", test_debug_exit_bad);
    g_test_add_func("/pc/isa-debugcon", test_debugcon);
    g_test_add_func("/pc/port92", test_port92);
    g_test_add_func("/pc/port92-reset", test_port92_reset);
    g_test_add_func("/pc/serial-ports", test_serial_ports);
    g_test_add_func("/pc/bios", test_bios);
    g_test_add_func("/pc/bios-bad-size", test_bios_bad_size);
    g_test_add_func("/pc/no-firmware", test_no_firmware);
    g_test_add_func("/pc/kernel-irqchip", test_kernel_irqchip);
    return g_test_run();
}
