/* Host stand-ins for TLB and cache maintenance: nothing to maintain, but
 * the tests can count invalidations to check break-before-make. */
#include "hf/arch/mm.h"

#include "fake.h"

size_t fake_tlb_invalidations;

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
	(void)begin;
	(void)size;
}
