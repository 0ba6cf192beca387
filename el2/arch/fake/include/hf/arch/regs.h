/* SPDX-License-Identifier: BSD-3-Clause */
/* Host build: the register state generic code touches (arguments and
 * results in x0-x7, the entry point). */
#pragma once

#include <stdint.h>

struct arch_regs {
	uint64_t x[31];
	uint64_t pc;
	uint64_t spsr;
	uint64_t leaving; /* see the aarch64 arch_regs */
};
