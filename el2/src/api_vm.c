/* SPDX-License-Identifier: BSD-3-Clause */
/* Secondary VM lifecycle calls from the primary: create from donated
 * memory, load, start, stop, destroy (memory zeroed and returned), and the
 * exit report. Create, load, start and destroy hold the VM table lock,
 * which also guards the static buffers below; stop and the exit report
 * need only the VM's own lock. */
#include "hf/arch/mm.h"
#include "hf/arch/vcpu.h"
#include "hf/dlog.h"
#include "hf/vm_dt.h"
#include "hf/vm_memory.h"

#include "api_internal.h"

#define RWX (MM_MODE_R | MM_MODE_W | MM_MODE_X)

/* The descriptor is copied out of the primary's TX buffer before it is
 * checked, so that the primary cannot change it in between. */
static union {
	struct hf_vm_create_desc desc;
	uint8_t bytes[HF_MAILBOX_SIZE];
} create_buf;

static uint8_t dt_buf[HF_VM_DT_SIZE];

/* A reference to the secondary with that id, or NULL. */
static struct vm *get_secondary(uint64_t id)
{
	struct vm *vm = id <= UINT16_MAX ? vm_get((uint16_t)id) : NULL;

	if (vm == vm_primary()) {
		vm_put(vm);
		return NULL;
	}
	return vm;
}

static bool ranges_overlap(uint64_t a, uint64_t a_pages, uint64_t b,
			   uint64_t b_pages)
{
	return a < b + b_pages * PAGE_SIZE && b < a + a_pages * PAGE_SIZE;
}

/* [address, + size) is page aligned, the primary's own RAM, and none of
 * its RX/TX pages: checked under the primary's lock, which mapping a
 * mailbox needs too. */
static bool primary_ram_given(struct vm_locked primary, uint64_t address,
			      uint64_t size)
{
	const struct mm_ptable *t = &primary.vm->ptable;

	return is_aligned(address, PAGE_SIZE) && address + size >= address &&
	       address + size <= mm_ptable_limit(t) &&
	       mm_range_has_mode(t, address, address + size, RWX) &&
	       !mailbox_in_range(primary, address, size);
}

