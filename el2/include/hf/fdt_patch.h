/* SPDX-License-Identifier: BSD-3-Clause */
/* The primary VM's DTB: a copy of the boot DTB without the devices the
 * primary does not get (hf/devices.h: the SMMU, the ITS, fw_cfg, ...) nor
 * the links to them, with the hypervisor's memory reserved, /chosen
 * pointing at the primary's initramfs, and a "hafnium,hafnium" node for
 * hafnium.ko to bind to, carrying the SMMU's fault interrupt. */
#pragma once

#include "hf/addr.h"
#include "hf/devices.h"
#include "hf/error.h"
#include "hf/manifest.h"

/* The hypervisor, each static secondary's memory and hyp pages, and the
 * SMMU's page table. */
#define FDT_PATCH_MAX_RESERVED (2 + 2 * (MANIFEST_MAX_VMS - 1))

/* Room added to the copy for the new node and properties. */
#define FDT_PATCH_EXTRA_SPACE 4096

enum fdt_patch_result {
	FDT_PATCH_OK = 0,
	FDT_PATCH_BAD_DTB,
	FDT_PATCH_NO_SPACE,
	FDT_PATCH_FAILED,
};

struct fdt_patch_params {
	struct pa_range initrd;     /* the primary's initramfs */
	/* Kept from the primary: the hypervisor, static secondaries. */
	struct pa_range reserved[FDT_PATCH_MAX_RESERVED];
	size_t reserved_count;
	/* The SMMU's event queue interrupt, as /hypervisor's "dma-fault". */
	bool has_dma_fault_irq;
	uint32_t dma_fault_irq[DEVICES_IRQ_CELLS]; /* big-endian cells */
	/* Bytes between redistributors when not GICv3's 2 frames (a GICv4
	 * whose VLPI frames the primary does not get), else 0. */
	uint64_t redistributor_stride;
};

/* Writes the patched copy of src into dst (dst_size bytes). */
enum fdt_patch_result fdt_patch_primary(const void *src, size_t src_max,
					void *dst, size_t dst_size,
					const struct fdt_patch_params *p,
					struct hf_error *err);
