/*
 * Loader fuzzing: valid kernel images (arm64 Image, gzip'ed Image, ELF64
 * and ELF32, Linux bzImage, multiboot a.out-kludge and ELF kernels, device
 * trees), synthesized here so that no cross compiler is needed, are
 * corrupted deterministically - truncated at many offsets, header fields
 * set to nonsense, sizes and addresses huge or wrapping, segments outside
 * the file or RAM, gzip streams cut short or inflating past RAM, initrds
 * bigger than RAM - and turtle is started with each.  Every run must either
 * start (exit 0 when the qtest connection, stdin here, closes) or exit with
 * status 1 and exactly one error line: never a signal, a sanitizer report
 * or a hang.
 *
 * Executables: $TURTLE_BINARIES (colon-separated), else $TURTLE_BINARY.
 */
#include "libqtest.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define MiB (1024 * 1024)

static char *tmpdir;

static const char *binary_for(const char *arch)
{
    static char *found[2];
    int idx = !strcmp(arch, "x86_64");
    const char *list = getenv("TURTLE_BINARIES");

    if (!found[idx]) {
        char **bins = g_strsplit(list ? list : qtest_binary(), ":", -1);

        for (char **b = bins; *b; b++) {
            if (g_str_has_suffix(*b, arch)) {
                found[idx] = g_strdup(*b);
            }
        }
        g_strfreev(bins);
    }
    return found[idx];
}

static char *write_tmp(const char *name, const void *data, size_t size)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    GError *err = NULL;

    if (!g_file_set_contents(path, data, size, &err)) {
        g_error("%s: %s", path, err->message);
    }
    return path;
}

/* A sparse file of SIZE bytes (zeros): cheap "bigger than RAM" input. */
static char *write_sparse(const char *name, off_t size)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, size), ==, 0);
    close(fd);
    return path;
}

static int runs;

/*
 * The qtest socket: turtle connects to it after the machine (and so the
 * kernel) is set up; a thread accepts and closes each connection, which
 * makes a turtle that started exit with status 0.
 */
static char *qtest_sock;
static int listen_fd = -1;
static volatile int stop_acceptor;

static gpointer acceptor(gpointer opaque)
{
    while (!stop_acceptor) {
        struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };

        if (poll(&pfd, 1, 100) == 1) {
            int fd = accept(listen_fd, NULL, NULL);

            if (fd >= 0) {
                close(fd);
            }
        }
    }
    return NULL;
}

/*
 * Run ARCH's executable with ARGS; it must start (0) or fail cleanly (1
 * and one line).  Returns the status.
 */
static int run_check(const char *arch, const char *what, const char *args)
{
    const char *bin = binary_for(arch);
    g_autofree char *full = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;
    size_t lines = 0;

    g_assert_nonnull(bin);
    full = g_strdup_printf("-accel qtest -qtest unix:%s -display none "
                           "-nodefaults %s", qtest_sock, args);
    status = qtest_run(bin, full, &out, &err);
    runs++;
    for (const char *p = err; *p; p++) {
        lines += *p == '\n';
    }
    if (err[0] && err[strlen(err) - 1] != '\n') {
        lines++;
    }
    if (strstr(err, "Sanitizer") || strstr(err, "runtime error") ||
        (status != 0 && status != 1) ||
        (status == 1 && lines != 1)) {
        g_test_message("%s: turtle %s\nstatus %d, stderr:\n%s", what, full,
                       status, err);
        g_test_fail();
    } else if (g_test_verbose()) {
        g_test_message("%s: status %d %s", what, status, err);
    }
    return status;
}

/* ------------------------------------------------------------------ */
/* builders */

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v);
    put32(p + 4, v >> 32);
}

/* arm64 Image: header + body, image_size and text_offset as given */
#define IMAGE_BODY (16 * 1024)

static GByteArray *arm64_image(uint64_t text_offset, uint64_t image_size)
{
    GByteArray *a = g_byte_array_new();

    g_byte_array_set_size(a, 64 + IMAGE_BODY);
    memset(a->data, 0, a->len);
    put32(a->data, 0x14000010);             /* b +0x40 */
    put64(a->data + 0x08, text_offset);
    put64(a->data + 0x10, image_size);
    put64(a->data + 0x18, 0xa);             /* LE, 4K pages, anywhere */
    memcpy(a->data + 0x38, "ARM\x64", 4);
    for (unsigned i = 64; i < a->len; i++) {
        a->data[i] = i * 7;
    }
    return a;
}

typedef struct Seg {
    uint32_t type;
    uint64_t offset, addr, filesz, memsz;
} Seg;

/* ELF executable: header, program headers, then 4 KiB of payload */
static GByteArray *elf_image(bool is64, uint16_t machine, uint64_t entry,
                             const Seg *seg, int nseg)
{
    GByteArray *a = g_byte_array_new();
    unsigned ehsize = is64 ? 64 : 52, phsize = is64 ? 56 : 32;
    uint8_t *d;

    g_byte_array_set_size(a, ehsize + nseg * phsize + 4096);
    d = a->data;
    memset(d, 0, a->len);
    memcpy(d, "\x7f" "ELF", 4);
    d[4] = is64 ? 2 : 1;
    d[5] = 1;
    d[6] = 1;
    put16(d + 16, 2);                       /* ET_EXEC */
    put16(d + 18, machine);
    put32(d + 20, 1);
    if (is64) {
        put64(d + 24, entry);
        put64(d + 32, ehsize);
        put16(d + 52, ehsize);
        put16(d + 54, phsize);
        put16(d + 56, nseg);
    } else {
        put32(d + 24, entry);
        put32(d + 28, ehsize);
        put16(d + 40, ehsize);
        put16(d + 42, phsize);
        put16(d + 44, nseg);
    }
    for (int i = 0; i < nseg; i++) {
        uint8_t *p = d + ehsize + i * phsize;

        if (is64) {
            put32(p, seg[i].type);
            put32(p + 4, 7);
            put64(p + 8, seg[i].offset);
            put64(p + 16, seg[i].addr);
            put64(p + 24, seg[i].addr);
            put64(p + 32, seg[i].filesz);
            put64(p + 40, seg[i].memsz);
        } else {
            put32(p, seg[i].type);
            put32(p + 4, seg[i].offset);
            put32(p + 8, seg[i].addr);
            put32(p + 12, seg[i].addr);
            put32(p + 16, seg[i].filesz);
            put32(p + 20, seg[i].memsz);
            put32(p + 24, 7);
        }
    }
    return a;
}

