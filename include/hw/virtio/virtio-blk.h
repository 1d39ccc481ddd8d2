/*
 * virtio block device (virtio 1.2, 5.2) over a BlockBackend; see
 * hw/block/virtio-blk.c.
 *
 *     -drive file=disk.qcow2,if=none,id=d0
 *     -device virtio-blk-device,drive=d0[,num-queues=N][,serial=S]...
 */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#include "hw/virtio/virtio.h"
#include "block/block-backend.h"

#define TYPE_VIRTIO_BLK "virtio-blk-device"

/* Feature bits (5.2.3) */
#define VIRTIO_BLK_F_SIZE_MAX       1
#define VIRTIO_BLK_F_SEG_MAX        2
#define VIRTIO_BLK_F_GEOMETRY       4
#define VIRTIO_BLK_F_RO             5
#define VIRTIO_BLK_F_BLK_SIZE       6
#define VIRTIO_BLK_F_FLUSH          9
#define VIRTIO_BLK_F_TOPOLOGY       10
#define VIRTIO_BLK_F_CONFIG_WCE     11
#define VIRTIO_BLK_F_MQ             12
#define VIRTIO_BLK_F_DISCARD        13
#define VIRTIO_BLK_F_WRITE_ZEROES   14

/* Request types and status (5.2.6) */
#define VIRTIO_BLK_T_IN             0
#define VIRTIO_BLK_T_OUT            1
#define VIRTIO_BLK_T_FLUSH          4
#define VIRTIO_BLK_T_GET_ID         8
#define VIRTIO_BLK_T_DISCARD        11
#define VIRTIO_BLK_T_WRITE_ZEROES   13
#define VIRTIO_BLK_S_OK             0
#define VIRTIO_BLK_S_IOERR          1
#define VIRTIO_BLK_S_UNSUPP         2

#define VIRTIO_BLK_ID_BYTES         20
#define VIRTIO_BLK_SECTOR_BITS      9    /* "sector": always 512 bytes */
#define VIRTIO_BLK_HDR_SIZE         16   /* type, ioprio, sector */
#define VIRTIO_BLK_SEG_SIZE         16   /* discard / write-zeroes range */
#define VIRTIO_BLK_WZ_F_UNMAP       1

/* Configuration space layout (5.2.4), little-endian */
#define VIRTIO_BLK_CFG_CAPACITY         0    /* u64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX         8    /* u32 */
#define VIRTIO_BLK_CFG_SEG_MAX          12   /* u32 */
#define VIRTIO_BLK_CFG_GEOMETRY         16   /* u16 cyl, u8 heads, u8 secs */
#define VIRTIO_BLK_CFG_BLK_SIZE         20   /* u32 */
#define VIRTIO_BLK_CFG_PHYS_BLOCK_EXP   24   /* u8 */
#define VIRTIO_BLK_CFG_ALIGN_OFFSET     25   /* u8 */
#define VIRTIO_BLK_CFG_MIN_IO_SIZE      26   /* u16, in blocks */
#define VIRTIO_BLK_CFG_OPT_IO_SIZE      28   /* u32, in blocks */
#define VIRTIO_BLK_CFG_WRITEBACK        32   /* u8 */
#define VIRTIO_BLK_CFG_NUM_QUEUES       34   /* u16 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS  36
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG      40
#define VIRTIO_BLK_CFG_DISCARD_ALIGN        44
#define VIRTIO_BLK_CFG_MAX_WZ_SECTORS       48
#define VIRTIO_BLK_CFG_MAX_WZ_SEG           52
#define VIRTIO_BLK_CFG_WZ_MAY_UNMAP         56   /* u8, then 3 unused */
#define VIRTIO_BLK_CFG_SIZE                 60

typedef struct VirtIOBlock {
    VirtIODevice parent_obj;
    BlockBackend *blk;
    uint64_t capacity;           /* sectors, as last told to the driver */
    int in_flight;               /* requests given to the block layer */
    bool wce;                    /* the write cache as the guest sees it */
    bool config_wce_default;     /* the drive's cache= mode, after reset */

    /* properties */
    uint16_t num_queues;
    uint16_t queue_size;
    char *serial;
    bool config_wce;
    bool discard;
    bool write_zeroes;
    uint32_t max_discard_sectors;
    uint32_t max_write_zeroes_sectors;
    uint32_t logical_block_size;
    uint32_t physical_block_size;
    uint32_t min_io_size;        /* bytes */
    uint32_t opt_io_size;        /* bytes */
} VirtIOBlock;

DECLARE_INSTANCE_CHECKER(VirtIOBlock, VIRTIO_BLK, TYPE_VIRTIO_BLK)

#endif
