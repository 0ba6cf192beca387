/* Secondary VM lifecycle calls from the primary: create from donated
 * memory, load, start, stop, destroy (memory zeroed and returned), and the
 * exit report. Each runs under api_lock. */
#include "hf/arch/mm.h"
#include "hf/arch/vcpu.h"
#include "hf/dlog.h"
#include "hf/vm_dt.h"

#include "api_internal.h"

/* The descriptor is copied out of the primary's TX buffer before it is
 * checked, so that the primary cannot change it in between. */
static union {
	struct hf_vm_create_desc desc;
	uint8_t bytes[HF_MAILBOX_SIZE];
} create_buf;

static uint8_t dt_buf[HF_VM_DT_SIZE];

static struct vm *find_secondary(uint64_t id)
{
	struct vm *vm = id <= UINT16_MAX ? vm_find((uint16_t)id) : NULL;

	return vm == vm_primary() ? NULL : vm;
}

static bool ranges_overlap(uint64_t a, uint64_t a_pages, uint64_t b,
			   uint64_t b_pages)
{
	return a < b + b_pages * PAGE_SIZE && b < a + a_pages * PAGE_SIZE;
}

/* Every page is the primary's own RAM, no two constituents overlap, and
 * the primary's RX/TX pages are not among them. */
static bool constituents_valid(struct vm *primary,
			       const struct hf_vm_create_desc *d)
{
	const struct ffa_composite_memory_region *m = &d->memory;
	uint64_t total = 0;
	size_t i;
	size_t j;

	for (i = 0; i < m->constituent_count; i++) {
		const struct ffa_memory_region_constituent *c =
			&m->constituents[i];
		uint64_t size = (uint64_t)c->page_count * PAGE_SIZE;

		if (c->page_count == 0 || c->reserved != 0 ||
		    !is_aligned(c->address, PAGE_SIZE) ||
		    c->address + size < c->address ||
		    c->address + size > mm_ptable_limit(&primary->ptable) ||
		    !mm_range_has_mode(&primary->ptable, c->address,
				       c->address + size,
				       MM_MODE_R | MM_MODE_W | MM_MODE_X)) {
			return false;
		}
		if (primary->mailbox.mapped &&
		    (ranges_overlap(c->address, c->page_count,
				    pa_addr(primary->mailbox.send), 1) ||
		     ranges_overlap(c->address, c->page_count,
				    pa_addr(primary->mailbox.recv), 1))) {
			return false;
		}
		for (j = 0; j < i; j++) {
			if (ranges_overlap(c->address, c->page_count,
					   m->constituents[j].address,
					   m->constituents[j].page_count)) {
				return false;
			}
		}
		total += c->page_count;
	}
	return total == m->page_count;
}

static bool desc_valid(const struct hf_vm_create_desc *d, uint64_t length)
{
	size_t name_len = strnlen(d->name, sizeof(d->name));

	return name_len > 0 && name_len < sizeof(d->name) &&
	       d->vcpu_count >= 1 && d->vcpu_count <= MAX_CPUS &&
	       d->flags == 0 && d->reserved == 0 && d->memory.reserved == 0 &&
	       d->memory.constituent_count >= 1 &&
	       d->memory.constituent_count <= VM_MAX_CHUNKS &&
	       length >= sizeof(*d) + d->memory.constituent_count *
					     sizeof(d->memory.constituents[0]) &&
	       (uint64_t)d->memory.page_count * PAGE_SIZE >=
		       (uint64_t)HF_VM_MIN_PAGES * PAGE_SIZE;
}

/* Gives the donated chunks back to the primary, zeroed, and counts them
 * as its memory again. */
