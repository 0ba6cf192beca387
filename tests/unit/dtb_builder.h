/* SPDX-License-Identifier: BSD-3-Clause */
/* Device trees for the tests, built with libfdt's sequential-write API. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define DTB_BUF_SIZE 8192

struct dtb_buf {
	uint64_t data[DTB_BUF_SIZE / 8]; /* 8-byte aligned, as libfdt wants */
	size_t size;
};

/* A board DTB like QEMU virt's: 1 GiB at 0x40000000, `cpus` CPUs, and
 * (when initrd_end != 0) /chosen linux,initrd-start/end. */
void dtb_board(struct dtb_buf *b, unsigned int cpus, uint64_t initrd_start,
	       uint64_t initrd_end);

enum manifest_variant {
	MANIFEST_GOOD,            /* vm1 + vm2 */
	MANIFEST_WITHOUT_VM1,
	MANIFEST_WRONG_COMPATIBLE,
	MANIFEST_NO_HYPERVISOR_NODE,
	MANIFEST_VM1_NO_KERNEL,
	MANIFEST_VM1_NAME_NOT_STRING,
	MANIFEST_VM1_NAME_TOO_LONG,
	MANIFEST_VM2_NO_VCPUS,
	MANIFEST_VM3_AFTER_VM1,
};

void dtb_manifest(struct dtb_buf *b, enum manifest_variant v);

enum virt_variant {
	VIRT_GOOD, /* QEMU virt with iommu=smmuv3, trimmed */
	VIRT_NO_SMMU,
	VIRT_SMMU_NO_REG,
	VIRT_SMMU_SMALL_REG,
	VIRT_SMMU_NO_EVENTQ,
	VIRT_PCIE_PARTLY_BEHIND_SMMU,
	VIRT_NO_GIC,
};

/* The devices of QEMU's virt machine (values as QEMU 7.2 writes them):
 * memory, platform bus, fw_cfg, two virtio-mmio, GPIO, UART, the SMMUv3,
 * the PCIe host behind it, the GICv3 with its ITS. */
void dtb_virt(struct dtb_buf *b, enum virt_variant v);
