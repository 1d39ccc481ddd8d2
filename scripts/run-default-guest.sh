#!/bin/sh
# `make run`: start the default guest on this terminal.
#
# Until a board boots Linux this shows what the build contains; once the
# aarch64 `virt` board boots Debian's kernel, this boots it (the guest
# images are fetched and cached by tests/functional/fetch-guests.sh).
#
# `make run-x86` (second argument amd64): Debian's amd64 kernel on the pc
# board under TCG (TURTLE_ACCEL=kvm for KVM where it works).
build=${1:-build}
aarch64="$build/turtle-system-aarch64"
x86_64="$build/turtle-system-x86_64"

if [ "$2" = amd64 ]; then
    "$x86_64" -version || exit 1
    cache=${TURTLE_GUEST_CACHE:-$HOME/.cache/turtle-guests}
    sh tests/functional/fetch-guests.sh amd64 >/dev/null || exit 1
    echo "Booting Debian amd64 ($(head -n 1 "$cache/amd64/VERSION" 2>/dev/null)) on -M pc - Ctrl-A x quits"
    exec "$x86_64" -M pc -accel "${TURTLE_ACCEL:-tcg}" -cpu max -m 512M \
        -smp 2 -nographic -kernel "$cache/amd64/kernel" \
        -initrd "$cache/amd64/initramfs.cpio.gz" -append "console=ttyS0"
fi

"$aarch64" -version || exit 1
echo
if "$aarch64" -M help | grep -q '^virt '; then
    cache=${TURTLE_GUEST_CACHE:-$HOME/.cache/turtle-guests}
    sh tests/functional/fetch-guests.sh arm64 >/dev/null || exit 1
    kernel="$cache/arm64/kernel"
    initrd="$cache/arm64/initramfs.cpio.gz"
    if [ -n "$kernel" ] && [ -f "$initrd" ]; then
        echo "Booting Debian arm64 ($(cat "$cache/arm64/VERSION" 2>/dev/null | head -n 1)) - Ctrl-A x quits"
        exec "$aarch64" -M virt -cpu max -m 512M -nographic \
            -kernel "$kernel" -initrd "$initrd" -append "console=ttyAMA0"
    fi
fi
echo "No bootable board in this build yet. What it contains:"
echo
for exe in "$aarch64" "$x86_64"; do
    echo "== $(basename "$exe")"
    "$exe" -M help
    "$exe" -accel help
    echo
done
