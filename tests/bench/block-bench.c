/*
 * block-bench: the block layer's own throughput, driven like `qemu-img
 * bench` so the two can run side by side (tests/bench/block-bench.sh):
 * COUNT requests of SIZE bytes with DEPTH in flight through a
 * BlockBackend (blk_aio_*, completions on the main loop), sequential
 * (offset advancing by SIZE, wrapping) or random, reads or writes.
 *
 * usage: block-bench [-c count] [-d depth] [-s size] [-t cache]
 *                    [-i threads|io_uring] [-w] [-r] [-f fmt] FILE
 * prints: "<MB/s> MB/s <IOPS> IOPS <seconds> s"
 */
#include "turtle/osdep.h"
#include "block/block-backend.h"
#include "sysemu/main-loop.h"
#include "turtle/option.h"
#include <getopt.h>

typedef struct Bench {
    BlockBackend *blk;
    int64_t len, size, next, issued, done, count;
    bool write, random;
    uint32_t seed;
    uint8_t *buf;
} Bench;

static void bench_issue(Bench *b);

static void bench_cb(void *opaque, int ret)
{
    Bench *b = opaque;

    if (ret < 0) {
        fprintf(stderr, "block-bench: I/O error: %s\n", g_strerror(-ret));
        exit(1);
    }
    b->done++;
    if (b->issued < b->count) {
        bench_issue(b);
    }
}

static void bench_issue(Bench *b)
{
    struct iovec iov = { b->buf, b->size };
    int64_t off;

    if (b->random) {
        b->seed = b->seed * 1103515245 + 12345;
        off = ((int64_t)b->seed * 7919 % (b->len / b->size)) * b->size;
    } else {
        off = b->next;
        b->next += b->size;
        if (b->next + b->size > b->len) {
            b->next = 0;
        }
    }
    b->issued++;
    if (b->write) {
        blk_aio_pwritev(b->blk, off, &iov, 1, 0, bench_cb, b);
    } else {
        blk_aio_preadv(b->blk, off, &iov, 1, 0, bench_cb, b);
    }
}

int main(int argc, char **argv)
{
    Bench b = { .count = 75000, .size = 4096, .seed = 1 };
    const char *cache = "writeback", *aio = "threads", *fmt = "raw";
    int depth = 64, c;
    g_autofree char *opts = NULL;
    DriveInfo *d;
    Error *err = NULL;
    gint64 t0, t1;
    double secs;

    while ((c = getopt(argc, argv, "c:d:s:t:i:wrf:")) != -1) {
        switch (c) {
        case 'c': b.count = atoll(optarg); break;
        case 'd': depth = atoi(optarg); break;
        case 's': {
            uint64_t v;
            if (!parse_size(optarg, 1, &v)) {
                fprintf(stderr, "bad size %s\n", optarg);
                return 1;
            }
            b.size = v;
            break;
        }
        case 't': cache = optarg; break;
        case 'i': aio = optarg; break;
        case 'w': b.write = true; break;
        case 'r': b.random = true; break;
        case 'f': fmt = optarg; break;
        default:
            fprintf(stderr, "usage: block-bench [-c count] [-d depth] "
                    "[-s size] [-t cache] [-i aio] [-w] [-r] [-f fmt] FILE\n");
            return 1;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "block-bench: expecting one file name\n");
        return 1;
    }
    main_loop_init();
    bql_lock();
    opts = g_strdup_printf("file=%s,format=%s,if=none,id=bench,cache=%s,"
                           "aio=%s", argv[optind], fmt, cache, aio);
    d = drive_new(opts, "none", &err);
    if (!d) {
        error_report_err(err);
        return 1;
    }
    b.blk = d->blk;
    b.len = blk_getlength(b.blk);
    b.buf = qemu_blockalign(NULL, b.size);
    memset(b.buf, 0x5a, b.size);
    t0 = g_get_monotonic_time();
    for (int i = 0; i < depth && b.issued < b.count; i++) {
        bench_issue(&b);
    }
    while (b.done < b.count) {
        main_loop_wait(100);
    }
    blk_drain_all();
    t1 = g_get_monotonic_time();
    secs = (t1 - t0) / 1e6;
    printf("%.1f MB/s %.0f IOPS %.3f s\n", b.count * b.size / secs / 1e6,
           b.count / secs, secs);
    blk_close_all();
    qemu_vfree(b.buf);
    return 0;
}
