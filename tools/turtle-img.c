/*
 * turtle-img: create, inspect, check, convert, snapshot, resize, compare
 * and map disk images, with qemu-img's command line and output.
 *
 * It uses the block layer's nodes directly (block/block.h), synchronously,
 * in this one thread.  Exit codes follow qemu-img: 0 success, 1 error;
 * check: 2 corruptions, 3 leaks only; compare: 1 different, 2 error.
 */
#include "turtle/osdep.h"
#include "turtle/error.h"
#include "turtle/option.h"
#include "block/block.h"
#include <getopt.h>
#include <json-glib/json-glib.h>
#include <time.h>
#include <sys/stat.h>

static bool quiet;

static void qprintf(const char *fmt, ...) TURTLE_PRINTF(1, 2);
static void qprintf(const char *fmt, ...)
{
    va_list ap;

    if (quiet) {
        return;
    }
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

static TURTLE_NORETURN void die(const char *fmt, ...) TURTLE_PRINTF(1, 2);
static void die(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report("%s", msg);
    g_free(msg);
    exit(1);
}

static void help(void)
{
    printf(
"turtle-img version " TURTLE_VERSION "\n"
"usage: turtle-img [standard options] command [command options]\n"
"\n"
"Commands:\n"
"  create [-q] [-f fmt] [-b backing_file [-F backing_fmt]] [-o options]\n"
"         filename [size]\n"
"  info [-f fmt] [--output=human|json] [--backing-chain] [-U] filename\n"
"  check [-q] [-f fmt] [--output=human|json] [-r leaks|all] [-U] filename\n"
"  convert [-q] [-p] [-c] [-f fmt] [-O output_fmt] [-o options]\n"
"          [-t cache] [-T src_cache] [-U] filename [filename2 [...]]\n"
"          output_filename\n"
"  snapshot [-q] [-U] [-l | -a snapshot | -c snapshot | -d snapshot]\n"
"           filename\n"
"  resize [-q] [-f fmt] [--shrink] [--preallocation=prealloc] filename\n"
"         [+ | -]size\n"
"  compare [-q] [-f fmt] [-F fmt] [-s] [-U] filename1 filename2\n"
"  map [-f fmt] [--output=human|json] [-U] filename\n"
"\n"
"Supported formats: ");
    {
        GString *g = g_string_new(NULL);
        bdrv_list_formats(g);
        printf("%s\n", g->str);
        g_string_free(g, TRUE);
    }
    printf("-o help lists a format's creation options (-f FMT -o help).\n");
}

/* "1 MiB" the way qemu-img prints sizes */
static char *size_to_str(uint64_t v)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
                                         "PiB", "EiB" };
    double d = v;
    int u = 0;

    if (v < 1024) {
        return g_strdup_printf("%" PRIu64 " B", v);
    }
    while (d >= 1024 && u < 6) {
        d /= 1024;
        u++;
    }
    return g_strdup_printf("%0.3g %s", d, units[u]);
}

static uint64_t parse_size_arg(const char *s)
{
    uint64_t v;

    /* a bare number means bytes for turtle-img, as for qemu-img */
    if (!parse_size(s, 1, &v)) {
        die("Invalid image size specified. You may use k, M, G, T, P or E "
            "suffixes for");
    }
    return v;
}

static int cache_flags(const char *mode)
{
    BlockCacheMode c;

    if (!mode) {
        return 0;
    }
    if (!bdrv_parse_cache_mode(mode, &c)) {
        die("Invalid cache option: %s", mode);
    }
    return (c.direct ? BDRV_O_NOCACHE : 0) | (c.no_flush ? BDRV_O_NO_FLUSH : 0);
}

static BlockDriverState *open_image(const char *file, const char *fmt,
                                    int flags)
{
    Error *err = NULL;
    BlockDriverState *bs = bdrv_open(file, fmt, flags, &err);

    if (!bs) {
        error_prepend(&err, "Could not open '%s': ", file);
        error_report_err(err);
        exit(1);
    }
    return bs;
}

/* "-o a=b,c=d" into opts; "help" prints the format's keys */
static void add_create_opts(Opts *o, const char *optstr, const char *fmt)
{
    Error *err = NULL;
    Opts *p;

    if (!strcmp(optstr, "help") || !strcmp(optstr, "?")) {
        GString *g = g_string_new(NULL);
        if (!bdrv_create_help(fmt, g, &err)) {
            error_report_err(err);
            exit(1);
        }
        printf("%s", g->str);
        g_string_free(g, TRUE);
        exit(0);
    }
    p = opts_parse("o", optstr, NULL, &err);
    if (!p) {
        error_report_err(err);
        exit(1);
    }
    for (guint i = 0; i < p->entries->len; i++) {
        OptEntry *e = g_ptr_array_index(p->entries, i);
        opts_set(o, e->key, e->value);
    }
    opts_free(p);
}

