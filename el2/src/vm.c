/* The VM table: a VM's id is 1 + its slot (0 is the hypervisor's FF-A id);
 * slot 0 is the primary's, and a retired secondary's slot is reused once
 * nothing refers to it (see hf/vm.h). */
#include "hf/vm.h"

/* In vm::refs: the VM is in the table; the rest counts references. */
#define VM_LIVE (1u << 31)

static struct vm vms[HF_MAX_VMS];
static struct spinlock table_lock = SPINLOCK_INIT(LOCK_RANK_VM_TABLE);

struct vm_table_locked vm_table_lock(void)
{
	sl_lock(&table_lock);
	return (struct vm_table_locked){ .table = vms };
}

void vm_table_unlock(struct vm_table_locked *table)
{
	table->table = NULL;
	sl_unlock(&table_lock);
}

static bool live(const struct vm *vm)
{
	return __atomic_load_n(&vm->refs, __ATOMIC_ACQUIRE) & VM_LIVE;
}

struct vm *vm_alloc(struct vm_table_locked table, bool primary,
		    const char *name, size_t vcpu_count)
{
	size_t slot = 0;
	struct vm *vm;
	size_t i;

	(void)table;
	/* Acquire: the last holder's accesses come before the reuse. */
	if (!primary) {
		for (slot = 1; slot < HF_MAX_VMS &&
			       __atomic_load_n(&vms[slot].refs,
					       __ATOMIC_ACQUIRE) != 0;
		     slot++) {
		}
	}
	if (slot == HF_MAX_VMS ||
	    __atomic_load_n(&vms[slot].refs, __ATOMIC_ACQUIRE) != 0) {
		return NULL;
	}
	vm = &vms[slot];
	memset(vm, 0, sizeof(*vm));
	vm->id = (uint16_t)(HF_PRIMARY_VM_ID + slot);
	sl_init(&vm->lock, LOCK_RANK_VM(vm->id));
	str_copy(vm->name, sizeof(vm->name), name);
	vm->vcpu_count = vcpu_count;
	vm->state = HF_VM_STATE_CREATED;
	for (i = 0; i < MAX_CPUS; i++) {
		sl_init(&vm->vcpus[i].lock, LOCK_RANK_VCPU);
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].index = (uint16_t)i;
		vm->vcpus[i].state = VCPU_OFF;
	}
	return vm;
}

void vm_publish(struct vm_table_locked table, struct vm *vm)
{
	(void)table;
	__atomic_store_n(&vm->refs, VM_LIVE, __ATOMIC_RELEASE);
}

void vm_retire(struct vm_table_locked table, struct vm_locked vm)
{
	(void)table;
	__atomic_fetch_and(&vm.vm->refs, ~VM_LIVE, __ATOMIC_RELEASE);
}

struct vm *vm_get(uint16_t id)
{
	size_t slot = (size_t)id - HF_PRIMARY_VM_ID;
	struct vm *vm;
	uint32_t refs;

	if (id < HF_PRIMARY_VM_ID || slot >= HF_MAX_VMS) {
		return NULL;
	}
	vm = &vms[slot];
	refs = __atomic_load_n(&vm->refs, __ATOMIC_RELAXED);
	do {
		if (!(refs & VM_LIVE)) {
			return NULL;
		}
	} while (!__atomic_compare_exchange_n(&vm->refs, &refs, refs + 1,
					      true, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return vm;
}

void vm_put(struct vm *vm)
{
	__atomic_fetch_sub(&vm->refs, 1, __ATOMIC_RELEASE);
}

struct vm *vm_primary(void)
{
	return &vms[0];
}

struct vm *vm_find_by_name(struct vm_table_locked table, const char *name)
{
	size_t i;

	(void)table;
	for (i = 0; i < HF_MAX_VMS; i++) {
		if (live(&vms[i]) && strcmp(vms[i].name, name) == 0) {
			return &vms[i];
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
		count += live(&vms[i]);
	}
	return count;
}

struct vm *vm_by_index(struct vm_table_locked table, size_t index)
{
	size_t i;

	(void)table;
	for (i = 0; i < HF_MAX_VMS; i++) {
		if (live(&vms[i]) && index-- == 0) {
			return &vms[i];
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
