/* SPDX-License-Identifier: BSD-3-Clause */
/* Traps from VMs. The primary's: PSCI and other SMCs, hypercalls, aborts
 * on memory its stage-2 does not map (injected back as its own faults).
 * Its loads and stores to the GIC's distributor and RD_base frames are
 * performed for it, filtered (hf/gic_trap.h).
 * A secondary's: hypercalls, WFI, its own virtual timer, physical
 * interrupts for the primary, its first FP/SIMD or pointer authentication
 * use of a run (the state is switched lazily), reads of the ID registers
 * (HCR_EL2.TID3: answered with the secondary's view, hf/id_regs.h); an
 * instruction or register of a feature it is not given is an undefined
 * instruction at its own EL1, as on a CPU without it; anything else ends
 * the VM as crashed. Every
 * return into a secondary sets its virtual IRQ line from its virtual
 * interrupts. Traps from an AArch32 EL0 come here too (the vectors choose
 * by EL1, which is AArch64): they are decoded by their own ESR classes
 * and SPSR (trap_decode.h), and anything unexpected from them is handled
 * like any other unexpected trap, never as an EL2 panic. */
#include "hf/api.h"
#include "hf/arch/cpu.h"
#include "hf/cpu.h"
#include "hf/dlog.h"
#include "hf/gic_trap.h"
#include "hf/id_regs.h"
#include "hf/panic.h"
#include "hf/psci.h"

#include "exception_frame.h"
#include "feature_setup.h"
#include "sysregs.h"
#include "trap_decode.h"
#include "vcpu_switch.h"

#define ESR_EC_WFX 0x01

/* Delivers a synchronous exception to the VM's EL1 as if its own MMU had
 * raised it, e.g. a translation fault for an address stage-2 refused. */
static void inject_sync_el1(struct vcpu *v, uint64_t esr, uint64_t far)
{
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, v->regs.pc);
	write_sysreg(spsr_el1, v->regs.spsr);
	v->regs.pc = read_sysreg(vbar_el1) + sync_vector_offset(v->regs.spsr);
	v->regs.spsr = SPSR_EL1H_DAIF;
}

/* The trapped instruction was undefined, as far as the VM can tell; same
 * length as the trapped one (a T32 one may be 16-bit). */
static void inject_undef(struct vcpu *v, uint64_t esr)
{
	inject_sync_el1(v, (uint64_t)ESR_EC_UNKNOWN << 26 | (esr & ESR_IL), 0);
}

static void inject_abort(struct vcpu *v, uint64_t esr, bool data)
{
	bool from_el0 = spsr_is_el0(v->regs.spsr);
	uint64_t ec;

	if (data) {
		ec = from_el0 ? ESR_EC_DABT_LOWER : ESR_EC_DABT_CURRENT;
	} else {
		ec = from_el0 ? ESR_EC_IABT_LOWER : ESR_EC_IABT_CURRENT;
	}
	inject_sync_el1(v,
			ec << 26 | ESR_IL | (data ? esr & ESR_DABT_WNR : 0) |
				ESR_FSC_TRANSLATION_L3,
			read_sysreg(far_el2));
}

/* The vCPU the vectors enter next, with its virtual IRQ up to date (a
 * switch into a secondary sets it: this is for a trap that returns to
 * the secondary that took it). */
static struct vcpu *enter(struct vcpu *next)
{
	if (!vcpu_is_primary(next)) {
		arch_vcpu_set_virtual_irq(next,
					  virq_deliverable(&next->interrupts));
	}
	return next;
}

struct vcpu *handle_hvc(struct vcpu *current)
{
	if (vcpu_is_primary(current)) {
		return api_handle_call(current);
	}
	return enter(api_handle_call(current));
}

/* A stage-2 fault on an IPA that is mapped once the update in progress
 * (if any) is over was a race with a break-before-make update of the
 * primary's stage-2 (a VM being made or destroyed on another CPU): the
 * access is simply retried. A permission fault never is (an update keeps
 * the attributes), and leaves HPFAR_EL2 UNKNOWN: a garbage IPA that
 * happened to be mapped would retry the access forever. */
static bool stage2_fault_is_stale(uint64_t esr)
{
	return hpfar_is_valid(esr) &&
	       api_primary_ipa_mapped(fault_ipa(read_sysreg(hpfar_el2), 0));
}

/* A primary's load or store to the GIC registers its stage-2 leaves out
 * (hf/gic_trap.h): performed here (its stage-2 is an identity map, so the
 * IPA is the register's address), and the instruction stepped over. False
 * for anything else, which the caller injects as an abort; so is a GIC
 * access the syndrome does not describe (a pair, or from AArch32 EL0). */
static bool primary_gic_access(struct vcpu *v, uint64_t esr)
{
	struct dabt_access d;
	struct mmio_access a;

	if (spsr_is_aarch32(v->regs.spsr) || !dabt_is_emulable(esr)) {
		return false;
	}
	d = dabt_access_decode(esr);
	a.write = d.write;
	a.size = d.size;
	a.value = d.write && d.rt != 31 ? v->regs.x[d.rt] : 0;
	if (!gic_trap_access(fault_ipa(read_sysreg(hpfar_el2),
				       read_sysreg(far_el2)),
			     &a)) {
		return false;
	}
	if (!d.write && d.rt != 31) {
		v->regs.x[d.rt] = dabt_load_result(&d, a.value);
	}
	skip_trapped_insn(&v->regs.pc, &v->regs.spsr, esr);
	return true;
}