static void create_image(const char *fmt, const char *file, Opts *o)
{
    Error *err = NULL;

    if (!bdrv_create(fmt, file, o, &err)) {
        error_prepend(&err, "%s: ", file);
        error_report_err(err);
        exit(1);
    }
    if (!opts_check_all_used(o, &err)) {
        error_prepend(&err, "Invalid parameter for format '%s': ", fmt);
        error_report_err(err);
        unlink(file);
        exit(1);
    }
}

/* ---- create ---- */

static int img_create(int argc, char **argv)
{
    const char *fmt = "raw", *backing = NULL, *backing_fmt = NULL;
    Opts *o = opts_new("create");
    GString *optstrs = g_string_new(NULL);
    const char *file;
    int c;

    while ((c = getopt(argc, argv, "+hf:b:F:o:qu")) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'b': backing = optarg; break;
        case 'F': backing_fmt = optarg; break;
        case 'o':
            g_string_append_printf(optstrs, "%s%s", optstrs->len ? "," : "",
                                   optarg);
            break;
        case 'q': quiet = true; break;
        case 'u': break;
        default: help(); return 1;
        }
    }
    if (optstrs->len) {
        add_create_opts(o, optstrs->str, fmt);
    }
    if (optind >= argc) {
        die("Expecting image file name");
    }
    file = argv[optind++];
    if (optind < argc) {
        char sz[32];
        snprintf(sz, sizeof(sz), "%" PRIu64, parse_size_arg(argv[optind++]));
        opts_set(o, "size", sz);
    }
    if (optind < argc) {
        die("Unexpected argument: %s", argv[optind]);
    }
    if (backing) {
        opts_set(o, "backing_file", backing);
        if (backing_fmt) {
            opts_set(o, "backing_fmt", backing_fmt);
        }
    } else if (backing_fmt) {
        die("-F requires -b");
    }
    if (!opts_has(o, "size") && !backing) {
        die("%s: Image creation needs a size parameter", file);
    }
    qprintf("Formatting '%s', fmt=%s", file, fmt);
    if (opts_has(o, "size")) {
        uint64_t sz = 0;
        char szs[32];

        opts_get_size(o, "size", &sz, NULL);
        qprintf(" size=%" PRIu64, sz);
        /* opts_get_size marks it used: the driver reads it again */
        snprintf(szs, sizeof(szs), "%" PRIu64, sz);
        opts_set(o, "size", szs);
    }
    if (backing) {
        qprintf(" backing_file=%s", backing);
        if (backing_fmt) {
            qprintf(" backing_fmt=%s", backing_fmt);
        }
    }
    qprintf("\n");
    create_image(fmt, file, o);
    opts_free(o);
    g_string_free(optstrs, TRUE);
    return 0;
}

/* ---- info ---- */

static void print_snapshot_table(BlockSnapshotInfo *sn, int n)
{
    printf("Snapshot list:\n");
    printf("%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG", "VM SIZE", "DATE",
           "VM CLOCK", "ICOUNT");
    for (int i = 0; i < n; i++) {
        g_autofree char *vmsz = size_to_str(sn[i].vm_state_size);
        char date[64], clock[64], icount[32] = "";
        time_t t = sn[i].date_sec;
        struct tm tm;
        uint64_t ns = sn[i].vm_clock_nsec;

        localtime_r(&t, &tm);
        strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
        snprintf(clock, sizeof(clock), "%02u:%02u:%02u.%03u",
                 (unsigned)(ns / 3600000000000ull),
                 (unsigned)(ns / 60000000000ull % 60),
                 (unsigned)(ns / 1000000000ull % 60),
                 (unsigned)(ns / 1000000 % 1000));
        if (sn[i].icount != UINT64_MAX) {
            snprintf(icount, sizeof(icount), "%" PRIu64, sn[i].icount);
        }
        printf("%-9s %-16s %8s%20s%13s%11s\n", sn[i].id_str, sn[i].name,
               vmsz, date, clock, icount);
    }
}

static void info_human(BlockDriverState *bs)
{
    BlockDriverState *file = bdrv_get_file(bs);
    BlockDriverInfo bdi;
    int64_t vsize = bdrv_getlength(bs);
    int64_t asize = bdrv_get_allocated_file_size(bs);
    g_autofree char *vs = size_to_str(MAX(vsize, 0));
    BlockSnapshotInfo *sn;
    int n;
    GString *spec = g_string_new(NULL);

    printf("image: %s\n", bdrv_get_filename(bs));
    printf("file format: %s\n", bdrv_get_format_name(bs));
    printf("virtual size: %s (%" PRId64 " bytes)\n", vs, vsize);
    if (asize >= 0) {
        g_autofree char *as = size_to_str(asize);
        printf("disk size: %s\n", as);
    } else {
        printf("disk size: unavailable\n");
    }
    if (bdrv_get_info(bs, &bdi)) {
        if (bdi.cluster_size) {
            printf("cluster_size: %d\n", bdi.cluster_size);
        }
        if (bdi.is_dirty) {
            printf("cleanly shut down: no\n");
        }
    }
    if (*bdrv_get_backing_filename(bs)) {
        g_autofree char *full = bdrv_backing_path(bs);
        printf("backing file: %s", bdrv_get_backing_filename(bs));
        if (full && strcmp(full, bdrv_get_backing_filename(bs))) {
            printf(" (actual path: %s)", full);
        }
        printf("\n");
        if (*bdrv_get_backing_format(bs)) {
            printf("backing file format: %s\n", bdrv_get_backing_format(bs));
        }
    }
    n = bdrv_snapshot_list(bs, &sn);
    if (n > 0) {
        print_snapshot_table(sn, n);
    }
    g_free(sn);
    bdrv_info_specific_text(bs, spec);
    if (spec->len) {
        printf("Format specific information:\n%s", spec->str);
    }
    g_string_free(spec, TRUE);
    (void)file;
}