static void return_memory(struct vm *primary, struct vm *vm, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		struct vm_chunk *c = &vm->chunks[i];
		size_t size = c->pages * PAGE_SIZE;

		memset(ptr_from_pa(c->begin), 0, size);
		if (!mm_identity_map(&primary->ptable, c->begin,
				     pa_add(c->begin, size),
				     MM_MODE_R | MM_MODE_W | MM_MODE_X,
				     api_pool)) {
			/* The tables that mapped it before still exist. */
			dlog("hafnium: cannot return 0x%lx to the primary\n",
			     (unsigned long)pa_addr(c->begin));
		} else {
			primary->mem_size += size;
		}
	}
}

/* Maps the chunks into the new VM at consecutive IPAs and unmaps them
 * from the primary; undoes everything on failure. */
static bool donate_memory(struct vm *primary, struct vm *vm,
			  const struct ffa_composite_memory_region *m)
{
	uint64_t ipa = HF_VM_RAM_BASE;
	size_t i;

	for (i = 0; i < m->constituent_count; i++) {
		const struct ffa_memory_region_constituent *c =
			&m->constituents[i];
		uint64_t size = (uint64_t)c->page_count * PAGE_SIZE;

		vm->chunks[i].begin = pa_init(c->address);
		vm->chunks[i].pages = c->page_count;
		primary->mem_size -= size;
		if (!mm_map(&vm->ptable, ipa, ipa + size, pa_init(c->address),
			    MM_MODE_R | MM_MODE_W | MM_MODE_X, api_pool) ||
		    !mm_unmap(&primary->ptable, c->address, c->address + size,
			      api_pool)) {
			/* Chunk i may be half unmapped: map it back too. */
			return_memory(primary, vm, i + 1);
			return false;
		}
		ipa += size;
	}
	vm->chunk_count = m->constituent_count;
	vm->mem_size = (uint64_t)m->page_count * PAGE_SIZE;
	return true;
}

struct ffa_value api_vm_create(struct vm *primary, uint64_t length)
{
	struct hf_vm_create_desc *d = &create_buf.desc;
	struct ffa_value ret;
	struct vm *vm;

	if (length < sizeof(*d) || length > HF_MAILBOX_SIZE) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	sl_lock(&api_lock);
	if (!primary->mailbox.mapped) {
		ret = ffa_error(FFA_DENIED);
		goto out;
	}
	memcpy(create_buf.bytes, ptr_from_pa(primary->mailbox.send), length);
	if (!desc_valid(d, length) || !constituents_valid(primary, d) ||
	    vm_find_by_name(d->name) != NULL) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
		goto out;
	}
	vm = vm_alloc(false, d->name, d->vcpu_count);
	if (vm == NULL) {
		ret = ffa_error(FFA_NO_MEMORY);
		goto out;
	}
	if (!mm_ptable_init(&vm->ptable, MM_STAGE2, vm->id, api_pool)) {
		vm_free(vm);
		ret = ffa_error(FFA_NO_MEMORY);
		goto out;
	}
	if (!donate_memory(primary, vm, &d->memory)) {
		mm_ptable_fini(&vm->ptable, api_pool);
		vm_free(vm);
		ret = ffa_error(FFA_NO_MEMORY);
		goto out;
	}
	ret = ffa_success(vm->id);
out:
	sl_unlock(&api_lock);
	return ret;
}

/* Copies len bytes to the VM's memory at offset, page by page. */
static bool copy_to_vm(struct vm *vm, uint64_t offset, const uint8_t *src,
		       size_t len)
{
	while (len > 0) {
		uint64_t ipa = HF_VM_RAM_BASE + offset;
		size_t n = PAGE_SIZE - (ipa & (PAGE_SIZE - 1));
		paddr_t pa;
		uint32_t mode;

		if (n > len) {
			n = len;
		}
		if (!mm_lookup(&vm->ptable, ipa, &pa, &mode)) {
			return false;
		}
		memcpy(ptr_from_pa(pa), src, n);
		arch_mm_clean_dcache_range(pa, n);
		src += n;
		offset += n;
		len -= n;
	}
	return true;
}

