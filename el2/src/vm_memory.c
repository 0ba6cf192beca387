/* A secondary's memory changing hands; see hf/vm_memory.h. */
#include "hf/vm_memory.h"

#include "hf/arch/mm.h"
#include "hf/dlog.h"

#define RWX (MM_MODE_R | MM_MODE_W | MM_MODE_X)

static size_t chunk_size(const struct vm_chunk *c)
{
	return c->pages * PAGE_SIZE;
}

/* Maps chunks [0, count) back into the primary as they were. */
static void give_back(struct vm_locked primary, struct vm *vm, size_t count,
		      struct mpool *pool)
{
	size_t i;

	for (i = 0; i < count; i++) {
		struct vm_chunk *c = &vm->chunks[i];
		paddr_t end = pa_add(c->begin, chunk_size(c));

		/* A chunk whose unmap failed before it split a block is
		 * mapped as it was: mapping it again could need a split. */
		if (!mm_range_has_mode(&primary.vm->ptable, pa_addr(c->begin),
				       pa_addr(end), RWX) &&
		    !mm_identity_map(&primary.vm->ptable, c->begin, end, RWX,
				     pool)) {
			/* The tables that mapped it before still exist. */
			dlog("hafnium: cannot return 0x%lx to the primary\n",
			     (unsigned long)pa_addr(c->begin));
		} else {
			primary.vm->mem_size += chunk_size(c);
		}
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
		primary.vm->mem_size -= size;
		if (!mm_map(&vm->ptable, ipa, ipa + size, pa_init(c->address),
			    RWX, &vm->pool) ||
		    !mm_unmap(&primary.vm->ptable, c->address,
			      c->address + size, pool)) {
			/* Chunk i may be half unmapped: map it back too. The
			 * VM never ran, so nothing needs zeroing. */
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
	if (!mm_unmap(&primary.vm->ptable, pa_addr(hyp.begin),
		      pa_addr(hyp.end), pool)) {
		/* Maps what was unmapped back; the tables for it exist. */
		if (!mm_identity_map(&primary.vm->ptable, hyp.begin, hyp.end,
				     RWX, pool)) {
			dlog("hafnium: cannot return 0x%lx to the primary\n",
			     (unsigned long)pa_addr(hyp.begin));
		}
		return false;
	}
	/* As for donated memory: nothing the primary left in a cache. */
	arch_mm_clean_invalidate_dcache_range(hyp.begin, pa_range_size(hyp));
	primary.vm->mem_size -= pa_range_size(hyp);
	return true;
}

void vm_memory_give_hyp(struct vm_locked primary, struct pa_range hyp,
			struct mpool *pool)
{
	memset(ptr_from_pa(hyp.begin), 0, pa_range_size(hyp));
	arch_mm_clean_invalidate_dcache_range(hyp.begin, pa_range_size(hyp));
	if (!mm_identity_map(&primary.vm->ptable, hyp.begin, hyp.end, RWX,
			     pool)) {
		dlog("hafnium: cannot return 0x%lx to the primary\n",
		     (unsigned long)pa_addr(hyp.begin));
		return;
	}
	primary.vm->mem_size += pa_range_size(hyp);
}
