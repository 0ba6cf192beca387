/* SPDX-License-Identifier: BSD-3-Clause */
/* The VM table: HF_MAX_VMS slots, slot = id - 1. Slot 0 is the primary's,
 * whose struct vm is the hypervisor's own; a secondary's lives in the hyp
 * pages the primary gave for it. A slot's reference count is the table's,
 * not the VM's, so that vm_get never touches memory that may have gone
 * back to the primary (see hf/vm.h). */
#include "hf/vm.h"

/* In vm_slot::refs: the VM is published; the rest counts references. */
#define VM_LIVE (1u << 31)

struct vm_slot {
	uint32_t refs;
	/* Of the VM's name (name_hash()), so that a look-up by name reads
	 * the table, not every VM's pages. */
	uint32_t name_hash;
	/* Set and cleared under the table lock, while refs is 0. */
	struct vm *vm;
};

/* 16 bytes: vm_get and vm_put find a slot with a shift (FFA_RUN's round
 * trip was 3 instructions longer with a 24-byte slot). */
_Static_assert(sizeof(struct vm_slot) == 16, "struct vm_slot grew");

/* The VM fits its header pages (see hf_vm_hyp_pages()). */
_Static_assert(sizeof(struct vm) <= HF_VM_HYP_HEADER_PAGES * PAGE_SIZE,
	       "struct vm outgrew HF_VM_HYP_HEADER_PAGES");

static struct vm primary;
static struct vm_slot slots[HF_MAX_VMS];
static struct spinlock table_lock = SPINLOCK_INIT(LOCK_RANK_VM_TABLE);

/* FNV-1a: cheap, and names that differ in one byte hash apart. */
static uint32_t name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++) {
		h = (h ^ (uint8_t)*name) * 16777619u;
	}
	return h;
}

struct vm_table_locked vm_table_lock(void)
{
	sl_lock(&table_lock);
	return (struct vm_table_locked){ .held = true };
}

void vm_table_unlock(struct vm_table_locked *table)
{
	table->held = false;
	sl_unlock(&table_lock);
}

static struct vm_slot *slot_of(const struct vm *vm)
{
	return &slots[vm->id - HF_PRIMARY_VM_ID];
}

static bool live(const struct vm_slot *s)
{
	return __atomic_load_n(&s->refs, __ATOMIC_ACQUIRE) & VM_LIVE;
}

static void setup(struct vm *vm, uint16_t id, const char *name,
		  size_t vcpu_count)
{
	size_t i;

	vm->id = id;
	sl_init(&vm->lock, LOCK_RANK_VM(id));
	str_copy(vm->name, sizeof(vm->name), name);
	vm->vcpu_count = vcpu_count;
	vm->state = HF_VM_STATE_CREATED;
	for (i = 0; i < MAX_CPUS; i++) {
		sl_init(&vm->vcpus[i].lock, LOCK_RANK_VCPU);
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].index = (uint16_t)i;
		vm->vcpus[i].state = VCPU_OFF;
	}
}

struct vm *vm_alloc_primary(struct vm_table_locked table, const char *name,
			    size_t vcpu_count)
{
	(void)table;
	memset(&primary, 0, sizeof(primary));
	setup(&primary, HF_PRIMARY_VM_ID, name, vcpu_count);
	slots[0].vm = &primary;
	slots[0].name_hash = name_hash(primary.name);
	return &primary;
}

struct vm *vm_alloc(struct vm_table_locked table, struct pa_range hyp,
		    const char *name, size_t vcpu_count)
{
	size_t header = HF_VM_HYP_HEADER_PAGES * PAGE_SIZE;
	struct vm *vm;
	size_t slot;

	(void)table;
	/* A freed slot has no VM; its count is 0 since before it was freed. */
	for (slot = 1; slot < HF_MAX_VMS && slots[slot].vm != NULL; slot++) {
	}
	if (slot == HF_MAX_VMS) {
		return NULL;
	}
	vm = ptr_from_pa(hyp.begin);
	memset(vm, 0, sizeof(*vm));
	setup(vm, (uint16_t)(HF_PRIMARY_VM_ID + slot), name, vcpu_count);
	vm->hyp = hyp;
	mpool_init(&vm->pool, (uint8_t *)vm + header,
		   (pa_range_size(hyp) - header) / PAGE_SIZE);
	slots[slot].vm = vm;
	slots[slot].name_hash = name_hash(vm->name);
	return vm;
}

void vm_publish(struct vm_table_locked table, struct vm *vm)
{
	(void)table;
	/* Release: whoever finds it sees it set up. */
	__atomic_store_n(&slot_of(vm)->refs, VM_LIVE, __ATOMIC_RELEASE);
}

