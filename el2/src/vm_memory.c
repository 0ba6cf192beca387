/* SPDX-License-Identifier: BSD-3-Clause */
/* A secondary's memory changing hands; see hf/vm_memory.h. */
#include "hf/vm_memory.h"

#include "hf/arch/mm.h"
#include "hf/dlog.h"
#include "hf/primary_memory.h"

#define RWX (MM_MODE_R | MM_MODE_W | MM_MODE_X)

static size_t chunk_size(const struct vm_chunk *c)
{
	return c->pages * PAGE_SIZE;
}

static struct pa_range chunk_range(const struct vm_chunk *c)
{
	return (struct pa_range){ c->begin, pa_add(c->begin, chunk_size(c)) };
}

/* Gives chunks [0, count), all taken from the primary, back to it. */
static void give_back(struct vm_locked primary, struct vm *vm, size_t count,
		      struct mpool *pool)
{
	size_t i;

	for (i = 0; i < count; i++) {
		primary_memory_give(primary, chunk_range(&vm->chunks[i]), pool);
	}
}

bool vm_memory_donate(struct vm_locked primary, struct vm_locked locked,
		      const struct ffa_composite_memory_region *m,
		      struct mpool *pool)
{
	struct vm *vm = locked.vm;
	uint64_t ipa = HF_VM_RAM_BASE;
	size_t i;

	for (i = 0; i < m->constituent_count; i++) {
		const struct ffa_memory_region_constituent *c =
			&m->constituents[i];
		uint64_t size = (uint64_t)c->page_count * PAGE_SIZE;

		vm->chunks[i].begin = pa_init(c->address);
		vm->chunks[i].pages = c->page_count;
		/* The VM never ran, so nothing needs zeroing on failure; a
		 * failed take leaves chunk i with the primary already. */
		if (!primary_memory_take(primary, chunk_range(&vm->chunks[i]),
					 pool)) {
			give_back(primary, vm, i, pool);
			return false;
		}
		if (!mm_map(&vm->ptable, ipa, ipa + size, pa_init(c->address),
			    RWX, &vm->pool)) {
			give_back(primary, vm, i + 1, pool);
			return false;
		}
		ipa += size;
	}
	/* Out of the primary's reach now: flush what it left in caches. */
	for (i = 0; i < m->constituent_count; i++) {
		arch_mm_clean_invalidate_dcache_range(
			vm->chunks[i].begin, chunk_size(&vm->chunks[i]));
	}
	arch_mm_invalidate_icache();
	vm->chunk_count = m->constituent_count;
	vm->mem_size = (uint64_t)m->page_count * PAGE_SIZE;
	return true;
}

static void zero_chunks(struct vm *vm)
{
	size_t i;

	for (i = 0; i < vm->chunk_count; i++) {
		struct vm_chunk *c = &vm->chunks[i];

		memset(ptr_from_pa(c->begin), 0, chunk_size(c));
		arch_mm_clean_invalidate_dcache_range(c->begin, chunk_size(c));
	}
}

void vm_memory_reclaim(struct vm_locked primary, struct vm_locked vm,
		       struct mpool *pool)
{
	zero_chunks(vm.vm);
	give_back(primary, vm.vm, vm.vm->chunk_count, pool);
	vm.vm->chunk_count = 0;
}

void vm_memory_scrub(struct vm_locked vm)
{
	struct mm_ptable *t = &vm.vm->ptable;
	size_t i;

	/* Unmapping whole entries splits no block: needs no pool pages. */
	if (!mm_unmap(t, 0, mm_ptable_limit(t), &vm.vm->pool)) {
		dlog("hafnium: cannot unmap VM %u before scrubbing it\n",
		     vm.vm->id);
	}
	zero_chunks(vm.vm);
	/* Its registers are in its hyp pages, which stay in use until the
	 * reset: zeroed but for a vCPU still on a CPU. */
	for (i = 0; i < vm.vm->vcpu_count; i++) {
		struct vcpu *v = &vm.vm->vcpus[i];

		sl_lock(&v->lock);
		if (v->state != VCPU_RUNNING) {
			memset(&v->regs, 0, sizeof(v->regs));
		}
		sl_unlock(&v->lock);
	}
}

bool vm_memory_take_hyp(struct vm_locked primary, struct pa_range hyp,
			struct mpool *pool)
{
	if (!primary_memory_take(primary, hyp, pool)) {
		return false;
	}
	/* As for donated memory: nothing the primary left in a cache. */
	arch_mm_clean_invalidate_dcache_range(hyp.begin, pa_range_size(hyp));
	return true;
}

void vm_memory_give_hyp(struct vm_locked primary, struct pa_range hyp,
			struct mpool *pool)
{
	memset(ptr_from_pa(hyp.begin), 0, pa_range_size(hyp));
	arch_mm_clean_invalidate_dcache_range(hyp.begin, pa_range_size(hyp));
	primary_memory_give(primary, hyp, pool);
}
