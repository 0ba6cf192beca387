/* SPDX-License-Identifier: BSD-3-Clause */
/* RAM moving in and out of the primary; see hf/primary_memory.h. */
#include "hf/primary_memory.h"

#include "hf/dlog.h"
#include "hf/dma.h"
#include "hf/mm.h"

#define RWX (MM_MODE_R | MM_MODE_W | MM_MODE_X)

bool primary_memory_take(struct vm_locked primary, struct pa_range r,
			 struct mpool *pool)
{
	struct mm_ptable *t = &primary.vm->ptable;

	if (!mm_unmap(t, pa_addr(r.begin), pa_addr(r.end), pool)) {
		/* What was unmapped goes back; the tables for it exist. */
		if (!mm_identity_map(t, r.begin, r.end, RWX, pool)) {
			dlog("hafnium: cannot return 0x%lx to the primary\n",
			     (unsigned long)pa_addr(r.begin));
		}
		return false;
	}
	dma_revoke(r);
	primary.vm->mem_size -= pa_range_size(r);
	return true;
}

bool primary_memory_give(struct vm_locked primary, struct pa_range r,
			 struct mpool *pool)
{
	if (!mm_identity_map(&primary.vm->ptable, r.begin, r.end, RWX, pool)) {
		dlog("hafnium: cannot return 0x%lx to the primary\n",
		     (unsigned long)pa_addr(r.begin));
		return false;
	}
	dma_grant(r);
	primary.vm->mem_size += pa_range_size(r);
	return true;
}