static GByteArray *gzip_bytes(const uint8_t *data, size_t len)
{
    GByteArray *a = g_byte_array_new();
    z_stream zs = { 0 };
    uint8_t buf[65536];
    int ret;

    g_assert_cmpint(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9,
                                 Z_DEFAULT_STRATEGY), ==, Z_OK);
    zs.next_in = (Bytef *)data;
    zs.avail_in = len;
    do {
        zs.next_out = buf;
        zs.avail_out = sizeof(buf);
        ret = deflate(&zs, Z_FINISH);
        g_byte_array_append(a, buf, sizeof(buf) - zs.avail_out);
    } while (ret == Z_OK);
    g_assert_cmpint(ret, ==, Z_STREAM_END);
    deflateEnd(&zs);
    return a;
}

/* gzip of SIZE zero bytes, built in chunks (a bomb: ~1000:1) */
static GByteArray *gzip_zeros(size_t size)
{
    GByteArray *a = g_byte_array_new();
    g_autofree uint8_t *zero = g_malloc0(MiB);
    z_stream zs = { 0 };
    uint8_t buf[65536];
    int ret = Z_OK;

    g_assert_cmpint(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9,
                                 Z_DEFAULT_STRATEGY), ==, Z_OK);
    for (size_t done = 0; done < size; done += MiB) {
        int flush = done + MiB >= size ? Z_FINISH : Z_NO_FLUSH;

        zs.next_in = zero;
        zs.avail_in = MiB;
        do {
            zs.next_out = buf;
            zs.avail_out = sizeof(buf);
            ret = deflate(&zs, flush);
            g_byte_array_append(a, buf, sizeof(buf) - zs.avail_out);
        } while (zs.avail_out == 0);
    }
    g_assert_cmpint(ret, ==, Z_STREAM_END);
    deflateEnd(&zs);
    return a;
}

/* Run with the image as -kernel (plus extra args). */
static int run_kernel(const char *arch, const char *what, const uint8_t *d,
                      size_t len, const char *extra)
{
    g_autofree char *path = write_tmp("kernel", d, len);
    g_autofree char *args = g_strdup_printf("-M %s -m 64M -kernel %s %s",
                                            !strcmp(arch, "x86_64") ? "pc"
                                                                    : "virt",
                                            path, extra ? extra : "");

    return run_check(arch, what, args);
}

/* Truncations at the given offsets (and the given fraction points). */
static void run_truncated(const char *arch, const char *what,
                          const GByteArray *a, const size_t *offs, int n,
                          const char *extra)
{
    for (int i = 0; i < n; i++) {
        g_autofree char *w = g_strdup_printf("%s truncated at %zu", what,
                                             offs[i]);

        if (offs[i] < a->len) {
            run_kernel(arch, w, a->data, offs[i], extra);
        }
    }
    for (int i = 1; i < 4; i++) {
        g_autofree char *w = g_strdup_printf("%s truncated at %u/4", what, i);

        run_kernel(arch, w, a->data, a->len * i / 4, extra);
    }
}

/* ------------------------------------------------------------------ */
/* arm64 Image */

