/*
 * The KVM accelerator against a fake /dev/kvm (test-kvm-fake.c), VM side:
 * device/API/capability errors, VM set-up (TSS, identity map, irqchip,
 * GSI routes, PIT), memory slots (RAM, ROM read-only, MMIO not mapped,
 * removal, splits, page trimming, dirty logging), interrupts (the pc GSI
 * router, MSI window and routes, irqfd, ioeventfd, userspace injection,
 * irqchip state), kvmclock across a pause.  The vCPU side is in
 * test-kvm-vcpu.c.
 */
#include "test-kvm-fake.h"
#include "hw/intc/apic.h"

/* ---- init ---- */

static void expect_init_error(const char *needle)
{
    KVMState s = { 0 };
    Error *err = NULL;
    bool ok = kvm_open_vm(&s, NULL, &err);

    if (ok) {
        kvm_state_set_current(&s);
        ok = kvm_arch_init(NULL, &s, &err);
        kvm_state_set_current(NULL);
    }
    g_assert_false(ok);
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), needle)) {
        g_error("'%s' does not contain '%s'", error_get_pretty(err), needle);
    }
    error_free(err);
    kvm_close_vm(&s);
}

static void test_init_errors(void)
{
    fake_reset();
    fk.open_errno = ENOENT;
    expect_init_error("Could not access KVM kernel module: "
                      "No such file or directory");
    fk.open_errno = EACCES;
    expect_init_error("Could not access KVM kernel module: "
                      "Permission denied");
    fk.open_errno = 0;
    fk.api_version = 11;
    expect_init_error("API version 11");
    fake_reset();
    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_IRQFD));
    expect_init_error("KVM_CAP_IRQFD");
    fake_reset();
    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_SET_TSS_ADDR));
    expect_init_error("KVM_CAP_SET_TSS_ADDR");
    g_assert_false(logged(KVM_CREATE_VM));
}

static void test_init_vm(void)
{
    KVMState *s;
    int pic = 0, ioapic = 0;

    fake_reset();
    s = vm_new();
    g_assert_true(logged(KVM_CREATE_VM));
    g_assert_true(logged(KVM_SET_IDENTITY_MAP_ADDR));
    g_assert_true(logged(KVM_SET_TSS_ADDR));
    g_assert_true(logged(KVM_CREATE_IRQCHIP));
    g_assert_true(logged(KVM_CREATE_PIT2));
    g_assert_cmpint(logged_at(KVM_CREATE_IRQCHIP), <,
                    logged_at(KVM_SET_GSI_ROUTING));
    g_assert_true(kvm_irqchip_in_kernel());
    g_assert_false(kvm_irqchip_is_split());
    g_assert_cmpint(s->nr_slots, ==, 32);
    g_assert_true(s->readonly_mem);
    g_assert_true(s->immediate_exit);

    /* routes: PIC 0-15 without the cascade, IOAPIC 0-23 with 0 -> 2 */
    g_assert_nonnull(fk.routes);
    for (uint32_t i = 0; i < fk.routes->nr; i++) {
        struct kvm_irq_routing_entry *e = &fk.routes->entries[i];
        g_assert_cmpuint(e->type, ==, KVM_IRQ_ROUTING_IRQCHIP);
        if (e->u.irqchip.irqchip == KVM_IRQCHIP_IOAPIC) {
            ioapic++;
            g_assert_cmpuint(e->u.irqchip.pin, ==, e->gsi ? e->gsi : 2);
            g_assert_cmpuint(e->gsi, !=, 2);
        } else {
            pic++;
            g_assert_cmpuint(e->u.irqchip.irqchip, ==,
                             e->gsi < 8 ? KVM_IRQCHIP_PIC_MASTER
                                        : KVM_IRQCHIP_PIC_SLAVE);
            g_assert_cmpuint(e->u.irqchip.pin, ==, e->gsi & 7);
            g_assert_cmpuint(e->gsi, !=, 2);
        }
    }
    g_assert_cmpint(pic, ==, 15);
    g_assert_cmpint(ioapic, ==, 23);
    vm_free(s);
}

