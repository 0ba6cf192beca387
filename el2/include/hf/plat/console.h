/* SPDX-License-Identifier: BSD-3-Clause */
/* The platform's debug console (PL011 on QEMU virt). */
#pragma once

#include "hf/addr.h"

void plat_console_putchar(char c);
/* Its MMIO page, for the hypervisor's stage-1 map. */
paddr_t plat_console_base(void);
