/*
 * virtio console device (virtio 1.2, 5.3) with multiple ports, and its
 * ports; see hw/virtio/virtio-serial.c.
 *
 *     -device virtio-serial-device (or virtio-serial-pci)
 *     -device virtconsole,chardev=c0          a console port (hvc0)
 *     -device virtserialport,chardev=c1,name=org.example.0
 */
#ifndef HW_VIRTIO_VIRTIO_SERIAL_H
#define HW_VIRTIO_VIRTIO_SERIAL_H

#include "hw/virtio/virtio.h"
#include "chardev/char.h"

#define TYPE_VIRTIO_SERIAL      "virtio-serial-device"
#define TYPE_VIRTIO_SERIAL_BUS  "virtio-serial-bus"
#define TYPE_VIRTIO_SERIAL_PORT "virtserialport"
#define TYPE_VIRTIO_CONSOLE     "virtconsole"

#define VIRTIO_SERIAL_MAX_PORTS 31      /* 2 queues each + control: 64 */

typedef struct VirtIOSerial VirtIOSerial;

typedef struct VirtIOSerialPort {
    DeviceState parent_obj;
    VirtIOSerial *vser;
    CharBackend chr;
    uint32_t id;                 /* "nr" */
    char *name;
    bool is_console;
    bool guest_connected;        /* the driver opened the port */
    GByteArray *pending;         /* host input the rx queue had no room for */
} VirtIOSerialPort;

struct VirtIOSerial {
    VirtIODevice parent_obj;
    BusState *bus;               /* the ports */
    VirtIOSerialPort *ports[VIRTIO_SERIAL_MAX_PORTS];
    GQueue ctrl_out;             /* control messages waiting for buffers */
    bool driver_ready;           /* DEVICE_READY received */
    uint32_t max_ports;          /* property "max_ports" */
};

DECLARE_INSTANCE_CHECKER(VirtIOSerial, VIRTIO_SERIAL, TYPE_VIRTIO_SERIAL)
DECLARE_INSTANCE_CHECKER(VirtIOSerialPort, VIRTIO_SERIAL_PORT,
                         TYPE_VIRTIO_SERIAL_PORT)

#endif