static void test_arm64_image(void)
{
    static const struct {
        const char *what;
        uint64_t text_offset, image_size;
    } hdr[] = {
        { "valid", 0, 1 * MiB },
        { "old (image_size 0)", 0x1234, 0 },
        { "huge image_size", 0, ~0ULL },
        { "image_size = RAM", 0, 64 * MiB },
        { "image_size past RAM", 0, 64 * MiB + 1 },
        { "huge text_offset", ~0ULL - 0xfff, 1 * MiB },
        { "text_offset = RAM", 64 * MiB, 1 * MiB },
        { "text_offset near RAM end", 64 * MiB - 0x1000, 0x1000 },
        { "text_offset unaligned", 0x7, 1 * MiB },
        { "both huge (wrap)", 1ULL << 63, 1ULL << 63 },
    };
    static const size_t offs[] = { 0, 1, 2, 3, 0x37, 0x38, 0x3b, 0x3c, 0x3f };
    GByteArray *a;

    for (size_t i = 0; i < G_N_ELEMENTS(hdr); i++) {
        int st;

        a = arm64_image(hdr[i].text_offset, hdr[i].image_size);
        st = run_kernel("aarch64", hdr[i].what, a->data, a->len, NULL);
        if (i == 0) {
            g_assert_cmpint(st, ==, 0);
        }
        g_byte_array_unref(a);
    }
    a = arm64_image(0, 1 * MiB);
    run_truncated("aarch64", "Image", a, offs, G_N_ELEMENTS(offs), NULL);

    /* EFI stub: "MZ", PE header at 0x3c, section table nonsense */
    {
        static const struct {
            const char *what;
            uint32_t pe, nsec, opt, raw_size, raw_ptr;
        } pe[] = {
            { "PE valid", 0x40, 1, 0, 0x1000, 0x40 },
            { "PE offset huge", 0xfffffff0, 1, 0, 0, 0 },
            { "PE offset at end", 64 + IMAGE_BODY - 4, 1, 0, 0, 0 },
            { "PE nsec huge", 0x40, 0xffff, 0, 0x10, 0x10 },
            { "PE opt size huge", 0x40, 1, 0xffff, 0x10, 0x10 },
            { "PE section huge", 0x40, 1, 0, 0xffffffff, 0xffffffff },
            { "PE section past file", 0x40, 1, 0, 0x100, 64 + IMAGE_BODY },
        };

        for (size_t i = 0; i < G_N_ELEMENTS(pe); i++) {
            a = arm64_image(0, 1 * MiB);
            a->data[0] = 'M';
            a->data[1] = 'Z';
            put32(a->data + 0x3c, pe[i].pe);
            if ((uint64_t)pe[i].pe + 24 + 0x100 + 40 < a->len) {
                uint8_t *p = a->data + pe[i].pe;
                uint8_t *s = p + 24 + (pe[i].opt < 0x100 ? pe[i].opt : 0);

                memcpy(p, "PE\0\0", 4);
                put16(p + 6, pe[i].nsec);
                put16(p + 20, pe[i].opt);
                put32(s + 16, pe[i].raw_size);
                put32(s + 20, pe[i].raw_ptr);
            }
            run_kernel("aarch64", pe[i].what, a->data, a->len, NULL);
            g_byte_array_unref(a);
        }
    }
}

static void test_arm64_gzip(void)
{
    GByteArray *img = arm64_image(0, 1 * MiB);
    GByteArray *gz = gzip_bytes(img->data, img->len);
    static const size_t offs[] = { 1, 2, 10, 11, 20 };
    int st;

    st = run_kernel("aarch64", "gzip valid", gz->data, gz->len, NULL);
    g_assert_cmpint(st, ==, 0);
    run_truncated("aarch64", "gzip", gz, offs, G_N_ELEMENTS(offs), NULL);
    /* corrupt the deflate stream and the trailer */
    for (int i = 0; i < 6; i++) {
        GByteArray *c = g_byte_array_new();
        size_t at = i < 5 ? 10 + i * (gz->len - 20) / 5 : gz->len - 6;
        g_autofree char *w = g_strdup_printf("gzip byte %zu flipped", at);

        g_byte_array_append(c, gz->data, gz->len);
        c->data[at] ^= 0x5a;
        run_kernel("aarch64", w, c->data, c->len, NULL);
        g_byte_array_unref(c);
    }
    g_byte_array_unref(gz);

    /* a gzip'ed file that is not an Image */
    gz = gzip_bytes((const uint8_t *)"hello, world\n", 13);
    st = run_kernel("aarch64", "gzip of text", gz->data, gz->len, NULL);
    g_assert_cmpint(st, ==, 1);
    g_byte_array_unref(gz);

    /* bomb: 200 MiB of zeros in ~200 KiB, more than the 64 MiB of RAM */
    gz = gzip_zeros(200 * MiB);
    st = run_kernel("aarch64", "gzip bomb", gz->data, gz->len, NULL);
    g_assert_cmpint(st, ==, 1);
    g_byte_array_unref(gz);

    /* an Image whose inflated size is exactly RAM */
    {
        GByteArray *big = g_byte_array_sized_new(64 * MiB);

        g_byte_array_set_size(big, 64 * MiB);
        memset(big->data, 0, big->len);
        memcpy(big->data, img->data, 64);
        gz = gzip_bytes(big->data, big->len);
        run_kernel("aarch64", "gzip Image = RAM", gz->data, gz->len, NULL);
        g_byte_array_unref(gz);
        g_byte_array_unref(big);
    }
    g_byte_array_unref(img);
}

/* ------------------------------------------------------------------ */
/* ELF on virt */

#define EM_386     3
#define EM_X86_64  62
#define EM_AARCH64 183
#define VIRT_RAM   0x40000000ULL

