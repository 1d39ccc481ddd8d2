#!/bin/sh
# Fetch and cache the guest images used by Turtle's functional tests.
#
# For arm64 and amd64 this downloads, from the Debian archive configured on
# the host (Debian 12 "bookworm"), with `apt-get download`:
#   - the current kernel (arm64: linux-image-<abi>-arm64-unsigned,
#     amd64: linux-image-<abi>-cloud-amd64-unsigned),
#   - busybox-static,
# extracts the kernel and builds a busybox initramfs (cpio newc, gzip) whose
# /init mounts proc, sys and dev, prints the banner line
#   TURTLE-GUEST-READY <arch>
# and starts a shell on the console with the prompt 'turtle# '.
#
# The host's dpkg architectures and apt state are never touched: apt runs with
# a private state, lists and cache directory inside the cache.
#
# Cache: ${TURTLE_GUEST_CACHE:-$HOME/.cache/turtle-guests}
#   apt/                      private apt state (lists, archives)
#   debs/                     the downloaded .deb files
#   <arch>/kernel             arm64: uncompressed Image; amd64: bzImage
#   <arch>/initramfs.cpio.gz  busybox initramfs
#   <arch>/VERSION            package names and versions used
#
# Usage: fetch-guests.sh [--refresh] [arm64] [amd64]
#   With no architecture, both are fetched. A second run with everything
#   present does nothing but print the paths. --refresh re-runs apt-get update
#   and rebuilds everything.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${TURTLE_GUEST_CACHE:-$HOME/.cache/turtle-guests}
refresh=0
arches=
for a in "$@"; do
    case "$a" in
    --refresh) refresh=1 ;;
    arm64|amd64) arches="$arches $a" ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fetch-guests: unknown argument '$a'" >&2; exit 2 ;;
    esac
done
[ -n "$arches" ] || arches="arm64 amd64"

die() { echo "fetch-guests: error: $*" >&2; exit 1; }

for tool in apt-get apt-cache dpkg-deb python3 gzip; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (this script needs a Debian-like host)"
done

# Everything is done already?  Then be instant.
# An architecture is done when its kernel and initramfs exist and the
# initramfs is newer than the script that builds it.
arch_done() {
    [ -s "$cache/$1/kernel" ] && [ -s "$cache/$1/initramfs.cpio.gz" ] &&
        ! [ "$here/mkinitramfs.py" -nt "$cache/$1/initramfs.cpio.gz" ]
}

all_done() {
    for arch in $arches; do
        arch_done "$arch" || return 1
    done
    return 0
}

print_paths() {
    for arch in $arches; do
        echo "$arch kernel:    $cache/$arch/kernel"
        echo "$arch initramfs: $cache/$arch/initramfs.cpio.gz"
        [ -f "$cache/$arch/VERSION" ] && sed "s/^/$arch   /" "$cache/$arch/VERSION"
    done
    return 0
}

if [ "$refresh" = 0 ] && all_done; then
    print_paths
    exit 0
fi

aptdir=$cache/apt
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$cache/debs"
: > "$aptdir/status"

# Private apt: both architectures known to apt only, host state untouched.
# Sources are the host's (Dir::Etc is left alone).
native=$(dpkg --print-architecture 2>/dev/null || echo amd64)
apt_opts="-q -o APT::Architecture=$native
 -o APT::Architectures::=amd64 -o APT::Architectures::=arm64
 -o Dir::State=$aptdir -o Dir::State::Lists=$aptdir/lists
 -o Dir::State::status=$aptdir/status
 -o Dir::Cache=$aptdir/cache -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
 -o Debug::NoLocking=1 -o APT::Sandbox::User=root"

lists_stamp=$aptdir/updated
if [ "$refresh" = 1 ] || [ ! -f "$lists_stamp" ]; then
    echo "fetch-guests: apt-get update (private lists in $aptdir)" >&2
    # shellcheck disable=SC2086
    if ! apt-get $apt_opts update >"$aptdir/update.log" 2>&1; then
        cat "$aptdir/update.log" >&2
        die "apt-get update failed (see above); check network access to the Debian archive"
    fi
    if grep -q '^\(W\|E\):' "$aptdir/update.log"; then
        grep '^\(W\|E\):' "$aptdir/update.log" >&2
    fi
    touch "$lists_stamp"
