/* SPDX-License-Identifier: BSD-3-Clause */
/* Memory layout constants of the hypervisor image (QEMU virt). */
#pragma once

#include "hf/limits.h"

/* QEMU keeps its boot stub in the first 4 KiB of RAM and loads an Image at
 * RAM base + text_offset when text_offset is at least 4 KiB. */
#define HYP_RAM_BASE 0x40000000
#define HYP_TEXT_OFFSET 0x1000
#define HYP_LOAD_ADDRESS (HYP_RAM_BASE + HYP_TEXT_OFFSET)

#define PL011_BASE 0x09000000
