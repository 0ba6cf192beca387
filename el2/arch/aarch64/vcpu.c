/* SPDX-License-Identifier: BSD-3-Clause */
/* aarch64 vCPU state: reset values, the world switch of EL1 system
 * registers, FP/SIMD and EL2 controls, and the virtual timer.
 *
 * What a secondary cannot reach (trapped to EL2, where hafnium ends the VM
 * as crashed): the GIC CPU interface (ICH_HCR_EL2 TC/TALL0/TALL1/TDIR,
 * ICC_SRE_EL2.Enable clear), the PMU (MDCR_EL2 TPM/TPMCR), debug
 * registers (TDA/TDOSA/TDRA), the EL1 physical timer (CNTHCTL_EL2.EL1PCEN
 * clear), set/way cache maintenance (HCR_EL2.TSW), ACTLR_EL1 (TACR), the
 * IMPLEMENTATION DEFINED registers (TIDCP: on a Cortex-A57 CPUACTLR,
 * CPUECTLR, the L2 control and error registers). SMC is trapped (TSC) and
 * answered NOT_SUPPORTED; WFI is trapped (TWI) so an idle vCPU gives its
 * CPU back. Physical interrupts go to EL2 (IMO, FMO, AMO) and hand the CPU
 * back to the primary, except the secondary's own virtual timer; its
 * virtual interrupts come through HCR_EL2.VI.
 *
 * A secondary's vCPU runs on whichever CPU the primary's FFA_RUN comes
 * from, so its TLB and I-cache maintenance must reach every CPU: a local
 * TLBI VMALLE1 or IC IALLU (Linux flushes locally on ASID rollover) would
 * leave stale entries of its VMID on the CPUs it ran on before.
 * HCR_EL2.FB makes the hardware broadcast them inner-shareable, which is
 * simpler than tracking the last vCPU of each VM per CPU and flushing on
 * a change, as KVM does (QEMU implements FB for TLBI).
 *
 * The primary's PMU neither counts nor interrupts while a secondary runs:
 * its counters (cycles, instructions, cache refills) would measure the
 * secondary, and an overflow interrupt would end its turn after a chosen
 * number of events (single-stepping it). A switch to a secondary saves
 * PMCR_EL0 and clears its E bit, the switch back restores it: with E
 * clear no counter below MDCR_EL2.HPMN (all of them, for the primary)
 * counts or raises its overflow interrupt. Only a PMU that is on is
 * touched: this is on every FFA_RUN's path. The secondary itself cannot
 * touch the PMU (TPM, TPMCR).
 *
 * FP/SIMD registers are switched lazily: a secondary starts each run with
 * FP trapped (CPTR_EL2.TFP) and the primary's registers still in the CPU,
 * out of its reach; its first FP access saves the primary's and loads its
 * own (arch_vcpu_load_fp), and only then does the switch back swap them
 * again. A secondary that never touches FP, like most runs that end in a
 * hypercall, costs no FP save or restore at all. Nothing of one VM's FP
 * state stays in the CPU once another VM's vCPU runs there.
 *
 * With SVE or SME, the primary's vector registers are larger than a
 * secondary's: the secondary's first FP access saves the primary's whole
 * Z, P and FFR registers at the largest vector length, or, if the primary
 * was in streaming mode (its CPU can be, when it calls FFA_RUN from a
 * kernel thread that followed a streaming task), its streaming registers,
 * and leaves streaming mode, so that the secondary's FP/SIMD runs as on
 * a CPU without SME. Its ZA storage stays untouched: nothing a secondary
 * can execute reaches it (CPTR_EL2.TSM).
 *
 * Pointer authentication keys are switched lazily too: a secondary runs
 * with HCR_EL2.API and APK clear, so its first PAC instruction (when its
 * SCTLR_EL1 enables one) or key register access traps; then the
 * primary's keys are saved, its own loaded, and it runs untrapped for the
 * rest of its turn. The primary's keys are never readable nor usable by a
 * secondary: while they are in the CPU, every way to use them traps.
 *
 * Secondaries get no SVE, SME, MTE, RAS, AMU, LORegions, SPE, trace
 * buffer or SCXTNUM: their registers and instructions trap (CPTR_EL2.TZ,
 * TSM, TAM, TTA; HCR_EL2.ATA clear, which also turns tag checks off; TERR,
 * TLOR, EnSCXT clear; MDCR_EL2.E2PB, TPMS, E2TB) and are undefined
 * instructions in the VM, and their ID registers say they are absent
 * (HCR_EL2.TID3, hf/id_regs.h). So none of the primary's state for them
 * can change while a secondary runs, and none is switched, except
 * TPIDR2_EL0 (see feature_setup.c).
 *
 * Each secondary has its own virtual counter offset (CNTVOFF_EL2): its
 * virtual time starts near 0 when its first vCPU starts. */
