/*
 * Block devices' side of the block layer: the "drive" property.
 *
 *     DEFINE_PROP_DRIVE("drive", VirtIOBlock, blk),
 *
 * takes a -drive id or a -blockdev node-name, finds its BlockBackend and
 * attaches the device to it (a drive serves one device); the field is a
 * BlockBackend *.  Unrealize/release detaches it.
 */
#ifndef HW_BLOCK_BLOCK_H
#define HW_BLOCK_BLOCK_H

#include "hw/core/qdev.h"
#include "hw/core/qdev-properties.h"
#include "block/block-backend.h"

extern const PropertyInfo prop_info_drive;

#define DEFINE_PROP_DRIVE(_n, _s, _f) \
    { .name = (_n), .info = &prop_info_drive, .offset = offsetof(_s, _f) + \
      0 * sizeof(*(BlockBackend **)0 == ((_s *)0)->_f) }

/* Set the drive property from a board (e.g. for -drive if=virtio). */
bool qdev_prop_set_drive(DeviceState *dev, const char *name,
                         BlockBackend *blk, Error **errp);

#endif