static void test_irqchip_modes(void)
{
    KVMState s = { 0 };
    Error *err = NULL;

    fake_reset();
    g_assert_true(kvm_open_vm(&s, NULL, &error_abort));
    s.irqchip_mode = KVM_IRQCHIP_SPLIT;
    g_assert_false(kvm_arch_irqchip_create(&s, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "KVM_CAP_SPLIT_IRQCHIP"));
    error_free(err);
    err = NULL;
    /* split: the LAPICs in the kernel, 24 IOAPIC GSIs, no PIC or PIT */
    cap_set(KVM_CAP_SPLIT_IRQCHIP, 1);
    g_assert_true(kvm_arch_irqchip_create(&s, &error_abort));
    g_assert_true(logged(KVM_ENABLE_CAP));
    g_assert_cmpuint(fk.split_pins, ==, 24);
    g_assert_true(s.irqchip_in_kernel && s.irqchip_split);
    g_assert_false(logged(KVM_CREATE_IRQCHIP));
    g_assert_false(logged(KVM_CREATE_PIT2));
    s.irqchip_in_kernel = s.irqchip_split = false;

    /* off: the board's models, nothing in the kernel */
    s.irqchip_mode = KVM_IRQCHIP_OFF;
    g_assert_true(kvm_arch_irqchip_create(&s, &error_abort));
    g_assert_false(s.irqchip_in_kernel);
    g_assert_false(logged(KVM_CREATE_IRQCHIP));

    /* default on a host without KVM_CAP_IRQCHIP: the board's, too */
    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_IRQCHIP));
    s.irqchip_mode = KVM_IRQCHIP_DEFAULT;
    g_assert_true(kvm_arch_irqchip_create(&s, &error_abort));
    g_assert_false(s.irqchip_in_kernel);

    s.irqchip_mode = KVM_IRQCHIP_ON;
    g_assert_false(kvm_arch_irqchip_create(&s, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "KVM_CAP_IRQCHIP"));
    error_free(err);
    err = NULL;
    kvm_close_vm(&s);

    /* -accel kvm,kernel-irqchip=off reaches the x86 set-up, which tells
     * the board to build every chip itself */
    fake_reset();
    memset(&s, 0, sizeof(s));
    g_assert_true(kvm_open_vm(&s, NULL, &error_abort));
    g_assert_true(kvm_parse_irqchip_mode("off", &s.irqchip_mode,
                                         &error_abort));
    g_assert_true(kvm_arch_init(NULL, &s, &error_abort));
    g_assert_false(logged(KVM_CREATE_IRQCHIP));
    g_assert_false(x86_accel_irqchip()->lapic_in_kernel);
    g_assert_false(x86_accel_irqchip()->pic_in_kernel);
    kvm_close_vm(&s);
    g_assert_false(kvm_parse_irqchip_mode("maybe", &s.irqchip_mode, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "on, off or split"));
    error_free(err);
}

