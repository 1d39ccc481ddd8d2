/*
 * Helpers shared by the block unit tests: temporary files, running
 * qemu-img/qemu-io (skipping when they are absent), and a model of the
 * disk that random I/O keeps in step with an image.
 */
#ifndef TESTS_UNIT_BLOCK_TEST_UTIL_H
#define TESTS_UNIT_BLOCK_TEST_UTIL_H

#include "turtle/osdep.h"
#include "block/block.h"
#include "turtle/option.h"
#include <fcntl.h>
#include <sys/wait.h>
#include <sys/stat.h>

extern char *test_tmpdir;

char *tmp_path(const char *name);
/* Run argv (NULL-terminated); returns the exit status, output in *out
 * (g_free) when out is not NULL. */
int run_cmd(char **out, const char *first, ...) G_GNUC_NULL_TERMINATED;
bool have_qemu_img(void);
/* qemu-img check: 0 clean, 3 leaks only, 2 corruption (output logged). */
int qemu_img_check(const char *path);
/* qemu-img compare -f FMT a -F raw b: true when identical. */
bool qemu_img_compare(const char *img, const char *raw);

/* Create with bdrv_create, options as "key=value,..." (may be NULL). */
void create_image(const char *fmt, const char *path, int64_t size,
                  const char *opts);

typedef struct DiskModel {
    uint8_t *data;
    int64_t size;
    int cluster_size;
    bool discard_zeroes;       /* discarded clusters read as zero */
    const uint8_t *backing;    /* what discarded clusters read otherwise */
} DiskModel;

void model_fill(uint8_t *buf, size_t len, uint32_t *seed);
uint32_t xorshift_next(uint32_t *seed);
/* Random writes, zero writes and discards through bs, mirrored. */
void model_random_ops(BlockDriverState *bs, DiskModel *m, int nops,
                      uint32_t seed, bool discards);
/* The whole image equals the model. */
void model_verify(BlockDriverState *bs, DiskModel *m);
/* Write the model to a raw file (for qemu-img compare). */
void model_save_raw(DiskModel *m, const char *path);

#endif
