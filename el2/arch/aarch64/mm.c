/* SPDX-License-Identifier: BSD-3-Clause */
/* EL2 MMU control and the TLB and cache maintenance the generic page-table
 * code asks for. */
#include "hf/arch/mm.h"

#include "sysregs.h"

/* MAIR_EL2: index 0 Device-nGnRE, index 1 Normal inner/outer WB RA WA. */
#define MAIR_EL2_VALUE 0xff04ull

/* TCR_EL2: T0SZ = 25 (39-bit VA, walk starts at level 1), inner/outer
 * WB RA WA, inner shareable, 4 KiB granule, PS = 40 bits. */
#define TCR_EL2_VALUE                                                    \
	((1ull << 31) | (1ull << 23) | (2ull << 16) | (3ull << 12) |     \
	 (1ull << 10) | (1ull << 8) | 25ull)

/* ID_AA64MMFR0_EL1.PARange value for 40 bits. */
#define PARANGE_40_BITS 2

bool arch_mm_enable(const struct mm_ptable *hyp)
{
	if ((read_sysreg(id_aa64mmfr0_el1) & 0xf) < PARANGE_40_BITS) {
		return false;
	}
	write_sysreg(mair_el2, MAIR_EL2_VALUE);
	write_sysreg(tcr_el2, TCR_EL2_VALUE);
	write_sysreg(ttbr0_el2, hyp->root);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C |
					SCTLR_EL2_SA | SCTLR_EL2_I);
	isb();
	return true;
}

void arch_mm_sync_table_writes(void)
{
	dsb(ishst);
}

void arch_mm_invalidate_range(const struct mm_ptable *t, uintptr_t begin,
			      uintptr_t end)
{
	uintptr_t va;

	if (t->stage == MM_STAGE1) {
		if (end - begin > (64u << PAGE_BITS)) {
			__asm__ volatile("tlbi alle2is" ::: "memory");
		} else {
			for (va = begin; va < end; va += PAGE_SIZE) {
				__asm__ volatile("tlbi vae2is, %0"
						 :
						 : "r"(va >> PAGE_BITS)
						 : "memory");
			}
		}
	} else {
		/* Stage-2 and combined entries are invalidated by VMID, which
		 * the instruction takes from VTTBR_EL2. */
		uint64_t saved = read_sysreg(vttbr_el2);

		write_sysreg(vttbr_el2, (uint64_t)t->vmid << 48);
		isb();
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
		dsb(ish);
		write_sysreg(vttbr_el2, saved);
	}
	dsb(ish);
	isb();
}

/* Cleans (and invalidates) by VA, line by line; CTR_EL0.DminLine is the
 * smallest data cache line. */
static void dcache_range(paddr_t begin, size_t size, bool invalidate)
{
	uint64_t line = 4u << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t a = align_down(pa_addr(begin), line);
	uintptr_t end = pa_addr(begin) + size;

	for (; a < end; a += line) {
		if (invalidate) {
			__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
		} else {
			__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
		}
	}
	dsb(sy);
}

void arch_mm_clean_dcache_range(paddr_t begin, size_t size)
{
	dcache_range(begin, size, false);
}

void arch_mm_clean_invalidate_dcache_range(paddr_t begin, size_t size)
{
	dcache_range(begin, size, true);
}

void arch_mm_invalidate_icache(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