#include "hf/arch/vcpu.h"

#include "hf/cpu.h"
#include "hf/limits.h"
#include "hf/psci.h"
#include "hf/vcpu.h"
#include "hf/vm.h"

#include "feature_setup.h"
#include "sysregs.h"
#include "trap_decode.h"
#include "vcpu_switch.h"

#define HCR_EL2_FMO (1ull << 3)
#define HCR_EL2_IMO (1ull << 4)
#define HCR_EL2_AMO (1ull << 5)
#define HCR_EL2_VI (1ull << 7)
#define HCR_EL2_FB (1ull << 9)
#define HCR_EL2_TWI (1ull << 13)
#define HCR_EL2_TID3 (1ull << 18)
#define HCR_EL2_TIDCP (1ull << 20)
#define HCR_EL2_TACR (1ull << 21)
#define HCR_EL2_TSW (1ull << 22)
#define HCR_EL2_TLOR (1ull << 35)
#define HCR_EL2_TERR (1ull << 36)
#define MDCR_EL2_TPMCR (1ull << 5)
#define MDCR_EL2_TPM (1ull << 6)
#define MDCR_EL2_TDA (1ull << 9)
#define MDCR_EL2_TDOSA (1ull << 10)
#define MDCR_EL2_TDRA (1ull << 11)
#define MDCR_EL2_E2PB_EL1 (3ull << 12)
#define MDCR_EL2_TPMS (1ull << 14)
#define MDCR_EL2_E2TB_EL1 (3ull << 24)
#define ICH_HCR_EL2_TRAP_ALL                                           \
	((1ull << 10) | (1ull << 11) | (1ull << 12) | (1ull << 14))
#define ICC_SRE_EL2_SECONDARY 0x7ull /* SRE, DFB, DIB; Enable clear */
#define MPIDR_RES1 (1ull << 31)
#define CNTV_CTL_ENABLE (1ull << 0)
#define CNTV_CTL_IMASK (1ull << 1)
#define CNTV_CTL_ISTATUS (1ull << 2)
#define CNTHP_CTL_ENABLE (1ull << 0)
#define PMCR_EL0_E (1ull << 0)
#define SVCR S3_3_C4_C2_2
#define SVCR_SM (1ull << 0)
#define TPIDR2_EL0 S3_3_C13_C0_5
/* Architectural maximum of SVE's and SME's vector lengths, in bytes. */
#define VL_MAX_BYTES 256

/* The primary's vector registers while a secondary's FP/SIMD registers
 * are in its CPU: NEON ones in its struct arch_fp_regs, SVE or streaming
 * SVE ones here (one per CPU, as the primary's vCPUs). The layout is
 * fp.S's. */
enum primary_vectors_kind { VECTORS_NEON, VECTORS_SVE, VECTORS_STREAMING };

struct arch_sve_regs {
	uint64_t fpsr, fpcr;
	uint64_t kind;
	uint64_t reserved;
	uint8_t regs[32 * VL_MAX_BYTES + 17 * VL_MAX_BYTES / 8];
};

