/* The generic CPU type; see hw/core/cpu.h. */
#include "turtle/osdep.h"
#include "hw/core/cpu.h"
#include "sysemu/cpus.h"
#include "sysemu/main-loop.h"
#include "accel/accel.h"
#include "turtle/log.h"

static void cpu_instance_init(Object *obj)
{
    CPUState *cpu = CPU(obj);

    cpu->cpu_index = -1;
    cpu->cflags_next_tb = -1;
    cpu->kvm_fd = -1;
    pthread_cond_init(&cpu->halt_cond, NULL);
    pthread_mutex_init(&cpu->work_mutex, NULL);
    g_queue_init(&cpu->work_list);
    cpu->breakpoints = g_array_new(false, false, sizeof(vaddr));
    cpu->as = &address_space_memory;
}

static void cpu_instance_finalize(Object *obj)
{
    CPUState *cpu = CPU(obj);

    g_array_free(cpu->breakpoints, true);
    pthread_cond_destroy(&cpu->halt_cond);
    pthread_mutex_destroy(&cpu->work_mutex);
}

static bool cpu_common_realize(DeviceState *dev, Error **errp)
{
    CPUState *cpu = CPU(dev);

    if (!cpus_list) {
        cpus_list = g_ptr_array_new();
    }
    cpu->cpu_index = cpus_list->len;
    g_ptr_array_add(cpus_list, cpu);
    return true;
}

/* Leaves cpus_list.  Today only cpu_create unrealizes a CPU, the last
 * one created, when its thread failed to start: the other CPUs keep their
 * cpu_index.  (CPU hot-unplug will need more than this.) */
static void cpu_common_unrealize(DeviceState *dev)
{
    CPUState *cpu = CPU(dev);

    if (cpus_list) {
        g_ptr_array_remove(cpus_list, cpu);
    }
}

static bool cpu_common_has_work(CPUState *cpu)
{
    return false;
}

static void cpu_common_dump_state(CPUState *cpu, FILE *f, int flags)
{
    fprintf(f, "CPU#%d: no register dump for this CPU type\n", cpu->cpu_index);
}

static void cpu_class_init(ObjectClass *oc, void *data)
{
    CPUClass *cc = CPU_CLASS(oc);
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = cpu_common_realize;
    dc->unrealize = cpu_common_unrealize;
    dc->category = DEVICE_CATEGORY_CPU;
    cc->has_work = cpu_common_has_work;
    cc->dump_state = cpu_common_dump_state;
}

static const TypeInfo cpu_type_info = {
    .name = TYPE_CPU,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(CPUState),
    .instance_init = cpu_instance_init,
    .instance_finalize = cpu_instance_finalize,
    .abstract = true,
    .class_size = sizeof(CPUClass),
    .class_init = cpu_class_init,
};

TYPE_REGISTER(cpu_type_info)

CPUState *cpu_create(const char *typename, Error **errp)
{
    DeviceState *dev = qdev_try_new(typename, errp);
    CPUState *cpu;

    if (!dev) {
        return NULL;
    }
    if (!object_dynamic_cast(OBJECT(dev), TYPE_CPU)) {
        error_setg(errp, "'%s' is not a CPU type", typename);
        object_unref(OBJECT(dev));
        return NULL;
    }
    if (!qdev_realize(dev, NULL, errp)) {
        object_unref(OBJECT(dev));
        return NULL;
    }
    cpu = CPU(dev);
    if (!cpus_start_vcpu(cpu, errp)) {
        qdev_unrealize(dev);
        object_unref(OBJECT(dev));
        return NULL;
    }
    object_unref(OBJECT(dev));
    return cpu;
}

void cpu_exit(CPUState *cpu)
{
    g_atomic_int_set(&cpu->exit_request, 1);
    if (cpu->neg_ptr) {
        /* makes the check at the next TB entry leave generated code */
        __atomic_store_n(&cpu->neg_ptr->icount_decr.u16.high, 0xffff,
                         __ATOMIC_SEQ_CST);
    }
}

void cpu_interrupt(CPUState *cpu, int mask)
{
    const AccelOps *ops = current_accel();

    if (ops && ops->handle_interrupt) {
        ops->handle_interrupt(cpu, mask);
        return;
    }
    __atomic_fetch_or(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    if (!qemu_cpu_is_self(cpu)) {
        qemu_cpu_kick(cpu);
    } else {
        cpu_exit(cpu);
    }
}

void cpu_reset_interrupt(CPUState *cpu, int mask)
{
    __atomic_fetch_and(&cpu->interrupt_request, ~mask, __ATOMIC_SEQ_CST);
}

void cpu_reset(CPUState *cpu)
{
    tlog_mask(CPU_LOG_RESET, "CPU Reset (CPU %d)\n", cpu->cpu_index);
    /* the CPU's own reset may leave it halted (x86 APs wait for a SIPI) */
    g_atomic_int_set(&cpu->halted, 0);
    g_atomic_int_set(&cpu->interrupt_request, 0);
    device_cold_reset(DEVICE(cpu));
    cpu->exception_index = -1;
}

bool cpu_has_work(CPUState *cpu)
{
    return CPU_GET_CLASS(cpu)->has_work(cpu);
}

void cpu_dump_state(CPUState *cpu, FILE *f, int flags)
{
    cpu_synchronize_state(cpu);
    CPU_GET_CLASS(cpu)->dump_state(cpu, f, flags);
}

int cpu_memory_rw_debug(CPUState *cpu, vaddr addr, void *ptr, size_t len,
                        bool is_write)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);
    uint8_t *buf = ptr;
    MemTxAttrs attrs = { .debug = 1 };

    while (len > 0) {
        vaddr page = addr & ~(vaddr)0xfff;
        hwaddr phys;
        size_t l = MIN(len, page + 0x1000 - addr);
        MemTxResult res;

        phys = cc->get_phys_page_debug ? cc->get_phys_page_debug(cpu, page) : page;
        if (phys == (hwaddr)-1) {
            return -1;
        }
        phys += addr & 0xfff;
        if (is_write) {
            res = address_space_write_rom(cpu->as, phys, attrs, buf, l);
        } else {
            res = address_space_read(cpu->as, phys, attrs, buf, l);
        }
        if (res != MEMTX_OK) {
            return -1;
        }
        len -= l;
        buf += l;
        addr += l;
    }
    return 0;
}
