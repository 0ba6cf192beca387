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