void arch_sve_save(struct arch_sve_regs *r, bool ffr);
void arch_sve_restore(const struct arch_sve_regs *r, bool ffr);
void arch_sme_stop_streaming(void);
void arch_sme_start_streaming(void);

static struct arch_sve_regs primary_vectors[MAX_CPUS]
	__attribute__((aligned(16)));

void arch_regs_reset(struct arch_regs *r, const struct vm *vm,
		     uint16_t vcpu_index, uintptr_t entry, uint64_t arg)
{
	uint64_t pmu_counters = (read_sysreg(pmcr_el0) >> 11) & 0x1f;
	const struct cpu_features *f = &arch_features;
	bool primary = vm == vm_primary();
	/* One offset per VM, fixed when its first vCPU is reset (r may be
	 * that vCPU's: read before clearing). */
	uint64_t counter_offset = vm->vcpus[0].regs.el2.cntvoff_el2;

	memset(r, 0, sizeof(*r));
	r->x[0] = arg;
	r->pc = entry;
	r->spsr = SPSR_EL1H_DAIF;
	r->sys.sctlr_el1 = SCTLR_EL1_RES1;
	r->el2.vttbr_el2 = vm->ptable.root | (uint64_t)vm->ptable.vmid << 48;
	if (primary) {
		r->el2.hcr_el2 = HCR_EL2_RW | HCR_EL2_VM | HCR_EL2_TSC |
				 (f->pauth || f->pauth_generic
					  ? HCR_EL2_API | HCR_EL2_APK
					  : 0) |
				 (f->mte ? HCR_EL2_ATA : 0) |
				 (f->scxtnum ? HCR_EL2_ENSCXT : 0);
		r->el2.cptr_el2 = arch_primary_cptr();
		/* Runs on its own CPU: the real MPIDR, for Linux's topology. */
		r->el2.vmpidr_el2 = read_sysreg(mpidr_el1);
		r->el2.mdcr_el2 = pmu_counters |
				  (f->spe ? MDCR_EL2_E2PB_EL1 : 0) |
				  (f->trbe ? MDCR_EL2_E2TB_EL1 : 0);
		r->el2.cnthctl_el2 = CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN;
		r->el2.icc_sre_el2 = ICC_SRE_EL2_PRIMARY;
		r->el2.ich_hcr_el2 = 0;
	} else {
		r->el2.cptr_el2 = CPTR_EL2_RES1 | CPTR_EL2_TFP | CPTR_EL2_TZ |
				  CPTR_EL2_TSM | CPTR_EL2_TTA |
				  (f->amu ? CPTR_EL2_TAM : 0);
		r->el2.hcr_el2 = HCR_EL2_RW | HCR_EL2_VM | HCR_EL2_TSC |
				 HCR_EL2_IMO | HCR_EL2_FMO | HCR_EL2_AMO |
				 HCR_EL2_FB | HCR_EL2_TWI | HCR_EL2_TSW |
				 HCR_EL2_TACR | HCR_EL2_TIDCP | HCR_EL2_TID3 |
				 (f->lor ? HCR_EL2_TLOR : 0) |
				 (f->ras ? HCR_EL2_TERR : 0);
		r->el2.vmpidr_el2 = MPIDR_RES1 | vcpu_index;
		r->el2.mdcr_el2 = pmu_counters | MDCR_EL2_TPM | MDCR_EL2_TPMCR |
				  MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA |
				  (f->spe ? MDCR_EL2_TPMS : 0);
		r->el2.cnthctl_el2 = CNTHCTL_EL2_EL1PCTEN;
		r->el2.icc_sre_el2 = ICC_SRE_EL2_SECONDARY;
		r->el2.ich_hcr_el2 = ICH_HCR_EL2_TRAP_ALL;
		r->el2.cntvoff_el2 = counter_offset != 0
					     ? counter_offset
					     : read_sysreg(cntpct_el0);
	}
}

