/* SPDX-License-Identifier: BSD-3-Clause */
/* Builds the test device trees. A libfdt error here is a broken test. */
#include "dtb_builder.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

static void check(int err, const char *what)
{
	if (err != 0) {
		fprintf(stderr, "dtb_builder: %s: %s\n", what, fdt_strerror(err));
		abort();
	}
}

static void *begin(struct dtb_buf *b)
{
	void *fdt = b->data;

	check(fdt_create(fdt, DTB_BUF_SIZE), "create");
	check(fdt_finish_reservemap(fdt), "reservemap");
	check(fdt_begin_node(fdt, ""), "root");
	return fdt;
}

static void finish(struct dtb_buf *b, void *fdt)
{
	check(fdt_end_node(fdt), "end root");
	check(fdt_finish(fdt), "finish");
	b->size = fdt_totalsize(fdt);
}

void dtb_board(struct dtb_buf *b, unsigned int cpus, uint64_t initrd_start,
	       uint64_t initrd_end)
{
	void *fdt = begin(b);
	fdt64_t reg[2] = { cpu_to_fdt64(0x40000000), cpu_to_fdt64(1u << 30) };
	unsigned int i;

	check(fdt_property_u32(fdt, "#address-cells", 2), "ac");
	check(fdt_property_u32(fdt, "#size-cells", 2), "sc");
	check(fdt_begin_node(fdt, "memory@40000000"), "memory");
	check(fdt_property_string(fdt, "device_type", "memory"), "type");
	check(fdt_property(fdt, "reg", reg, sizeof(reg)), "reg");
	check(fdt_end_node(fdt), "end memory");
	check(fdt_begin_node(fdt, "cpus"), "cpus");
	check(fdt_property_u32(fdt, "#address-cells", 1), "cpus ac");
	check(fdt_property_u32(fdt, "#size-cells", 0), "cpus sc");
	for (i = 0; i < cpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		check(fdt_begin_node(fdt, name), "cpu");
		check(fdt_property_string(fdt, "device_type", "cpu"), "cpu type");
		check(fdt_property_u32(fdt, "reg", i), "cpu reg");
		check(fdt_end_node(fdt), "end cpu");
	}
	check(fdt_end_node(fdt), "end cpus");
	check(fdt_begin_node(fdt, "chosen"), "chosen");
	check(fdt_property_string(fdt, "bootargs", "console=ttyAMA0"), "args");
	if (initrd_end != 0) {
		check(fdt_property_u64(fdt, "linux,initrd-start", initrd_start),
		      "initrd-start");
		check(fdt_property_u64(fdt, "linux,initrd-end", initrd_end),
		      "initrd-end");
	}
	check(fdt_end_node(fdt), "end chosen");
	finish(b, fdt);
}

static void vm_node(void *fdt, const char *node, const char *name,
		    const char *kernel, const char *ramdisk)
{
	check(fdt_begin_node(fdt, node), node);
	if (name != NULL) {
		check(fdt_property_string(fdt, "debug_name", name), "name");
	}
	if (kernel != NULL) {
		check(fdt_property_string(fdt, "kernel_filename", kernel),
		      "kernel");
	}
	if (ramdisk != NULL) {
		check(fdt_property_string(fdt, "ramdisk_filename", ramdisk),
		      "ramdisk");
	}
}

void dtb_manifest(struct dtb_buf *b, enum manifest_variant v)
{
	void *fdt = begin(b);

	if (v == MANIFEST_NO_HYPERVISOR_NODE) {
		check(fdt_begin_node(fdt, "hypervisr"), "hyp");
	} else {
		check(fdt_begin_node(fdt, "hypervisor"), "hyp");
	}
	check(fdt_property_string(fdt, "compatible",
				  v == MANIFEST_WRONG_COMPATIBLE
					  ? "other,hypervisor"
					  : "hafnium,hafnium"),
	      "compatible");
	if (v != MANIFEST_WITHOUT_VM1) {
		if (v == MANIFEST_VM1_NAME_NOT_STRING) {
			vm_node(fdt, "vm1", NULL, "vmlinuz", "initrd.img");
			check(fdt_property_u32(fdt, "debug_name", 7), "name");
		} else {
			vm_node(fdt, "vm1",
				v == MANIFEST_VM1_NAME_TOO_LONG
					? "a-name-that-is-much-longer-than-"
					  "thirty-one-characters"
					: "primary",
				v == MANIFEST_VM1_NO_KERNEL ? NULL : "vmlinuz",
				"initrd.img");
		}
		check(fdt_end_node(fdt), "end vm1");
	}
	vm_node(fdt, v == MANIFEST_VM3_AFTER_VM1 ? "vm3" : "vm2", "echo",
		"echo.bin", NULL);
	if (v != MANIFEST_VM2_NO_VCPUS) {
		check(fdt_property_u32(fdt, "vcpu_count", 2), "vcpus");
	}
	check(fdt_property_u64(fdt, "mem_size", 0x100000), "mem");
	check(fdt_end_node(fdt), "end vm2");
	check(fdt_end_node(fdt), "end hyp");
	finish(b, fdt);
}

static void prop_cells(void *fdt, const char *name, const uint32_t *cells,
		       size_t count)
{
	fdt32_t be[32];
	size_t i;

	for (i = 0; i < count; i++) {
		be[i] = cpu_to_fdt32(cells[i]);
	}
	check(fdt_property(fdt, name, be, count * 4), name);
}

