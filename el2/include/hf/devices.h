/* SPDX-License-Identifier: BSD-3-Clause */
/* Which devices of the boot DTB the primary VM gets: the allow-list.
 *
 * Stage-2 stops only the CPU. A device that writes memory where the
 * primary tells it to (DMA) would let the primary write the hypervisor or
 * any secondary, so a device reaches the primary only if it cannot do that
 * (UART, RTC, GPIO, flash), or if all of its DMA goes through an SMMU that
 * hafnium owns (the PCIe host behind the SMMU). The GIC is kept but
 * trapped (hf/gic_trap.h): its ITS and LPIs, whose tables are DMA at
 * addresses the primary picks, are hidden. Everything else with registers
 * or an address range (fw_cfg, virtio-mmio, dynamic platform buses, the
 * SMMU itself) is left out of the primary's stage-2 and device tree.
 * The same verdict function decides for both, so they cannot disagree. */
#pragma once

#include <stdint.h>

#include "hf/addr.h"
#include "hf/error.h"

/* Device regions mapped straight into the primary's stage-2. */
#define DEVICES_MAX_MAPPED 16

enum device_verdict {
	DEVICE_NOT_A_DEVICE, /* no registers (cpus, timer, psci, memory) */
	DEVICE_ALLOWED,      /* mapped into the primary's stage-2 */
	DEVICE_GIC,          /* the GICv3: kept, trapped by hafnium */
	DEVICE_SMMU,         /* taken by hafnium */
	DEVICE_LEFT_OUT,     /* may do DMA that nothing checks, or unknown */
};

enum devices_result {
	DEVICES_OK = 0,
	DEVICES_BAD_DTB,
	DEVICES_BAD_GIC,
	DEVICES_BAD_SMMU,
	DEVICES_BAD_PCIE,
	DEVICES_TOO_MANY,
};

/* The SMMU's interrupt specifier (GIC: 3 cells) for its event queue. */
#define DEVICES_IRQ_CELLS 3

struct devices {
	struct pa_range mapped[DEVICES_MAX_MAPPED];
	size_t mapped_count;
	struct pa_range gicd;  /* GICv3 distributor */
	struct pa_range gicr;  /* the redistributor region */
	bool has_smmu;
	struct pa_range smmu;  /* its register frames */
	uint32_t smmu_irq[DEVICES_IRQ_CELLS]; /* eventq, big-endian cells */
	size_t left_out_count; /* nodes left out of the primary */
};

/* The phandle of the SMMU hafnium takes (the first "arm,smmu-v3" node
 * under the root), or 0 if there is none. */
uint32_t devices_smmu_phandle(const void *fdt);

/* The verdict for the node at `node` (a child of the root, or of the
 * GIC). A DMA master is allowed only if all of its requester ids go
 * through the SMMU whose phandle is smmu_phandle (0: none). */
enum device_verdict device_verdict(const void *fdt, int node,
				   uint32_t smmu_phandle);

/* Reads the devices of a valid boot DTB. On failure err names the node
 * and what is wrong with it. */
enum devices_result devices_read(const void *fdt, struct devices *d,
				 struct hf_error *err);