struct ffa_value api_vm_load(struct vm *primary, const struct ffa_value *a)
{
	uint64_t offset = a->arg2;
	uint64_t len = (uint32_t)a->arg3;
	struct ffa_value ret = ffa_success(0);
	struct vm *vm;

	sl_lock(&api_lock);
	vm = find_secondary(a->arg1);
	if (vm == NULL || len == 0 || len > HF_MAILBOX_SIZE ||
	    offset > vm->mem_size - HF_VM_DT_SIZE ||
	    len > vm->mem_size - HF_VM_DT_SIZE - offset) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	} else if (vm->state != HF_VM_STATE_CREATED) {
		ret = ffa_error(FFA_DENIED);
	} else if (!primary->mailbox.mapped) {
		ret = ffa_error(FFA_DENIED);
	} else if (!copy_to_vm(vm, offset,
			       ptr_from_pa(primary->mailbox.send), len)) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	}
	sl_unlock(&api_lock);
	return ret;
}

bool api_primary_ipa_mapped(uint64_t ipa)
{
	paddr_t pa;
	uint32_t mode;
	bool mapped;

	sl_lock(&api_lock);
	mapped = mm_lookup(&vm_primary()->ptable, ipa, &pa, &mode);
	sl_unlock(&api_lock);
	return mapped;
}

/* Writes the VM's device tree and makes vCPU 0 runnable at entry. */
static bool start_vm(struct vm *vm, uint64_t entry)
{
	uint64_t dt_offset = vm->mem_size - HF_VM_DT_SIZE;
	size_t dt_size = vm_dt_build(vm, dt_buf, sizeof(dt_buf));

	if (dt_size == 0 || !copy_to_vm(vm, dt_offset, dt_buf, dt_size)) {
		return false;
	}
	sl_lock(&vm->lock);
	arch_regs_reset(&vm->vcpus[0].regs, vm, 0, entry,
			HF_VM_RAM_BASE + dt_offset);
	vm->vcpus[0].state = VCPU_READY;
	vm->state = HF_VM_STATE_RUNNING;
	sl_unlock(&vm->lock);
	return true;
}

struct ffa_value api_vm_start(const struct ffa_value *a)
{
	uint64_t entry = a->arg2;
	struct ffa_value ret = ffa_success(0);
	struct vm *vm;

	sl_lock(&api_lock);
	vm = find_secondary(a->arg1);
	if (vm == NULL || entry < HF_VM_RAM_BASE ||
	    entry >= HF_VM_RAM_BASE + vm->mem_size - HF_VM_DT_SIZE ||
	    !is_aligned(entry, 4)) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	} else if (vm->state != HF_VM_STATE_CREATED) {
		ret = ffa_error(FFA_DENIED);
	} else if (!start_vm(vm, entry)) {
		ret = ffa_error(FFA_NO_MEMORY);
	}
	sl_unlock(&api_lock);
	return ret;
}

struct vm *api_vm_create_static(const char *name, size_t vcpu_count,
				struct pa_range mem, const void *image,
				size_t image_size, uint64_t load_offset)
{
	uint64_t size = pa_range_size(mem);
	struct vm *vm;

	if (vcpu_count == 0 || vcpu_count > MAX_CPUS ||
	    vm_find_by_name(name) != NULL ||
	    size < (uint64_t)HF_VM_MIN_PAGES * PAGE_SIZE ||
	    load_offset + image_size > size - HF_VM_DT_SIZE) {
		return NULL;
	}
	vm = vm_alloc(false, name, vcpu_count);
	if (vm == NULL) {
		return NULL;
	}
	vm->chunks[0].begin = mem.begin;
	vm->chunks[0].pages = size / PAGE_SIZE;
	vm->chunk_count = 1;
	vm->mem_size = size;
	if (!mm_ptable_init(&vm->ptable, MM_STAGE2, vm->id, api_pool)) {
		vm_free(vm);
		return NULL;
	}
	if (!mm_map(&vm->ptable, HF_VM_RAM_BASE, HF_VM_RAM_BASE + size,
		    mem.begin, MM_MODE_R | MM_MODE_W | MM_MODE_X, api_pool) ||
	    !copy_to_vm(vm, load_offset, image, image_size) ||
	    !start_vm(vm, HF_VM_RAM_BASE + load_offset)) {
		mm_ptable_fini(&vm->ptable, api_pool);
		vm_free(vm);
		return NULL;
	}
	return vm;
}

