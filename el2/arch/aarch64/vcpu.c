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
 * Each secondary has its own virtual counter offset (CNTVOFF_EL2): its
 * virtual time starts near 0 when its first vCPU starts. */
#include "hf/arch/vcpu.h"

#include "hf/cpu.h"
#include "hf/psci.h"
#include "hf/vcpu.h"
#include "hf/vm.h"

#include "sysregs.h"
#include "trap_decode.h"
#include "vcpu_switch.h"

#define HCR_EL2_FMO (1ull << 3)
#define HCR_EL2_IMO (1ull << 4)
#define HCR_EL2_AMO (1ull << 5)
#define HCR_EL2_VI (1ull << 7)
#define HCR_EL2_FB (1ull << 9)
#define HCR_EL2_TWI (1ull << 13)
#define HCR_EL2_TIDCP (1ull << 20)
#define HCR_EL2_TACR (1ull << 21)
#define HCR_EL2_TSW (1ull << 22)
#define MDCR_EL2_TPMCR (1ull << 5)
#define MDCR_EL2_TPM (1ull << 6)
#define MDCR_EL2_TDA (1ull << 9)
#define MDCR_EL2_TDOSA (1ull << 10)
#define MDCR_EL2_TDRA (1ull << 11)
#define ICH_HCR_EL2_TRAP_ALL                                           \
	((1ull << 10) | (1ull << 11) | (1ull << 12) | (1ull << 14))
#define ICC_SRE_EL2_SECONDARY 0x7ull /* SRE, DFB, DIB; Enable clear */
#define MPIDR_RES1 (1ull << 31)
#define CNTV_CTL_ENABLE (1ull << 0)
#define CNTV_CTL_IMASK (1ull << 1)
#define CNTV_CTL_ISTATUS (1ull << 2)
#define CNTHP_CTL_ENABLE (1ull << 0)
#define PMCR_EL0_E (1ull << 0)

void arch_regs_reset(struct arch_regs *r, const struct vm *vm,
		     uint16_t vcpu_index, uintptr_t entry, uint64_t arg)
{
	uint64_t pmu_counters = (read_sysreg(pmcr_el0) >> 11) & 0x1f;
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
		r->el2.hcr_el2 = HCR_EL2_RW | HCR_EL2_VM | HCR_EL2_TSC;
		r->el2.cptr_el2 = CPTR_EL2_RES1;
		/* Runs on its own CPU: the real MPIDR, for Linux's topology. */
		r->el2.vmpidr_el2 = read_sysreg(mpidr_el1);
		r->el2.mdcr_el2 = pmu_counters;
		r->el2.cnthctl_el2 = CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN;
		r->el2.icc_sre_el2 = ICC_SRE_EL2_PRIMARY;
		r->el2.ich_hcr_el2 = 0;
	} else {
		r->el2.cptr_el2 = CPTR_EL2_RES1 | CPTR_EL2_TFP;
		r->el2.hcr_el2 = HCR_EL2_RW | HCR_EL2_VM | HCR_EL2_TSC |
				 HCR_EL2_IMO | HCR_EL2_FMO | HCR_EL2_AMO |
				 HCR_EL2_FB | HCR_EL2_TWI | HCR_EL2_TSW |
				 HCR_EL2_TACR | HCR_EL2_TIDCP;
		r->el2.vmpidr_el2 = MPIDR_RES1 | vcpu_index;
		r->el2.mdcr_el2 = pmu_counters | MDCR_EL2_TPM | MDCR_EL2_TPMCR |
				  MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA;
		r->el2.cnthctl_el2 = CNTHCTL_EL2_EL1PCTEN;
		r->el2.icc_sre_el2 = ICC_SRE_EL2_SECONDARY;
		r->el2.ich_hcr_el2 = ICH_HCR_EL2_TRAP_ALL;
		r->el2.cntvoff_el2 = counter_offset != 0
					     ? counter_offset
					     : read_sysreg(cntpct_el0);
	}
}

static void save_sysregs(struct arch_sysregs *s)
{
	s->sp_el0 = read_sysreg(sp_el0);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr_el1 = read_sysreg(elr_el1);
	s->spsr_el1 = read_sysreg(spsr_el1);
	s->sctlr_el1 = read_sysreg(sctlr_el1);
	s->actlr_el1 = read_sysreg(actlr_el1);
	s->cpacr_el1 = read_sysreg(cpacr_el1);
	s->csselr_el1 = read_sysreg(csselr_el1);
	s->ttbr0_el1 = read_sysreg(ttbr0_el1);
	s->ttbr1_el1 = read_sysreg(ttbr1_el1);
	s->tcr_el1 = read_sysreg(tcr_el1);
	s->mair_el1 = read_sysreg(mair_el1);
	s->amair_el1 = read_sysreg(amair_el1);
	s->vbar_el1 = read_sysreg(vbar_el1);
	s->contextidr_el1 = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->esr_el1 = read_sysreg(esr_el1);
	s->far_el1 = read_sysreg(far_el1);
	s->afsr0_el1 = read_sysreg(afsr0_el1);
	s->afsr1_el1 = read_sysreg(afsr1_el1);
	s->par_el1 = read_sysreg(par_el1);
	s->cntkctl_el1 = read_sysreg(cntkctl_el1);
	s->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	s->cntv_cval_el0 = read_sysreg(cntv_cval_el0);
	s->mdscr_el1 = read_sysreg(mdscr_el1);
}

