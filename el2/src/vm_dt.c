/* SPDX-License-Identifier: BSD-3-Clause */
/* Builds a secondary's device tree, in the shape Linux's arm64 boot
 * protocol expects, so that a Linux secondary can follow the same path. */
#include "hf/vm_dt.h"

#include "hf/dlog.h"
#include "hf/fdt_write.h"

static struct fdt_writer writer;

size_t vm_dt_build(const struct vm *vm, void *out, size_t out_size)
{
	struct fdt_writer *w = &writer;
	uint64_t dt_ipa = HF_VM_RAM_BASE + vm->mem_size - HF_VM_DT_SIZE;
	char node[24];
	size_t i;

	fdtw_init(w);
	fdtw_begin_node(w, "");
	fdtw_prop_u32(w, "#address-cells", 2);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_string(w, "compatible", "hafnium,vm");
	fdtw_prop_string(w, "model", vm->name);

	snprint(node, sizeof(node), "memory@%llx",
		(unsigned long long)HF_VM_RAM_BASE);
	fdtw_begin_node(w, node);
	fdtw_prop_string(w, "device_type", "memory");
	fdtw_prop_reg64(w, "reg", HF_VM_RAM_BASE, vm->mem_size);
	fdtw_end_node(w);

	fdtw_begin_node(w, "cpus");
	fdtw_prop_u32(w, "#address-cells", 1);
	fdtw_prop_u32(w, "#size-cells", 0);
	for (i = 0; i < vm->vcpu_count; i++) {
		snprint(node, sizeof(node), "cpu@%zu", i);
		fdtw_begin_node(w, node);
		fdtw_prop_string(w, "device_type", "cpu");
		fdtw_prop_string(w, "compatible", "arm,armv8");
		fdtw_prop_u32(w, "reg", (uint32_t)i);
		fdtw_prop_string(w, "enable-method", "psci");
		fdtw_end_node(w);
	}
	fdtw_end_node(w);

	fdtw_begin_node(w, "psci");
	fdtw_prop_string(w, "compatible", "arm,psci-1.0");
	fdtw_prop_string(w, "method", "hvc");
	fdtw_end_node(w);

	fdtw_begin_node(w, "hypervisor");
	fdtw_prop_string(w, "compatible", "hafnium,hafnium");
	fdtw_prop_u32(w, "hafnium,vm-id", vm->id);
	fdtw_end_node(w);

	fdtw_begin_node(w, "chosen");
	fdtw_end_node(w);
	fdtw_end_node(w);
	/* The tree's own pages are reserved, so the guest keeps them. */
	return fdtw_finish(w, dt_ipa, HF_VM_DT_SIZE, out, out_size);
}