static void info_json(JsonBuilder *b, BlockDriverState *bs)
{
    BlockDriverInfo bdi;
    BlockSnapshotInfo *sn;
    int n = bdrv_snapshot_list(bs, &sn);
    int64_t asize = bdrv_get_allocated_file_size(bs);

    json_builder_begin_object(b);
    if (*bdrv_get_backing_format(bs)) {
        json_builder_set_member_name(b, "backing-filename-format");
        json_builder_add_string_value(b, bdrv_get_backing_format(bs));
    }
    if (n > 0) {
        json_builder_set_member_name(b, "snapshots");
        json_builder_begin_array(b);
        for (int i = 0; i < n; i++) {
            json_builder_begin_object(b);
            if (sn[i].icount != UINT64_MAX) {
                json_builder_set_member_name(b, "icount");
                json_builder_add_int_value(b, sn[i].icount);
            }
            json_builder_set_member_name(b, "vm-clock-nsec");
            json_builder_add_int_value(b, sn[i].vm_clock_nsec % 1000000000);
            json_builder_set_member_name(b, "name");
            json_builder_add_string_value(b, sn[i].name);
            json_builder_set_member_name(b, "date-sec");
            json_builder_add_int_value(b, sn[i].date_sec);
            json_builder_set_member_name(b, "date-nsec");
            json_builder_add_int_value(b, sn[i].date_nsec);
            json_builder_set_member_name(b, "vm-clock-sec");
            json_builder_add_int_value(b, sn[i].vm_clock_nsec / 1000000000);
            json_builder_set_member_name(b, "id");
            json_builder_add_string_value(b, sn[i].id_str);
            json_builder_set_member_name(b, "vm-state-size");
            json_builder_add_int_value(b, sn[i].vm_state_size);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
    }
    g_free(sn);
    json_builder_set_member_name(b, "virtual-size");
    json_builder_add_int_value(b, bdrv_getlength(bs));
    json_builder_set_member_name(b, "filename");
    json_builder_add_string_value(b, bdrv_get_filename(bs));
    if (bdrv_get_info(bs, &bdi) && bdi.cluster_size) {
        json_builder_set_member_name(b, "cluster-size");
        json_builder_add_int_value(b, bdi.cluster_size);
    }
    json_builder_set_member_name(b, "format");
    json_builder_add_string_value(b, bdrv_get_format_name(bs));
    if (asize >= 0) {
        json_builder_set_member_name(b, "actual-size");
        json_builder_add_int_value(b, asize);
    }
    if (!strcmp(bdrv_get_format_name(bs), "qcow2")) {
        json_builder_set_member_name(b, "format-specific");
        json_builder_begin_object(b);
        bdrv_info_specific(bs, b);
        json_builder_end_object(b);
    }
    if (*bdrv_get_backing_filename(bs)) {
        g_autofree char *full = bdrv_backing_path(bs);
        json_builder_set_member_name(b, "full-backing-filename");
        json_builder_add_string_value(b, full);
        json_builder_set_member_name(b, "backing-filename");
        json_builder_add_string_value(b, bdrv_get_backing_filename(bs));
    }
    json_builder_set_member_name(b, "dirty-flag");
    json_builder_add_boolean_value(b, bdi.is_dirty);
    json_builder_end_object(b);
}

static void print_json(JsonBuilder *b)
{
    JsonGenerator *gen = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    gchar *s;

    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 4);
    json_generator_set_root(gen, root);
    s = json_generator_to_data(gen, NULL);
    printf("%s\n", s);
    g_free(s);
    json_node_unref(root);
    g_object_unref(gen);
}