static void restore_sysregs(const struct arch_sysregs *s)
{
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr_el1);
	write_sysreg(spsr_el1, s->spsr_el1);
	write_sysreg(sctlr_el1, s->sctlr_el1);
	write_sysreg(actlr_el1, s->actlr_el1);
	write_sysreg(cpacr_el1, s->cpacr_el1);
	write_sysreg(csselr_el1, s->csselr_el1);
	write_sysreg(ttbr0_el1, s->ttbr0_el1);
	write_sysreg(ttbr1_el1, s->ttbr1_el1);
	write_sysreg(tcr_el1, s->tcr_el1);
	write_sysreg(mair_el1, s->mair_el1);
	write_sysreg(amair_el1, s->amair_el1);
	write_sysreg(vbar_el1, s->vbar_el1);
	write_sysreg(contextidr_el1, s->contextidr_el1);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(esr_el1, s->esr_el1);
	write_sysreg(far_el1, s->far_el1);
	write_sysreg(afsr0_el1, s->afsr0_el1);
	write_sysreg(afsr1_el1, s->afsr1_el1);
	write_sysreg(par_el1, s->par_el1);
	write_sysreg(cntkctl_el1, s->cntkctl_el1);
	write_sysreg(cntv_cval_el0, s->cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl_el0);
	write_sysreg(mdscr_el1, s->mdscr_el1);
}

void arch_regs_load_el2(const struct arch_el2_controls *c)
{
	write_sysreg(hcr_el2, c->hcr_el2);
	write_sysreg(cptr_el2, c->cptr_el2);
	write_sysreg(vttbr_el2, c->vttbr_el2);
	write_sysreg(vmpidr_el2, c->vmpidr_el2);
	write_sysreg(mdcr_el2, c->mdcr_el2);
	write_sysreg(cnthctl_el2, c->cnthctl_el2);
	write_sysreg(cntvoff_el2, c->cntvoff_el2);
	write_sysreg(ICC_SRE_EL2, c->icc_sre_el2);
	isb();
	write_sysreg(ICH_HCR_EL2, c->ich_hcr_el2);
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

void arch_vcpu_switch(struct vcpu *from, struct vcpu *to)
{
	struct arch_sysregs *fs = &from->regs.sys;
	struct arch_sysregs *ts = &to->regs.sys;

	save_sysregs(fs);
	smccc_harden_branch_predictor();
	if (from->regs.fp_live) {
		/* Only a secondary's, and only back to the primary. */
		arch_fp_save(&from->regs.fp);
		arch_fp_restore(&to->regs.fp);
		from->regs.fp_live = 0;
	}
	if (to->vm == vm_primary()) {
		write_sysreg(cnthp_ctl_el2, 0);
		pmu_resume(&to->regs.pmu);
	} else {
		if (from->vm == vm_primary()) {
			pmu_stop(&from->regs.pmu);
		}
		/* While a secondary has the virtual timer, the EL2 timer
		 * stands in for the primary's, so that its tick still ends
		 * the secondary's turn (hafnium.ko enables that PPI). */
		if (from->vm == vm_primary() &&
		    (fs->cntv_ctl_el0 & CNTV_CTL_ENABLE) &&
		    !(fs->cntv_ctl_el0 & CNTV_CTL_IMASK)) {
			write_sysreg(cnthp_cval_el2, fs->cntv_cval_el0);
			write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
		}
		set_virtual_irq_saved(to, virq_deliverable(&to->interrupts));
	}
	arch_regs_load_el2(&to->regs.el2);
	restore_sysregs(ts);
	write_sysreg(tpidr_el2, (uintptr_t)to);
	isb();
}

void arch_vcpu_load_fp(struct vcpu *v)
{
	struct vcpu *primary = &vm_primary()->vcpus[v->cpu->index];

	if (v->regs.fp_live) {
		return;
	}
	/* Untrapped for the rest of this run (EL2's own accesses too); the
	 * next entry into v traps again. */
	write_sysreg(cptr_el2, v->regs.el2.cptr_el2 & ~CPTR_EL2_TFP);
	isb();
	arch_fp_save(&primary->regs.fp);
	arch_fp_restore(&v->regs.fp);
	v->regs.fp_live = 1;
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