static void test_memory_slots(void)
{
    MemoryRegion root, ram, rom, io, hole, odd;
    AddressSpace as;
    KVMState *s;
    KVMSlot *k;
    uint32_t n;

    fake_reset();
    s = vm_new();
    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "kvm-test");
    kvm_memory_listener_init(s);
    kvm_memory_listener_register(s, &as);

    g_assert_true(memory_region_init_ram(&ram, NULL, "ram", 1 << 20,
                                         &error_abort));
    g_assert_true(memory_region_init_rom(&rom, NULL, "rom", 64 << 10,
                                         &error_abort));
    memory_region_init_io(&io, NULL, &test_ops, NULL, "mmio", 0x1000);
    memory_region_add_subregion(&root, 0, &ram);
    memory_region_add_subregion(&root, 0xfff00000, &rom);
    memory_region_add_subregion(&root, 0x10000000, &io);

    k = slot_at(s, 0);
    n = k->slot;
    g_assert_cmphex(fk.slots[n].guest_phys_addr, ==, 0);
    g_assert_cmphex(fk.slots[n].memory_size, ==, 1 << 20);
    g_assert_cmphex(fk.slots[n].flags, ==, 0);
    g_assert_true(fk.slots[n].userspace_addr ==
                  (uintptr_t)memory_region_get_ram_ptr(&ram));
    k = slot_at(s, 0xfff00000);
    g_assert_cmphex(fk.slots[k->slot].flags, ==, KVM_MEM_READONLY);
    g_assert_cmphex(fk.slots[k->slot].memory_size, ==, 64 << 10);
    g_assert_null(kvm_slot_lookup(s, 0x10000000));      /* MMIO */

    /* dirty logging */
    memory_region_set_log(&ram, true, DIRTY_MEMORY_VGA);
    g_assert_cmphex(fk.slots[n].flags, ==, KVM_MEM_LOG_DIRTY_PAGES);
    memory_region_test_and_clear_dirty(&ram, 0, 1 << 20, DIRTY_MEMORY_VGA);
    memory_region_sync_dirty(&ram);
    g_assert_true(logged(KVM_GET_DIRTY_LOG));
    g_assert_false(memory_region_test_and_clear_dirty(&ram, 2 * 4096, 4096,
                                                      DIRTY_MEMORY_VGA));
    g_assert_true(memory_region_test_and_clear_dirty(&ram, 3 * 4096, 4096,
                                                     DIRTY_MEMORY_VGA));
    g_assert_false(memory_region_test_and_clear_dirty(&ram, 4 * 4096, 4096,
                                                      DIRTY_MEMORY_VGA));
    memory_region_set_log(&ram, false, DIRTY_MEMORY_VGA);
    g_assert_cmphex(fk.slots[n].flags, ==, 0);

    /* an MMIO window punched into RAM splits the slot (del + 2 adds) */
    memory_region_init_io(&hole, NULL, &test_ops, NULL, "hole", 0x1000);
    memory_region_add_subregion_overlap(&root, 0x80000, &hole, 1);
    g_assert_null(kvm_slot_lookup(s, 0x10000000));
    k = slot_at(s, 0);
    g_assert_cmphex(k->memory_size, ==, 0x80000);
    k = slot_at(s, 0x81000);
    g_assert_cmphex(k->memory_size, ==, (1 << 20) - 0x81000);
    g_assert_true(k->ram == (uint8_t *)memory_region_get_ram_ptr(&ram) +
                            0x81000);

    /* removal: memory_size 0 */
    memory_region_del_subregion(&root, &rom);
    g_assert_null(kvm_slot_lookup(s, 0xfff00000));
    for (int i = 0; i < 32; i++) {
        if (fk.slots[i].guest_phys_addr == 0xfff00000) {
            g_assert_cmphex(fk.slots[i].memory_size, ==, 0);
        }
    }

    /* only whole pages are mapped */
    g_assert_true(memory_region_init_ram(&odd, NULL, "odd", 0x3000,
                                         &error_abort));
    memory_region_add_subregion(&root, 0x20000800, &odd);
    k = slot_at(s, 0x20001000);
    g_assert_cmphex(k->memory_size, ==, 0x2000);
    g_assert_true(k->ram == (uint8_t *)memory_region_get_ram_ptr(&odd) +
                            0x800);
    memory_listener_unregister(&s->listener);
    address_space_destroy(&as);
    memory_region_finalize(&odd);
    memory_region_finalize(&hole);
    memory_region_finalize(&io);
    memory_region_finalize(&ram);
    memory_region_finalize(&rom);
    memory_region_finalize(&root);
    vm_free(s);
}

/* kernel-irqchip=off: interrupts go in with KVM_INTERRUPT */
static int pic_vector(void *opaque)
{
    return 0x30;
}

