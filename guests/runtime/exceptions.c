/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What vectors.S calls: reports an exception taken to the VM's EL1 and
 * powers the VM off. (A stage-2 fault, such as an access outside the VM's
 * memory, never gets here: hafnium catches it and marks the VM crashed.)
 */
#include "guest/runtime.h"

static const char *const kinds[4] = {"synchronous exception", "IRQ", "FIQ",
				     "SError"};
static const char *const origins[4] = {
	"EL1 with SP_EL0", "EL1 with SP_EL1", "EL0 (AArch64)", "EL0 (AArch32)"};

static const char *ec_name(uint32_t ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "SIMD/FP access trapped (CPACR_EL1.FPEN)";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC instruction";
	case 0x16: return "HVC instruction";
	case 0x17: return "SMC instruction";
	case 0x18: return "trapped MSR/MRS or system instruction";
	case 0x19: return "SVE access trapped";
	case 0x20: return "instruction abort from EL0";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from EL0";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2c: return "floating-point exception";
	case 0x2f: return "SError interrupt";
	case 0x30:
	case 0x31: return "breakpoint";
	case 0x32:
	case 0x33: return "software step";
	case 0x34:
	case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "unrecognised exception class";
	}
}

/* The fault status code of an instruction or data abort. */
static const char *fsc_name(uint32_t fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

static volatile bool in_exception[GUEST_MAX_CPUS];

__attribute__((noreturn)) void exception_report(uint64_t kind)
{
	unsigned int me = cpu_index();
	uint64_t esr = READ_SYSREG(esr_el1);
	uint64_t far = READ_SYSREG(far_el1);
	uint64_t elr = READ_SYSREG(elr_el1);
	uint64_t spsr = READ_SYSREG(spsr_el1);
	uint32_t ec = (esr >> 26) & 0x3f;
	unsigned int k = kind & 3;

	/* A fault while reporting one: just stop. */
	if (in_exception[me]) {
		psci_system_off();
	}
	in_exception[me] = true;
	console_panic();

	if (k == 0 || k == 3) {
		printf("exception on vCPU %u: %s from %s: %s (EC 0x%x)\n", me,
		       kinds[k], origins[(kind >> 2) & 3], ec_name(ec), ec);
		if (k == 0 && (ec == 0x20 || ec == 0x21 || ec == 0x24 ||
			       ec == 0x25)) {
			uint32_t fsc = esr & 0x3f;
			const char *rw = ec < 0x24	       ? ""
					 : esr & (1 << 6) ? ", on a write"
							  : ", on a read";

			if (fsc < 0x10) {
				printf("exception on vCPU %u: %s, level %u%s\n",
				       me, fsc_name(fsc), fsc & 3, rw);
			} else {
				printf("exception on vCPU %u: %s%s\n", me,
				       fsc_name(fsc), rw);
			}
		}
	} else {
		printf("exception on vCPU %u: unexpected %s from %s\n", me,
		       kinds[k], origins[(kind >> 2) & 3]);
	}
	printf("exception on vCPU %u: ESR_EL1 0x%lx FAR_EL1 0x%lx ELR_EL1 0x%lx "
	       "SPSR_EL1 0x%lx\n",
	       me, esr, far, elr, spsr);
	printf("exception on vCPU %u: powering the VM off\n", me);
	psci_system_off();
}
