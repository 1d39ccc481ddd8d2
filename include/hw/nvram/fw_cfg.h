/*
 * QEMU firmware configuration device (fw_cfg), compatible with QEMU's
 * docs/specs/fw_cfg.txt interface as firmware (SeaBIOS, EDK2, Linux's
 * qemu_fw_cfg driver) uses it.
 *
 *   "fw_cfg_io"    I/O ports: selector at iobase (0x510, 16-bit LE),
 *                  data at iobase+1 (8-bit), DMA address at dma_iobase
 *                  (0x514, 8 bytes big-endian; writing the low dword at
 *                  +4, or all 8 bytes at once, starts the transfer)
 *   "fw_cfg_mmio"  one 24-byte region: data at +0 (1-8 bytes, byte string
 *                  order), selector at +8 (16-bit big-endian), DMA address
 *                  at +16 (as above); 16 bytes with dma_enabled=false
 *
 * Items are selected by a 16-bit key; reading past an item's end gives 0.
 * Key 0x19 is the file directory: a be32 count then 64-byte entries
 * {be32 size, be16 select, be16 reserved, char name[56]} sorted by name.
 * DMA descriptors (be32 control, be32 length, be64 address) are read and
 * written through address_space_memory with bounds checks; a failed
 * transfer or a bad control word sets the error bit (control bit 0).
 */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include "hw/core/sysbus.h"

#define TYPE_FW_CFG "fw_cfg"
#define TYPE_FW_CFG_IO "fw_cfg_io"
#define TYPE_FW_CFG_MEM "fw_cfg_mmio"

#define FW_CFG_SIGNATURE        0x00
#define FW_CFG_ID               0x01
#define FW_CFG_UUID             0x02
#define FW_CFG_RAM_SIZE         0x03
#define FW_CFG_NOGRAPHIC        0x04
#define FW_CFG_NB_CPUS          0x05
#define FW_CFG_MACHINE_ID       0x06
#define FW_CFG_KERNEL_ADDR      0x07
#define FW_CFG_KERNEL_SIZE      0x08
#define FW_CFG_KERNEL_CMDLINE   0x09
#define FW_CFG_INITRD_ADDR      0x0a
#define FW_CFG_INITRD_SIZE      0x0b
#define FW_CFG_BOOT_DEVICE      0x0c
#define FW_CFG_NUMA             0x0d
#define FW_CFG_BOOT_MENU        0x0e
#define FW_CFG_MAX_CPUS         0x0f
#define FW_CFG_KERNEL_ENTRY     0x10
#define FW_CFG_KERNEL_DATA      0x11
#define FW_CFG_INITRD_DATA      0x12
#define FW_CFG_CMDLINE_ADDR     0x13
#define FW_CFG_CMDLINE_SIZE     0x14
#define FW_CFG_CMDLINE_DATA     0x15
#define FW_CFG_SETUP_ADDR       0x16
#define FW_CFG_SETUP_SIZE       0x17
#define FW_CFG_SETUP_DATA       0x18
#define FW_CFG_FILE_DIR         0x19
#define FW_CFG_FILE_FIRST       0x20
#define FW_CFG_FILE_SLOTS       0x20
#define FW_CFG_WRITE_CHANNEL    0x4000
#define FW_CFG_ARCH_LOCAL       0x8000
#define FW_CFG_ENTRY_MASK       (~(FW_CFG_WRITE_CHANNEL | FW_CFG_ARCH_LOCAL))
#define FW_CFG_INVALID          0xffff

#define FW_CFG_MAX_FILE_PATH    56

#define FW_CFG_VERSION          0x01
#define FW_CFG_VERSION_DMA      0x02

#define FW_CFG_DMA_CTL_ERROR    0x01
#define FW_CFG_DMA_CTL_READ     0x02
#define FW_CFG_DMA_CTL_SKIP     0x04
#define FW_CFG_DMA_CTL_SELECT   0x08
#define FW_CFG_DMA_CTL_WRITE    0x10

#define FW_CFG_DMA_SIGNATURE    0x51454d5520434647ULL   /* "QEMU CFG" */

typedef struct FWCfgEntry {
    uint32_t len;
    uint8_t *data;          /* owned by the device when owned is set */
    bool owned;
    bool allow_write;       /* DMA writes may change the bytes */
} FWCfgEntry;

typedef struct FWCfgFile {
    uint32_t size;          /* big-endian in the directory */
    uint16_t select;
    char name[FW_CFG_MAX_FILE_PATH];
} FWCfgFile;

typedef struct FWCfgState {
    SysBusDevice parent_obj;
    FWCfgEntry entries[2][FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS];
    FWCfgFile files[FW_CFG_FILE_SLOTS];
    uint32_t file_count;
    uint8_t *dir;           /* the key 0x19 blob, rebuilt on add */
    uint16_t cur_entry;
    uint32_t cur_offset;
    uint64_t dma_addr;
    bool dma_enabled;
    AddressSpace *dma_as;
    MemoryRegion ctl_iomem, data_iomem, dma_iomem;   /* io, mmio, io DMA */
    /* fw_cfg_io */
    uint32_t iobase;
    uint32_t dma_iobase;
} FWCfgState;

DECLARE_INSTANCE_CHECKER(FWCfgState, FW_CFG, TYPE_FW_CFG)

/* Create the I/O port variant (iobase 0x510, DMA 0x514) on system I/O. */
FWCfgState *fw_cfg_init_io_dma(uint32_t iobase, uint32_t dma_iobase,
                               AddressSpace *dma_as);
/* Create the MMIO variant at base (24 bytes). */
FWCfgState *fw_cfg_init_mem_dma(hwaddr base, AddressSpace *dma_as);

/* Items.  data must stay valid; the device does not copy or free it. */
void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, void *data, size_t len);
void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value);
void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value);
void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value);
void fw_cfg_modify_i16(FWCfgState *s, uint16_t key, uint16_t value);
void fw_cfg_modify_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_modify_i64(FWCfgState *s, uint16_t key, uint64_t value);
/* A named file ("etc/e820"); the name must be unique and < 56 bytes. */
bool fw_cfg_add_file(FWCfgState *s, const char *filename, void *data,
                     size_t len, Error **errp);
/* Same, guest-writable through DMA. */
bool fw_cfg_add_file_writable(FWCfgState *s, const char *filename,
                              void *data, size_t len, Error **errp);
/* Replace a file's contents (or add it). */
void fw_cfg_modify_file(FWCfgState *s, const char *filename, void *data,
                        size_t len);
/* Item bytes for tests and the board; NULL if absent. */
const void *fw_cfg_get_item(FWCfgState *s, uint16_t key, size_t *len);

#endif