#define CELLS(fdt, name, ...)                                               \
	do {                                                                \
		static const uint32_t c_[] = { __VA_ARGS__ };               \
		prop_cells(fdt, name, c_, sizeof(c_) / 4);                  \
	} while (0)

static void device(void *fdt, const char *name, const char *compatible,
		   uint64_t base, uint64_t size)
{
	uint32_t reg[4] = { base >> 32, (uint32_t)base, size >> 32,
			    (uint32_t)size };

	check(fdt_begin_node(fdt, name), name);
	check(fdt_property_string(fdt, "compatible", compatible), "compat");
	prop_cells(fdt, "reg", reg, 4);
	check(fdt_end_node(fdt), "end device");
}

void dtb_virt(struct dtb_buf *b, enum virt_variant v)
{
	void *fdt = begin(b);
	static const char names[] = "eventq\0priq\0cmdq-sync\0gerror";

	check(fdt_property_u32(fdt, "#address-cells", 2), "ac");
	check(fdt_property_u32(fdt, "#size-cells", 2), "sc");
	check(fdt_begin_node(fdt, "memory@40000000"), "memory");
	check(fdt_property_string(fdt, "device_type", "memory"), "type");
	CELLS(fdt, "reg", 0, 0x40000000, 0, 0x40000000);
	check(fdt_end_node(fdt), "end memory");
	check(fdt_begin_node(fdt, "platform-bus@c000000"), "platform-bus");
	check(fdt_property_string(fdt, "compatible", "qemu,platform"), "pb");
	CELLS(fdt, "ranges", 0, 0, 0xc000000, 0x2000000);
	check(fdt_end_node(fdt), "end platform-bus");
	device(fdt, "fw-cfg@9020000", "qemu,fw-cfg-mmio", 0x9020000, 0x18);
	device(fdt, "virtio_mmio@a000000", "virtio,mmio", 0xa000000, 0x200);
	device(fdt, "virtio_mmio@a000200", "virtio,mmio", 0xa000200, 0x200);
	device(fdt, "pl061@9030000", "arm,pl061", 0x9030000, 0x1000);
	device(fdt, "pl011@9000000", "arm,pl011", 0x9000000, 0x1000);
	if (v != VIRT_NO_SMMU) {
		check(fdt_begin_node(fdt, "smmuv3@9050000"), "smmu");
		check(fdt_property_u32(fdt, "phandle", 0x8007), "phandle");
		check(fdt_property_string(fdt, "compatible", "arm,smmu-v3"),
		      "smmu compat");
		if (v == VIRT_SMMU_SMALL_REG) {
			CELLS(fdt, "reg", 0, 0x9050000, 0, 0x10000);
		} else if (v != VIRT_SMMU_NO_REG) {
			CELLS(fdt, "reg", 0, 0x9050000, 0, 0x20000);
		}
		CELLS(fdt, "interrupts", 0, 0x4a, 1, 0, 0x4b, 1, 0, 0x4c, 1, 0,
		      0x4d, 1);
		if (v == VIRT_SMMU_NO_EVENTQ) {
			check(fdt_property(fdt, "interrupt-names", "priq", 5),
			      "names");
		} else {
			check(fdt_property(fdt, "interrupt-names", names,
					   sizeof(names)),
			      "names");
		}
		check(fdt_end_node(fdt), "end smmu");
	}
	check(fdt_begin_node(fdt, "pcie@10000000"), "pcie");
	check(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"),
	      "pcie compat");
	check(fdt_property_u32(fdt, "#address-cells", 3), "pcie ac");
	check(fdt_property_u32(fdt, "#size-cells", 2), "pcie sc");
	CELLS(fdt, "reg", 0x40, 0x10000000, 0, 0x10000000);
	CELLS(fdt, "ranges", 0x1000000, 0, 0, 0, 0x3eff0000, 0, 0x10000,
	      0x2000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000, 0x3000000,
	      0x80, 0, 0x80, 0, 0x80, 0);
	CELLS(fdt, "msi-map", 0, 0x8006, 0, 0x10000);
	if (v == VIRT_PCIE_PARTLY_BEHIND_SMMU) {
		CELLS(fdt, "iommu-map", 0, 0x8007, 0, 0x10);
	} else if (v != VIRT_NO_SMMU) {
		CELLS(fdt, "iommu-map", 0, 0x8007, 0, 0x10000);
	}
	check(fdt_end_node(fdt), "end pcie");
	if (v != VIRT_NO_GIC) {
		check(fdt_begin_node(fdt, "intc@8000000"), "intc");
		check(fdt_property_u32(fdt, "phandle", 0x8005), "gic phandle");
		check(fdt_property_string(fdt, "compatible", "arm,gic-v3"),
		      "gic compat");
		check(fdt_property_u32(fdt, "#address-cells", 2), "gic ac");
		check(fdt_property_u32(fdt, "#size-cells", 2), "gic sc");
		check(fdt_property(fdt, "ranges", NULL, 0), "gic ranges");
		CELLS(fdt, "reg", 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0,
		      0xf60000);
		device(fdt, "its@8080000", "arm,gic-v3-its", 0x8080000,
		       0x20000);
		check(fdt_end_node(fdt), "end intc");
	}
	check(fdt_begin_node(fdt, "chosen"), "chosen");
	check(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"),
	      "stdout");
	check(fdt_end_node(fdt), "end chosen");
	finish(b, fdt);
}
