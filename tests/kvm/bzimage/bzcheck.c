/*
 * bzImage test kernel, 64-bit part: checks struct boot_params ("zero
 * page", Documentation/arch/x86/zero-page.rst) as the loader left it.
 *
 *   1 entry: which entry was used (32-bit code32_start or 64-bit +0x200)
 *   2 setup header copied into the zero page: boot_flag, "HdrS", version
 *   3 e820 table (count 0x1e8, entries 0x2d0): well formed, RAM at 1 MiB
 *   4 command line (cmd_line_ptr 0x228 | ext_cmd_line_ptr 0x0c8 << 32)
 *     contains "turtle-test"
 *   5 initrd (ramdisk_image 0x218, ramdisk_size 0x21c, ext_* 0x0c0/0x0c4):
 *     inside e820 RAM, below initrd_addr_max, CRC-32 equal to initrd_crc=
 *   6 setup_data list (0x250), printed
 *   7 ACPI, if there is an RSDP (acpi_rsdp_addr 0x070, else the BIOS
 *     areas): checksums, table list, MADT (printed)
 */
#include "../lib/hw.h"

#define BP8(bp, off)  (*(const uint8_t *)((bp) + (off)))
#define BP16(bp, off) (*(const uint16_t *)((bp) + (off)))
#define BP32(bp, off) (*(const uint32_t *)((bp) + (off)))
#define BP64(bp, off) (*(const uint64_t *)((bp) + (off)))

struct __attribute__((packed)) e820_entry {
    uint64_t addr, size;
    uint32_t type;
};

static uint32_t parse_hex(const char *s)
{
    uint32_t v = 0;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9') {
            d = *s - '0';
        } else if (*s >= 'a' && *s <= 'f') {
            d = *s - 'a' + 10;
        } else {
            break;
        }
        v = v << 4 | d;
    }
    return v;
}

static const char *cmdline_find(const char *cmd, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = cmd; *p; p++) {
        if ((p == cmd || p[-1] == ' ') && !strncmp(p, key, n)) {
            return p + n;
        }
    }
    return NULL;
}

static const struct e820_entry *e820;
static unsigned e820_count;

static int in_e820_ram(uint64_t start, uint64_t len)
{
    for (unsigned i = 0; i < e820_count; i++) {
        if (e820[i].type == 1 && start >= e820[i].addr &&
            start + len <= e820[i].addr + e820[i].size) {
            return 1;
        }
    }
    return 0;
}

static void check_header(const uint8_t *bp)
{
    step_begin(2, "setup header");
    uint16_t version = BP16(bp, 0x206);
    print("bz: boot_flag=0x%x magic=%s version=0x%x loadflags=0x%x "
          "type_of_loader=0x%x\n", BP16(bp, 0x1fe),
          BP32(bp, 0x202) == 0x53726448 ? "HdrS" : "missing", version,
          BP8(bp, 0x211), BP8(bp, 0x210));
    print("bz: code32_start=0x%x setup_sects=%u syssize=0x%x xloadflags=0x%x "
          "heap_end_ptr=0x%x\n", BP32(bp, 0x214), BP8(bp, 0x1f1),
          BP32(bp, 0x1f4), BP16(bp, 0x236), BP16(bp, 0x224));
    if (BP16(bp, 0x1fe) != 0xaa55 || BP32(bp, 0x202) != 0x53726448) {
        fail("setup header not in the zero page");
    }
    if (version < 0x20c) {
        fail("protocol version 0x%x", version);
    }
    if (!(BP8(bp, 0x211) & 1)) {
        fail("LOADED_HIGH lost from loadflags");
    }
}

static void check_e820(const uint8_t *bp)
{
    step_begin(3, "e820");
    e820_count = BP8(bp, 0x1e8);
    e820 = (const struct e820_entry *)(bp + 0x2d0);
    print("e820: %u entries\n", e820_count);
    if (e820_count == 0 || e820_count > 128) {
        fail("e820 count %u", e820_count);
    }
    uint64_t ram = 0;
    for (unsigned i = 0; i < e820_count; i++) {
        print("e820: %u addr=0x%llx size=0x%llx type=%u\n", i,
              (unsigned long long)e820[i].addr,
              (unsigned long long)e820[i].size, e820[i].type);
        if (e820[i].type == 1) {
            ram += e820[i].size;
        }
    }
    print("e820: usable RAM %llu KiB\n", (unsigned long long)(ram >> 10));
    if (!in_e820_ram(0x100000, 0x100000)) {
        fail("kernel at 1 MiB not in e820 RAM");
    }
}