static const struct option long_common[] = {
    { "output", required_argument, NULL, 'J' },
    { "force-share", no_argument, NULL, 'U' },
    { "backing-chain", no_argument, NULL, 'B' },
    { "shrink", no_argument, NULL, 'S' },
    { "preallocation", required_argument, NULL, 'P' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static bool parse_output(const char *v)
{
    if (!strcmp(v, "json")) {
        return true;
    }
    if (strcmp(v, "human")) {
        die("--output must be used with human or json as argument.");
    }
    return false;
}

static int img_info(int argc, char **argv)
{
    const char *fmt = NULL;
    bool json = false, chain = false;
    int flags = 0, c;
    BlockDriverState *bs;
    JsonBuilder *b = NULL;

    while ((c = getopt_long(argc, argv, "+hf:U", long_common, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'J': json = parse_output(optarg); break;
        case 'U': flags |= BDRV_O_FORCE_SHARE; break;
        case 'B': chain = true; break;
        default: help(); return 1;
        }
    }
    if (optind != argc - 1) {
        die("Expecting one image file name");
    }
    bs = open_image(argv[optind], fmt, flags | BDRV_O_NO_IO);
    if (json) {
        b = json_builder_new();
        if (chain) {
            json_builder_begin_array(b);
        }
    }
    for (BlockDriverState *p = bs; p; p = chain ? bdrv_get_backing(p) : NULL) {
        if (json) {
            info_json(b, p);
        } else {
            if (p != bs) {
                printf("\n");
            }
            info_human(p);
        }
    }
    if (json) {
        if (chain) {
            json_builder_end_array(b);
        }
        print_json(b);
        g_object_unref(b);
    }
    bdrv_unref(bs);
    return 0;
}

/* ---- check ---- */

static int img_check(int argc, char **argv)
{
    const char *fmt = NULL, *repair = NULL;
    bool json = false;
    int flags = BDRV_O_CHECK | BDRV_O_NO_BACKING, fix = 0, c, ret;
    BdrvCheckResult res = { 0 };
    BlockDriverState *bs;

    while ((c = getopt_long(argc, argv, "+hf:r:qU", long_common, NULL))
           != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'r': repair = optarg; break;
        case 'q': quiet = true; break;
        case 'J': json = parse_output(optarg); break;
        case 'U': flags |= BDRV_O_FORCE_SHARE; break;
        default: help(); return 1;
        }
    }
    if (optind != argc - 1) {
        die("Expecting one image file name");
    }
    if (repair) {
        if (!strcmp(repair, "leaks")) {
            fix = BDRV_FIX_LEAKS;
        } else if (!strcmp(repair, "all")) {
            fix = BDRV_FIX_LEAKS | BDRV_FIX_ERRORS;
        } else {
            die("Unknown option value for -r (expecting 'leaks' or 'all'): "
                "%s", repair);
        }
        if (flags & BDRV_O_FORCE_SHARE) {
            die("--force-share/-U is not allowed with -r");
        }
        flags |= BDRV_O_RDWR;
    }
    bs = open_image(argv[optind], fmt, flags);
    res.log = g_string_new(NULL);
    ret = bdrv_check(bs, &res, fix);
    if (ret == -ENOTSUP) {
        error_report("This image format does not support checks");
        bdrv_unref(bs);
        return 63;
    }
    if (json) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "image-end-offset");
        json_builder_add_int_value(b, res.image_end_offset);
        json_builder_set_member_name(b, "total-clusters");
        json_builder_add_int_value(b, res.total_clusters);
        json_builder_set_member_name(b, "check-errors");
        json_builder_add_int_value(b, res.check_errors);
        json_builder_set_member_name(b, "allocated-clusters");
        json_builder_add_int_value(b, res.allocated_clusters);
        json_builder_set_member_name(b, "filename");
        json_builder_add_string_value(b, argv[optind]);
        json_builder_set_member_name(b, "format");
        json_builder_add_string_value(b, bdrv_get_format_name(bs));
        json_builder_set_member_name(b, "corruptions");
        json_builder_add_int_value(b, res.corruptions);
        json_builder_set_member_name(b, "leaks");
        json_builder_add_int_value(b, res.leaks);
        json_builder_set_member_name(b, "corruptions-fixed");
        json_builder_add_int_value(b, res.corruptions_fixed);
        json_builder_set_member_name(b, "leaks-fixed");
        json_builder_add_int_value(b, res.leaks_fixed);
        json_builder_end_object(b);
        print_json(b);
        g_object_unref(b);
    } else {
        if (res.log->len) {
            fprintf(stderr, "%s", res.log->str);
        }
        if (res.corruptions_fixed || res.leaks_fixed) {
            qprintf("The following inconsistencies were found and repaired:"
                    "\n\n    %d leaked clusters\n    %d corruptions\n\n"
                    "Double checking the fixed image now...\n",
                    res.leaks_fixed, res.corruptions_fixed);
        }
        if (ret < 0) {
            qprintf("An error has occurred during the check: %s\n"
                    "The check is not complete and may have missed error.\n",
                    g_strerror(-ret));
        }
        if (!res.corruptions && !res.leaks && !res.check_errors) {
            qprintf("No errors were found on the image.\n");
        } else {
            if (res.corruptions) {
                qprintf("\n%d errors were found on the image.\nData may be "
                        "corrupted, or further writes to the image may "
                        "corrupt it.\n", res.corruptions);
            }
            if (res.leaks) {
                qprintf("\n%d leaked clusters were found on the image.\nThis "
                        "means waste of disk space, but no harm to data.\n",
                        res.leaks);
            }
            if (res.check_errors) {
                qprintf("\n%d internal errors have occurred during the "
                        "check.\n", res.check_errors);
            }
        }
        if (res.total_clusters && res.allocated_clusters) {
            qprintf("%" PRIu64 "/%" PRIu64 " = %0.2f%% allocated, %0.2f%% "
                    "fragmented, %0.2f%% compressed clusters\n",
                    res.allocated_clusters, res.total_clusters,
                    res.allocated_clusters * 100.0 / res.total_clusters,
                    res.fragmented_clusters * 100.0 / res.allocated_clusters,
                    res.compressed_clusters * 100.0 / res.allocated_clusters);
        }
        if (res.image_end_offset) {
            qprintf("Image end offset: %" PRId64 "\n", res.image_end_offset);
        }
    }
    g_string_free(res.log, TRUE);
    bdrv_unref(bs);
    if (ret < 0 || res.check_errors) {
        return 1;
    }
    return res.corruptions ? 2 : res.leaks ? 3 : 0;
}