static void test_userspace_irq_injection(void)
{
    KVMState s = { 0 };
    CPUState *cs;
    struct kvm_run *run;

    fake_reset();
    g_assert_true(kvm_open_vm(&s, NULL, &error_abort));
    kvm_state_set_current(&s);
    g_hash_table_remove(fk.caps, GUINT_TO_POINTER(KVM_CAP_IRQCHIP));
    /* a CPU without APIC takes the 8259's vector */
    x86_register_pic_read_irq(pic_vector, NULL);
    g_assert_true(kvm_arch_init(NULL, &s, &error_abort));
    g_assert_false(kvm_irqchip_in_kernel());
    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    /* no in-kernel LAPIC: no x2APIC, no TSC deadline */
    g_assert_cmphex(fk_cpuid(1, 0)->ecx & CPUID_1_ECX_X2APIC, ==, 0);
    run = run_area(cs);

    /* the guest cannot take it yet: ask for the window */
    g_array_set_size(fk.log, 0);
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    kvm_arch_pre_run(cs, run);
    g_assert_false(logged(KVM_INTERRUPT));
    g_assert_cmpuint(run->request_interrupt_window, ==, 1);

    run->ready_for_interrupt_injection = 1;
    run->if_flag = 1;
    kvm_arch_pre_run(cs, run);
    g_assert_true(logged(KVM_INTERRUPT));
    g_assert_cmphex(fk.last_interrupt, ==, 0x30);
    g_assert_cmpuint(run->request_interrupt_window, ==, 0);
    g_assert_cmphex(g_atomic_int_get(&cs->interrupt_request) &
                    CPU_INTERRUPT_HARD, ==, 0);

    /* NMI */
    cpu_interrupt(cs, CPU_INTERRUPT_TGT_EXT_1);
    kvm_arch_pre_run(cs, run);
    g_assert_true(logged(KVM_NMI));

    /* HLT with nothing pending halts; an interrupt wakes it */
    g_atomic_int_set(&cs->halted, 1);
    X86_CPU(cs)->env.rflags = RFLAGS_IF;
    g_assert_true(kvm_arch_process_async_events(cs));
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    g_assert_false(kvm_arch_process_async_events(cs));
    g_assert_cmpint(g_atomic_int_get(&cs->halted), ==, 0);

    x86_register_pic_read_irq(NULL, NULL);
    kvm_destroy_vcpu(cs);
    kvm_state_set_current(NULL);
    kvm_close_vm(&s);
}

/* the in-kernel 8259s/IOAPIC/PIT: snapshot and reset */
static void test_irqchip_state(void)
{
    KVMState *s;
    DeviceState *dev;
    struct kvm_ioapic_state *io;
    g_autoptr(GByteArray) buf = g_byte_array_new();
    VMStateReader rd;

    fake_reset();
    s = vm_new();
    dev = kvm_x86_irqchip_state_create(&error_abort);
    g_assert_nonnull(dev);

    /* the guest programmed things */
    fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.imr = 0xfb;
    fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.irq_base = 0x20;
    fk.chips[KVM_IRQCHIP_IOAPIC].chip.ioapic.redirtbl[4].bits = 0x31;
    fk.pit.channels[0].count = 11932;
    g_assert_true(vmstate_save(DEVICE_GET_CLASS(dev)->vmsd, dev, buf,
                               &error_abort));

    /* reset: power-on values */
    kvm_x86_irqchip_state_reset(dev);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.imr, ==, 0);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.elcr_mask, ==,
                    0xf8);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_SLAVE].chip.pic.elcr_mask, ==,
                    0xde);
    io = &fk.chips[KVM_IRQCHIP_IOAPIC].chip.ioapic;
    g_assert_cmphex(io->base_address, ==, 0xfec00000);
    for (int i = 0; i < KVM_IOAPIC_NUM_PINS; i++) {
        g_assert_cmphex(io->redirtbl[i].bits, ==, 1ull << 16);
    }

    /* load: what was saved goes back */
    fk.pit.channels[0].count = 0;
    rd = (VMStateReader){ .buf = buf->data, .len = buf->len };
    g_assert_true(vmstate_load(DEVICE_GET_CLASS(dev)->vmsd, dev, &rd,
                               &error_abort));
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.imr, ==, 0xfb);
    g_assert_cmphex(fk.chips[KVM_IRQCHIP_PIC_MASTER].chip.pic.irq_base, ==,
                    0x20);
    g_assert_cmphex(io->redirtbl[4].bits, ==, 0x31);
    g_assert_cmpuint(fk.pit.channels[0].count, ==, 11932);
    qdev_unrealize(dev);
    vm_free(s);
}

