/*
 * virtio-serial: the virtio console device (virtio 1.2, 5.3) with
 * multiple ports, each wired to a chardev.
 *
 * Device id 3.  Queues: port 0 receive/transmit (0, 1), control
 * receive/transmit (2, 3), port n >= 1 receive/transmit (2 + 2n, 3 + 2n);
 * 128 entries each.  Configuration space: cols, rows (0: unknown),
 * max_nr_ports, emerg_wr (not offered).  Feature: MULTIPORT.
 * Bus "virtio-serial-bus" takes the ports:
 *   virtconsole     a console port (Linux: hvc0, console=hvc0), port 0
 *                   unless nr= says otherwise
 *   virtserialport  a plain port (/dev/vportNpM, /dev/virtio-ports/NAME)
 * Port properties: chardev, nr (port number), name.
 * Device property: max_ports (1..31, default 31).
 *
 * Control protocol (5.3.6.2, MULTIPORT): the driver says DEVICE_READY;
 * the device announces each port (DEVICE_ADD); for each PORT_READY the
 * device tells it is a console (CONSOLE_PORT), its name (PORT_NAME) and
 * that the host side is open (PORT_OPEN, when a chardev is connected);
 * the driver's PORT_OPEN says whether a program has the port open.
 * Without MULTIPORT only port 0 exists and is a console.
 *
 * Data: what the guest sends on a port's transmit queue is written to
 * its chardev (all of it: a console is not a disk); what the chardev
 * gives is copied into the port's receive buffers, the rest kept until
 * the driver adds buffers (the chardev is told to wait meanwhile).  Input
 * for a port no program has open is held back too, as on QEMU.  Control
 * messages that find no receive buffer wait for one, in order.
 * Malformed control messages (short, unknown port) are logged guest
 * errors and ignored.
 */
#include "turtle/osdep.h"
#include "turtle/log.h"
#include "hw/virtio/virtio-serial.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/core/qdev-properties.h"
#include "migration/vmstate.h"

#define VIRTIO_CONSOLE_F_MULTIPORT  1
#define VSER_QUEUE_SIZE             128
#define VSER_CFG_SIZE               12     /* cols, rows, max_nr_ports, emerg */
#define VSER_CTRL_RX                2
#define VSER_CTRL_TX                3
#define VSER_CTRL_SIZE              8      /* id u32, event u16, value u16 */
#define VSER_RX_CHUNK               4096   /* host input taken at a time */

enum {
    VIRTIO_CONSOLE_DEVICE_READY = 0, VIRTIO_CONSOLE_DEVICE_ADD = 1,
    VIRTIO_CONSOLE_DEVICE_REMOVE = 2, VIRTIO_CONSOLE_PORT_READY = 3,
    VIRTIO_CONSOLE_CONSOLE_PORT = 4, VIRTIO_CONSOLE_RESIZE = 5,
    VIRTIO_CONSOLE_PORT_OPEN = 6, VIRTIO_CONSOLE_PORT_NAME = 7,
};

static unsigned port_rxq(uint32_t id)
{
    return id == 0 ? 0 : 2 + 2 * id;
}

static bool vser_multiport(VirtIOSerial *s)
{
    return virtio_vdev_has_feature(VIRTIO_DEVICE(s),
                                   VIRTIO_CONSOLE_F_MULTIPORT);
}

static bool vser_driver_ok(VirtIOSerial *s)
{
    return VIRTIO_DEVICE(s)->status & VIRTIO_CONFIG_S_DRIVER_OK;
}

/* May host input go to the port's receive queue now? */
static bool port_accepts_input(VirtIOSerialPort *p)
{
    VirtIOSerial *s = p->vser;

    return s && vser_driver_ok(s) &&
           (vser_multiport(s) ? p->guest_connected : p->id == 0);
}

/* ---- control messages ---- */

