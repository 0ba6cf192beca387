/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fault: reads 1 MiB past the end of its own memory. That IPA is not
 * mapped in the VM's stage-2, so hafnium takes the fault and marks the VM
 * crashed; FAR_EL2 of the crash report is the address printed here:
 *   fault: reading 0x<addr>
 */
#include "guest/runtime.h"

int main(const void *blob)
{
	struct fdt fdt;
	uint64_t base, size, addr;
	uint32_t v;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE) ||
	    !fdt_memory(&fdt, &base, &size)) {
		printf("fault: no memory size in the device tree\n");
		return 1;
	}
	addr = base + size + (1 << 20);
	printf("fault: reading 0x%lx\n", (unsigned long)addr);
	v = *(volatile uint32_t *)(uintptr_t)addr;
	printf("fault: read 0x%x from 0x%lx: memory outside the VM is "
	       "readable!\n",
	       v, (unsigned long)addr);
	return 1;
}