/* ---- convert ---- */

typedef struct Source {
    BlockDriverState *bs;
    int64_t len;
} Source;

static bool buf_is_zero(const uint8_t *p, size_t n)
{
    return n == 0 || (p[0] == 0 && !memcmp(p, p + 1, n - 1));
}

typedef struct ConvertJob {
    Source *src;
    BlockDriverState *out;
    int64_t chunk;
    bool compress, zero_init, progress;
    int64_t total;
    int64_t copied;             /* atomic, for the progress line */
    int ret;                    /* atomic: first error */
} ConvertJob;

typedef struct ConvertTask {
    int src;
    int64_t off, len, dst;
} ConvertTask;

/* Copy [off, off + len) of one source, a chunk at a time. */
static void convert_task(gpointer data, gpointer user)
{
    ConvertTask *t = data;
    ConvertJob *j = user;
    BlockDriverState *bs = j->src[t->src].bs;
    uint8_t *buf = qemu_blockalign(j->out, j->chunk);
    int64_t off = t->off, end = t->off + t->len;
    int ret = 0;

    while (off < end && ret == 0 && !g_atomic_int_get(&j->ret)) {
        int64_t pnum, map, n = MIN(j->chunk, end - off);
        BlockDriverState *file;
        int depth;
        int st = bdrv_block_status_above(bs, off, n, &pnum, &map, &file,
                                         &depth);

        if (st < 0) {
            ret = st;
            break;
        }
        if (j->compress && pnum < n) {
            pnum = n;       /* whole clusters: read and look instead */
            st = BDRV_BLOCK_DATA;
        }
        n = MIN(n, pnum);
        if ((st & BDRV_BLOCK_ZERO) && !(st & BDRV_BLOCK_DATA)) {
            if (!j->zero_init) {
                ret = bdrv_pwrite_zeroes(j->out, t->dst + off - t->off, n, 0);
            }
        } else {
            ret = bdrv_pread(bs, off, buf, n);
            if (ret == 0 && buf_is_zero(buf, n) && j->zero_init) {
                /* nothing to write */
            } else if (ret == 0 && j->compress) {
                ret = bdrv_pwrite_compressed(j->out, t->dst + off - t->off,
                                             buf, n);
            } else if (ret == 0) {
                ret = bdrv_pwrite(j->out, t->dst + off - t->off, buf, n);
            }
        }
        off += n;
        if (j->progress) {
            int64_t c = __atomic_add_fetch(&j->copied, n, __ATOMIC_RELAXED);
            printf("    (%.2f/100%%)\r", c * 100.0 / MAX(j->total, 1));
            fflush(stdout);
        }
    }
    if (ret < 0) {
        g_atomic_int_compare_and_exchange(&j->ret, 0, ret);
    }
    qemu_vfree(buf);
    g_free(t);
}