static const char *check_cmdline(const uint8_t *bp)
{
    step_begin(4, "command line");
    uint64_t ptr = BP32(bp, 0x228) | ((uint64_t)BP32(bp, 0x0c8) << 32);
    print("bz: cmd_line_ptr=0x%llx\n", (unsigned long long)ptr);
    if (!ptr) {
        fail("no command line");
    }
    const char *cmd = (const char *)(uintptr_t)ptr;
    print("bz: cmdline=\"%s\"\n", cmd);
    if (!cmdline_find(cmd, "turtle-test")) {
        fail("command line lacks \"turtle-test\"");
    }
    return cmd;
}

static void check_initrd(const uint8_t *bp, const char *cmd)
{
    step_begin(5, "initrd");
    uint64_t start = BP32(bp, 0x218) | ((uint64_t)BP32(bp, 0x0c0) << 32);
    uint64_t size = BP32(bp, 0x21c) | ((uint64_t)BP32(bp, 0x0c4) << 32);
    uint32_t max = BP32(bp, 0x22c);
    print("bz: ramdisk_image=0x%llx ramdisk_size=%llu initrd_addr_max=0x%x\n",
          (unsigned long long)start, (unsigned long long)size, max);
    if (!start || !size) {
        fail("no initrd");
    }
    if (start + size - 1 > max) {
        fail("initrd ends above initrd_addr_max");
    }
    if (!in_e820_ram(start, size)) {
        fail("initrd not inside e820 RAM");
    }
    uint32_t crc = crc32((const void *)(uintptr_t)start, size);
    print("bz: initrd crc32=%08x\n", crc);
    const char *want = cmdline_find(cmd, "initrd_crc=");
    if (want && parse_hex(want) != crc) {
        fail("initrd crc32 %08x, command line says %08x", crc,
             parse_hex(want));
    }
}

static void print_setup_data(const uint8_t *bp)
{
    step_begin(6, "setup_data");
    uint64_t p = BP64(bp, 0x250);
    for (unsigned n = 0; p && n < 16; n++) {
        const uint8_t *sd = (const uint8_t *)(uintptr_t)p;
        print("setup_data: at 0x%llx type=%u len=%u\n", (unsigned long long)p,
              BP32(sd, 8), BP32(sd, 12));
        p = BP64(sd, 0);
    }
}

/*
 * QEMU only reaches the 32-bit entry.  With "bz_via64" on the command line
 * the 32-bit path, once in long mode, re-enters through startup_64 the way
 * a 64-bit loader would (%rsi = boot_params, identity map live), so the
 * +0x200 entry is exercised under QEMU too.
 */
extern char startup_64[];
static int reentered;

static void maybe_reenter_64(const uint8_t *bp, unsigned entry_bits)
{
    const char *cmd = (const char *)(uintptr_t)BP32(bp, 0x228);
    if (entry_bits != 32 || reentered || !cmd || !cmdline_find(cmd, "bz_via64")) {
        return;
    }
    reentered = 1;
    print("bz: bz_via64: re-entering through startup_64\n");
    __asm__ volatile("cli; mov %0, %%rsi; jmp *%1"
                     : : "r"(bp), "r"(startup_64) : "rsi", "memory");
    __builtin_unreachable();
}

void bz_main(const uint8_t *bp, unsigned entry_bits);

void bz_main(const uint8_t *bp, unsigned entry_bits)
{
    serial_init();
    maybe_reenter_64(bp, entry_bits);
    step_begin(1, "entry");
    print("bz: entered through the %u-bit entry (%s), boot_params=%p\n",
          entry_bits, entry_bits == 64 ? "startup_64 at +0x200"
                                       : "code32_start", bp);
    if (reentered) {
        print("bz: (64-bit entry reached by re-entry from the 32-bit path)\n");
    }
    check_header(bp);
    check_e820(bp);
    const char *cmd = check_cmdline(bp);
    check_initrd(bp, cmd);
    print_setup_data(bp);
    step_begin(7, "acpi");
    print("bz: acpi_rsdp_addr=0x%llx\n", (unsigned long long)BP64(bp, 0x070));
    acpi_report(BP64(bp, 0x070));
    print("bz-test: all steps passed\n");
    test_exit(EXIT_PASS);
}