static void test_arm64_elf(void)
{
    const uint64_t R = VIRT_RAM;
    static const size_t offs[] = { 0, 4, 16, 51, 52, 63, 64, 100, 119, 120 };
    struct {
        const char *what;
        bool is64;
        uint16_t machine;
        uint64_t entry;
        Seg seg[3];
        int nseg;
    } c[] = {
        { "valid", true, EM_AARCH64, R, { { 1, 0, R, 0x1000, 0x2000 } }, 1 },
        { "valid ELF32", false, EM_AARCH64, R,
          { { 1, 0, R, 0x100, 0x100 } }, 1 },
        { "x86-64 machine", true, EM_X86_64, R,
          { { 1, 0, R, 0x100, 0x100 } }, 1 },
        { "segment past the file", true, EM_AARCH64, R,
          { { 1, 0x100, R, 0x100000, 0x100000 } }, 1 },
        { "offset huge", true, EM_AARCH64, R,
          { { 1, ~0ULL - 0x10, R, 0x100, 0x100 } }, 1 },
        { "filesz > memsz", true, EM_AARCH64, R,
          { { 1, 0, R, 0x1000, 0x10 } }, 1 },
        { "memsz huge", true, EM_AARCH64, R,
          { { 1, 0, R, 0x10, ~0ULL } }, 1 },
        { "memsz past RAM", true, EM_AARCH64, R,
          { { 1, 0, R, 0x10, 64 * MiB + 1 } }, 1 },
        { "memsz = RAM", true, EM_AARCH64, R,
          { { 1, 0, R, 0x10, 64 * MiB } }, 1 },
        { "below RAM (flash)", true, EM_AARCH64, 0,
          { { 1, 0, 0, 0x100, 0x100 } }, 1 },
        { "over MMIO", true, EM_AARCH64, R,
          { { 1, 0, 0x09000000, 0x100, 0x100 } }, 1 },
        { "at the top of the address space", true, EM_AARCH64, R,
          { { 1, 0, ~0ULL - 0xff, 0x100, 0x100 } }, 1 },
        { "wraps", true, EM_AARCH64, R,
          { { 1, 0, ~0ULL - 0xf, 0x10, 0x100 } }, 1 },
        { "overlapping", true, EM_AARCH64, R,
          { { 1, 0, R, 0x1000, 0x1000 }, { 1, 0x10, R + 0x800, 0x800, 0x1000 },
            { 1, 0, R, 0x100, 0x10000 } }, 3 },
        { "no PT_LOAD", true, EM_AARCH64, R,
          { { 6, 0, R, 0x100, 0x100 } }, 1 },
        { "entry outside RAM", true, EM_AARCH64, ~0ULL,
          { { 1, 0, R, 0x100, 0x100 } }, 1 },
        { "ELF32 top", false, EM_AARCH64, R,
          { { 1, 0, 0xffffff00, 0x100, 0x200 } }, 1 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
        GByteArray *a = elf_image(c[i].is64, c[i].machine, c[i].entry,
                                  c[i].seg, c[i].nseg);
        int st = run_kernel("aarch64", c[i].what, a->data, a->len, NULL);

        if (i == 0) {
            g_assert_cmpint(st, ==, 0);
        }
        if (!strcmp(c[i].what, "over MMIO")) {
            /* regression: was "loaded" into the PL011's registers */
            g_assert_cmpint(st, ==, 1);
        }
        g_byte_array_unref(a);
    }

    /* header fields: phnum, phoff, phentsize, class, data, type */
    {
        static const struct {
            const char *what;
            unsigned off, size;
            uint64_t val;
        } f[] = {
            { "e_phnum 65535", 56, 2, 0xffff },
            { "e_phnum 0", 56, 2, 0 },
            { "e_phoff huge", 32, 8, ~0ULL - 8 },
            { "e_phoff past the file", 32, 8, 0x100000 },
            { "e_phoff wraps with phnum", 32, 8, ~0ULL - 55 },
            { "e_phentsize 0", 54, 2, 0 },
            { "e_phentsize 65535", 54, 2, 0xffff },
            { "class 3", 4, 1, 3 },
            { "big-endian", 5, 1, 2 },
            { "type REL", 16, 2, 1 },
            { "type 0xffff", 16, 2, 0xffff },
        };
        Seg s = { 1, 0, VIRT_RAM, 0x100, 0x100 };

        for (size_t i = 0; i < G_N_ELEMENTS(f); i++) {
            GByteArray *a = elf_image(true, EM_AARCH64, VIRT_RAM, &s, 1);

            for (unsigned b = 0; b < f[i].size; b++) {
                a->data[f[i].off + b] = f[i].val >> (8 * b);
            }
            run_kernel("aarch64", f[i].what, a->data, a->len, NULL);
            g_byte_array_unref(a);
        }
        /* many program headers, all loadable and overlapping */
        {
            Seg *many = g_new(Seg, 2000);
            GByteArray *a;

            for (int i = 0; i < 2000; i++) {
                many[i] = (Seg) { 1, 0, VIRT_RAM + i * 8, 0x100, 0x1000 };
            }
            a = elf_image(true, EM_AARCH64, VIRT_RAM, many, 2000);
            run_kernel("aarch64", "2000 segments", a->data, a->len, NULL);
            g_byte_array_unref(a);
            g_free(many);
        }
        /* regression: 65535 x the whole RAM was 4 TiB of stores (a hang) */
        {
            Seg *many = g_new(Seg, 65535);
            GByteArray *a;
            int st;

            for (int i = 0; i < 65535; i++) {
                many[i] = (Seg) { 1, 0, VIRT_RAM, 0, 64 * MiB };
            }
            a = elf_image(true, EM_AARCH64, VIRT_RAM, many, 65535);
            st = run_kernel("aarch64", "65535 segments over all RAM", a->data,
                            a->len, NULL);
            g_assert_cmpint(st, ==, 1);
            g_byte_array_unref(a);
            g_free(many);
        }
        {
            GByteArray *a = elf_image(true, EM_AARCH64, VIRT_RAM, &s, 1);

            run_truncated("aarch64", "ELF", a, offs, G_N_ELEMENTS(offs),
                          NULL);
            g_byte_array_unref(a);
        }
    }
}

/* ------------------------------------------------------------------ */
/* initrd and -dtb on virt */

static void test_arm64_initrd_dtb(void)
{
    GByteArray *img = arm64_image(0, 1 * MiB);
    g_autofree char *kernel = write_tmp("image", img->data, img->len);
    g_autofree char *big = write_sparse("initrd-big", 80 * MiB);
    g_autofree char *fits = write_sparse("initrd-fits", 62 * MiB);
    g_autofree char *dtb = g_build_filename(tmpdir, "virt.dtb", NULL);
    g_autofree char *args = NULL;
    g_autofree char *data = NULL;
    gsize dlen;
    int st;

    args = g_strdup_printf("-M virt -m 64M -kernel %s -initrd %s", kernel,
                           big);
    st = run_check("aarch64", "initrd bigger than RAM", args);
    g_assert_cmpint(st, ==, 1);
    g_free(args);
    args = g_strdup_printf("-M virt -m 64M -kernel %s -initrd %s", kernel,
                           fits);
    run_check("aarch64", "initrd fills RAM (no room for the DTB)", args);
    g_free(args);

    /* a valid tree to corrupt */
    args = g_strdup_printf("-M virt,dumpdtb=%s -m 64M", dtb);
    st = run_check("aarch64", "dumpdtb", args);
    g_assert_cmpint(st, ==, 0);
    g_assert_true(g_file_get_contents(dtb, &data, &dlen, NULL));
    g_assert_cmpint(dlen, >, 40);

    {
        static const struct {
            const char *what;
            unsigned off;
            uint32_t val;          /* big-endian header field */
        } f[] = {
            { "totalsize huge", 4, 0xfffffff0 },
            { "totalsize 0", 4, 0 },
            { "totalsize 41", 4, 41 },
            { "off_dt_struct huge", 8, 0xfffffff0 },
            { "off_dt_struct past end", 8, 0x10000 },
            { "off_dt_strings huge", 12, 0xfffffff0 },
            { "off_mem_rsvmap huge", 16, 0xfffffff0 },
            { "off_mem_rsvmap unaligned", 16, 0x29 },
            { "version 1", 20, 1 },
            { "version huge", 20, 0xffffffff },
            { "last_comp_version huge", 24, 0xffffffff },
            { "size_dt_strings huge", 32, 0xfffffff0 },
            { "size_dt_struct huge", 36, 0xfffffff0 },
            { "size_dt_struct 0", 36, 0 },
            { "magic", 0, 0xdeadbeef },
        };
        static const size_t offs[] = { 0, 1, 39, 40, 41, 100 };

        for (size_t i = 0; i < G_N_ELEMENTS(f); i++) {
            g_autofree char *c = g_memdup2(data, dlen);
            g_autofree char *path = NULL;

            c[f[i].off] = f[i].val >> 24;
            c[f[i].off + 1] = f[i].val >> 16;
            c[f[i].off + 2] = f[i].val >> 8;
            c[f[i].off + 3] = f[i].val;
            path = write_tmp("bad.dtb", c, dlen);
            g_free(args);
            args = g_strdup_printf("-M virt -m 64M -kernel %s -dtb %s "
                                   "-append console=ttyAMA0", kernel, path);
            run_check("aarch64", f[i].what, args);
        }
        for (size_t i = 0; i < G_N_ELEMENTS(offs) + 2; i++) {
            size_t at = i < G_N_ELEMENTS(offs) ? offs[i]
                      : i == G_N_ELEMENTS(offs) ? dlen / 2 : dlen - 1;
            g_autofree char *path = write_tmp("short.dtb", data, at);
            g_autofree char *w = g_strdup_printf("DTB truncated at %zu", at);

            g_free(args);
            args = g_strdup_printf("-M virt -m 64M -kernel %s -dtb %s", kernel,
                                   path);
            run_check("aarch64", w, args);
        }
        /* bytes flipped through the structure and strings blocks */
        for (int i = 0; i < 14; i++) {
            g_autofree char *c = g_memdup2(data, dlen);
            g_autofree char *path = NULL;
            g_autofree char *w = NULL;
            size_t at = 40 + (size_t)i * 7919 % (dlen - 40);

            c[at] ^= 1u << (i % 8) | 0x80;
            c[(at * 31) % dlen < 40 ? at : (at * 31) % dlen] = 0xff;
            w = g_strdup_printf("DTB byte %zu corrupted", at);
            path = write_tmp("flip.dtb", c, dlen);
            g_free(args);
            args = g_strdup_printf("-M virt -m 64M -kernel %s -dtb %s "
                                   "-initrd %s -append root=/dev/vda", kernel,
                                   path, kernel);
            run_check("aarch64", w, args);
        }
        /* garbage and bigger than the 2 MiB limit */
        {
            g_autofree char *garbage = g_malloc(4096);
            g_autofree char *p1 = NULL;
            g_autofree char *p2 = write_sparse("huge.dtb", 3 * MiB);

            for (int i = 0; i < 4096; i++) {
                garbage[i] = i * 131 + 17;
            }
            memcpy(garbage, "\xd0\x0d\xfe\xed", 4);
            p1 = write_tmp("garbage.dtb", garbage, 4096);
            g_free(args);
            args = g_strdup_printf("-M virt -m 64M -kernel %s -dtb %s",
                                   kernel, p1);
            run_check("aarch64", "DTB garbage", args);
            g_free(args);
            args = g_strdup_printf("-M virt -m 64M -kernel %s -dtb %s",
                                   kernel, p2);
            run_check("aarch64", "DTB 3 MiB", args);
        }
    }
    g_byte_array_unref(img);
}

/* ------------------------------------------------------------------ */
/* bzImage on pc */

#define BZ_SECTS 4
#define BZ_KERNEL (64 * 1024)

static GByteArray *bzimage(void)
{
    GByteArray *a = g_byte_array_new();
    uint8_t *d;

    g_byte_array_set_size(a, (BZ_SECTS + 1) * 512 + BZ_KERNEL);
    d = a->data;
    memset(d, 0, a->len);
    d[0x1f1] = BZ_SECTS;
    put32(d + 0x1f4, BZ_KERNEL / 16);        /* syssize */
    put16(d + 0x1fe, 0xaa55);
    d[0x200] = 0xeb;
    d[0x201] = 0x66;                         /* header ends at 0x268 */
    memcpy(d + 0x202, "HdrS", 4);
    put16(d + 0x206, 0x20f);
    d[0x211] = 0x01;                         /* LOADED_HIGH */
    put32(d + 0x214, 0x100000);
    put32(d + 0x22c, 0x7fffffff);            /* initrd_addr_max */
    put32(d + 0x230, 0x200000);
    d[0x234] = 1;                            /* relocatable */
    put16(d + 0x236, 0x1);                   /* XLF_KERNEL_64 */
    put32(d + 0x238, 2048);                  /* cmdline_size */
    put64(d + 0x258, 0x1000000);             /* pref_address */
    put32(d + 0x260, 0x200000);              /* init_size */
    for (unsigned i = (BZ_SECTS + 1) * 512; i < a->len; i++) {
        d[i] = i * 13;
    }
    return a;
}

static void test_bzimage(void)
{
    static const struct {
        const char *what;
        unsigned off, size;
        uint64_t val;
    } f[] = {
        { "setup_sects 0", 0x1f1, 1, 0 },
        { "setup_sects 255", 0x1f1, 1, 255 },
        { "syssize huge", 0x1f4, 4, 0xffffffff },
        { "syssize 0", 0x1f4, 4, 0 },
        { "version 2.00", 0x206, 2, 0x200 },
        { "version 2.03", 0x206, 2, 0x203 },
        { "version 2.0a", 0x206, 2, 0x20a },
        { "version 0xffff", 0x206, 2, 0xffff },
        { "zImage", 0x211, 1, 0 },
        { "jump offset 0xff", 0x201, 1, 0xff },
        { "cmdline_size 0", 0x238, 4, 0 },
        { "cmdline_size huge", 0x238, 4, 0xffffffff },
        { "initrd_addr_max 0", 0x22c, 4, 0 },
        { "initrd_addr_max 4095", 0x22c, 4, 4095 },
        { "initrd_addr_max huge", 0x22c, 4, 0xffffffff },
        { "init_size huge", 0x260, 4, 0xffffffff },
        { "init_size = RAM", 0x260, 4, 63 * MiB },
        { "pref_address huge", 0x258, 8, 0xfffffffffff00000ULL },
        { "pref_address wraps", 0x258, 8, ~0ULL - 0x1000 },
        { "pref_address 0", 0x258, 8, 0 },
        { "pref_address at RAM end", 0x258, 8, 64 * MiB - 0x1000 },
        { "not relocatable, 32-bit", 0x234, 3, 0 },
        { "code32_start 0", 0x214, 4, 0 },
    };
    static const size_t offs[] = { 0x100, 0x205, 0x206, 0x3ff, 0x400, 0x401,
                                   0x9ff, 0xa00, 0xa01, 0xa10 };
    g_autofree char *initrd = write_sparse("bz-initrd", 1 * MiB);
    g_autofree char *initrd_big = write_sparse("bz-initrd-big", 80 * MiB);
    g_autofree char *initrd_ram = write_sparse("bz-initrd-ram", 60 * MiB);
    g_autofree char *with_initrd = g_strdup_printf("-initrd %s -append "
                                                   "console=ttyS0", initrd);
    g_autofree char *with_big = g_strdup_printf("-initrd %s", initrd_big);
    g_autofree char *with_ram = g_strdup_printf("-initrd %s", initrd_ram);
    g_autofree char *long_append = NULL;
    GByteArray *a = bzimage();
    int st;

    st = run_kernel("x86_64", "bzImage valid", a->data, a->len, with_initrd);
    g_assert_cmpint(st, ==, 0);
    st = run_kernel("x86_64", "bzImage initrd > RAM", a->data, a->len,
                    with_big);
    g_assert_cmpint(st, ==, 1);
    run_kernel("x86_64", "bzImage initrd ~ RAM", a->data, a->len, with_ram);
    {
        char *s = g_malloc(5000);

        memset(s, 'x', 4999);
        s[4999] = 0;
        long_append = g_strdup_printf("-append %s", s);
        g_free(s);
    }
    st = run_kernel("x86_64", "bzImage command line too long", a->data,
                    a->len, long_append);
    g_assert_cmpint(st, ==, 1);
    run_truncated("x86_64", "bzImage", a, offs, G_N_ELEMENTS(offs), NULL);
    g_byte_array_unref(a);

    for (size_t i = 0; i < G_N_ELEMENTS(f); i++) {
        a = bzimage();
        for (unsigned b = 0; b < f[i].size; b++) {
            a->data[f[i].off + b] = f[i].val >> (8 * b);
        }
        st = run_kernel("x86_64", f[i].what, a->data, a->len, with_initrd);
        if (g_str_has_prefix(f[i].what, "pref_address")) {
            /* regression: a wrapping preference must be ignored */
            g_assert_cmpint(st, ==, 0);
        }
        g_byte_array_unref(a);
    }
    /* with firmware: the kernel goes to fw_cfg only */
    a = bzimage();
    a->data[0x1f1] = 255;
    g_byte_array_set_size(a, 256 * 512 + 16);
    run_kernel("x86_64", "bzImage 255 setup sectors", a->data, a->len, NULL);
    g_byte_array_unref(a);
}

/* ------------------------------------------------------------------ */
/* multiboot on pc */

#define MB_MAGIC 0x1badb002

static GByteArray *mb_aout(size_t hdr_off, uint32_t flags, uint32_t header,
                           uint32_t load, uint32_t load_end, uint32_t bss_end,
                           uint32_t entry)
{
    GByteArray *a = g_byte_array_new();
    uint8_t *d;

    g_byte_array_set_size(a, MAX(hdr_off + 32, 8192));
    d = a->data;
    memset(d, 0x90, a->len);
    put32(d + hdr_off, MB_MAGIC);
    put32(d + hdr_off + 4, flags);
    put32(d + hdr_off + 8, -(MB_MAGIC + flags));
    put32(d + hdr_off + 12, header);
    put32(d + hdr_off + 16, load);
    put32(d + hdr_off + 20, load_end);
    put32(d + hdr_off + 24, bss_end);
    put32(d + hdr_off + 28, entry);
    return a;
}

static void test_multiboot(void)
{
    const uint32_t K = 0x100000, AOUT = 0x10003;
    static const struct {
        const char *what;
        size_t off;
        uint32_t flags, header, load, load_end, bss_end, entry;
    } c[] = {
        { "a.out valid", 0, 0x10003, 0x100000, 0x100000, 0, 0x110000,
          0x100020 },
        { "a.out load below 1M", 0, 0x10003, 0x1000, 0x1000, 0, 0, 0x1000 },
        { "a.out load at 0", 0, 0x10003, 0, 0, 0, 0, 0 },
        { "a.out header < load", 0, 0x10003, 0xfffff, 0x100000, 0, 0, 0 },
        { "a.out header - load > off", 0, 0x10003, 0x200000, 0x100000, 0, 0,
          0 },
        { "a.out load_end < load", 0, 0x10003, 0x100000, 0x100000, 0xfffff,
          0, 0 },
        { "a.out load_end huge", 0, 0x10003, 0x100000, 0x100000, 0xffffffff,
          0, 0 },
        { "a.out load_end past RAM", 0, 0x10003, 0x100000, 0x100000,
          0x5000000, 0, 0 },
        { "a.out bss_end < load_end", 0, 0x10003, 0x100000, 0x100000,
          0x101000, 0x100800, 0 },
        { "a.out bss_end huge", 0, 0x10003, 0x100000, 0x100000, 0,
          0xffffffff, 0 },
        { "a.out bss_end past RAM", 0, 0x10003, 0x100000, 0x100000, 0,
          0x4000001, 0 },
        { "a.out load near 4G", 0, 0x10003, 0xfffff000, 0xfffff000, 0, 0, 0 },
        { "a.out in the MMIO hole", 0, 0x10003, 0xfec00000, 0xfec00000, 0,
          0xfee01000, 0 },
        { "a.out header at 8160", 8160, 0x10003, 0x100000 + 8160, 0x100000,
          0, 0, 0 },
        { "a.out header at 8180 (truncated)", 8180, 0x10003,
          0x100000 + 8180, 0x100000, 0, 0, 0 },
        { "unsupported flags", 0, 0x1000b, 0x100000, 0x100000, 0, 0, 0 },
        { "video mode flag", 0, 0x10007, 0x100000, 0x100000, 0, 0, 0 },
        { "not ELF, not a.out", 0, 0x3, 0x100000, 0x100000, 0, 0, 0 },
        { "entry anywhere", 0, 0x10003, 0x100000, 0x100000, 0, 0,
          0xffffffff },
    };
    GByteArray *a;
    int st;

    for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
        a = mb_aout(c[i].off, c[i].flags, c[i].header, c[i].load,
                    c[i].load_end, c[i].bss_end, c[i].entry);
        if (c[i].off == 8180) {
            g_byte_array_set_size(a, 8192);
        }
        st = run_kernel("x86_64", c[i].what, a->data, a->len, NULL);
        if (i == 0) {
            g_assert_cmpint(st, ==, 0);
        }
        g_byte_array_unref(a);
    }

    /* modules */
    {
        g_autofree char *m1 = write_sparse("mod1", 4096);
        g_autofree char *mbig = write_sparse("modbig", 80 * MiB);
        g_autofree char *mram = write_sparse("modram", 62 * MiB);
        char *mods[] = {
            g_strdup_printf("-initrd '%s arg1 arg2,%s'", m1, m1),
            g_strdup_printf("-initrd '%s,%s'", m1, mbig),
            g_strdup_printf("-initrd '%s,%s'", mram, m1),
            g_strdup_printf("-initrd ','"),
            g_strdup_printf("-initrd '%s,,%s'", m1, m1),
            g_strdup_printf("-initrd ' '"),
        };

        a = mb_aout(0, AOUT, K, K, 0, 0x110000, K + 32);
        for (size_t i = 0; i < G_N_ELEMENTS(mods); i++) {
            g_autofree char *w = g_strdup_printf("multiboot modules %zu", i);

            st = run_kernel("x86_64", w, a->data, a->len, mods[i]);
            if (i == 0) {
                g_assert_cmpint(st, ==, 0);
            }
            g_free(mods[i]);
        }
        g_byte_array_unref(a);
    }

    /* ELF32 multiboot kernels */
    {
        static const struct {
            const char *what;
            bool is64;
            Seg seg;
        } e[] = {
            { "mb ELF valid", false, { 1, 0, 0x100000, 0x1000, 0x2000 } },
            { "mb ELF below 1M", false, { 1, 0, 0x1000, 0x100, 0x100 } },
            { "mb ELF over the top of RAM", false,
              { 1, 0, 0x3fff000, 0x100, 0x2000 } },
            { "mb ELF memsz huge", false,
              { 1, 0, 0x100000, 0x100, 0xffffffff } },
            { "mb ELF at 4G-", false, { 1, 0, 0xffffff00, 0x10, 0x100 } },
            { "mb ELF64", true, { 1, 0, 0x100000, 0x100, 0x100 } },
        };

        for (size_t i = 0; i < G_N_ELEMENTS(e); i++) {
            a = elf_image(e[i].is64, e[i].is64 ? EM_X86_64 : EM_386, 0x100000,
                          &e[i].seg, 1);
            /* the multiboot header after the program headers */
            put32(a->data + 0x100, MB_MAGIC);
            put32(a->data + 0x104, 3);
            put32(a->data + 0x108, -(MB_MAGIC + 3));
            st = run_kernel("x86_64", e[i].what, a->data, a->len, NULL);
            if (i == 0) {
                g_assert_cmpint(st, ==, 0);
            }
            g_byte_array_unref(a);
        }
    }
}

