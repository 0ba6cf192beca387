/* SPDX-License-Identifier: BSD-3-Clause */
/* The allow-list: what of QEMU virt's devices the primary gets, and the
 * primary's DTB without the rest. */
#include <libfdt.h>

#include "hf/devices.h"
#include "hf/fdt_patch.h"

#include "dtb_builder.h"
#include "test.h"

static bool mapped(const struct devices *d, uint64_t begin, uint64_t end)
{
	size_t i;

	for (i = 0; i < d->mapped_count; i++) {
		if (pa_addr(d->mapped[i].begin) == begin &&
		    pa_addr(d->mapped[i].end) == end) {
			return true;
		}
	}
	return false;
}

static bool maps_any_of(const struct devices *d, uint64_t begin,
			uint64_t end)
{
	struct pa_range r = { pa_init(begin), pa_init(end) };
	size_t i;

	for (i = 0; i < d->mapped_count; i++) {
		if (pa_range_overlaps(d->mapped[i], r)) {
			return true;
		}
	}
	return false;
}

TEST(devices, virt_allow_list)
{
	struct dtb_buf b;
	struct devices d;
	struct hf_error err;

	dtb_virt(&b, VIRT_GOOD);
	EXPECT_EQ(devices_read(b.data, &d, &err), DEVICES_OK);
	/* UART, GPIO; the PCIe ECAM and its I/O, 32-bit and 64-bit windows. */
	EXPECT_EQ(d.mapped_count, 6);
	EXPECT(mapped(&d, 0x9000000, 0x9001000));
	EXPECT(mapped(&d, 0x9030000, 0x9031000));
	EXPECT(mapped(&d, 0x4010000000, 0x4020000000));
	EXPECT(mapped(&d, 0x3eff0000, 0x3f000000));
	EXPECT(mapped(&d, 0x10000000, 0x3eff0000));
	EXPECT(mapped(&d, 0x8000000000, 0x10000000000));
	/* fw_cfg (its DMA register too), virtio-mmio, the SMMU, the ITS. */
	EXPECT(!maps_any_of(&d, 0x9020000, 0x9021000));
	EXPECT(!maps_any_of(&d, 0xa000000, 0xa001000));
	EXPECT(!maps_any_of(&d, 0x9050000, 0x9070000));
	EXPECT(!maps_any_of(&d, 0x8080000, 0x80a0000));
	EXPECT(!maps_any_of(&d, 0x8000000, 0x8010000));
	/* platform bus, fw_cfg, two virtio-mmio, the ITS. */
	EXPECT_EQ(d.left_out_count, 5);
	EXPECT_EQ(pa_addr(d.gicd.begin), 0x8000000);
	EXPECT_EQ(pa_addr(d.gicd.end), 0x8010000);
	EXPECT_EQ(pa_addr(d.gicr.begin), 0x80a0000);
	EXPECT_EQ(pa_addr(d.gicr.end), 0x9000000);
	EXPECT(d.has_smmu);
	EXPECT_EQ(pa_addr(d.smmu.begin), 0x9050000);
	EXPECT_EQ(pa_addr(d.smmu.end), 0x9070000);
	EXPECT_EQ(fdt32_to_cpu(d.smmu_irq[1]), 0x4a);
}

TEST(devices, dma_master_needs_smmu)
{
	struct dtb_buf b;
	struct devices d;
	struct hf_error err;

	dtb_virt(&b, VIRT_NO_SMMU);
	EXPECT_EQ(devices_read(b.data, &d, &err), DEVICES_OK);
	EXPECT(!d.has_smmu);
	EXPECT(!maps_any_of(&d, 0x10000000, 0x3f000000));
	EXPECT(!maps_any_of(&d, 0x4010000000, 0x4020000000));
	EXPECT_EQ(d.mapped_count, 2);

	/* Only part of the requester ids go through the SMMU. */
	dtb_virt(&b, VIRT_PCIE_PARTLY_BEHIND_SMMU);
	EXPECT_EQ(devices_read(b.data, &d, &err), DEVICES_OK);
	EXPECT(d.has_smmu);
	EXPECT(!maps_any_of(&d, 0x4010000000, 0x4020000000));
}