/* Stops a VM (vm::lock held): no vCPU runs again; one running now leaves
 * at its next exit. Keeps the first exit reason. */
void api_vm_end(struct vm *vm, uint32_t state, const struct vm_exit *exit)
{
	size_t i;

	if (vm->state == HF_VM_STATE_RUNNING ||
	    vm->state == HF_VM_STATE_CREATED) {
		vm->state = state;
		vm->exit = *exit;
	}
	for (i = 0; i < vm->vcpu_count; i++) {
		sl_lock(&vm->vcpus[i].lock);
		if (vm->vcpus[i].state == VCPU_READY) {
			vm->vcpus[i].state = VCPU_OFF;
		}
		sl_unlock(&vm->vcpus[i].lock);
	}
}

struct ffa_value api_vm_stop(uint64_t id)
{
	struct vm_exit exit = { .reason = HF_VM_EXIT_STOPPED };
	struct vm *vm;

	sl_lock(&api_lock);
	vm = find_secondary(id);
	if (vm != NULL) {
		sl_lock(&vm->lock);
		api_vm_end(vm, HF_VM_STATE_STOPPED, &exit);
		sl_unlock(&vm->lock);
	}
	sl_unlock(&api_lock);
	return vm != NULL ? ffa_success(0) : ffa_error(FFA_INVALID_PARAMETERS);
}

struct ffa_value api_vm_destroy(struct vm *primary, uint64_t id)
{
	struct vm_exit exit = { .reason = HF_VM_EXIT_STOPPED };
	struct ffa_value ret;
	struct vm *vm;
	size_t i;

	sl_lock(&api_lock);
	vm = find_secondary(id);
	if (vm == NULL) {
		sl_unlock(&api_lock);
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	sl_lock(&vm->lock);
	api_vm_end(vm, HF_VM_STATE_STOPPED, &exit);
	/* w2: senders that found its RX full, told that it is gone. */
	ret = ffa_success(vm->mailbox.writable_waiters);
	for (i = 0; i < vm->vcpu_count; i++) {
		if (vm->vcpus[i].state == VCPU_RUNNING) {
			ret = ffa_error(FFA_BUSY);
		}
	}
	sl_unlock(&vm->lock);
	if (ret.func == FFA_SUCCESS_32) {
		/* Stage-2 entries of the VM go before its memory does. */
		mm_ptable_fini(&vm->ptable, api_pool);
		arch_mm_invalidate_range(&vm->ptable, 0, 0);
		return_memory(primary, vm, vm->chunk_count);
		vm_free(vm);
	}
	sl_unlock(&api_lock);
	if (ret.func == FFA_SUCCESS_32) {
		api_msg_raise_writable((uint32_t)ret.arg2);
	}
	return ret;
}

struct ffa_value api_vm_exit_info(uint64_t id)
{
	struct ffa_value ret;
	struct vm *vm;

	sl_lock(&api_lock);
	vm = find_secondary(id);
	if (vm == NULL) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	} else {
		sl_lock(&vm->lock);
		ret = (struct ffa_value){ .func = FFA_SUCCESS_64,
					  .arg2 = vm->exit.reason,
					  .arg3 = vm->exit.vcpu,
					  .arg4 = vm->exit.esr,
					  .arg5 = vm->exit.far,
					  .arg6 = vm->exit.elr };
		sl_unlock(&vm->lock);
	}
	sl_unlock(&api_lock);
	return ret;
}