void vm_retire(struct vm_table_locked table, struct vm_locked vm)
{
	(void)table;
	__atomic_fetch_and(&slot_of(vm.vm)->refs, ~VM_LIVE, __ATOMIC_RELEASE);
}

bool vm_unreferenced(struct vm_table_locked table, const struct vm *vm)
{
	(void)table;
	/* Acquire: the last holder's accesses come before the free. */
	return __atomic_load_n(&slot_of(vm)->refs, __ATOMIC_ACQUIRE) == 0;
}

void vm_free(struct vm_table_locked table, struct vm *vm)
{
	(void)table;
	slot_of(vm)->vm = NULL;
}

struct vm *vm_table_find(struct vm_table_locked table, uint16_t id)
{
	(void)table;
	if (id < HF_PRIMARY_VM_ID || id - HF_PRIMARY_VM_ID >= HF_MAX_VMS) {
		return NULL;
	}
	return slots[id - HF_PRIMARY_VM_ID].vm;
}

struct vm *vm_get(uint16_t id)
{
	size_t slot = (size_t)id - HF_PRIMARY_VM_ID;
	struct vm_slot *s;
	uint32_t refs;

	if (id < HF_PRIMARY_VM_ID || slot >= HF_MAX_VMS) {
		return NULL;
	}
	s = &slots[slot];
	refs = __atomic_load_n(&s->refs, __ATOMIC_RELAXED);
	do {
		if (!(refs & VM_LIVE)) {
			return NULL;
		}
	} while (!__atomic_compare_exchange_n(&s->refs, &refs, refs + 1, true,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	/* Published before VM_LIVE was set, freed only after refs is 0. */
	return s->vm;
}

void vm_put(struct vm *vm)
{
	__atomic_fetch_sub(&slot_of(vm)->refs, 1, __ATOMIC_RELEASE);
}

struct vm *vm_primary(void)
{
	return &primary;
}

struct vm *vm_find_by_name(struct vm_table_locked table, const char *name)
{
	uint32_t hash = name_hash(name);
	size_t i;

	(void)table;
	for (i = 0; i < HF_MAX_VMS; i++) {
		const struct vm_slot *s = &slots[i];

		if (s->name_hash == hash && live(s) &&
		    strcmp(s->vm->name, name) == 0) {
			return s->vm;
		}
	}
	return NULL;
}

size_t vm_count(struct vm_table_locked table)
{
	size_t count = 0;
	size_t i;

	(void)table;
	for (i = 0; i < HF_MAX_VMS; i++) {
		count += live(&slots[i]);
	}
	return count;
}

struct vm *vm_next(struct vm_table_locked table, uint16_t *id)
{
	(void)table;
	for (; *id >= HF_PRIMARY_VM_ID && *id - HF_PRIMARY_VM_ID < HF_MAX_VMS;
	     (*id)++) {
		struct vm_slot *s = &slots[*id - HF_PRIMARY_VM_ID];

		if (live(s)) {
			(*id)++;
			return s->vm;
		}
	}
	return NULL;
}

struct vm_locked vm_lock(struct vm *vm)
{
	sl_lock(&vm->lock);
	return (struct vm_locked){ .vm = vm };
}

void vm_unlock(struct vm_locked *locked)
{
	sl_unlock(&locked->vm->lock);
	locked->vm = NULL;
}

struct two_vms_locked vm_lock_both(struct vm *a, struct vm *b)
{
	struct two_vms_locked both = { .a = { a }, .b = { b } };

	if (a->id < b->id) {
		sl_lock(&a->lock);
		sl_lock(&b->lock);
	} else {
		sl_lock(&b->lock);
		sl_lock(&a->lock);
	}
	return both;
}

void vm_unlock_both(struct two_vms_locked *locked)
{
	vm_unlock(&locked->a);
	vm_unlock(&locked->b);
}

bool vm_end(struct vm_locked locked, uint32_t state,
	    const struct vm_exit *exit)
{
	struct vm *vm = locked.vm;
	bool running = false;
	size_t i;

	if (vm->state == HF_VM_STATE_RUNNING ||
	    vm->state == HF_VM_STATE_CREATED) {
		vm->exit = *exit;
		__atomic_store_n(&vm->state, state, __ATOMIC_RELAXED);
	}
	/* After the state: FFA_RUN reads it under a vCPU's lock only. */
	for (i = 0; i < vm->vcpu_count; i++) {
		sl_lock(&vm->vcpus[i].lock);
		if (vm->vcpus[i].state == VCPU_READY) {
			vm->vcpus[i].state = VCPU_OFF;
		}
		running |= vm->vcpus[i].state == VCPU_RUNNING;
		sl_unlock(&vm->vcpus[i].lock);
	}
	return !running;
}
