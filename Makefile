# SPDX-License-Identifier: BSD-3-Clause
# hafnium: top-level build. `make run` boots hafnium with Debian Linux as the
# primary VM in QEMU; `make check` runs every test; `make bench` measures.
# Dependencies are installed and cached by scripts/deps.sh on first use.

HAFNIUM_CACHE ?= $(HOME)/.cache/hafnium
export HAFNIUM_CACHE
BUILD := build
DEPS_MK := $(HAFNIUM_CACHE)/deps.mk

CROSS_COMPILE ?= aarch64-linux-gnu-
TARGET_CC := $(CROSS_COMPILE)gcc
TARGET_OBJCOPY := $(CROSS_COMPILE)objcopy
HOST_CC ?= gcc

.PHONY: all deps run check bench unit clean
all: deps

# Re-checked on every run (fast when installed); fetches on first use.
deps:
	@scripts/deps.sh

$(DEPS_MK):
	@scripts/deps.sh

ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
include $(DEPS_MK)
endif

include el2/build.mk
include userspace/build.mk
include tests/unit/build.mk
include guests/build.mk
include tests/linux-selftests/build.mk
include scripts/image.mk
include tests/qemu.mk

clean:
	rm -rf $(BUILD)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1 || true
