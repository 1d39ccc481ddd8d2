#!/bin/sh
# Block layer throughput at the driver level, turtle vs QEMU in the same
# run (no guest: the in-guest benchmark comes with virtio-blk):
#  - block-bench vs `qemu-img bench`: COUNT requests of 4 KiB / 64 KiB,
#    queue depth 32, sequential reads and writes and (turtle only, QEMU's
#    bench has no such mode) random reads, on raw and qcow2, aio=threads
#    and aio=io_uring, host page cache (writeback) and O_DIRECT (none);
#  - allocating writes to a fresh qcow2 image;
#  - turtle-img convert vs qemu-img convert: raw->qcow2, qcow2->raw,
#    qcow2 -c.
# Ratio = QEMU's time / turtle's time: above 1 turtle is faster.
# Usage: block-bench.sh [builddir] [scale]   (scale multiplies COUNT)
build=${1:-build}
scale=${2:-1}
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
elapsed() { echo "$(now) $1" | awk '{ printf "%.3f", $1 - $2 }'; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
row() {   # name turtle_s qemu_s
    if [ "$3" = "-" ]; then
        printf '%-44s %8ss %8s  %6s\n' "$1" "$2" "-" "-"
    else
        printf '%-44s %8ss %8ss  %6s\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"
    fi
}

echo "preparing images in $dir"
head -c $((256 * 1024 * 1024)) /dev/urandom > "$dir/img.raw"
"$timg" convert -q -O qcow2 "$dir/img.raw" "$dir/img.qcow2"

printf '%-44s %9s %9s  %6s\n' "test" "turtle" "qemu" "ratio"
for fmt in raw qcow2; do
    for cache in writeback none; do
        for aio in threads io_uring; do
            for size in 4k 64k; do
                if [ $size = 4k ]; then count=$((40000 * scale)); else count=$((8000 * scale)); fi
                for rw in read write randread; do
                    flag=; [ $rw = write ] && flag=-w
                    rflag=; [ $rw = randread ] && rflag=-r
                    out=$("$bench" -f $fmt -c $count -d 32 -s $size -t $cache -i $aio $flag $rflag "$dir/img.$fmt") || exit 1
                    t=$(echo "$out" | awk '{ print $5 }')
                    q=-
                    if [ $have_qemu = yes ] && [ $rw != randread ]; then
                        qflag=; [ $rw = write ] && qflag=-w
                        q=$(qemu-img bench -f $fmt -c $count -d 32 -s $size -t $cache -i $aio $qflag "$dir/img.$fmt" 2>/dev/null |
                            awk '/Run completed/ { print $4 }')
                        [ -n "$q" ] || q=-
                    fi
                    row "$fmt $cache $aio $size $rw" "$t" "$q"
                done
            done
        done
    done
done

# allocating sequential 64 KiB writes to a fresh qcow2 (128 MiB)
"$timg" create -q -f qcow2 "$dir/fresh.qcow2" 256M
out=$("$bench" -f qcow2 -c 2048 -d 32 -s 64k -w "$dir/fresh.qcow2") || exit 1
t=$(echo "$out" | awk '{ print $5 }')
q=-
if [ $have_qemu = yes ]; then
    qemu-img create -q -f qcow2 "$dir/fresh-q.qcow2" 256M
    q=$(qemu-img bench -f qcow2 -c 2048 -d 32 -s 64k -w "$dir/fresh-q.qcow2" 2>/dev/null |
        awk '/Run completed/ { print $4 }')
fi
row "qcow2 allocating 64k writes (default aio)" "$t" "$q"

# convert
conv() {   # name args...
    name=$1; shift
    rm -f "$dir/out"
    t0=$(now); "$timg" convert "$@" "$dir/out" || exit 1; t=$(elapsed "$t0")
    q=-
    if [ $have_qemu = yes ]; then
        rm -f "$dir/out"
        t0=$(now); qemu-img convert "$@" "$dir/out" || exit 1; q=$(elapsed "$t0")
    fi
    row "$name" "$t" "$q"
}
conv "convert raw -> qcow2 (256 MiB)" -f raw -O qcow2 "$dir/img.raw"
conv "convert qcow2 -> raw (256 MiB)" -f qcow2 -O raw "$dir/img.qcow2"
# compressible data for -c: 64 MiB of text
seq 1 20000000 | head -c $((64 * 1024 * 1024)) > "$dir/text.raw"
conv "convert -c raw -> qcow2 (64 MiB text)" -c -f raw -O qcow2 "$dir/text.raw"
[ $have_qemu = yes ] || echo "(qemu-img not installed: no QEMU column)"
