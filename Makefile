# Top-level driver: configure, build and test through meson/ninja.
#   make          build
#   make check    build and run every test; last line "N passed, N failed"
#   make run      install missing Debian packages (as root), build, boot the
#                 default guest on this terminal
#   make run-x86  the same with the amd64 guest on the pc board
#   make bench    run the benchmarks in tests/bench

BUILD ?= build
DEBIAN_BUILD_DEPS = gcc make meson ninja-build pkg-config python3 \
	libglib2.0-dev libjson-glib-dev libpixman-1-dev zlib1g-dev libfdt-dev \
	libsdl2-dev libslirp-dev libcapstone-dev liburing-dev

.PHONY: all build check check-quick check-flaky check-reference run run-x86 deps bench clean distclean

all: build

$(BUILD)/build.ninja:
	./configure --builddir=$(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

check: build
	@python3 scripts/run-tests.py $(BUILD)

check-quick: build
	@python3 scripts/run-tests.py $(BUILD) --suite unit --suite qtest

# Tests of known open bugs that fail intermittently (docs/status.md)
check-flaky: build
	@python3 scripts/run-tests.py $(BUILD) --suite functional-flaky

# Our x86 and aarch64 test guests under qemu-system-*: checks the guests
check-reference: build
	@python3 scripts/run-tests.py $(BUILD) --suite kvm-qemu-ref --suite tcg-qemu-ref

deps:
	@sh scripts/install-deps.sh $(DEBIAN_BUILD_DEPS)

run: deps build
	@sh scripts/run-default-guest.sh $(BUILD)

run-x86: deps build
	@sh scripts/run-default-guest.sh $(BUILD) amd64

bench: build
	@for b in tests/bench/*.sh; do sh $$b $(BUILD) || exit 1; done

clean:
	-ninja -C $(BUILD) clean

distclean:
	rm -rf $(BUILD)
