/* SPDX-License-Identifier: BSD-3-Clause */
/* Calls that describe the hypervisor and its VMs: FFA_ID_GET,
 * FFA_PARTITION_INFO_GET, HF_HYP_INFO, HF_VM_INFO. */
#include "hf/cpu.h"

#include "api_internal.h"

struct ffa_value api_id_get(struct vcpu *current,
			    const struct ffa_value *args)
{
	(void)args;
	return ffa_success(current->vm->id);
}

static void write_partition_info(uint8_t *out, const struct vm *vm)
{
	struct ffa_partition_info info = {
		.vm_id = vm->id,
		.vcpu_count = (unsigned short)vm->vcpu_count,
		.properties = 0,
	};

	memcpy(out, &info, FFA_PARTITION_INFO_SIZE);
}

/* The VMs from the start-th on, as many as fit RX. The table lock keeps
 * the list still while it is written to RX, under the caller's lock. */
static struct ffa_value partition_info(struct vm_table_locked table,
				       struct vm_locked caller, size_t count,
				       uint64_t start)
{
	uint8_t *rx = mailbox_rx(caller);
	uint16_t id = HF_PRIMARY_VM_ID;
	size_t written = 0;
	size_t skipped;
	struct vm *vm;

	if (start > count) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (rx == NULL) {
		return ffa_error(FFA_BUSY);
	}
	for (skipped = 0; skipped < start; skipped++) {
		vm_next(table, &id);
	}
	while (written < FFA_PARTITION_INFO_PER_RX &&
	       (vm = vm_next(table, &id)) != NULL) {
		write_partition_info(rx + written * FFA_PARTITION_INFO_SIZE,
				     vm);
		written++;
	}
	mailbox_filled(caller, HF_HYPERVISOR_VM_ID);
	return (struct ffa_value){ .func = FFA_SUCCESS_32,
				   .arg2 = written,
				   .arg3 = FFA_PARTITION_INFO_SIZE,
				   .arg4 = count };
}

struct ffa_value api_partition_info_get(struct vcpu *current,
					const struct ffa_value *args)
{
	struct vm_table_locked table;
	struct vm_locked caller;
	struct ffa_value ret;
	size_t count;

	/* hafnium's VMs have no UUIDs: only the nil UUID (all) matches. */
	if ((args->arg1 | args->arg2 | args->arg3 | args->arg4) != 0 ||
	    (args->arg5 & ~(uint64_t)FFA_PARTITION_COUNT_FLAG) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	table = vm_table_lock();
	count = vm_count(table);
	if (args->arg5 & FFA_PARTITION_COUNT_FLAG) {
		ret = (struct ffa_value){ .func = FFA_SUCCESS_32,
					  .arg2 = count };
	} else {
		caller = vm_lock(current->vm);
		ret = partition_info(table, caller, count, args->arg6);
		vm_unlock(&caller);
	}
	vm_table_unlock(&table);
	return ret;
}

struct ffa_value api_hyp_info(struct vcpu *current,
			      const struct ffa_value *args)
{
	struct vm_table_locked table = vm_table_lock();
	size_t count = vm_count(table);

	(void)current;
	(void)args;
	vm_table_unlock(&table);
	return (struct ffa_value){
		.func = FFA_SUCCESS_64,
		.arg2 = HF_ABI_VERSION_MAJOR << 16 | HF_ABI_VERSION_MINOR,
		.arg3 = cpu_count(),
		.arg4 = count,
		.arg5 = __atomic_load_n(&vm_primary()->mem_size,
					__ATOMIC_RELAXED),
		.arg6 = HF_MAX_VMS,
		.arg7 = MAX_CPUS,
	};
}

static uint64_t name_word(const char *name, size_t word)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		v |= (uint64_t)(uint8_t)name[word * 8 + i] << (8 * i);
	}
	return v;
}

struct ffa_value api_vm_info(struct vcpu *current,
			     const struct ffa_value *args)
{
	struct vm *vm = args->arg1 <= UINT16_MAX ? vm_get((uint16_t)args->arg1)
						 : NULL;
	char name[HF_VM_NAME_MAX] = { 0 };
	struct vm_locked locked;
	struct ffa_value ret;

	(void)current;
	if (vm == NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	str_copy(name, sizeof(name), vm->name);
	locked = vm_lock(vm);
	ret = (struct ffa_value){
		.func = FFA_SUCCESS_64,
		.arg2 = pa_range_size(vm->hyp) / PAGE_SIZE << 32 |
			(uint64_t)vm->state << 16 | vm->vcpu_count,
		.arg3 = vm->mem_size,
		.arg4 = name_word(name, 0),
		.arg5 = name_word(name, 1),
		.arg6 = name_word(name, 2),
		.arg7 = name_word(name, 3),
	};
	vm_unlock(&locked);
	vm_put(vm);
	return ret;
}
