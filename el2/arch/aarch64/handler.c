/* Synchronous exceptions from the primary VM: PSCI and other SMCs,
 * hypercalls (HVC), and aborts on memory its stage-2 does not map. */
#include "hf/api.h"
#include "hf/arch/cpu.h"
#include "hf/cpu.h"
#include "hf/dlog.h"
#include "hf/panic.h"
#include "hf/psci.h"

#include "exception_frame.h"
#include "sysregs.h"

/* Vector offsets from VBAR_EL1 for a synchronous exception. */
#define VECTOR_CURRENT_SPX_SYNC 0x200
#define VECTOR_LOWER_A64_SYNC 0x400
#define SPSR_M_MASK 0xf
#define SPSR_M_EL0T 0x0

/* Delivers a synchronous exception to the VM's EL1 as if its own MMU had
 * raised it, e.g. a translation fault for an address stage-2 refused. */
static void inject_sync_el1(uint64_t esr, uint64_t far)
{
	uint64_t spsr = read_sysreg(spsr_el2);
	bool from_el0 = (spsr & SPSR_M_MASK) == SPSR_M_EL0T;

	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, read_sysreg(elr_el2));
	write_sysreg(spsr_el1, spsr);
	write_sysreg(elr_el2, read_sysreg(vbar_el1) +
				      (from_el0 ? VECTOR_LOWER_A64_SYNC
						: VECTOR_CURRENT_SPX_SYNC));
	write_sysreg(spsr_el2, SPSR_EL1H_DAIF);
}

static void inject_abort(uint64_t esr, bool data)
{
	bool from_el0 = (read_sysreg(spsr_el2) & SPSR_M_MASK) == SPSR_M_EL0T;
	uint64_t ec;

	if (data) {
		ec = from_el0 ? ESR_EC_DABT_LOWER : ESR_EC_DABT_CURRENT;
	} else {
		ec = from_el0 ? ESR_EC_IABT_LOWER : ESR_EC_IABT_CURRENT;
	}
	inject_sync_el1(ec << 26 | ESR_IL | (data ? esr & ESR_DABT_WNR : 0) |
				ESR_FSC_TRANSLATION_L3,
			read_sysreg(far_el2));
}

static void inject_undefined(void)
{
	inject_sync_el1((uint64_t)ESR_EC_UNKNOWN << 26 | ESR_IL, 0);
}

/* A hypercall from the primary: x0..x7 in, x0..x7 out. */
void handle_hvc(struct exception_frame *f)
{
	struct ffa_value regs = { f->x[0], f->x[1], f->x[2], f->x[3],
				  f->x[4], f->x[5], f->x[6], f->x[7] };

	api_handle_call(vm_primary(), &regs);
	f->x[0] = regs.func;
	f->x[1] = regs.arg1;
	f->x[2] = regs.arg2;
	f->x[3] = regs.arg3;
	f->x[4] = regs.arg4;
	f->x[5] = regs.arg5;
	f->x[6] = regs.arg6;
	f->x[7] = regs.arg7;
}

void handle_lower_sync(struct exception_frame *f)
{
	uint64_t esr = read_sysreg(esr_el2);
	struct cpu *c;

	switch (ESR_EC(esr)) {
	case ESR_EC_SMC64:
		/* The trapped SMC did not execute: step over it. */
		write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
		c = cpu_find(arch_cpu_current_id());
		if (psci_is_psci_call(f->x[0]) && c != NULL) {
			psci_primary_call(c, f->x);
		} else {
			f->x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		}
		break;
	case ESR_EC_DABT_LOWER:
		inject_abort(esr, true);
		break;
	case ESR_EC_IABT_LOWER:
		inject_abort(esr, false);
		break;
	default:
		c = cpu_find(arch_cpu_current_id());
		dlog("hafnium: primary vCPU %zu: unhandled trap (ESR_EL2 "
		     "0x%llx at 0x%llx); injecting an undefined instruction\n",
		     c != NULL ? c->index : 0, (unsigned long long)esr,
		     (unsigned long long)read_sysreg(elr_el2));
		inject_undefined();
		break;
	}
}