static int img_convert(int argc, char **argv)
{
    const char *fmt = NULL, *out_fmt = "raw", *cache = "unsafe";
    const char *src_cache = NULL;
    GString *optstrs = g_string_new(NULL);
    bool compress = false, progress = false;
    int sflags = 0, c, ret = 0, nsrc;
    Source *src;
    int64_t total = 0, done = 0;
    BlockDriverState *out;
    Opts *o = opts_new("create");
    const char *out_file;
    int64_t chunk;
    BlockDriverInfo bdi;
    bool zero_init;

    while ((c = getopt_long(argc, argv, "+hf:O:o:cpqt:T:UnW", long_common,
                            NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'O': out_fmt = optarg; break;
        case 'o':
            g_string_append_printf(optstrs, "%s%s", optstrs->len ? "," : "",
                                   optarg);
            break;
        case 'c': compress = true; break;
        case 'p': progress = true; break;
        case 'q': quiet = true; break;
        case 't': cache = optarg; break;
        case 'T': src_cache = optarg; break;
        case 'U': sflags |= BDRV_O_FORCE_SHARE; break;
        case 'n': die("-n (skip target creation) is not supported");
        case 'W': break;
        default: help(); return 1;
        }
    }
    if (optstrs->len) {
        add_create_opts(o, optstrs->str, out_fmt);
    }
    nsrc = argc - optind - 1;
    if (nsrc < 1) {
        die("Expecting image file name");
    }
    out_file = argv[argc - 1];
    src = g_new0(Source, nsrc);
    for (int i = 0; i < nsrc; i++) {
        src[i].bs = open_image(argv[optind + i], fmt,
                               sflags | cache_flags(src_cache));
        src[i].len = bdrv_getlength(src[i].bs);
        if (src[i].len < 0) {
            die("Could not get size of '%s'", argv[optind + i]);
        }
        total += src[i].len;
    }
    if (compress && strcmp(out_fmt, "qcow2")) {
        die("Compression not supported for this file format");
    }
    if (!opts_has(o, "size")) {
        char sz[32];
        snprintf(sz, sizeof(sz), "%" PRId64, total);
        opts_set(o, "size", sz);
    }
    create_image(out_fmt, out_file, o);
    opts_free(o);
    out = open_image(out_file, out_fmt, BDRV_O_RDWR | cache_flags(cache));
    zero_init = bdrv_has_zero_init(out) && !*bdrv_get_backing_filename(out);
    chunk = 2 * MiB;
    if (bdrv_get_info(out, &bdi) && bdi.cluster_size) {
        chunk = ROUND_UP(chunk, bdi.cluster_size);
        if (compress) {
            chunk = bdi.cluster_size;
        }
    }
    {
        /* several workers, as qemu-img keeps several requests in
         * flight: I/O overlaps, and compression uses every CPU */
        ConvertJob job = {
            .src = src, .out = out, .chunk = chunk, .compress = compress,
            .zero_init = zero_init, .progress = progress && !quiet,
            .total = total,
        };
        int workers = compress ? MAX(2, (int)g_get_num_processors()) : 4;
        GThreadPool *pool = g_thread_pool_new(convert_task, &job,
                                              MIN(workers, 16), TRUE, NULL);
        int64_t task = compress ? 64 * chunk : 4 * chunk;

        for (int i = 0; i < nsrc; i++) {
            for (int64_t off = 0; off < src[i].len; off += task) {
                ConvertTask *t = g_new(ConvertTask, 1);
                *t = (ConvertTask){ i, off, MIN(task, src[i].len - off),
                                    done + off };
                g_thread_pool_push(pool, t, NULL);
            }
            done += src[i].len;
        }
        g_thread_pool_free(pool, FALSE, TRUE);
        ret = g_atomic_int_get(&job.ret);
    }
    if (ret == 0) {
        ret = bdrv_flush(out);
    }
    if (progress && !quiet) {
        printf("    (100.00/100%%)\n");
    }
    bdrv_unref(out);
    for (int i = 0; i < nsrc; i++) {
        bdrv_unref(src[i].bs);
    }
    g_free(src);
    g_string_free(optstrs, TRUE);
    if (ret < 0) {
        error_report("error while writing or reading: %s", g_strerror(-ret));
        return 1;
    }
    return 0;
}

/* ---- snapshot ---- */

static int img_snapshot(int argc, char **argv)
{
    int action = 0, flags = BDRV_O_NO_BACKING, c;
    const char *name = NULL;
    BlockDriverState *bs;
    Error *err = NULL;
    bool ok = true;

    while ((c = getopt_long(argc, argv, "+hla:c:d:qU", long_common, NULL))
           != -1) {
        switch (c) {
        case 'l': case 'a': case 'c': case 'd':
            if (action) {
                die("Cannot mix '-l', '-a', '-c', '-d'");
            }
            action = c;
            name = optarg;
            break;
        case 'q': quiet = true; break;
        case 'U': flags |= BDRV_O_FORCE_SHARE; break;
        default: help(); return 1;
        }
    }
    if (optind != argc - 1) {
        die("Expecting one image file name");
    }
    if (!action) {
        action = 'l';
    }
    if (action != 'l') {
        if (flags & BDRV_O_FORCE_SHARE) {
            die("--force-share/-U is only allowed with -l");
        }
        flags |= BDRV_O_RDWR;
    }
    bs = open_image(argv[optind], NULL, flags);
    switch (action) {
    case 'l': {
        BlockSnapshotInfo *sn;
        int n = bdrv_snapshot_list(bs, &sn);
        if (n > 0) {
            print_snapshot_table(sn, n);
        }
        g_free(sn);
        break;
    }
    case 'c': {
        BlockSnapshotInfo sn = { .icount = UINT64_MAX };
        gint64 now = g_get_real_time();

        g_strlcpy(sn.name, name, sizeof(sn.name));
        sn.date_sec = now / G_USEC_PER_SEC;
        sn.date_nsec = (now % G_USEC_PER_SEC) * 1000;
        ok = bdrv_snapshot_create(bs, &sn, &err);
        if (!ok) {
            error_prepend(&err, "Could not create snapshot '%s': ", name);
        }
        break;
    }
    case 'a':
        ok = bdrv_snapshot_goto(bs, name, &err);
        if (!ok) {
            error_prepend(&err, "Could not apply snapshot '%s': ", name);
        }
        break;
    case 'd':
        ok = bdrv_snapshot_delete(bs, name, &err);
        if (!ok) {
            error_prepend(&err, "Could not delete snapshot '%s': ", name);
        }
        break;
    }
    bdrv_unref(bs);
    if (!ok) {
        error_report_err(err);
        return 1;
    }
    return 0;
}

/* ---- resize ---- */

static int img_resize(int argc, char **argv)
{
    const char *fmt = NULL, *sizestr;
    bool shrink = false;
    PreallocMode prealloc = PREALLOC_MODE_OFF;
    BlockDriverState *bs;
    int64_t cur, size;
    Error *err = NULL;
    int c;

    /* "-1G" is a size, not an option: only parse up to the file name */
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && g_ascii_isdigit(argv[i][1])) {
            argc = i + 1;
            break;
        }
    }
    while ((c = getopt_long(argc - 1, argv, "+hf:q", long_common, NULL))
           != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'q': quiet = true; break;
        case 'S': shrink = true; break;
        case 'P':
            if (!prealloc_mode_parse(optarg, &prealloc)) {
                die("Invalid preallocation mode '%s'", optarg);
            }
            break;
        default: help(); return 1;
        }
    }
    if (optind != argc - 2) {
        die("Expecting image file name and size");
    }
    sizestr = argv[argc - 1];
    bs = open_image(argv[optind], fmt, BDRV_O_RDWR | BDRV_O_NO_BACKING);
    cur = bdrv_getlength(bs);
    if (sizestr[0] == '+' || sizestr[0] == '-') {
        int64_t d = parse_size_arg(sizestr + 1);
        size = sizestr[0] == '+' ? cur + d : cur - d;
    } else {
        size = parse_size_arg(sizestr);
    }
    if (size <= 0) {
        die("New image size must be positive");
    }
    if (size < cur && !shrink) {
        die("Use the --shrink option to perform a shrink operation.");
    }
    if (size < cur && prealloc != PREALLOC_MODE_OFF) {
        die("Preallocation can only be used for growing images");
    }
    if (!bdrv_truncate(bs, size, prealloc, &err)) {
        error_report_err(err);
        bdrv_unref(bs);
        return 1;
    }
    bdrv_unref(bs);
    qprintf("Image resized.\n");
    return 0;
}

