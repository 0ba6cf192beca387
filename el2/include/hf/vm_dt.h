/* SPDX-License-Identifier: BSD-3-Clause */
/* The device tree a secondary VM boots with (x0 of vCPU 0): its memory,
 * its vCPUs, PSCI over HVC, and the hafnium node. */
#pragma once

#include "hf/vm.h"

/* Writes it into out; returns its size, or 0 if it did not fit. */
size_t vm_dt_build(const struct vm *vm, void *out, size_t out_size);