/* the HPET's legacy replacement silences KVM's PIT and lets it go again */
static void test_pit_hpet_legacy(void)
{
    KVMState *s;

    fake_reset();
    s = vm_new();
    fk.pit.channels[0].count = 11932;
    fk.pit.channels[0].mode = 2;
    kvm_x86_pit_set_hpet_legacy(true);
    g_assert_true(logged(KVM_SET_PIT2));
    g_assert_cmphex(fk.pit.flags, ==, KVM_PIT_FLAGS_HPET_LEGACY);
    g_assert_cmpuint(fk.pit.channels[0].count, ==, 11932);
    g_assert_cmpuint(fk.pit.channels[0].mode, ==, 2);
    kvm_x86_pit_set_hpet_legacy(false);
    g_assert_cmphex(fk.pit.flags, ==, 0);
    g_assert_cmpuint(fk.pit.channels[0].count, ==, 11932);
    vm_free(s);
}

/*
 * split: the board's IOAPIC pins become MSI routes at GSI 0-23, the
 * kernel's EOI exits reach the board's EOI listeners, the 8259's ExtINT
 * goes in with KVM_INTERRUPT.
 */
static uint8_t eoi_seen;

static void eoi_listener(void *opaque, uint8_t vector)
{
    eoi_seen = vector;
}

static void test_split_irqchip(void)
{
    KVMState s = { 0 };
    const X86AccelIrqchip *a;
    struct kvm_irq_routing_entry *e;
    struct kvm_run *run;
    CPUState *cs;

    fake_reset();
    cap_set(KVM_CAP_SPLIT_IRQCHIP, 1);
    g_assert_true(kvm_open_vm(&s, NULL, &error_abort));
    kvm_state_set_current(&s);
    s.irqchip_mode = KVM_IRQCHIP_SPLIT;
    g_assert_true(kvm_arch_init(NULL, &s, &error_abort));
    a = x86_accel_irqchip();
    g_assert_true(a->lapic_in_kernel);
    g_assert_false(a->pic_in_kernel);
    g_assert_nonnull(a->ioapic_route);

    /* pin 9 level-triggered vector 0x39 to APIC 1, then pin 4 */
    a->ioapic_route(9, 0xfee01000, 0xc039, false);
    g_assert_nonnull(fk.routes);
    g_assert_cmpuint(fk.routes->nr, ==, 1);
    e = &fk.routes->entries[0];
    g_assert_cmpuint(e->gsi, ==, 9);
    g_assert_cmpuint(e->type, ==, KVM_IRQ_ROUTING_MSI);
    g_assert_cmphex(e->u.msi.address_lo, ==, 0xfee01000);
    g_assert_cmphex(e->u.msi.data, ==, 0xc039);
    a->ioapic_route(4, 0xfee00000, 0x4034, false);
    g_assert_cmpuint(fk.routes->nr, ==, 2);
    /* unchanged: no ioctl; masked: the route goes */
    g_array_set_size(fk.log, 0);
    a->ioapic_route(4, 0xfee00000, 0x4034, false);
    g_assert_false(logged(KVM_SET_GSI_ROUTING));
    a->ioapic_route(9, 0xfee01000, 0xc039, true);
    g_assert_cmpuint(fk.routes->nr, ==, 1);
    g_assert_cmpuint(fk.routes->entries[0].gsi, ==, 4);

    cs = make_cpu("qemu64");
    g_assert_true(kvm_init_vcpu(cs, &error_abort));
    run = run_area(cs);
    apic_register_eoi_listener(eoi_listener, NULL);
    run->exit_reason = KVM_EXIT_IOAPIC_EOI;
    run->eoi.vector = 0x39;
    g_assert_cmpint(kvm_handle_exit(cs, run), ==, 0);
    g_assert_cmphex(eoi_seen, ==, 0x39);

    x86_register_pic_read_irq(pic_vector, NULL);
    g_array_set_size(fk.log, 0);
    cpu_interrupt(cs, CPU_INTERRUPT_HARD);
    run->ready_for_interrupt_injection = 0;
    kvm_arch_pre_run(cs, run);
    g_assert_false(logged(KVM_INTERRUPT));
    g_assert_cmpuint(run->request_interrupt_window, ==, 1);
    run->ready_for_interrupt_injection = 1;
    run->if_flag = 1;
    kvm_arch_pre_run(cs, run);
    g_assert_cmphex(fk.last_interrupt, ==, 0x30);
    g_assert_cmpuint(run->request_interrupt_window, ==, 0);
    /* the kernel halts its own vCPUs */
    g_atomic_int_set(&cs->halted, 1);
    g_assert_false(kvm_arch_process_async_events(cs));
    x86_register_pic_read_irq(NULL, NULL);
    kvm_destroy_vcpu(cs);
    kvm_state_set_current(NULL);
    kvm_close_vm(&s);
}

