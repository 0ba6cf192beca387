/* The VM table: ids are 1 + index (0 is the hypervisor's FF-A id). */
#include "hf/vm.h"

static struct vm vms[HF_MAX_VMS];
static size_t vms_count;

struct vm *vm_init_next(const char *name, size_t vcpu_count)
{
	struct vm *vm;

	if (vms_count == HF_MAX_VMS) {
		return NULL;
	}
	vm = &vms[vms_count];
	memset(vm, 0, sizeof(*vm));
	sl_init(&vm->lock);
	vm->id = (uint16_t)(HF_PRIMARY_VM_ID + vms_count);
	str_copy(vm->name, sizeof(vm->name), name);
	vm->vcpu_count = vcpu_count;
	vm->state = HF_VM_STATE_CREATED;
	vms_count++;
	return vm;
}

struct vm *vm_primary(void)
{
	return &vms[0];
}

struct vm *vm_find(uint16_t id)
{
	if (id < HF_PRIMARY_VM_ID || (size_t)(id - HF_PRIMARY_VM_ID) >= vms_count) {
		return NULL;
	}
	return &vms[id - HF_PRIMARY_VM_ID];
}

size_t vm_count(void)
{
	return vms_count;
}

struct vm *vm_by_index(size_t index)
{
	return index < vms_count ? &vms[index] : NULL;
}
