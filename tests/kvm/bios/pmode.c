/*
 * 32-bit protected-mode stage of the -bios test (steps 2-11).
 *
 *   2 protected mode entered (CR0.PE, flat segments)
 *   3 CMOS: RTC seconds (UIP protocol) and the memory-size fields
 *   4 PCI bus 0 scan through 0xcf8/0xcfc
 *   5 first memory BAR found: sized, assigned, read (and written if
 *     prefetchable, i.e. RAM-like), decode switched off again
 *   6 unassigned MMIO in the PCI hole: stable value, writes ignored
 *   7 fw_cfg: "QEMU" signature, feature bits, RAM size, CPU count, file
 *     directory and etc/e820 (what SeaBIOS builds its e820 map from)
 *   8 i8042: controller self-test (0xaa -> 0x55)
 *   9 8259 pair + 8254 channel 0: IRQ0 delivered through the master PIC
 *     (vector 0x20) 5 times, in virtual wire mode (LAPIC LINT0 = ExtINT)
 *   10 RTC periodic interrupt: IRQ8 through the slave PIC and the cascade
 *     (vector 0x28) 5 times, acknowledged by reading Status C
 *   11 PAE page tables, EFER.LME, CR0.PG, far jump to the 64-bit stage
 */
#include "../lib/hw.h"
#include "../lib/trap.h"

#define PIT_TEST_HZ     100
#define PIT_TEST_TICKS  5
#define BAR_TEST_ADDR   0xe0000000u /* free in the pc PCI hole for any -m */
#define UNASSIGNED_MMIO 0xfebff000u /* below the IOAPIC, nothing decodes */
#define LMODE_LOAD      0x100000u

extern char lmode_blob[], lmode_blob_end[];

static volatile unsigned ticks, rtc_ticks;

static void on_irq0(unsigned vector)
{
    ticks++;
    pic_eoi(0);
}

static void on_irq8(unsigned vector)
{
    if (rtc_ack() & 0x40) {     /* Status C PF: periodic interrupt */
        rtc_ticks++;
    }
    pic_eoi(8);
}

