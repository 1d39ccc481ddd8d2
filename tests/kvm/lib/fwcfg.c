/*
 * fw_cfg, traditional I/O interface: 16-bit selector at 0x510, byte data at
 * 0x511 (each read advances the offset).  Key 0x0000 is the "QEMU"
 * signature, 0x0001 the feature bits, 0x0019 the file directory (big
 * endian count, then 64-byte entries: size BE32, select BE16, name[56]).
 */
#include "hw.h"

#define FW_CFG_SEL  0x510
#define FW_CFG_DATA 0x511
#define FW_CFG_FILE_DIR 0x19

void fw_cfg_read(uint16_t key, void *buf, unsigned len)
{
    uint8_t *p = buf;
    outw(FW_CFG_SEL, key);
    while (len--) {
        *p++ = inb(FW_CFG_DATA);
    }
}

int fw_cfg_present(void)
{
    char sig[4];
    fw_cfg_read(0x0000, sig, 4);
    return !memcmp(sig, "QEMU", 4);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

int fw_cfg_find_file(const char *name, uint32_t *size, int list)
{
    uint8_t hdr[4];
    int found = -1;
    outw(FW_CFG_SEL, FW_CFG_FILE_DIR);
    for (int i = 0; i < 4; i++) {
        hdr[i] = inb(FW_CFG_DATA);
    }
    uint32_t count = be32(hdr);
    if (list) {
        print("fw_cfg: %u files\n", count);
    }
    for (uint32_t n = 0; n < count && n < 256; n++) {
        uint8_t e[64];
        for (int i = 0; i < 64; i++) {
            e[i] = inb(FW_CFG_DATA);
        }
        e[63] = 0;
        const char *fname = (const char *)e + 8;
        uint16_t sel = e[4] << 8 | e[5];
        if (list) {
            print("fw_cfg: file 0x%04x %u %s\n", sel, be32(e), fname);
        }
        if (found < 0 && !strcmp(fname, name)) {
            found = sel;
            *size = be32(e);
        }
    }
    return found;
}