/*
 * Random header mutations (fixed seed): a few bytes of the first 1 KiB
 * of each valid image set to random or boundary values.
 */
static void run_mutations(const char *arch, const char *what,
                          const GByteArray *valid, unsigned hdr_len,
                          int count, uint32_t seed, const char *extra)
{
    static const uint8_t special[] = { 0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe };

    for (int i = 0; i < count; i++) {
        GByteArray *a = g_byte_array_new();
        g_autofree char *w = g_strdup_printf("%s mutation %d", what, i);
        int nflips = 1 + (seed >> 8) % 8;

        g_byte_array_append(a, valid->data, valid->len);
        for (int j = 0; j < nflips; j++) {
            unsigned at;

            seed = seed * 1103515245 + 12345;
            at = (seed >> 8) % MIN(hdr_len, a->len);
            seed = seed * 1103515245 + 12345;
            a->data[at] = (seed >> 24) & 1 ? special[(seed >> 8) % 6]
                                          : (seed >> 16);
        }
        run_kernel(arch, w, a->data, a->len, extra);
        g_byte_array_unref(a);
    }
}

static void test_mutations(void)
{
    GByteArray *a;
    Seg s[2] = { { 1, 0, VIRT_RAM, 0x1000, 0x2000 },
                 { 1, 0x100, VIRT_RAM + 0x4000, 0x100, 0x1000 } };
    Seg m = { 1, 0, 0x100000, 0x1000, 0x2000 };

    a = arm64_image(0, 1 * MiB);
    run_mutations("aarch64", "Image", a, 64, 10, 1, NULL);
    g_byte_array_unref(a);
    a = elf_image(true, EM_AARCH64, VIRT_RAM, s, 2);
    run_mutations("aarch64", "ELF64", a, 64 + 2 * 56, 14, 2, NULL);
    g_byte_array_unref(a);
    a = bzimage();
    run_mutations("x86_64", "bzImage", a, 0x270, 10, 3, "-append quiet");
    g_byte_array_unref(a);
    a = mb_aout(0, 0x10003, 0x100000, 0x100000, 0, 0x110000, 0x100020);
    run_mutations("x86_64", "multiboot a.out", a, 32, 8, 4, NULL);
    g_byte_array_unref(a);
    a = elf_image(false, EM_386, 0x100000, &m, 1);
    put32(a->data + 0x100, MB_MAGIC);
    put32(a->data + 0x104, 3);
    put32(a->data + 0x108, -(MB_MAGIC + 3));
    run_mutations("x86_64", "multiboot ELF32", a, 52 + 32, 10, 5, NULL);
    g_byte_array_unref(a);
}