static struct vcpu *primary_sync(struct vcpu *current, uint64_t esr)
{
	switch (ESR_EC(esr)) {
	case ESR_EC_SMC64:
		/* The trapped SMC did not execute: step over it. */
		skip_trapped_insn(&current->regs.pc, &current->regs.spsr, esr);
		if (psci_is_psci_call(current->regs.x[0])) {
			psci_primary_call(current->cpu, current->regs.x);
		} else if (!smccc_arch_primary_call(current->regs.x)) {
			current->regs.x[0] = (uint64_t)(int64_t)
				SMCCC_NOT_SUPPORTED;
		}
		break;
	case ESR_EC_DABT_LOWER:
		if (primary_gic_access(current, esr)) {
			break;
		}
		__attribute__((fallthrough));
	case ESR_EC_IABT_LOWER:
		if (!stage2_fault_is_stale(esr)) {
			inject_abort(current, esr,
				     ESR_EC(esr) == ESR_EC_DABT_LOWER);
		}
		break;
	default:
		dlog("hafnium: primary vCPU %u: unhandled trap (ESR_EL2 "
		     "0x%llx at 0x%llx); injecting an undefined instruction\n",
		     current->index, (unsigned long long)esr,
		     (unsigned long long)current->regs.pc);
		inject_undef(current, esr);
		break;
	}
	return current;
}

/* A secondary's trapped MSR/MRS: an ID register read, a pointer
 * authentication key while its keys are not loaded (HCR_EL2.APK), or a
 * register of a feature it is not given (the PMU, debug, the GIC CPU
 * interface, ACTLR_EL1, IMPLEMENTATION DEFINED registers, RAS, LORegions,
 * MTE's registers, SCXTNUM: see arch_regs_reset). */
static void secondary_sysreg(struct vcpu *v, uint64_t esr)
{
	struct sysreg_access a = sysreg_access_decode(esr);

	if (sysreg_is_id_space(&a) && a.read) {
		uint64_t value = id_reg_secondary_view(
			a.crm, a.op2, arch_read_id_reg(a.crm, a.op2),
			arch_read_id_reg(4, 0));

		if (a.rt != 31) {
			v->regs.x[a.rt] = value;
		}
		skip_trapped_insn(&v->regs.pc, &v->regs.spsr, esr);
		return;
	}
	if (sysreg_is_pauth_key(&a) &&
	    (arch_features.pauth || arch_features.pauth_generic)) {
		arch_vcpu_load_pauth(v);
		return;
	}
	inject_undef(v, esr);
}

static struct vcpu *secondary_sync(struct vcpu *current, uint64_t esr)
{
	bool executes;

	switch (ESR_EC(esr)) {
	case ESR_EC_WFX:
		/* WFE (ISS bit 0) is not trapped; WFI gives the CPU back,
		 * unless it is an AArch32 one that failed its condition. */
		executes = trapped_insn_executes(esr, current->regs.spsr);
		skip_trapped_insn(&current->regs.pc, &current->regs.spsr, esr);
		return executes ? api_wait_for_interrupt(current) : current;
	case ESR_EC_SMC64:
		skip_trapped_insn(&current->regs.pc, &current->regs.spsr, esr);
		current->regs.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		return current;
	case ESR_EC_FP:
		/* Its first FP/SIMD access of this run (CPTR_EL2.TFP): its
		 * registers are loaded and the instruction runs again. */
		arch_vcpu_load_fp(current);
		return current;
	case ESR_EC_PAUTH:
		/* Its first pointer authentication instruction of this run
		 * (HCR_EL2.API): its keys are loaded and it runs again. */
		arch_vcpu_load_pauth(current);
		return current;
	case ESR_EC_SYSREG:
		secondary_sysreg(current, esr);
		return current;
	case ESR_EC_SVE:
	case ESR_EC_SME:
	case ESR_EC_A32_CP15_32:
	case ESR_EC_A32_CP15_64:
	case ESR_EC_A32_CP14_32:
	case ESR_EC_A32_CP14_LS:
	case ESR_EC_A32_VMRS:
	case ESR_EC_A32_CP14_64:
		/* Features it is not given (CPTR_EL2.TZ, TSM), and AArch32
		 * EL0's trapped coprocessor and ID accesses (TID3 traps
		 * VMRS of MVFRn too). */
		inject_undef(current, esr);
		return current;
	default:
		return api_crash(current, esr,
				 esr_has_far(esr) ? read_sysreg(far_el2) : 0);
	}
}

struct vcpu *handle_lower_sync(struct vcpu *current)
{
	uint64_t esr = read_sysreg(esr_el2);

	if (vcpu_is_primary(current)) {
		return primary_sync(current, esr);
	}
	return enter(secondary_sync(current, esr));
}

/* IRQ and FIQ reach EL2 only while a secondary runs (HCR_EL2.IMO/FMO).
 * The secondary's own virtual timer becomes its virtual interrupt (masked,
 * so its level drops); any other is the primary's, which takes it once it
 * runs again (one that came with the timer traps again as soon as the
 * secondary is entered). A timer that fires just as the vCPU traps for
 * something else is found by the next FFA_RUN instead. */
struct vcpu *handle_lower_irq(struct vcpu *current)
{
	if (vcpu_is_primary(current)) {
		return current;
	}
	if (arch_vcpu_timer_expire_current()) {
		vcpu_raise_interrupt(current, HF_VIRTUAL_TIMER_INTID);
		return enter(current);
	}
	return enter(api_preempted(current));
}

struct vcpu *handle_lower_serror(struct vcpu *current)
{
	if (vcpu_is_primary(current)) {
		/* HCR_EL2.AMO is clear for the primary: not routed here. */
		panic("SError from the primary VM routed to EL2");
	}
	return api_crash(current, read_sysreg(esr_el2), 0);
}