/* the pc board's GSI router drives KVM_IRQ_LINE once KVM attached it */
static void test_gsi_router(void)
{
    const X86AccelIrqchip *a;
    KVMState *s;
    DeviceState *gsi;

    fake_reset();
    s = vm_new();
    a = x86_accel_irqchip();
    g_assert_nonnull(a);
    g_assert_true(a->lapic_in_kernel && a->pic_in_kernel);
    g_assert_null(a->ioapic_route);
    gsi = qdev_new(TYPE_X86_GSI_ROUTER);
    g_assert_true(qdev_realize_and_unref(gsi, NULL, &error_abort));

    /* raised before the irqchip exists: replayed when it attaches */
    qemu_set_irq(qdev_get_gpio_in(gsi, 3), 1);
    g_assert_false(logged(KVM_IRQ_LINE_STATUS));
    g_assert_true(a->create(NULL, X86_GSI_ROUTER(gsi), &error_abort));
    g_assert_cmpuint(fk.last_irq.irq, ==, 3);
    g_assert_cmpuint(fk.last_irq.level, ==, 1);

    qemu_set_irq(qdev_get_gpio_in(gsi, 11), 1);
    g_assert_cmpuint(fk.last_irq.irq, ==, 11);
    g_assert_cmpuint(fk.last_irq.level, ==, 1);
    qemu_set_irq(qdev_get_gpio_in(gsi, 11), 0);
    g_assert_cmpuint(fk.last_irq.level, ==, 0);
    qemu_set_irq(qdev_get_gpio_in(gsi, 23), 1);
    g_assert_cmpuint(fk.last_irq.irq, ==, 23);

    /* a device's MSI write (DMA to the APIC window) */
    address_space_stl_le(&address_space_memory, 0xfee01000, 0x4041,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    g_assert_cmpint(fk.msis, ==, 1);
    g_assert_cmphex(fk.last_msi.address_lo, ==, 0xfee01000);
    g_assert_cmphex(fk.last_msi.address_hi, ==, 0);
    g_assert_cmphex(fk.last_msi.data, ==, 0x4041);
    vm_free(s);
}

static void test_msi_routes(void)
{
    KVMState *s;
    struct kvm_irq_routing_entry *e;
    int a, b;

    fake_reset();
    s = vm_new();
    a = kvm_irqchip_add_msi_route(0xfee01000, 0x4031);
    b = kvm_irqchip_add_msi_route(0xfee02000, 0x4032);
    g_assert_cmpint(a, ==, 24);
    g_assert_cmpint(b, ==, 25);
    e = fk_route(24);
    g_assert_nonnull(e);
    g_assert_cmpuint(e->type, ==, KVM_IRQ_ROUTING_MSI);
    g_assert_cmphex(e->u.msi.address_lo, ==, 0xfee01000);
    g_assert_cmphex(e->u.msi.data, ==, 0x4031);
    g_assert_nonnull(fk_route(0));                 /* PC routes kept */

    g_assert_cmpint(kvm_irqchip_update_msi_route(a, 0xfee03000, 0x4051), ==,
                    0);
    g_assert_cmphex(fk_route(24)->u.msi.data, ==, 0x4051);
    g_assert_cmpint(kvm_irqchip_update_msi_route(99, 0, 0), ==, -ENOENT);
    g_assert_cmpint(kvm_irqchip_update_msi_route(5, 0, 0), ==, -ENOENT);

    kvm_irqchip_release_virq(a);
    g_assert_null(fk_route(24));
    g_assert_nonnull(fk_route(25));
    g_assert_cmpint(kvm_irqchip_add_msi_route(0xfee04000, 0x4061), ==, 24);

    g_assert_cmpint(kvm_irqchip_send_msi(0xfee00000, 0x4071), ==, 1);
    g_assert_cmphex(fk.last_msi.data, ==, 0x4071);
    vm_free(s);
    g_assert_cmpint(kvm_irqchip_send_msi(0xfee00000, 0x4071), ==, -ENOSYS);
    g_assert_cmpint(kvm_irqchip_add_msi_route(0xfee00000, 0), ==, -ENOSYS);
}

/* kvmclock stands still while the VM is stopped */
static void test_kvmclock_pause(void)
{
    KVMState *s;

    fake_reset();
    s = vm_new();
    fk.clock = 1000;
    kvm_x86_clock_change(s, false, RUN_STATE_PAUSED);
    fk.clock = 999999;                      /* host time went on */
    kvm_x86_clock_change(s, true, RUN_STATE_RUNNING);
    g_assert_cmpuint(fk.clock, ==, 1000);
    g_assert_cmpint(fk.clock_sets, ==, 1);
    kvm_x86_clock_change(s, true, RUN_STATE_RUNNING);   /* nothing saved */
    g_assert_cmpint(fk.clock_sets, ==, 1);
    vm_free(s);
}

/* a snapshot carries the clock of its stop; a load puts it back at the
 * next start */
static void test_kvmclock_snapshot(void)
{
    KVMState *s;
    DeviceState *dev;
    const VMStateDescription *vmsd;
    GByteArray *buf = g_byte_array_new();
    VMStateReader rd;

    fake_reset();
    cap_set(KVM_CAP_ADJUST_CLOCK, 1);
    s = vm_new();
    g_assert_true(kvm_x86_clock_state_create(&error_abort));
    dev = qdev_find("kvmclock");
    g_assert_nonnull(dev);
    vmsd = DEVICE_GET_CLASS(dev)->vmsd;
    fk.clock = 5000;
    kvm_x86_clock_change(s, false, RUN_STATE_SAVE_VM);
    fk.clock = 8000;                        /* the host went on */
    g_assert_true(vmstate_save(vmsd, dev, buf, &error_abort));
    kvm_x86_clock_change(s, true, RUN_STATE_RUNNING);
    g_assert_cmpuint(fk.clock, ==, 5000);
    fk.clock = 9000;                        /* later: loadvm, stopped */
    kvm_x86_clock_change(s, false, RUN_STATE_RESTORE_VM);
    rd = (VMStateReader){ .buf = buf->data, .len = buf->len };
    g_assert_true(vmstate_load(vmsd, dev, &rd, &error_abort));
    kvm_x86_clock_change(s, true, RUN_STATE_RUNNING);
    g_assert_cmpuint(fk.clock, ==, 5000);   /* the snapshot's, not 9000 */
    g_byte_array_unref(buf);
    qdev_unrealize(dev);
    vm_free(s);
}

/* ---- interrupts, irqfd, ioeventfd ---- */

static void test_irq_and_eventfds(void)
{
    KVMState *s;

    fake_reset();
    s = vm_new();
    g_assert_cmpint(kvm_set_irq(4, 1), ==, 1);
    g_assert_cmpuint(fk.last_irq.irq, ==, 4);
    g_assert_cmpuint(fk.last_irq.level, ==, 1);
    g_assert_true(logged(KVM_IRQ_LINE_STATUS));

    g_assert_cmpint(kvm_irqchip_add_irqfd_notifier(33, 34, 11), ==, 0);
    g_assert_cmpuint(fk.last_irqfd.fd, ==, 33);
    g_assert_cmpuint(fk.last_irqfd.gsi, ==, 11);
    g_assert_cmpuint(fk.last_irqfd.flags, ==, KVM_IRQFD_FLAG_RESAMPLE);
    g_assert_cmpuint(fk.last_irqfd.resamplefd, ==, 34);
    g_assert_cmpint(kvm_irqchip_remove_irqfd_notifier(33, 11), ==, 0);
    g_assert_cmpuint(fk.last_irqfd.flags, ==, KVM_IRQFD_FLAG_DEASSIGN);

    g_assert_cmpint(kvm_set_ioeventfd_mmio(40, 0xfe003000, 7, true, 2, true),
                    ==, 0);
    g_assert_cmphex(fk.last_ioeventfd.addr, ==, 0xfe003000);
    g_assert_cmpuint(fk.last_ioeventfd.len, ==, 2);
    g_assert_cmpuint(fk.last_ioeventfd.datamatch, ==, 7);
    g_assert_cmpuint(fk.last_ioeventfd.flags, ==,
                     KVM_IOEVENTFD_FLAG_DATAMATCH);
    g_assert_cmpint(kvm_set_ioeventfd_pio(41, 0xc050, 0, false, 4, false),
                    ==, 0);
    g_assert_cmpuint(fk.last_ioeventfd.flags, ==,
                     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN);
    /* any-length needs the capability; odd sizes never work */
    g_assert_cmpint(kvm_set_ioeventfd_mmio(40, 0x1000, 0, true, 0, false),
                    ==, -EINVAL);
    g_assert_cmpint(kvm_set_ioeventfd_mmio(40, 0x1000, 0, true, 3, false),
                    ==, -EINVAL);
    vm_free(s);

    /* without KVM nothing is accepted */
    g_assert_cmpint(kvm_set_irq(4, 1), ==, -ENOSYS);
    g_assert_cmpint(kvm_irqchip_add_irqfd_notifier(33, -1, 11), ==, -ENOSYS);
    g_assert_cmpint(kvm_set_ioeventfd_pio(41, 0xc050, 0, true, 4, false), ==,
                    -ENOSYS);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    main_loop_init();
    memory_map_init();
    kvm_set_host_ops(&fake_ops);
    g_test_add_func("/kvm/init/errors", test_init_errors);
    g_test_add_func("/kvm/init/vm", test_init_vm);
    g_test_add_func("/kvm/init/irqchip-modes", test_irqchip_modes);
    g_test_add_func("/kvm/memory/slots", test_memory_slots);
    g_test_add_func("/kvm/irq/userspace-injection",
                    test_userspace_irq_injection);
    g_test_add_func("/kvm/irq/eventfds", test_irq_and_eventfds);
    g_test_add_func("/kvm/clock/pause", test_kvmclock_pause);
    g_test_add_func("/kvm/clock/snapshot", test_kvmclock_snapshot);
    g_test_add_func("/kvm/irq/irqchip-state", test_irqchip_state);
    g_test_add_func("/kvm/irq/gsi-router", test_gsi_router);
    g_test_add_func("/kvm/irq/split", test_split_irqchip);
    g_test_add_func("/kvm/irq/pit-hpet-legacy", test_pit_hpet_legacy);
    g_test_add_func("/kvm/irq/msi-routes", test_msi_routes);
    return g_test_run();
}