static void vser_flush_ctrl(VirtIOSerial *s)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    VirtQueue *vq = virtio_get_queue(vdev, VSER_CTRL_RX);
    bool pushed = false;

    while (!g_queue_is_empty(&s->ctrl_out)) {
        GByteArray *msg;
        VirtQueueElement *elem = virtqueue_pop(vq, sizeof(*elem));
        size_t n;

        if (!elem) {
            break;
        }
        msg = g_queue_pop_head(&s->ctrl_out);
        n = iov_from_buf(elem->in_sg, elem->in_num, 0, msg->data, msg->len);
        virtqueue_push(vq, elem, n);
        g_free(elem);
        g_byte_array_free(msg, TRUE);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static void vser_ctrl_send(VirtIOSerial *s, uint32_t id, uint16_t event,
                           uint16_t value, const char *name)
{
    GByteArray *msg = g_byte_array_sized_new(VSER_CTRL_SIZE);
    uint8_t hdr[VSER_CTRL_SIZE];

    if (!vser_multiport(s) || !vser_driver_ok(s)) {
        g_byte_array_free(msg, TRUE);
        return;
    }
    st32_le_p(hdr, id);
    st16_le_p(hdr + 4, event);
    st16_le_p(hdr + 6, value);
    g_byte_array_append(msg, hdr, sizeof(hdr));
    if (name) {
        g_byte_array_append(msg, (const uint8_t *)name, strlen(name));
    }
    g_queue_push_tail(&s->ctrl_out, msg);
    vser_flush_ctrl(s);
}

static void port_flush_rx(VirtIOSerialPort *p);

static void vser_port_ready(VirtIOSerial *s, VirtIOSerialPort *p)
{
    if (p->is_console) {
        vser_ctrl_send(s, p->id, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL);
    }
    if (p->name) {
        vser_ctrl_send(s, p->id, VIRTIO_CONSOLE_PORT_NAME, 1, p->name);
    }
    if (qemu_chr_fe_backend_connected(&p->chr)) {
        vser_ctrl_send(s, p->id, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL);
    }
}

static void vser_handle_ctrl(VirtIOSerial *s, const uint8_t *m, size_t len)
{
    uint32_t id;
    uint16_t event, value;
    VirtIOSerialPort *p;

    if (len < VSER_CTRL_SIZE) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-serial: control message of %zu "
                  "bytes\n", len);
        return;
    }
    id = ld32_le_p(m);
    event = ld16_le_p(m + 4);
    value = ld16_le_p(m + 6);
    if (event == VIRTIO_CONSOLE_DEVICE_READY) {
        s->driver_ready = value == 1;
        for (unsigned i = 0; s->driver_ready && i < s->max_ports; i++) {
            if (s->ports[i]) {
                vser_ctrl_send(s, i, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
            }
        }
        return;
    }
    p = id < s->max_ports ? s->ports[id] : NULL;
    if (!p) {
        tlog_mask(LOG_GUEST_ERROR, "virtio-serial: control event %u for "
                  "port %u, which does not exist\n", event, id);
        return;
    }
    switch (event) {
    case VIRTIO_CONSOLE_PORT_READY:
        if (value == 1) {
            vser_port_ready(s, p);
        }
        break;
    case VIRTIO_CONSOLE_PORT_OPEN:
        p->guest_connected = value == 1;
        if (p->guest_connected) {
            port_flush_rx(p);
        }
        break;
    default:
        tlog_mask(LOG_GUEST_ERROR, "virtio-serial: control event %u from "
                  "the driver: ignored\n", event);
        break;
    }
}

static void vser_ctrl_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
        size_t len = MIN(iov_size(elem->out_sg, elem->out_num), 256);
        g_autofree uint8_t *m = g_malloc(len ? len : 1);

        iov_to_buf(elem->out_sg, elem->out_num, 0, m, len);
        virtqueue_push(vq, elem, 0);
        g_free(elem);
        vser_handle_ctrl(s, m, len);
    }
    virtio_notify(vdev, vq);
}

static void vser_ctrl_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    vser_flush_ctrl(VIRTIO_SERIAL(vdev));
}

/* ---- port data ---- */

static VirtIOSerialPort *vser_port_of_queue(VirtIOSerial *s, unsigned n)
{
    uint32_t id = n < 2 ? 0 : (n - 2) / 2;

    return id < s->max_ports ? s->ports[id] : NULL;
}

static void port_flush_rx(VirtIOSerialPort *p)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(p->vser);
    VirtQueue *vq = virtio_get_queue(vdev, port_rxq(p->id));
    bool pushed = false;

    while (p->pending->len && port_accepts_input(p)) {
        VirtQueueElement *elem = virtqueue_pop(vq, sizeof(*elem));
        size_t n;

        if (!elem) {
            break;
        }
        n = iov_from_buf(elem->in_sg, elem->in_num, 0, p->pending->data,
                         p->pending->len);
        g_byte_array_remove_range(p->pending, 0, n);
        virtqueue_push(vq, elem, n);
        g_free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
    if (!p->pending->len) {
        qemu_chr_fe_accept_input(&p->chr);
    }
}

/* The driver added receive buffers (or transmitted) on a port's queue. */
static void vser_port_queue(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);
    VirtIOSerialPort *p = vser_port_of_queue(s, vq->queue_index);
    bool is_rx = vq->queue_index < 2 ? vq->queue_index == 0
                                     : (vq->queue_index % 2) == 0;
    VirtQueueElement *elem;

    if (is_rx) {
        if (p) {
            port_flush_rx(p);
        }
        return;
    }
    while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
        for (unsigned i = 0; i < elem->out_num && p; i++) {
            if (qemu_chr_fe_backend_connected(&p->chr)) {
                qemu_chr_fe_write_all(&p->chr, elem->out_sg[i].iov_base,
                                      elem->out_sg[i].iov_len);
            }
        }
        virtqueue_push(vq, elem, 0);
        g_free(elem);
    }
    virtio_notify(vdev, vq);
}