fi

# Candidate version of a package, empty if unknown.
candidate() {
    # shellcheck disable=SC2086
    apt-cache $apt_opts policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)' || true
}

# The versioned kernel package a metapackage points to, e.g.
# linux-image-arm64:arm64 -> linux-image-6.1.0-28-arm64
kernel_package() {
    # shellcheck disable=SC2086
    apt-cache $apt_opts depends "$1" 2>/dev/null |
        sed -n 's/^ *Depends: *\(linux-image-[0-9][^ :]*\).*/\1/p' | head -n 1
}

# Download one package (name:arch) into debs/, print the path of the .deb.
download() {
    pkg=$1
    ver=$(candidate "$pkg")
    [ -n "$ver" ] || die "package '$pkg' not found in the apt lists (is the Debian bookworm archive in the host's sources?)"
    name=${pkg%%:*}
    arch=${pkg##*:}
    fver=$(echo "$ver" | sed 's/:/%3a/')
    deb=$cache/debs/${name}_${fver}_${arch}.deb
    if [ ! -s "$deb" ]; then
        echo "fetch-guests: downloading $pkg $ver" >&2
        # shellcheck disable=SC2086
        (cd "$cache/debs" && apt-get $apt_opts download "$pkg=$ver" >"$aptdir/download.log" 2>&1) || {
            cat "$aptdir/download.log" >&2
            die "apt-get download $pkg=$ver failed"
        }
        [ -s "$deb" ] || deb=$(ls "$cache/debs/${name}_"*"_${arch}.deb" | tail -n 1)
    fi
    echo "$name $ver" >> "$cache/$arch.versions.tmp"
    echo "$deb"
}

build_arch() {
    arch=$1
    case "$arch" in
    arm64) meta=linux-image-arm64 ;;
    amd64) meta=linux-image-cloud-amd64 ;;
    esac
    out=$cache/$arch
    work=$cache/work-$arch
    rm -rf "$work" "$cache/$arch.versions.tmp"
    mkdir -p "$out" "$work"

    kpkg=$(kernel_package "$meta:$arch")
    [ -n "$kpkg" ] || die "cannot resolve $meta:$arch to a kernel package"
    # The -unsigned flavour carries the plain kernel image.
    if [ -n "$(candidate "$kpkg-unsigned:$arch")" ]; then
        kpkg=$kpkg-unsigned
    fi
    kdeb=$(download "$kpkg:$arch")
    bdeb=$(download "busybox-static:$arch")

    dpkg-deb -x "$kdeb" "$work/kernel"
    dpkg-deb -x "$bdeb" "$work/busybox"
    vmlinuz=$(ls "$work"/kernel/boot/vmlinuz-* 2>/dev/null | head -n 1)
    [ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in $kdeb"
    # Debian compresses the arm64 Image with gzip; boot loaders of the
    # Image protocol expect it uncompressed.
    if [ "$(od -An -tx1 -N2 "$vmlinuz" | tr -d ' ')" = 1f8b ]; then
        gzip -dc < "$vmlinuz" > "$out/kernel.tmp"
    else
        cp "$vmlinuz" "$out/kernel.tmp"
    fi
    mv "$out/kernel.tmp" "$out/kernel"

    moddir=$(ls -d "$work"/kernel/lib/modules/* 2>/dev/null | head -n 1)
    [ -n "$moddir" ] || die "no lib/modules/<release> in $kdeb"
    python3 "$here/mkinitramfs.py" --arch "$arch" \
        --busybox "$work/busybox/bin/busybox" --modules "$moddir" \
        --output "$out/initramfs.cpio.gz.tmp" ||
        die "building the $arch initramfs failed"
    mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
    mv "$cache/$arch.versions.tmp" "$out/VERSION"
    rm -rf "$work"
}

for arch in $arches; do
    if [ "$refresh" = 1 ] || ! arch_done "$arch"; then
        build_arch "$arch"
    fi
done
print_paths