TEST(devices, malformed_smmu_names_it)
{
	struct dtb_buf b;
	struct devices d;
	struct hf_error err;

	dtb_virt(&b, VIRT_SMMU_NO_REG);
	EXPECT_EQ(devices_read(b.data, &d, &err), DEVICES_BAD_SMMU);
	EXPECT_STR_CONTAINS(err.msg, "smmuv3@9050000");
	EXPECT_STR_CONTAINS(err.msg, "reg");
	dtb_virt(&b, VIRT_SMMU_SMALL_REG);
	EXPECT_EQ(devices_read(b.data, &d, &err), DEVICES_BAD_SMMU);
	EXPECT_STR_CONTAINS(err.msg, "64 KiB");
	dtb_virt(&b, VIRT_SMMU_NO_EVENTQ);
	EXPECT_EQ(devices_read(b.data, &d, &err), DEVICES_BAD_SMMU);
	EXPECT_STR_CONTAINS(err.msg, "eventq");
}

TEST(devices, no_gic)
{
	struct dtb_buf b;
	struct devices d;
	struct hf_error err;

	dtb_virt(&b, VIRT_NO_GIC);
	EXPECT_EQ(devices_read(b.data, &d, &err), DEVICES_BAD_GIC);
	EXPECT_STR_CONTAINS(err.msg, "arm,gic-v3");
}

/* The primary's DTB has exactly the devices it gets, no link to the SMMU
 * or the ITS, and the SMMU's event interrupt for hafnium.ko. */
TEST(devices, primary_dtb_hides_the_rest)
{
	struct dtb_buf b;
	static uint64_t out[(DTB_BUF_SIZE + FDT_PATCH_EXTRA_SPACE) / 8];
	struct fdt_patch_params p = { 0 };
	struct hf_error err;
	const fdt32_t *irq;
	int node;
	int len;

	dtb_virt(&b, VIRT_GOOD);
	p.reserved[0].begin = pa_init(0x40000000);
	p.reserved[0].end = pa_init(0x40400000);
	p.reserved_count = 1;
	p.has_dma_fault_irq = true;
	p.dma_fault_irq[0] = cpu_to_fdt32(0);
	p.dma_fault_irq[1] = cpu_to_fdt32(0x4a);
	p.dma_fault_irq[2] = cpu_to_fdt32(1);
	EXPECT_EQ(fdt_patch_primary(b.data, b.size, out, sizeof(out), &p, &err),
		  FDT_PATCH_OK);
	EXPECT(fdt_check_full(out, fdt_totalsize(out)) == 0);
	EXPECT(fdt_path_offset(out, "/fw-cfg@9020000") < 0);
	EXPECT(fdt_path_offset(out, "/virtio_mmio@a000000") < 0);
	EXPECT(fdt_path_offset(out, "/virtio_mmio@a000200") < 0);
	EXPECT(fdt_path_offset(out, "/platform-bus@c000000") < 0);
	EXPECT(fdt_path_offset(out, "/smmuv3@9050000") < 0);
	EXPECT(fdt_path_offset(out, "/intc@8000000/its@8080000") < 0);
	EXPECT(fdt_path_offset(out, "/intc@8000000") >= 0);
	EXPECT(fdt_path_offset(out, "/pl011@9000000") >= 0);
	EXPECT(fdt_path_offset(out, "/pl061@9030000") >= 0);
	node = fdt_path_offset(out, "/pcie@10000000");
	EXPECT(node >= 0);
	EXPECT(fdt_getprop(out, node, "iommu-map", NULL) == NULL);
	EXPECT(fdt_getprop(out, node, "msi-map", NULL) == NULL);
	EXPECT(fdt_getprop(out, node, "ranges", NULL) != NULL);
	node = fdt_node_offset_by_compatible(out, -1, "hafnium,hafnium");
	irq = fdt_getprop(out, node, "interrupts", &len);
	EXPECT(irq != NULL && len == 12 && fdt32_to_cpu(irq[1]) == 0x4a);
	EXPECT(fdt_stringlist_search(out, node, "interrupt-names",
				     "dma-fault") == 0);
}

/* Without an SMMU the PCIe host, a DMA master, goes too. */
TEST(devices, primary_dtb_without_smmu_has_no_pcie)
{
	struct dtb_buf b;
	static uint64_t out[(DTB_BUF_SIZE + FDT_PATCH_EXTRA_SPACE) / 8];
	struct fdt_patch_params p = { 0 };
	struct hf_error err;
	int node;

	dtb_virt(&b, VIRT_NO_SMMU);
	EXPECT_EQ(fdt_patch_primary(b.data, b.size, out, sizeof(out), &p, &err),
		  FDT_PATCH_OK);
	EXPECT(fdt_path_offset(out, "/pcie@10000000") < 0);
	node = fdt_node_offset_by_compatible(out, -1, "hafnium,hafnium");
	EXPECT(fdt_getprop(out, node, "interrupts", NULL) == NULL);
}