/* ---- compare ---- */

static int img_compare(int argc, char **argv)
{
    const char *fmt1 = NULL, *fmt2 = NULL;
    bool strict = false;
    int flags = 0, c, ret = 0;
    BlockDriverState *a, *b;
    int64_t la, lb, off = 0;
    uint8_t *ba, *bb;
    const int64_t chunk = 2 * MiB;

    while ((c = getopt_long(argc, argv, "+hf:F:sqU", long_common, NULL))
           != -1) {
        switch (c) {
        case 'f': fmt1 = optarg; break;
        case 'F': fmt2 = optarg; break;
        case 's': strict = true; break;
        case 'q': quiet = true; break;
        case 'U': flags |= BDRV_O_FORCE_SHARE; break;
        default: help(); return 2;
        }
    }
    if (optind != argc - 2) {
        error_report("Expecting two image file names");
        return 2;
    }
    {
        Error *err = NULL;
        a = bdrv_open(argv[optind], fmt1, flags, &err);
        b = a ? bdrv_open(argv[optind + 1], fmt2 ? fmt2 : fmt1, flags, &err)
              : NULL;
        if (!a || !b) {
            error_report_err(err);
            bdrv_unref(a);
            return 2;
        }
    }
    la = bdrv_getlength(a);
    lb = bdrv_getlength(b);
    if (strict && la != lb) {
        qprintf("Strict mode: Image size mismatch!\n");
        ret = 1;
        goto out_nobuf;
    }
    ba = g_malloc(chunk);
    bb = g_malloc(chunk);
    for (off = 0; off < MAX(la, lb) && ret == 0; off += chunk) {
        int64_t n = MIN(chunk, MAX(la, lb) - off);
        int64_t na = off < la ? MIN(n, la - off) : 0;
        int64_t nb = off < lb ? MIN(n, lb - off) : 0;

        memset(ba, 0, n);
        memset(bb, 0, n);
        if ((na && bdrv_pread(a, off, ba, na) < 0) ||
            (nb && bdrv_pread(b, off, bb, nb) < 0)) {
            error_report("Error while reading offset %" PRId64, off);
            ret = 2;
            break;
        }
        if (memcmp(ba, bb, n)) {
            int64_t i = 0;
            while (ba[i] == bb[i]) {
                i++;
            }
            qprintf("Content mismatch at offset %" PRId64 "!\n",
                    ROUND_DOWN(off + i, BDRV_SECTOR_SIZE));
            ret = 1;
        }
    }
    g_free(ba);
    g_free(bb);
    if (ret == 0) {
        qprintf("Images are identical.\n");
    }
out_nobuf:
    bdrv_unref(a);
    bdrv_unref(b);
    return ret;
}