static int port_can_read(void *opaque)
{
    VirtIOSerialPort *p = opaque;

    return port_accepts_input(p) && !p->pending->len ? VSER_RX_CHUNK : 0;
}

static void port_read(void *opaque, const uint8_t *buf, int size)
{
    VirtIOSerialPort *p = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(p->vser);
    bool was = virtio_guard_begin(vdev);

    g_byte_array_append(p->pending, buf, size);
    port_flush_rx(p);
    virtio_guard_end(vdev, was);
}

static void port_event(void *opaque, ChrEvent event)
{
    VirtIOSerialPort *p = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(p->vser);
    bool was;

    if (event != CHR_EVENT_OPENED && event != CHR_EVENT_CLOSED) {
        return;
    }
    was = virtio_guard_begin(vdev);
    if (p->vser->driver_ready) {
        vser_ctrl_send(p->vser, p->id, VIRTIO_CONSOLE_PORT_OPEN,
                       event == CHR_EVENT_OPENED, NULL);
    }
    virtio_guard_end(vdev, was);
}

/* ---- the device ---- */

static uint64_t vser_get_features(VirtIODevice *vdev, uint64_t f)
{
    return f | 1ull << VIRTIO_CONSOLE_F_MULTIPORT;
}

static void vser_get_config(VirtIODevice *vdev, uint8_t *cfg)
{
    memset(cfg, 0, VSER_CFG_SIZE);
    st32_le_p(cfg + 4, VIRTIO_SERIAL(vdev)->max_ports);
}

static void vser_reset(VirtIODevice *vdev)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);
    GByteArray *msg;

    s->driver_ready = false;
    while ((msg = g_queue_pop_head(&s->ctrl_out))) {
        g_byte_array_free(msg, TRUE);
    }
    for (unsigned i = 0; i < VIRTIO_SERIAL_MAX_PORTS; i++) {
        if (s->ports[i]) {
            s->ports[i]->guest_connected = false;
            g_byte_array_set_size(s->ports[i]->pending, 0);
        }
    }
}

static void vser_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);

    /* single-port drivers use port 0 as soon as they are ready */
    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) && s->ports[0]) {
        port_flush_rx(s->ports[0]);
        qemu_chr_fe_accept_input(&s->ports[0]->chr);
    }
}

static bool vser_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);
    g_autofree char *name = NULL;

    if (s->max_ports < 1 || s->max_ports > VIRTIO_SERIAL_MAX_PORTS) {
        error_setg(errp, "max_ports must be between 1 and %d",
                   VIRTIO_SERIAL_MAX_PORTS);
        return false;
    }
    virtio_init(vdev, VIRTIO_ID_CONSOLE, VSER_CFG_SIZE);
    for (unsigned i = 0; i < s->max_ports + 1; i++) {
        /* port 0, control, ports 1..: a receive and a transmit queue */
        bool ctrl = i == 1;

        virtio_add_queue(vdev, VSER_QUEUE_SIZE,
                         ctrl ? vser_ctrl_rx : vser_port_queue);
        virtio_add_queue(vdev, VSER_QUEUE_SIZE,
                         ctrl ? vser_ctrl_tx : vser_port_queue);
    }
    g_queue_init(&s->ctrl_out);
    name = g_strdup_printf("%s.0", qdev_name(DEVICE(vdev)));
    s->bus = qbus_new(TYPE_VIRTIO_SERIAL_BUS, DEVICE(vdev), name);
    return true;
}

static void vser_unrealize(VirtIODevice *vdev)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);

    vser_reset(vdev);
    for (unsigned n = 0; n < 2 * (s->max_ports + 1); n++) {
        virtio_del_queue(vdev, n);
    }
    virtio_cleanup(vdev);
}

static const VMStateDescription vmstate_virtio_serial = {
    .name = "virtio-serial",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, VirtIOSerial, vmstate_virtio_device,
                       VirtIODevice),
        VMSTATE_BOOL(driver_ready, VirtIOSerial),
        VMSTATE_END_OF_LIST()
    },
};

static const Property vser_props[] = {
    DEFINE_PROP_UINT32("max_ports", VirtIOSerial, max_ports,
                       VIRTIO_SERIAL_MAX_PORTS),
    DEFINE_PROP_END_OF_LIST(),
};

