/*
 * A whole machine as a migration stream: what the sections of stream.h
 * carry.  Used by savevm.c (snapshots) and migration.c (live migration).
 *
 *   HEADER  target name, machine type, RAM blocks (name, size), in order
 *   RAM     u32 block index, then pages: u64 (page index << 12 | flags)
 *           and 4 KiB of data unless the page is all zeroes
 *   CLOCK   the virtual clock (ns)
 *   DEVICE  device type, instance number, its vmstate section
 *   END     after the devices; every device must have been in the stream
 */
#ifndef MIGRATION_VMSTATE_STREAM_H
#define MIGRATION_VMSTATE_STREAM_H

#include "migration/stream.h"
#include "exec/ramblock.h"

enum {
    MIG_SEC_HEADER = 1,
    MIG_SEC_RAM = 2,
    MIG_SEC_CLOCK = 3,
    MIG_SEC_DEVICE = 4,
    MIG_SEC_END = 0xff,
};

#define MIG_PAGE_ZERO   1u        /* flags of a RAM page entry */
#define MIG_PAGE_DATA   2u
#define MIG_PAGE_FLAGS  0xfffu

typedef struct MigRamStats {
    uint64_t pages;           /* page entries sent */
    uint64_t zero_pages;      /* of which all zeroes (no data sent) */
} MigRamStats;

unsigned mig_ram_block_count(void);
RAMBlock *mig_ram_block(unsigned idx);

bool mig_save_header(MigStream *s, Error **errp);
/*
 * Send pages [first, first + n) of RAM block idx: all of them, or only
 * those dirty for DIRTY_MEMORY_MIGRATION (whose bits are cleared before
 * the page is read, so a write racing with the copy is sent again).
 */
bool mig_save_ram_range(MigStream *s, unsigned idx, uint64_t first,
                        uint64_t n, bool dirty_only, MigRamStats *st,
                        Error **errp);
/* The clock, every device's vmstate and END.  VM stopped, BQL held. */
bool mig_save_devices(MigStream *s, Error **errp);

/*
 * Read a stream up to its END (the magic included).  With apply false
 * nothing of the machine changes: framing, checksums, the header's
 * compatibility, RAM page bounds and device names are checked (what
 * loadvm does before it touches a running machine).  With apply true the
 * RAM, clock and devices are loaded (VM stopped, BQL held for devices).
 */
bool mig_load_stream(MigStream *s, bool apply, Error **errp);

#endif
