/* SPDX-License-Identifier: BSD-3-Clause */
/* Device registers, read and written by generic code as single accesses
 * of an exact size (1, 2, 4 or 8 bytes, naturally aligned) at a physical
 * address that EL2's stage-1 maps as device memory. */
#pragma once

#include "hf/addr.h"

uint64_t arch_mmio_read(paddr_t pa, uint8_t size);
void arch_mmio_write(paddr_t pa, uint8_t size, uint64_t value);