/* Every constituent is primary_ram_given() and no two overlap. */
static bool constituents_valid(struct vm_locked primary,
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
		    !primary_ram_given(primary, c->address, size)) {
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

/* The hyp pages: enough for the VM's worst case, the primary's own RAM,
 * apart from the memory and the primary's RX/TX pages. */
static bool hyp_valid(struct vm_locked primary,
		      const struct hf_vm_create_desc *d)
{
	const struct ffa_composite_memory_region *m = &d->memory;
	uint64_t size = (uint64_t)d->hyp_page_count * PAGE_SIZE;
	size_t i;

	if (d->hyp_page_count < hf_vm_hyp_pages(m->page_count) ||
	    d->hyp_page_count > HF_VM_HYP_MAX_PAGES ||
	    !primary_ram_given(primary, d->hyp_address, size)) {
		return false;
	}
	for (i = 0; i < m->constituent_count; i++) {
		if (ranges_overlap(d->hyp_address, d->hyp_page_count,
				   m->constituents[i].address,
				   m->constituents[i].page_count)) {
			return false;
		}
	}
	return true;
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

/* Makes the VM of the descriptor now in create_buf; the table and the
 * primary are locked. */
static struct ffa_value create(struct vm_table_locked table,
			       struct vm_locked primary, uint64_t length)
{
	struct hf_vm_create_desc *d = &create_buf.desc;
	const uint8_t *tx = mailbox_tx(primary);
	struct vm_locked locked;
	struct pa_range hyp;
	struct vm *vm;
	bool ok;

	if (tx == NULL) {
		return ffa_error(FFA_DENIED);
	}
	memcpy(create_buf.bytes, tx, length);
	if (!desc_valid(d, length) || !constituents_valid(primary, d) ||
	    !hyp_valid(primary, d) || vm_find_by_name(table, d->name) != NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	hyp.begin = pa_init(d->hyp_address);
	hyp.end = pa_add(hyp.begin, (size_t)d->hyp_page_count * PAGE_SIZE);
	/* Out of the primary's reach before the hypervisor writes there. */
	if (!vm_memory_take_hyp(primary, hyp, api_pool)) {
		return ffa_error(FFA_NO_MEMORY);
	}
	vm = vm_alloc(table, hyp, d->name, d->vcpu_count);
	if (vm == NULL) {
		vm_memory_give_hyp(primary, hyp, api_pool);
		return ffa_error(FFA_NO_MEMORY);
	}
	/* From the VM's page cache, which hf_vm_hyp_pages() sized for it. */
	ok = mm_ptable_init(&vm->ptable, MM_STAGE2, vm->id - 1, &vm->pool);
	locked = vm_lock(vm);
	ok = ok && vm_memory_donate(primary, locked, &d->memory, api_pool);
	vm_unlock(&locked);
	if (!ok) {
		/* Its tables are in its hyp pages, which go back whole; it
		 * never ran, so no TLB entry of its VMID exists. */
		vm_free(table, vm);
		vm_memory_give_hyp(primary, hyp, api_pool);
		return ffa_error(FFA_NO_MEMORY);
	}
	vm_publish(table, vm);
	return ffa_success(vm->id);
}

struct ffa_value api_vm_create(struct vcpu *current,
			       const struct ffa_value *args)
{
	struct vm_table_locked table;
	struct vm_locked primary;
	struct ffa_value ret;

	(void)current;
	if (args->arg1 < sizeof(struct hf_vm_create_desc) ||
	    args->arg1 > HF_MAILBOX_SIZE) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	table = vm_table_lock();
	primary = vm_lock(vm_primary());
	ret = create(table, primary, args->arg1);
	vm_unlock(&primary);
	vm_table_unlock(&table);
	return ret;
}

/* Copies len bytes to the VM's memory at offset, page by page. */
static bool copy_to_vm(struct vm_locked vm, uint64_t offset,
		       const uint8_t *src, size_t len)
{
	while (len > 0) {
		uint64_t ipa = HF_VM_RAM_BASE + offset;
		size_t n = PAGE_SIZE - (ipa & (PAGE_SIZE - 1));
		paddr_t pa;
		uint32_t mode;

		if (n > len) {
			n = len;
		}
		if (!mm_lookup(&vm.vm->ptable, ipa, &pa, &mode)) {
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

static struct ffa_value load(struct two_vms_locked l, uint64_t offset,
			     uint64_t len)
{
	struct vm *vm = l.b.vm;
	const uint8_t *tx = mailbox_tx(l.a);

	if (len == 0 || len > HF_MAILBOX_SIZE ||
	    offset > vm->mem_size - HF_VM_DT_SIZE ||
	    len > vm->mem_size - HF_VM_DT_SIZE - offset) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (vm->state != HF_VM_STATE_CREATED || tx == NULL) {
		return ffa_error(FFA_DENIED);
	}
	if (!copy_to_vm(l.b, offset, tx, len)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	return ffa_success(0);
}

struct ffa_value api_vm_load(struct vcpu *current,
			     const struct ffa_value *args)
{
	struct vm *vm = get_secondary(args->arg1);
	struct two_vms_locked l;
	struct ffa_value ret;

	if (vm == NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	l = vm_lock_both(current->vm, vm);
	ret = load(l, args->arg2, (uint32_t)args->arg3);
	vm_unlock_both(&l);
	vm_put(vm);
	return ret;
}

bool api_primary_ipa_mapped(uint64_t ipa)
{
	struct vm_locked primary = vm_lock(vm_primary());
	paddr_t pa;
	uint32_t mode;
	bool mapped;

	mapped = mm_lookup(&primary.vm->ptable, ipa, &pa, &mode);
	vm_unlock(&primary);
	return mapped;
}

/* Writes the VM's device tree and makes vCPU 0 runnable at entry; the
 * table lock (for dt_buf) and the VM's are held. */
static bool start_vm(struct vm_locked locked, uint64_t entry)
{
	struct vm *vm = locked.vm;
	uint64_t dt_offset = vm->mem_size - HF_VM_DT_SIZE;
	size_t dt_size = vm_dt_build(vm, dt_buf, sizeof(dt_buf));

	if (dt_size == 0 || !copy_to_vm(locked, dt_offset, dt_buf, dt_size)) {
		return false;
	}
	sl_lock(&vm->vcpus[0].lock);
	arch_regs_reset(&vm->vcpus[0].regs, vm, 0, entry,
			HF_VM_RAM_BASE + dt_offset);
	vm->vcpus[0].state = VCPU_READY;
	sl_unlock(&vm->vcpus[0].lock);
	__atomic_store_n(&vm->state, HF_VM_STATE_RUNNING, __ATOMIC_RELAXED);
	return true;
}

struct ffa_value api_vm_start(struct vcpu *current,
			      const struct ffa_value *args)
{
	uint64_t entry = args->arg2;
	struct ffa_value ret = ffa_success(0);
	struct vm_table_locked table;
	struct vm_locked locked;
	struct vm *vm;

	(void)current;
	vm = get_secondary(args->arg1);
	if (vm == NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	table = vm_table_lock();
	locked = vm_lock(vm);
	if (entry < HF_VM_RAM_BASE ||
	    entry >= HF_VM_RAM_BASE + vm->mem_size - HF_VM_DT_SIZE ||
	    !is_aligned(entry, 4)) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	} else if (vm->state != HF_VM_STATE_CREATED) {
		ret = ffa_error(FFA_DENIED);
	} else if (!start_vm(locked, entry)) {
		ret = ffa_error(FFA_NO_MEMORY);
	}
	vm_unlock(&locked);
	vm_table_unlock(&table);
	vm_put(vm);
	return ret;
}

struct vm *api_vm_create_static(const char *name, size_t vcpu_count,
				struct pa_range mem, struct pa_range hyp,
				const void *image, size_t image_size,
				uint64_t load_offset)
{
	uint64_t size = pa_range_size(mem);
	struct vm_table_locked table = vm_table_lock();
	struct vm_locked locked;
	struct vm *vm = NULL;
	bool ok;

	if (vcpu_count == 0 || vcpu_count > MAX_CPUS ||
	    vm_find_by_name(table, name) != NULL ||
	    size < (uint64_t)HF_VM_MIN_PAGES * PAGE_SIZE ||
	    load_offset + image_size > size - HF_VM_DT_SIZE ||
	    pa_range_size(hyp) / PAGE_SIZE < hf_vm_hyp_pages(size / PAGE_SIZE) ||
	    pa_range_size(hyp) / PAGE_SIZE > HF_VM_HYP_MAX_PAGES) {
		goto out;
	}
	vm = vm_alloc(table, hyp, name, vcpu_count);
	if (vm == NULL) {
		goto out;
	}
	vm->chunks[0].begin = mem.begin;
	vm->chunks[0].pages = size / PAGE_SIZE;
	vm->chunk_count = 1;
	vm->mem_size = size;
	ok = mm_ptable_init(&vm->ptable, MM_STAGE2, vm->id - 1, &vm->pool);
	locked = vm_lock(vm);
	ok = ok &&
	     mm_map(&vm->ptable, HF_VM_RAM_BASE, HF_VM_RAM_BASE + size,
		    mem.begin, RWX, &vm->pool) &&
	     copy_to_vm(locked, load_offset, image, image_size) &&
	     start_vm(locked, HF_VM_RAM_BASE + load_offset);
	vm_unlock(&locked);
	if (!ok) {
		vm_free(table, vm);
		vm = NULL;
		goto out;
	}
	vm_publish(table, vm);
out:
	vm_table_unlock(&table);
	return vm;
}

struct ffa_value api_vm_stop(struct vcpu *current,
			     const struct ffa_value *args)
{
	struct vm_exit exit = { .reason = HF_VM_EXIT_STOPPED };
	struct vm *vm = get_secondary(args->arg1);
	struct vm_locked locked;

	(void)current;
	if (vm == NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	locked = vm_lock(vm);
	vm_end(locked, HF_VM_STATE_STOPPED, &exit);
	vm_unlock(&locked);
	vm_put(vm);
	return ffa_success(0);
}

/* Ends the VM and takes it out of the table, once none of its vCPUs runs;
 * then, once nothing refers to it (which a retry finds if not now), gives
 * its memory and its hyp pages back, zeroed. The table is locked. */
static struct ffa_value destroy(struct vm_table_locked table, struct vm *vm)
{
	struct vm_exit exit = { .reason = HF_VM_EXIT_STOPPED };
	struct two_vms_locked l = vm_lock_both(vm_primary(), vm);
	struct pa_range hyp = vm->hyp;
	struct vm_id_set waiters;
	struct vm_locked primary;

	if (!vm_end(l.b, HF_VM_STATE_STOPPED, &exit)) {
		vm_unlock_both(&l);
		return ffa_error(FFA_BUSY);
	}
	/* Its senders are told by the call that frees it. */
	mailbox_unmap(l.b, &vm->destroy_waiters);
	vm_retire(table, l.b);
	if (!vm_unreferenced(table, vm)) {
		vm_unlock_both(&l);
		return ffa_error(FFA_BUSY);
	}
	/* Stage-2 entries of the VM go before its memory does. */
	mm_ptable_fini(&vm->ptable, &vm->pool);
	arch_mm_invalidate_range(&vm->ptable, 0, 0);
	vm_memory_reclaim(l.a, l.b, api_pool);
	waiters = vm->destroy_waiters;
	vm_unlock_both(&l);
	/* Its lock is in the hyp pages: nobody can reach it now. */
	vm_free(table, vm);
	primary = vm_lock(vm_primary());
	vm_memory_give_hyp(primary, hyp, api_pool);
	vm_unlock(&primary);
	/* x2..x5: senders that found its RX full, told that it is gone. */
	return api_waiters_answer(ffa_success(0), &waiters);
}

struct ffa_value api_vm_destroy(struct vcpu *current,
				const struct ffa_value *args)
{
	struct vm_table_locked table = vm_table_lock();
	struct vm *vm = args->arg1 <= UINT16_MAX
				? vm_table_find(table, (uint16_t)args->arg1)
				: NULL;
	struct vm_id_set waiters;
	struct ffa_value ret;

	(void)current;
	/* Found even when retired by a destroy that answered BUSY. */
	ret = vm == NULL || vm == vm_primary()
		      ? ffa_error(FFA_INVALID_PARAMETERS)
		      : destroy(table, vm);
	vm_table_unlock(&table);
	if (ret.func == FFA_SUCCESS_32) {
		waiters.bits[0] = ret.arg2;
		waiters.bits[1] = ret.arg3;
		waiters.bits[2] = ret.arg4;
		waiters.bits[3] = ret.arg5;
		mailbox_notify_writable(&waiters);
	}
	return ret;
}

struct ffa_value api_vm_exit_info(struct vcpu *current,
				  const struct ffa_value *args)
{
	struct vm *vm = get_secondary(args->arg1);
	struct vm_locked locked;
	struct ffa_value ret;

	(void)current;
	if (vm == NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	locked = vm_lock(vm);
	ret = (struct ffa_value){ .func = FFA_SUCCESS_64,
				  .arg2 = vm->exit.reason,
				  .arg3 = vm->exit.vcpu,
				  .arg4 = vm->exit.esr,
				  .arg5 = vm->exit.far,
				  .arg6 = vm->exit.elr };
	vm_unlock(&locked);
	vm_put(vm);
	return ret;
}

void api_vm_scrub_all(void)
{
	struct vm_exit exit = { .reason = HF_VM_EXIT_STOPPED };
	struct vm_table_locked table = vm_table_lock();
	struct vm_locked locked;
	struct vm *vm;
	uint16_t id;

	/* Retired VMs not freed yet keep memory too. */
	for (id = HF_PRIMARY_VM_ID + 1; id <= HF_MAX_VMS; id++) {
		vm = vm_table_find(table, id);
		if (vm == NULL) {
			continue;
		}
		locked = vm_lock(vm);
		vm_end(locked, HF_VM_STATE_STOPPED, &exit);
		vm_memory_scrub(locked);
		vm_unlock(&locked);
	}
	vm_table_unlock(&table);
}
