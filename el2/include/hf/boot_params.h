/* SPDX-License-Identifier: BSD-3-Clause */
/* What the hypervisor learns from the boot DTB: RAM, CPUs, the initrd. */
#pragma once

#include "hf/addr.h"
#include "hf/error.h"
#include "hf/limits.h"

#define BOOT_MAX_MEM_RANGES 8
/* Linux's limit for a DTB, and so the size el2 maps before parsing it. */
#define BOOT_FDT_MAX_SIZE (2u << 20)

enum boot_params_result {
	BOOT_PARAMS_OK = 0,
	BOOT_PARAMS_BAD_DTB,
	BOOT_PARAMS_NO_MEMORY,
	BOOT_PARAMS_BAD_MEMORY,
	BOOT_PARAMS_NO_CPUS,
	BOOT_PARAMS_TOO_MANY_CPUS,
	BOOT_PARAMS_NO_INITRD,
	BOOT_PARAMS_BAD_INITRD,
};

struct boot_params {
	struct pa_range mem[BOOT_MAX_MEM_RANGES];
	size_t mem_count;
	uint64_t cpu_ids[MAX_CPUS]; /* MPIDR affinity values, from reg */
	size_t cpu_count;
	struct pa_range initrd;
};

/* Checks the blob (header, size <= max_size) and reads the parameters. */
enum boot_params_result boot_params_read(const void *fdt, size_t max_size,
					 struct boot_params *p,
					 struct hf_error *err);
