/* SPDX-License-Identifier: BSD-3-Clause */
/* The report for an exception the hypervisor did not expect. */
#include "hf/arch/cpu.h"
#include "hf/cpu.h"
#include "hf/dlog.h"
#include "hf/vm.h"

#include "exception_frame.h"
#include "stacks.h"
#include "sysregs.h"

static const char *const kind_names[PANIC_KIND_STACK_OVERFLOW + 1] = {
	"synchronous (EL2, SP0)",  "IRQ (EL2, SP0)",
	"FIQ (EL2, SP0)",          "SError (EL2, SP0)",
	"synchronous (EL2)",       "IRQ (EL2)",
	"FIQ (EL2)",               "SError (EL2)",
	"synchronous (VM)",        "IRQ (VM)",
	"FIQ (VM)",                "SError (VM)",
	"synchronous (VM AArch32)", "IRQ (VM AArch32)",
	"FIQ (VM AArch32)",        "SError (VM AArch32)",
	"stack overflow (EL2)",
};

void panic_exception(struct exception_frame *f, uint64_t kind)
{
	struct cpu *c = cpu_find(arch_cpu_current_id());
	size_t cpu = c != NULL ? c->index : 0;
	const struct vcpu *v = (const struct vcpu *)read_sysreg(tpidr_el2);
	uint64_t esr = read_sysreg(esr_el2);
	int i;

	dlog("hafnium: PANIC: unexpected %s exception on CPU %zu\n",
	     kind_names[kind], cpu);
	if (kind >= 8 && kind < PANIC_KIND_STACK_OVERFLOW && v != NULL) {
		dlog("  in: VM %s (id %u) vCPU %u\n", v->vm->name, v->vm->id,
		     v->index);
	} else {
		dlog("  in: hypervisor\n");
	}
	dlog("  ESR_EL2  0x%016llx (EC 0x%02llx)\n", (unsigned long long)esr,
	     (unsigned long long)ESR_EC(esr));
	dlog("  ELR_EL2  0x%016llx\n",
	     (unsigned long long)read_sysreg(elr_el2));
	dlog("  FAR_EL2  0x%016llx\n",
	     (unsigned long long)read_sysreg(far_el2));
	dlog("  SPSR_EL2 0x%016llx\n",
	     (unsigned long long)read_sysreg(spsr_el2));
	for (i = 0; i < 31; i++) {
		dlog("  x%-2d 0x%016llx%s", i, (unsigned long long)f->x[i],
		     i % 3 == 2 || i == 30 ? "\n" : "");
	}
	dlog("  sp  0x%016llx\n", (unsigned long long)f->sp);
	arch_power_off();
}
