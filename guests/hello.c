/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hello: says who it is and what its device tree gives it, then powers off:
 *   hello from <VM name>: <N> vCPUs, <M> MiB
 * The name is the device tree root's "model" (hafnium puts the VM's name
 * there); without one, "VM <id>" (FFA_ID_GET). Memory that is not a whole
 * number of MiB is given in KiB.
 */
#include "guest/runtime.h"

int main(const void *blob)
{
	struct fdt fdt;
	uint64_t base, size;
	const char *compat;
	const char *model;
	int cpus;
	char who[HF_VM_NAME_MAX + 16];

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE)) {
		printf("hello: no valid device tree at %p\n", blob);
		return 1;
	}
	cpus = fdt_cpu_count(&fdt);
	if (!fdt_memory(&fdt, &base, &size) || cpus < 1) {
		printf("hello: device tree lacks /memory or /cpus\n");
		return 1;
	}
	compat = fdt_compatible(&fdt, "/hypervisor");
	if (compat == NULL || strcmp(compat, "hafnium,hafnium") != 0) {
		printf("hello: /hypervisor is not hafnium,hafnium\n");
	}

	model = fdt_string(&fdt, "/", "model");
	if (model != NULL && model[0] != '\0') {
		snprintf(who, sizeof(who), "%s", model);
	} else {
		snprintf(who, sizeof(who), "VM %d", ffa_id_get());
	}
	if (size % (1 << 20) == 0) {
		printf("hello from %s: %d vCPUs, %lu MiB\n", who, cpus,
		       (unsigned long)(size >> 20));
	} else {
		printf("hello from %s: %d vCPUs, %lu KiB\n", who, cpus,
		       (unsigned long)(size >> 10));
	}
	return 0;
}
