/* SPDX-License-Identifier: BSD-3-Clause */
/* Host stand-ins for TLB and cache maintenance: nothing to maintain, but
 * the tests can count invalidations to check break-before-make, and see
 * which ranges were cleaned, or cleaned and invalidated. */
#include "hf/arch/mm.h"

#include "fake.h"

size_t fake_tlb_invalidations;
struct fake_range fake_dcache_civac[FAKE_RANGES_MAX];
size_t fake_dcache_civac_count;
size_t fake_icache_invalidations;
struct fake_range fake_dcache_cvac[FAKE_RANGES_MAX];
size_t fake_dcache_cvac_count;

void arch_mm_sync_table_writes(void)
{
}

void arch_mm_invalidate_range(const struct mm_ptable *t, uintptr_t begin,
			      uintptr_t end)
{
	(void)t;
	(void)begin;
	(void)end;
	fake_tlb_invalidations++;
}

void arch_mm_clean_dcache_range(paddr_t begin, size_t size)
{
	if (fake_dcache_cvac_count < FAKE_RANGES_MAX) {
		fake_dcache_cvac[fake_dcache_cvac_count] =
			(struct fake_range){ pa_addr(begin), size,
					     *(uint8_t *)ptr_from_pa(begin) };
	}
	fake_dcache_cvac_count++;
}

void arch_mm_clean_invalidate_dcache_range(paddr_t begin, size_t size)
{
	if (fake_dcache_civac_count < FAKE_RANGES_MAX) {
		fake_dcache_civac[fake_dcache_civac_count] =
			(struct fake_range){ pa_addr(begin), size,
					     *(uint8_t *)ptr_from_pa(begin) };
	}
	fake_dcache_civac_count++;
}

void arch_mm_invalidate_icache(void)
{
	fake_icache_invalidations++;
}
