# SPDX-License-Identifier: BSD-3-Clause
# userspace/: hfctl, a static aarch64 program in the primary's initramfs
# (/usr/bin/hfctl).
HFCTL_SRCS := $(wildcard userspace/hfctl/*.c)
HFCTL_CFLAGS := -static -O2 -std=gnu11 -Wall -Wextra -Werror -Iuapi

$(BUILD)/userspace/hfctl: $(HFCTL_SRCS) userspace/hfctl/hfctl.h \
		uapi/linux/hafnium.h
	@mkdir -p $(@D)
	$(TARGET_CC) $(HFCTL_CFLAGS) -o $@ $(HFCTL_SRCS)

.PHONY: hfctl
hfctl: $(BUILD)/userspace/hfctl