/* The EL1 registers are saved two at a time, MRS MRS STP, and loaded
 * LDP MSR MSR: a third fewer instructions than one STR or LDR each. The
 * pairs are neighbours in struct arch_sysregs, whose fields are named as
 * the registers. */
#define SYSREG_OFFSET(r) __builtin_offsetof(struct arch_sysregs, r)
#define SAVE_PAIR(s, r1, r2)                                             \
	do {                                                             \
		uint64_t a_, b_;                                         \
		_Static_assert(SYSREG_OFFSET(r2) == SYSREG_OFFSET(r1) + 8, \
			       #r1 " and " #r2 " are not neighbours");   \
		__asm__ volatile("mrs %0, " #r1 "\n\t"                   \
				 "mrs %1, " #r2 "\n\t"                   \
				 "stp %0, %1, [%2, #%c3]"                \
				 : "=&r"(a_), "=&r"(b_)                  \
				 : "r"(s), "i"(SYSREG_OFFSET(r1))        \
				 : "memory");                            \
	} while (0)
#define LOAD_PAIR_ASM(s, r1, r2, order)                                  \
	do {                                                             \
		uint64_t a_, b_;                                         \
		_Static_assert(SYSREG_OFFSET(r2) == SYSREG_OFFSET(r1) + 8, \
			       #r1 " and " #r2 " are not neighbours");   \
		__asm__ volatile("ldp %0, %1, [%2, #%c3]\n\t" order      \
				 : "=&r"(a_), "=&r"(b_)                  \
				 : "r"(s), "i"(SYSREG_OFFSET(r1))        \
				 : "memory");                            \
	} while (0)
#define LOAD_PAIR(s, r1, r2)                                             \
	LOAD_PAIR_ASM(s, r1, r2, "msr " #r1 ", %0\n\tmsr " #r2 ", %1")
/* r2 written first. */
#define LOAD_PAIR_REVERSED(s, r1, r2)                                    \
	LOAD_PAIR_ASM(s, r1, r2, "msr " #r2 ", %1\n\tmsr " #r1 ", %0")

/* TPIDR2_EL0 (with SME) is switched by the caller. */
static void save_sysregs(struct arch_sysregs *s)
{
	SAVE_PAIR(s, sp_el0, sp_el1);
	SAVE_PAIR(s, elr_el1, spsr_el1);
	SAVE_PAIR(s, sctlr_el1, actlr_el1);
	SAVE_PAIR(s, cpacr_el1, csselr_el1);
	SAVE_PAIR(s, ttbr0_el1, ttbr1_el1);
	SAVE_PAIR(s, tcr_el1, mair_el1);
	SAVE_PAIR(s, amair_el1, vbar_el1);
	SAVE_PAIR(s, contextidr_el1, tpidr_el0);
	SAVE_PAIR(s, tpidrro_el0, tpidr_el1);
	SAVE_PAIR(s, esr_el1, far_el1);
	SAVE_PAIR(s, afsr0_el1, afsr1_el1);
	SAVE_PAIR(s, par_el1, cntkctl_el1);
	SAVE_PAIR(s, cntv_ctl_el0, cntv_cval_el0);
	s->mdscr_el1 = read_sysreg(mdscr_el1);
}

static void restore_sysregs(const struct arch_sysregs *s)
{
	LOAD_PAIR(s, sp_el0, sp_el1);
	LOAD_PAIR(s, elr_el1, spsr_el1);
	LOAD_PAIR(s, sctlr_el1, actlr_el1);
	LOAD_PAIR(s, cpacr_el1, csselr_el1);
	LOAD_PAIR(s, ttbr0_el1, ttbr1_el1);
	LOAD_PAIR(s, tcr_el1, mair_el1);
	LOAD_PAIR(s, amair_el1, vbar_el1);
	LOAD_PAIR(s, contextidr_el1, tpidr_el0);
	LOAD_PAIR(s, tpidrro_el0, tpidr_el1);
	LOAD_PAIR(s, esr_el1, far_el1);
	LOAD_PAIR(s, afsr0_el1, afsr1_el1);
	LOAD_PAIR(s, par_el1, cntkctl_el1);
	/* The compare value first: the old one with the new control could
	 * fire at once. */
	LOAD_PAIR_REVERSED(s, cntv_ctl_el0, cntv_cval_el0);
	write_sysreg(mdscr_el1, s->mdscr_el1);
}

#define EL2_OFFSET(r) __builtin_offsetof(struct arch_el2_controls, r)
/* LDP MSR MSR, as LOAD_PAIR: r1 and r2 are neighbours in c. */
#define EL2_LOAD_PAIR(c, r1, r2, name1, name2)                           \
	do {                                                             \
		uint64_t a_, b_;                                         \
		_Static_assert(EL2_OFFSET(r2) == EL2_OFFSET(r1) + 8,     \
			       #r1 " and " #r2 " are not neighbours");   \
		__asm__ volatile("ldp %0, %1, [%2, #%c3]\n\t"            \
				 "msr " #name1 ", %0\n\t"                \
				 "msr " #name2 ", %1"                    \
				 : "=&r"(a_), "=&r"(b_)                  \
				 : "r"(c), "i"(EL2_OFFSET(r1))           \
				 : "memory");                            \
	} while (0)

void arch_regs_load_el2(const struct arch_el2_controls *c)
{
	EL2_LOAD_PAIR(c, hcr_el2, vttbr_el2, hcr_el2, vttbr_el2);
	EL2_LOAD_PAIR(c, vmpidr_el2, mdcr_el2, vmpidr_el2, mdcr_el2);
	write_sysreg(cptr_el2, c->cptr_el2);
	EL2_LOAD_PAIR(c, cnthctl_el2, icc_sre_el2, cnthctl_el2, ICC_SRE_EL2);
	isb();
	EL2_LOAD_PAIR(c, ich_hcr_el2, cntvoff_el2, ICH_HCR_EL2, cntvoff_el2);
}

/* Sets or clears HCR_EL2.VI in v's saved EL2 controls; true if it
 * changed. */
static bool set_virtual_irq_saved(struct vcpu *v, bool asserted)
{
	uint64_t hcr = v->regs.el2.hcr_el2;

	v->regs.el2.hcr_el2 = asserted ? hcr | HCR_EL2_VI : hcr & ~HCR_EL2_VI;
	return v->regs.el2.hcr_el2 != hcr;
}

/* The primary's PMU stops counting and interrupting (see the top). */
static void pmu_stop(struct arch_pmu *p)
{
	p->pmcr_el0 = read_sysreg(pmcr_el0);
	if (p->pmcr_el0 & PMCR_EL0_E) {
		write_sysreg(pmcr_el0, p->pmcr_el0 & ~PMCR_EL0_E);
	}
}

static void pmu_resume(const struct arch_pmu *p)
{
	if (p->pmcr_el0 & PMCR_EL0_E) {
		write_sysreg(pmcr_el0, p->pmcr_el0);
	}
}

/* Saves the primary's vector registers of this CPU, in whichever form
 * they are, and leaves streaming mode (see the top). EL2 may use SVE and
 * SME. */
static void primary_vectors_save(struct vcpu *primary)
{
	struct arch_sve_regs *r = &primary_vectors[primary->index];

	if (arch_features.sme && (read_sysreg(SVCR) & SVCR_SM)) {
		arch_sve_save(r, arch_features.sme_fa64);
		arch_sme_stop_streaming();
		r->kind = VECTORS_STREAMING;
	} else if (arch_features.sve) {
		arch_sve_save(r, true);
		r->kind = VECTORS_SVE;
	} else {
		arch_fp_save(&primary->regs.fp);
		r->kind = VECTORS_NEON;
	}
}

static void primary_vectors_restore(struct vcpu *primary)
{
	struct arch_sve_regs *r = &primary_vectors[primary->index];

	switch (r->kind) {
	case VECTORS_STREAMING:
		arch_sme_start_streaming();
		arch_sve_restore(r, arch_features.sme_fa64);
		break;
	case VECTORS_SVE:
		arch_sve_restore(r, true);
		break;
	default:
		arch_fp_restore(&primary->regs.fp);
		break;
	}
}

#define PAUTH_KEY_PAIR(op, k, i, crm, lo, hi)                           \
	op(k, i, S3_0_C2_C##crm##_##lo);                                 \
	op(k, (i) + 1, S3_0_C2_C##crm##_##hi)
#define PAUTH_KEY_SAVE(k, i, reg) (k)->key[i] = read_sysreg(reg)
#define PAUTH_KEY_RESTORE(k, i, reg) write_sysreg(reg, (k)->key[i])

/* APIAKey, APIBKey (CRm 1), APDAKey, APDBKey (CRm 2), APGAKey (CRm 3);
 * Lo at op2 0 or 2, Hi at 1 or 3. */
static void pauth_keys_save(struct arch_pauth_keys *k)
{
	PAUTH_KEY_PAIR(PAUTH_KEY_SAVE, k, 0, 1, 0, 1);
	PAUTH_KEY_PAIR(PAUTH_KEY_SAVE, k, 2, 1, 2, 3);
	PAUTH_KEY_PAIR(PAUTH_KEY_SAVE, k, 4, 2, 0, 1);
	PAUTH_KEY_PAIR(PAUTH_KEY_SAVE, k, 6, 2, 2, 3);
	PAUTH_KEY_PAIR(PAUTH_KEY_SAVE, k, 8, 3, 0, 1);
}

static void pauth_keys_restore(const struct arch_pauth_keys *k)
{
	PAUTH_KEY_PAIR(PAUTH_KEY_RESTORE, k, 0, 1, 0, 1);
	PAUTH_KEY_PAIR(PAUTH_KEY_RESTORE, k, 2, 1, 2, 3);
	PAUTH_KEY_PAIR(PAUTH_KEY_RESTORE, k, 4, 2, 0, 1);
	PAUTH_KEY_PAIR(PAUTH_KEY_RESTORE, k, 6, 2, 2, 3);
	PAUTH_KEY_PAIR(PAUTH_KEY_RESTORE, k, 8, 3, 0, 1);
}

void arch_vcpu_switch(struct vcpu *from, struct vcpu *to)
{
	struct arch_sysregs *fs = &from->regs.sys;
	struct arch_sysregs *ts = &to->regs.sys;
	bool from_primary = vcpu_is_primary(from);

	save_sysregs(fs);
	smccc_harden_branch_predictor();
	if (vcpu_is_primary(to)) {
		write_sysreg(cnthp_ctl_el2, 0);
		pmu_resume(&to->regs.pmu);
	} else {
		if (from_primary) {
			pmu_stop(&from->regs.pmu);
		}
		/* While a secondary has the virtual timer, the EL2 timer
		 * stands in for the primary's, so that its tick still ends
		 * the secondary's turn (hafnium.ko enables that PPI). */
		if (from_primary && (fs->cntv_ctl_el0 & CNTV_CTL_ENABLE) &&
		    !(fs->cntv_ctl_el0 & CNTV_CTL_IMASK)) {
			write_sysreg(cnthp_cval_el2, fs->cntv_cval_el0);
			write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
		}
		set_virtual_irq_saved(to, virq_deliverable(&to->interrupts));
	}
	arch_regs_load_el2(&to->regs.el2);
	/* Lazily switched state is only a secondary's, and goes only back to
	 * the primary, whose CPTR_EL2, just loaded, lets EL2 reach its SVE
	 * and SME registers. One test for both on the common path. */
	if (from->regs.fp_live | from->regs.pauth_live) {
		if (from->regs.fp_live) {
			arch_fp_save(&from->regs.fp);
			primary_vectors_restore(to);
			from->regs.fp_live = 0;
		}
		if (from->regs.pauth_live) {
			pauth_keys_save(&from->regs.pauth);
			pauth_keys_restore(&to->regs.pauth);
			from->regs.el2.hcr_el2 &= ~(HCR_EL2_API | HCR_EL2_APK);
			from->regs.pauth_live = 0;
		}
	}
	restore_sysregs(ts);
	if (arch_features.sme) {
		fs->tpidr2_el0 = read_sysreg(TPIDR2_EL0);
		write_sysreg(TPIDR2_EL0, ts->tpidr2_el0);
	}
	/* No ISB: EL2 reads TPIDR_EL2 only by MRS, which sees this write in
	 * program order (Arm ARM D19.2.2, "Synchronization requirements for
	 * AArch64 System registers": direct reads and writes of the same
	 * register need no synchronization between them), and the EL1
	 * registers and EL2 controls above act on the vCPU only after the
	 * ERET into it, a context synchronization event. */
	write_sysreg(tpidr_el2, (uintptr_t)to);
}

void arch_vcpu_load_fp(struct vcpu *v)
{
	struct vcpu *primary = v->cpu->primary;

	if (v->regs.fp_live) {
		return;
	}
	write_sysreg(cptr_el2, arch_primary_cptr());
	isb();
	primary_vectors_save(primary);
	arch_fp_restore(&v->regs.fp);
	/* Untrapped for the rest of this run; the next entry into v traps
	 * again. The ERET into v synchronises the change. */
	write_sysreg(cptr_el2, v->regs.el2.cptr_el2 & ~CPTR_EL2_TFP);
	v->regs.fp_live = 1;
}

void arch_vcpu_load_pauth(struct vcpu *v)
{
	struct vcpu *primary = v->cpu->primary;

	if (v->regs.pauth_live) {
		return;
	}
	pauth_keys_save(&primary->regs.pauth);
	pauth_keys_restore(&v->regs.pauth);
	v->regs.pauth_live = 1;
	v->regs.el2.hcr_el2 |= HCR_EL2_API | HCR_EL2_APK;
	write_sysreg(hcr_el2, v->regs.el2.hcr_el2);
}

/* A saved vCPU's virtual count now (EL2's CNTVCT_EL0 uses the loaded
 * CNTVOFF_EL2, which may be another VM's). */
static uint64_t virtual_count(const struct vcpu *v)
{
	return read_sysreg(cntpct_el0) - v->regs.el2.cntvoff_el2;
}

/* Its virtual timer is enabled and not masked. */
static bool timer_armed(const struct vcpu *v)
{
	return (v->regs.sys.cntv_ctl_el0 &
		(CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE;
}

uint64_t arch_vcpu_timer_remaining_ns(const struct vcpu *v)
{
	uint64_t cval = v->regs.sys.cntv_cval_el0;
	uint64_t now = virtual_count(v);
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t ticks;

	if (!timer_armed(v) || freq == 0) {
		return UINT64_MAX;
	}
	if (cval <= now) {
		return 0;
	}
	ticks = cval - now;
	return ticks_to_ns(ticks, freq);
}

bool arch_vcpu_timer_expire(struct vcpu *v)
{
	/* Compared in ticks: this is on every FFA_RUN's path. */
	if (!timer_armed(v) || v->regs.sys.cntv_cval_el0 > virtual_count(v)) {
		return false;
	}
	v->regs.sys.cntv_ctl_el0 |= CNTV_CTL_IMASK;
	return true;
}

bool arch_vcpu_timer_expire_current(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) !=
	    (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS)) {
		return false;
	}
	write_sysreg(cntv_ctl_el0, ctl | CNTV_CTL_IMASK);
	return true;
}

void arch_vcpu_set_virtual_irq(struct vcpu *v, bool asserted)
{
	if (set_virtual_irq_saved(v, asserted)) {
		write_sysreg(hcr_el2, v->regs.el2.hcr_el2);
	}
}
