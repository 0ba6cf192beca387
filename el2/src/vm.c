/* The VM table: a VM's id is 1 + its slot (0 is the hypervisor's FF-A id);
 * slot 0 is the primary's, and a destroyed secondary's slot is reused. */
#include "hf/vm.h"

static struct vm vms[HF_MAX_VMS];

struct vm *vm_alloc(bool primary, const char *name, size_t vcpu_count)
{
	size_t slot = 0;
	struct vm *vm;
	size_t i;

	if (!primary) {
		for (slot = 1; slot < HF_MAX_VMS && vms[slot].in_use; slot++) {
		}
	}
	if (slot == HF_MAX_VMS || vms[slot].in_use) {
		return NULL;
	}
	vm = &vms[slot];
	memset(vm, 0, sizeof(*vm));
	sl_init(&vm->lock);
	vm->in_use = true;
	vm->id = (uint16_t)(HF_PRIMARY_VM_ID + slot);
	str_copy(vm->name, sizeof(vm->name), name);
	vm->vcpu_count = vcpu_count;
	vm->state = HF_VM_STATE_CREATED;
	for (i = 0; i < MAX_CPUS; i++) {
		sl_init(&vm->vcpus[i].lock);
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].index = (uint16_t)i;
		vm->vcpus[i].state = VCPU_OFF;
	}
	return vm;
}

void vm_free(struct vm *vm)
{
	vm->in_use = false;
}

struct vm *vm_primary(void)
{
	return &vms[0];
}

struct vm *vm_find(uint16_t id)
{
	size_t slot = (size_t)id - HF_PRIMARY_VM_ID;

	if (id < HF_PRIMARY_VM_ID || slot >= HF_MAX_VMS || !vms[slot].in_use) {
		return NULL;
	}
	return &vms[slot];
}

struct vm *vm_find_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < HF_MAX_VMS; i++) {
		if (vms[i].in_use && strcmp(vms[i].name, name) == 0) {
			return &vms[i];
		}
	}
	return NULL;
}

size_t vm_count(void)
{
	size_t count = 0;
	size_t i;

	for (i = 0; i < HF_MAX_VMS; i++) {
		count += vms[i].in_use;
	}
	return count;
}

struct vm *vm_by_index(size_t index)
{
	size_t i;

	for (i = 0; i < HF_MAX_VMS; i++) {
		if (vms[i].in_use && index-- == 0) {
			return &vms[i];
		}
	}
	return NULL;
}