/* ---- map ---- */

typedef struct MapEntry {
    int64_t start, length, offset;
    int depth;
    bool present, zero, data, compressed, has_offset;
    const char *filename;
} MapEntry;

static bool map_mergeable(const MapEntry *a, const MapEntry *b)
{
    return a->depth == b->depth && a->present == b->present &&
           a->zero == b->zero && a->data == b->data &&
           a->compressed == b->compressed && a->has_offset == b->has_offset &&
           (!a->has_offset || a->offset + a->length == b->offset) &&
           a->filename == b->filename;
}

static bool map_print(const MapEntry *e, bool json, bool *first)
{
    if (json) {
        printf("%s{ \"start\": %" PRId64 ", \"length\": %" PRId64 ", "
               "\"depth\": %d, \"present\": %s, \"zero\": %s, \"data\": %s",
               *first ? "[" : ",\n", e->start, e->length, e->depth,
               e->present ? "true" : "false", e->zero ? "true" : "false",
               e->data ? "true" : "false");
        if (e->has_offset) {
            printf(", \"offset\": %" PRId64, e->offset);
        }
        printf("}");
    } else if (e->data && !e->has_offset) {
        /* the human format has no way to say where such data is */
        error_report("File contains external, encrypted or compressed "
                     "clusters.");
        return false;
    } else if (e->data && !e->zero) {
        printf("%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64 "%s\n",
               e->start, e->length, e->offset, e->filename);
    }
    *first = false;
    return true;
}

static int img_map(int argc, char **argv)
{
    const char *fmt = NULL;
    bool json = false, first = true, have = false;
    int flags = 0, c;
    BlockDriverState *bs;
    MapEntry cur = { 0 };
    int64_t len, off = 0;

    while ((c = getopt_long(argc, argv, "+hf:U", long_common, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'J': json = parse_output(optarg); break;
        case 'U': flags |= BDRV_O_FORCE_SHARE; break;
        default: help(); return 1;
        }
    }
    if (optind != argc - 1) {
        die("Expecting one image file name");
    }
    bs = open_image(argv[optind], fmt, flags);
    len = bdrv_getlength(bs);
    if (!json) {
        printf("%-16s%-16s%-16s%s\n", "Offset", "Length", "Mapped to", "File");
    }
    while (off < len) {
        int64_t pnum, map;
        BlockDriverState *file = NULL;
        int depth;
        int st = bdrv_block_status_above(bs, off, len - off, &pnum, &map,
                                          &file, &depth);
        MapEntry e;

        if (st < 0) {
            error_report("Could not read file metadata: %s", g_strerror(-st));
            bdrv_unref(bs);
            return 1;
        }
        e = (MapEntry){
            .start = off, .length = pnum,
            .depth = depth,
            .present = !!(st & BDRV_BLOCK_ALLOCATED),
            .zero = !!(st & BDRV_BLOCK_ZERO),
            .data = !!(st & BDRV_BLOCK_DATA),
            .compressed = !!(st & BDRV_BLOCK_COMPRESSED),
            .has_offset = !!(st & BDRV_BLOCK_OFFSET_VALID),
            .offset = map,
            .filename = file ? bdrv_get_filename(file) : NULL,
        };
        if (have && map_mergeable(&cur, &e)) {
            cur.length += e.length;
        } else {
            if (have && !map_print(&cur, json, &first)) {
                bdrv_unref(bs);
                return 1;
            }
            cur = e;
            have = true;
        }
        off += pnum;
    }
    if (have && !map_print(&cur, json, &first)) {
        bdrv_unref(bs);
        return 1;
    }
    if (json) {
        printf("%s]\n", first ? "[" : "");
    }
    bdrv_unref(bs);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } cmds[] = {
        { "create", img_create }, { "info", img_info },
        { "check", img_check }, { "convert", img_convert },
        { "snapshot", img_snapshot }, { "resize", img_resize },
        { "compare", img_compare }, { "map", img_map },
    };

    error_set_progname(argv[0]);
    if (argc < 2) {
        die("Not enough arguments\nTry 'turtle-img --help' for more "
            "information");
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        help();
        return 0;
    }
    if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
        printf("turtle-img version %s\n", TURTLE_VERSION);
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        if (!strcmp(argv[1], cmds[i].name)) {
            optind = 0;
            return cmds[i].fn(argc - 1, argv + 1);
        }
    }
    die("Command not found: %s", argv[1]);
}
