/* SPDX-License-Identifier: BSD-3-Clause */
/* The device tree written for a secondary, read back with libfdt. */
#include <libfdt.h>
#include <stdlib.h>

#include "hf/vm_dt.h"

#include "test.h"

TEST(vm_dt, describes_the_vm)
{
	static struct vm vm;
	static uint64_t buf[HF_VM_DT_SIZE / 8];
	const fdt64_t *reg;
	const char *method;
	int len;
	int node;
	int cpus = 0;
	size_t size;

	vm.id = 3;
	strcpy(vm.name, "echo");
	vm.vcpu_count = 4;
	vm.mem_size = 16 << 20;
	size = vm_dt_build(&vm, buf, sizeof(buf));
	EXPECT(size > 0);
	EXPECT_EQ(fdt_check_full(buf, size), 0);
	node = fdt_path_offset(buf, "/memory@80000000");
	EXPECT(node >= 0);
	reg = fdt_getprop(buf, node, "reg", &len);
	EXPECT(reg != NULL && len == 16);
	EXPECT_EQ(fdt64_ld(&reg[0]), HF_VM_RAM_BASE);
	EXPECT_EQ(fdt64_ld(&reg[1]), 16 << 20);
	fdt_for_each_subnode(node, buf, fdt_path_offset(buf, "/cpus"))
	{
		cpus++;
	}
	EXPECT_EQ(cpus, 4);
	method = fdt_getprop(buf, fdt_path_offset(buf, "/psci"), "method",
			     &len);
	EXPECT(method != NULL && strcmp(method, "hvc") == 0);
	EXPECT(fdt_node_offset_by_compatible(buf, -1, "hafnium,hafnium") >= 0);
	EXPECT_EQ(fdt_num_mem_rsv(buf), 1);
}

TEST(vm_dt, refuses_a_small_buffer)
{
	static struct vm vm;
	static uint64_t buf[64];

	vm.vcpu_count = 8;
	vm.mem_size = 16 << 20;
	EXPECT_EQ(vm_dt_build(&vm, buf, sizeof(buf)), 0);
}
