#!/bin/sh
# Block layer throughput at the driver level, turtle vs QEMU in the same
# run (no guest: the in-guest benchmark comes with virtio-blk):
#  - block-bench vs `qemu-img bench`: COUNT requests of 4 KiB / 64 KiB,
#    queue depth 32, sequential reads and writes, on raw and qcow2,
#    aio=threads and aio=io_uring, host page cache (writeback) and
#    O_DIRECT (none); both include opening and closing the image;
#  - allocating writes to a fresh qcow2 image;
#  - turtle-img convert vs qemu-img convert: raw->qcow2, qcow2->raw,
#    qcow2 -c.
# Ratio = QEMU's time / turtle's time: above 1 turtle is faster.  Wall
# time is what a user waits; CPU time (user+sys, from /usr/bin/time) is
# steadier on a loaded machine.
# Usage: block-bench.sh [builddir] [scale] [all|io|convert]
#        (scale multiplies COUNT; the third picks a part)
build=${1:-build}
scale=${2:-1}
part=${3:-all}
bench=$build/tests/unit/block-bench
timg=$build/tools/turtle-img
if [ ! -x "$bench" ] || [ ! -x "$timg" ]; then
    echo "block-bench.sh: build first (ninja -C $build)" >&2
    exit 1
fi
have_qemu=no
command -v qemu-img >/dev/null 2>&1 && have_qemu=yes
dir=$(mktemp -d "${TMPDIR:-/var/tmp}/block-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

now() { date +%s.%N; }
elapsed() { echo "$(now) $1" | awk '{ printf "%.2f", $1 - $2 }'; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0 && $1 != "-") printf "%.2f", $1 / $2; else print "-" }'; }
# measure CMD...: sets W (wall seconds) and C (user+sys CPU seconds, "-"
# without /usr/bin/time); fails the script if CMD fails
measure() {
    # the previous command's dirty page cache is written back now, not
    # during this one (whichever ran second used to pay for the first)
    sync
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%e %U %S" -o "$dir/time" "$@" >/dev/null 2>"$dir/err" ||
            { cat "$dir/err" >&2; exit 1; }
        W=$(awk '{ printf "%.2f", $1 }' "$dir/time")
        C=$(awk '{ printf "%.2f", $2 + $3 }' "$dir/time")
    else
        t0=$(now)
        "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
        W=$(elapsed "$t0")
        C=-
    fi
}
# compare NAME "turtle command" "qemu command"
compare() {
    name=$1
    measure $2
    tw=$W; tc=$C
    qw=-; qc=-
    if [ $have_qemu = yes ] && [ -n "$3" ]; then
        measure $3
        qw=$W; qc=$C
    fi
    printf '%-40s %7s %7s %6s   %6s %6s %6s\n' "$name" "$tw" "$qw" \
        "$(ratio "$qw" "$tw")" "$tc" "$qc" "$(ratio "$qc" "$tc")"
}

echo "preparing images in $dir"
head -c $((256 * 1024 * 1024)) /dev/urandom > "$dir/img.raw"
"$timg" convert -q -O qcow2 "$dir/img.raw" "$dir/img.qcow2"

printf '%-40s %7s %7s %6s   %6s %6s %6s\n' "" "wall s" "" "" "cpu s" "" ""
printf '%-40s %7s %7s %6s   %6s %6s %6s\n' "test" "turtle" "qemu" "ratio" \
    "turtle" "qemu" "ratio"
for fmt in raw qcow2; do
    [ $part = convert ] && break
    for cache in writeback none; do
        for aio in threads io_uring; do
            for size in 4k 64k; do
                if [ $size = 4k ]; then count=$((40000 * scale)); else count=$((8000 * scale)); fi
                for rw in read write; do
                    flag=; [ $rw = write ] && flag=-w
                    args="-f $fmt -c $count -d 32 -s $size -t $cache -i $aio $flag $dir/img.$fmt"
                    compare "$fmt $cache $aio $size $rw" "$bench $args" "qemu-img bench $args"
                done
            done
        done
    done
done

# allocating sequential 64 KiB writes to a fresh qcow2 (128 MiB)
if [ $part != convert ]; then
"$timg" create -q -f qcow2 "$dir/fresh.qcow2" 256M
if [ $have_qemu = yes ]; then
    qemu-img create -q -f qcow2 "$dir/fresh-q.qcow2" 256M
fi
compare "qcow2 allocating 64k writes" \
    "$bench -f qcow2 -c 2048 -d 32 -s 64k -w $dir/fresh.qcow2" \
    "qemu-img bench -f qcow2 -c 2048 -d 32 -s 64k -w $dir/fresh-q.qcow2"
fi
[ $part = io ] && exit 0

# convert
seq 1 20000000 | head -c $((64 * 1024 * 1024)) > "$dir/text.raw"
compare "convert raw -> qcow2 (256 MiB)" \
    "$timg convert -f raw -O qcow2 $dir/img.raw $dir/o1" \
    "qemu-img convert -f raw -O qcow2 $dir/img.raw $dir/o2"
compare "convert qcow2 -> raw (256 MiB)" \
    "$timg convert -f qcow2 -O raw $dir/img.qcow2 $dir/o3" \
    "qemu-img convert -f qcow2 -O raw $dir/img.qcow2 $dir/o4"
compare "convert -c raw -> qcow2 (64 MiB text)" \
    "$timg convert -c -f raw -O qcow2 $dir/text.raw $dir/o5" \
    "qemu-img convert -c -f raw -O qcow2 $dir/text.raw $dir/o6"
[ $have_qemu = yes ] || echo "(qemu-img not installed: no QEMU column)"
