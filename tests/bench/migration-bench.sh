#!/bin/sh
# Live migration of a 512 MiB arm64 guest that dirties memory at a known
# rate: total time and downtime, Turtle against qemu-system-aarch64 (TCG),
# same guest, same run.  Usage: migration-bench.sh [BUILDDIR] [RUNS]
build=${1:-build}
here=$(dirname "$0")
sh "$here/../functional/fetch-guests.sh" arm64 >/dev/null || exit 1
exec python3 "$here/migration_bench.py" "$build/turtle-system-aarch64" --runs "${2:-1}"