/* garbage of every kind on both boards */
static void test_garbage(void)
{
    static const size_t sizes[] = { 0, 1, 63, 64, 1024, 0x206, 70000 };

    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        g_autofree uint8_t *d = g_malloc(sizes[i] + 1);
        g_autofree char *w = g_strdup_printf("garbage %zu bytes", sizes[i]);

        for (size_t j = 0; j < sizes[i]; j++) {
            d[j] = j * 2654435761u >> 13;
        }
        g_assert_cmpint(run_kernel("aarch64", w, d, sizes[i], NULL), ==, 1);
        g_assert_cmpint(run_kernel("x86_64", w, d, sizes[i], NULL), ==, 1);
    }
}

int main(int argc, char **argv)
{
    int ret;

    GThread *th;

    tmpdir = g_dir_make_tmp("fuzz-loaders-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    qtest_sock = g_build_filename(tmpdir, "qtest.sock", NULL);
    listen_fd = qtest_socket_server(qtest_sock);
    g_assert_cmpint(listen_fd, >=, 0);
    th = g_thread_new("acceptor", acceptor, NULL);
    g_test_init(&argc, &argv, NULL);
    if (binary_for("aarch64")) {
        g_test_add_func("/fuzz-loaders/arm64/image", test_arm64_image);
        g_test_add_func("/fuzz-loaders/arm64/gzip", test_arm64_gzip);
        g_test_add_func("/fuzz-loaders/arm64/elf", test_arm64_elf);
        g_test_add_func("/fuzz-loaders/arm64/initrd-dtb",
                        test_arm64_initrd_dtb);
    }
    if (binary_for("x86_64")) {
        g_test_add_func("/fuzz-loaders/pc/bzimage", test_bzimage);
        g_test_add_func("/fuzz-loaders/pc/multiboot", test_multiboot);
    }
    if (binary_for("aarch64") && binary_for("x86_64")) {
        g_test_add_func("/fuzz-loaders/garbage", test_garbage);
        g_test_add_func("/fuzz-loaders/mutations", test_mutations);
    }
    ret = g_test_run();
    stop_acceptor = 1;
    g_thread_join(th);
    close(listen_fd);
    g_test_message("%d runs", runs);
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);

        if (system(cmd)) {
            /* leave it */
        }
    }
    return ret;
}
