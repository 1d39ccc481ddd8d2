/*
 * The code buffer: one mapping holding the prologues, then TranslationBlock
 * structs each followed by its code and search data.  With split_wx the
 * buffer is a memfd mapped twice, writable (where the generator writes)
 * and executable (where code runs); code_rx_offset converts between them.
 */
#include "config-host.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tcg-internal.h"

#define DEFAULT_CODE_SIZE (256 * 1024 * 1024)
#define MIN_CODE_SIZE     (1 * 1024 * 1024)
#define HIGHWATER_MARGIN  (64 * 1024)

static size_t default_size(void)
{
    long pages = sysconf(_SC_PHYS_PAGES);
    long psize = sysconf(_SC_PAGESIZE);
    size_t size = DEFAULT_CODE_SIZE;

    if (pages > 0 && psize > 0 && (size_t)pages * psize / 8 < size) {
        size = (size_t)pages * psize / 8;
    }
    return size;
}

bool tcg_region_init(TCGContext *s, size_t size, bool split_wx, char **errmsg);

bool tcg_region_init(TCGContext *s, size_t size, bool split_wx, char **errmsg)
{
    long psize = sysconf(_SC_PAGESIZE);
    void *rw, *rx;

    if (size == 0) {
        size = default_size();
    }
    if (size < MIN_CODE_SIZE) {
        size = MIN_CODE_SIZE;
    }
    size = (size + psize - 1) & ~(size_t)(psize - 1);

    if (!split_wx) {
        /*
         * Ask for a place just below our own code so that calls from
         * generated code to helpers fit a rel32 (a hint only: the kernel
         * may put the buffer anywhere, and calls then go through a
         * register).
         */
        uintptr_t text = (uintptr_t)tcg_region_init;
        void *hint = NULL;

        if (sizeof(void *) == 8 && text > size + (1ul << 30)) {
            hint = (void *)((text - size - (256ul << 20)) & ~(uintptr_t)0xffff);
        }
        rw = mmap(hint, size, PROT_READ | PROT_WRITE | PROT_EXEC,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (rw == MAP_FAILED) {
            if (errmsg) {
                *errmsg = g_strdup_printf("tcg: cannot map %zu bytes of code buffer: %s",
                                          size, strerror(errno));
            }
            return false;
        }
        rx = rw;
#ifdef MADV_HUGEPAGE
        /* fewer page faults while the buffer fills up */
        madvise(rw, size, MADV_HUGEPAGE);
#endif
    } else {
        int fd = memfd_create("tcg-jit", 0);

        if (fd < 0 || ftruncate(fd, size) < 0) {
            if (errmsg) {
                *errmsg = g_strdup_printf("tcg: memfd for split W^X: %s",
                                          strerror(errno));
            }
            if (fd >= 0) {
                close(fd);
            }
            return false;
        }
        rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
        close(fd);
        if (rw == MAP_FAILED || rx == MAP_FAILED) {
            if (errmsg) {
                *errmsg = g_strdup_printf("tcg: mapping split W^X buffer: %s",
                                          strerror(errno));
            }
            return false;
        }
    }
    s->code_gen_buffer = rw;
    s->code_gen_buffer_size = size;
    s->code_rx_offset = (uint8_t *)rx - (uint8_t *)rw;
    s->code_gen_highwater = (uint8_t *)rw + size - HIGHWATER_MARGIN;
    return true;
}
