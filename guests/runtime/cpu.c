/* SPDX-License-Identifier: BSD-3-Clause */
/* The C side of start-up: main() on vCPU 0, cpu_start() for the others. */
#include "guest/runtime.h"

_Static_assert(GUEST_LOAD_ADDR == HF_VM_RAM_BASE,
	       "the guest image must be linked at HF_VM_RAM_BASE");

/* start.S: where CPU_ON enters. */
extern char secondary_entry[];

struct cpu_start_ctx {
	void (*fn)(uintptr_t arg);
	uintptr_t arg;
};

static struct cpu_start_ctx start_ctx[GUEST_MAX_CPUS];

/* From start.S on vCPU 0, with the stack, vectors and MMU set up. */
__attribute__((noreturn)) void runtime_main(const void *fdt)
{
	int ret = main(fdt);

	if (ret != 0) {
		printf("runtime: main returned %d\n", ret);
	}
	console_flush();
	psci_system_off();
}

/* From start.S on the other vCPUs: ctx is what cpu_start() passed. */
__attribute__((noreturn)) void runtime_cpu_entry(struct cpu_start_ctx *ctx)
{
	unsigned int me = cpu_index();

	if (ctx != &start_ctx[me] || ctx->fn == NULL) {
		printf("runtime: vCPU %u started with a bad context %p\n", me,
		       (void *)ctx);
	} else {
		ctx->fn(ctx->arg);
	}
	console_flush();
	psci_cpu_off();
	printf("runtime: vCPU %u: CPU_OFF failed\n", me);
	psci_system_off();
}

int cpu_start(unsigned int index, void (*fn)(uintptr_t arg), uintptr_t arg)
{
	if (index >= GUEST_MAX_CPUS || index == cpu_index() || fn == NULL) {
		return PSCI_E_INVALID_PARAMS;
	}
	start_ctx[index].fn = fn;
	start_ctx[index].arg = arg;
	/* Visible before the new vCPU runs, on any physical CPU. */
	dsb_ish();
	return psci_cpu_on(index, (uintptr_t)secondary_entry,
			   (uintptr_t)&start_ctx[index]);
}