static void on_spurious(unsigned vector)
{
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

static void test_pmode(void)
{
    uint32_t cr0;
    uint16_t cs, ds;
    step_begin(2, "protected mode");
    __asm__ volatile("mov %%cr0, %0; mov %%cs, %1; mov %%ds, %2"
                     : "=r"(cr0), "=r"(cs), "=r"(ds));
    print("pm: cr0=0x%x cs=0x%x ds=0x%x\n", cr0, cs, ds);
    if (!(cr0 & 1) || cs != 0x08 || ds != 0x10) {
        fail("not in flat protected mode");
    }
}

static void test_cmos(void)
{
    step_begin(3, "cmos");
    int s = rtc_read_seconds();
    if (s < 0) {
        fail("RTC update-in-progress never cleared");
    }
    uint8_t b = cmos_read(0x0b);
    /* Status B bit 2 clear: BCD (the power-on default). */
    unsigned secs = (b & 4) ? (unsigned)s : (unsigned)((s >> 4) * 10 + (s & 0xf));
    print("cmos: rtc seconds=%u (raw 0x%02x) status_a=0x%02x\n", secs, s,
          cmos_read(0x0a));
    if (secs > 59) {
        fail("RTC seconds out of range");
    }
    cmos_print_memory();
}

static void test_pci_scan(void)
{
    step_begin(4, "pci scan");
    int n = pci_scan_bus0();
    print("pci: %d functions on bus 0\n", n);
    if (n == 0) {
        fail("no PCI functions");
    }
    if (pci_cfg_read32(0, 0, 0, 0x10) != 0) {
        fail("host bridge BAR0 not zero");
    }
}

static void test_pci_bar(void)
{
    step_begin(5, "pci bar");
    for (unsigned dev = 1; dev < 32; dev++) {
        if ((pci_cfg_read32(0, dev, 0, 0) & 0xffff) == 0xffff) {
            continue;
        }
        uint32_t hdr = (pci_cfg_read32(0, dev, 0, 0x0c) >> 16) & 0x7f;
        if (hdr != 0) {
            continue;
        }
        for (unsigned bar = 0; bar < 6; bar++) {
            uint32_t orig;
            uint32_t size = pci_bar_size(dev, 0, bar, &orig);
            /* 32-bit memory BARs only (type bits 2:1 == 0) */
            if (!size || (orig & 1) || (orig & 6)) {
                continue;
            }
            int pref = !!(orig & 8);
            print("pci-bar: 00:%02x.0 bar%u orig=0x%x size=0x%x %s\n", dev,
                  bar, orig, size, pref ? "prefetchable" : "mmio");
            unsigned off = 0x10 + 4 * bar;
            uint32_t cmd = pci_cfg_read32(0, dev, 0, 0x04);
            pci_cfg_write32(0, dev, 0, off, BAR_TEST_ADDR | (orig & 0xf));
            pci_cfg_write32(0, dev, 0, 0x04, (cmd & 0xffff) | 0x2);
            uint32_t got = pci_cfg_read32(0, dev, 0, off);
            if ((got & ~0xfu) != BAR_TEST_ADDR) {
                fail("BAR reads back 0x%x", got);
            }
            uint32_t first = mmio_read32(BAR_TEST_ADDR);
            print("pci-bar: mapped at 0x%x, first dword 0x%x\n",
                  BAR_TEST_ADDR, first);
            if (pref) {
                mmio_write32(BAR_TEST_ADDR + 8, 0x5a5aa5a5);
                uint32_t back = mmio_read32(BAR_TEST_ADDR + 8);
                print("pci-bar: wrote 0x5a5aa5a5 read 0x%x\n", back);
                if (back != 0x5a5aa5a5) {
                    fail("prefetchable BAR memory does not hold data");
                }
            }
            /* Memory decode off: the range must stop answering. */
            pci_cfg_write32(0, dev, 0, 0x04, cmd & 0xffff & ~0x2u);
            uint32_t off_val = mmio_read32(BAR_TEST_ADDR + 8);
            print("pci-bar: decode off, read 0x%x\n", off_val);
            if (pref && off_val == 0x5a5aa5a5) {
                fail("BAR still decoded with COMMAND.MEM clear");
            }
            pci_cfg_write32(0, dev, 0, off, orig);
            pci_cfg_write32(0, dev, 0, 0x04, cmd & 0xffff);
            return;
        }
    }
    print("pci-bar: none\n");
}

static void test_unassigned(void)
{
    step_begin(6, "unassigned mmio");
    uint32_t a = mmio_read32(UNASSIGNED_MMIO);
    mmio_write32(UNASSIGNED_MMIO, 0x12345678);
    uint32_t b = mmio_read32(UNASSIGNED_MMIO);
    print("unassigned: 0x%x reads 0x%x, after write 0x%x\n", UNASSIGNED_MMIO,
          a, b);
    /* QEMU answers 0; real chipsets master-abort with all-ones. */
    if (a != b) {
        fail("write to unassigned MMIO was kept");
    }
    if (a != 0 && a != 0xffffffff) {
        fail("unassigned MMIO reads 0x%x, neither 0 nor all-ones", a);
    }
}

struct __attribute__((packed)) fw_e820 {
    uint64_t addr, len;
    uint32_t type;
};

static void test_fw_cfg(void)
{
    step_begin(7, "fw_cfg");
    if (!fw_cfg_present()) {
        fail("no fw_cfg signature at 0x510/0x511");
    }
    uint32_t id;
    uint64_t ram;
    uint16_t ncpus;
    fw_cfg_read(0x0001, &id, 4);
    fw_cfg_read(0x0003, &ram, 8);
    fw_cfg_read(0x0005, &ncpus, 2);
    print("fw_cfg: signature QEMU id=0x%x ram_size=0x%llx nb_cpus=%u\n", id,
          (unsigned long long)ram, ncpus);
    uint32_t size;
    int sel = fw_cfg_find_file("etc/e820", &size, 1);
    if (sel < 0) {
        print("fw_cfg: no etc/e820\n");
        return;
    }
    uint64_t total = 0;
    outw(0x510, sel);
    for (unsigned i = 0; i < size / sizeof(struct fw_e820); i++) {
        struct fw_e820 e;
        uint8_t *p = (uint8_t *)&e;
        for (unsigned k = 0; k < sizeof(e); k++) {
            p[k] = inb(0x511);
        }
        print("fw_cfg: etc/e820 %u addr=0x%llx len=0x%llx type=%u\n", i,
              (unsigned long long)e.addr, (unsigned long long)e.len, e.type);
        if (e.type == 1) {
            total += e.len;
        }
    }
    print("fw_cfg: etc/e820 RAM total 0x%llx\n", (unsigned long long)total);
}

static void test_i8042(void)
{
    step_begin(8, "i8042");
    for (unsigned i = 0; i < 64 && (inb(0x64) & 1); i++) {
        inb(0x60);              /* drain the output buffer */
    }
    outb(0x64, 0xaa);           /* controller self-test */
    unsigned i;
    for (i = 0; i < 1000000 && !(inb(0x64) & 1); i++) {
        cpu_pause();
    }
    uint8_t r = inb(0x60);
    print("i8042: self-test 0x%x status=0x%x\n", r, inb(0x64));
    if (r != 0x55) {
        fail("i8042 self-test returned 0x%x", r);
    }
}

static void test_pit_pic(void)
{
    step_begin(9, "pit irq0 via 8259");
    uint64_t apicbase = rdmsr(0x1b);
    print("pm: apic_base_msr=0x%llx lapic_lvt0=0x%x lapic_svr=0x%x\n",
          (unsigned long long)apicbase, lapic_read(0x350), lapic_read(0xf0));
    /*
     * Virtual wire mode, as a BIOS leaves it: the LAPIC comes out of reset
     * software-disabled with LINT0 masked (QEMU TCG reports 0x10000), so
     * 8259 INTR reaches the CPU only once LINT0 is ExtINT.  Writes to the
     * LVT are forced masked while SVR.enable is clear: enable first.
     */
    lapic_enable(0xff);
    lapic_write(0x350, 0x700);      /* LINT0: ExtINT, unmasked */
    lapic_write(0x360, 0x400);      /* LINT1: NMI */
    print("pm: lapic_lvt0 now 0x%x\n", lapic_read(0x350));
    idt_init();
    idt_on(0x20, on_irq0);
    idt_on(0xff, on_spurious);
    pic_init(0x20, 0x28);
    pit_start_periodic(PIT_TEST_HZ);

    uint16_t c1 = pit_read_counter0(), c2 = c1;
    for (unsigned i = 0; i < 100000 && c2 == c1; i++) {
        c2 = pit_read_counter0();
    }
    print("pit: counter 0x%x -> 0x%x\n", c1, c2);
    if (c1 == c2) {
        fail("PIT channel 0 does not count");
    }
    /* IRQ0 still masked: the edge must show up in the master's IRR. */
    unsigned i;
    for (i = 0; i < 5000000 && !(pic_read_irr_master() & 1); i++) {
        cpu_pause();
    }
    if (!(pic_read_irr_master() & 1)) {
        fail("IRQ0 never reached the 8259 IRR");
    }
    print("pic: irr bit 0 set after %u polls\n", i);
    pic_set_mask(~1u & 0xffff);
    while (ticks < PIT_TEST_TICKS) {
        cpu_sti_hlt();
    }
    cpu_cli();
    print("pic: %u ticks on vector 0x20, isr=0x%x\n", ticks,
          pic_read_isr_master());
    if (pic_read_isr_master() != 0) {
        fail("8259 ISR not cleared by EOI");
    }
    pic_set_mask(0xffff);
}

static void test_rtc_irq8(void)
{
    step_begin(10, "rtc irq8 via slave 8259");
    idt_on(0x28, on_irq8);
    rtc_set_periodic(6);                    /* 1024 Hz */
    pic_set_mask(~((1u << 2) | (1u << 8)) & 0xffff);
    while (rtc_ticks < 5) {
        cpu_sti_hlt();
    }
    cpu_cli();
    rtc_set_periodic(0);
    pic_set_mask(0xffff);
    print("pic: %u rtc ticks on vector 0x28 (irq8, cascade)\n", rtc_ticks);
}

/* 4 GiB identity map with 2 MiB pages; the top GiB (MMIO) uncached. */
static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[4][512] __attribute__((aligned(4096)));

static void enter_long_mode(void)
{
    step_begin(11, "enter long mode");
    for (unsigned g = 0; g < 4; g++) {
        for (unsigned i = 0; i < 512; i++) {
            uint64_t pa = ((uint64_t)g << 30) | ((uint64_t)i << 21);
            pd[g][i] = pa | 0x83 | (g == 3 ? 0x18 : 0);  /* P RW PS [PCD PWT] */
        }
        pdpt[g] = (uint32_t)pd[g] | 0x3;
    }
    pml4[0] = (uint32_t)pdpt | 0x3;

    memcpy((void *)LMODE_LOAD, lmode_blob, lmode_blob_end - lmode_blob);
    print("pm: 64-bit stage %u bytes copied to 0x%x\n",
          (unsigned)(lmode_blob_end - lmode_blob), LMODE_LOAD);

    uint32_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x20));       /* PAE */
    __asm__ volatile("mov %0, %%cr3" : : "r"(pml4));
    wrmsr(0xc0000080, rdmsr(0xc0000080) | 0x100);               /* LME */
    uint32_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | 0x80000000u)); /* PG */
    __asm__ volatile("ljmp $0x18, $0x100000");
}

void pmode_main(void);

void pmode_main(void)
{
    serial_init();
    test_pmode();
    test_cmos();
    test_pci_scan();
    test_pci_bar();
    test_unassigned();
    test_fw_cfg();
    test_i8042();
    test_pit_pic();
    test_rtc_irq8();
    enter_long_mode();
    fail("returned from the long mode jump");
}