static void vser_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->desc = "virtio serial/console device (ports: virtconsole, "
               "virtserialport)";
    dc->category = DEVICE_CATEGORY_CHAR;
    dc->props = vser_props;
    dc->vmsd = &vmstate_virtio_serial;
    dc->user_creatable = true;
    vdc->realize = vser_realize;
    vdc->unrealize = vser_unrealize;
    vdc->get_features = vser_get_features;
    vdc->get_config = vser_get_config;
    vdc->reset = vser_reset;
    vdc->set_status = vser_set_status;
}

/* ---- ports ---- */

static bool port_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialPort *p = VIRTIO_SERIAL_PORT(dev);
    VirtIOSerial *s = VIRTIO_SERIAL(dev->parent_bus->parent);

    if (p->id == UINT32_MAX) {
        /* a console takes port 0 if it is free (hvc0), others from 1 */
        p->id = p->is_console && !s->ports[0] ? 0 : 1;
        while (p->id < s->max_ports && s->ports[p->id]) {
            p->id++;
        }
        if (p->id >= s->max_ports) {
            error_setg(errp, "virtio-serial: all %u ports are in use",
                       s->max_ports);
            return false;
        }
    } else if (p->id >= s->max_ports || s->ports[p->id]) {
        error_setg(errp, "virtio-serial: port %u is %s", p->id,
                   p->id >= s->max_ports ? "beyond max_ports" : "in use");
        return false;
    }
    if (p->id == 0 && !p->is_console) {
        error_setg(errp, "virtio-serial: port 0 is for a virtconsole");
        return false;
    }
    p->vser = s;
    p->pending = g_byte_array_new();
    s->ports[p->id] = p;
    qemu_chr_fe_set_handlers(&p->chr, port_can_read, port_read, port_event,
                             p);
    if (s->driver_ready) {
        vser_ctrl_send(s, p->id, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
    }
    return true;
}

static void port_unrealize(DeviceState *dev)
{
    VirtIOSerialPort *p = VIRTIO_SERIAL_PORT(dev);

    qemu_chr_fe_set_handlers(&p->chr, NULL, NULL, NULL, NULL);
    if (p->vser) {
        if (p->vser->driver_ready) {
            vser_ctrl_send(p->vser, p->id, VIRTIO_CONSOLE_DEVICE_REMOVE, 1,
                           NULL);
        }
        p->vser->ports[p->id] = NULL;
    }
    g_byte_array_free(p->pending, TRUE);
    p->pending = NULL;
}

static const Property port_props[] = {
    DEFINE_PROP_CHR("chardev", VirtIOSerialPort, chr),
    DEFINE_PROP_UINT32("nr", VirtIOSerialPort, id, UINT32_MAX),
    DEFINE_PROP_STRING("name", VirtIOSerialPort, name),
    DEFINE_PROP_END_OF_LIST(),
};

static void port_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "virtio serial port";
    dc->category = DEVICE_CATEGORY_CHAR;
    dc->bus_type = TYPE_VIRTIO_SERIAL_BUS;
    dc->realize = port_realize;
    dc->unrealize = port_unrealize;
    dc->props = port_props;
    dc->user_creatable = true;
}

static void console_init(Object *obj)
{
    VIRTIO_SERIAL_PORT(obj)->is_console = true;
}

static void console_class_init(ObjectClass *oc, void *data)
{
    DEVICE_CLASS(oc)->desc = "virtio console port (hvc)";
}

static const TypeInfo vser_types[] = {
    {
        .name = TYPE_VIRTIO_SERIAL,
        .parent = TYPE_VIRTIO_DEVICE,
        .instance_size = sizeof(VirtIOSerial),
        .class_init = vser_class_init,
    },
    {
        .name = TYPE_VIRTIO_SERIAL_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(BusState),
        .class_size = sizeof(BusClass),
    },
    {
        .name = TYPE_VIRTIO_SERIAL_PORT,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(VirtIOSerialPort),
        .class_init = port_class_init,
    },
    {
        .name = TYPE_VIRTIO_CONSOLE,
        .parent = TYPE_VIRTIO_SERIAL_PORT,
        .instance_size = sizeof(VirtIOSerialPort),
        .instance_init = console_init,
        .class_init = console_class_init,
    },
};
DEFINE_TYPES(vser_types)

static const VirtioPCIDeviceTypeInfo virtio_serial_pci_info = {
    .name = "virtio-serial-pci", .vdev_type = TYPE_VIRTIO_SERIAL,
    .class_id = PCI_CLASS_COMMUNICATION_OTHER,
    .desc = "virtio serial/console device (PCI)",
    .category = DEVICE_CATEGORY_CHAR,
};
VIRTIO_PCI_TYPE_REGISTER(virtio_serial_pci_info)
