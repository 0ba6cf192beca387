/* Hypercall dispatch and the FF-A/HF calls of the VM interface. Calls
 * answered with FFA_SUCCESS/FFA_ERROR set all of x0..x7 (unused ones to
 * zero), so that nothing of a previous call leaks; calls whose only result
 * is w0 (FFA_VERSION, SMCCC_VERSION, an unknown non-FF-A id) leave x1..x7
 * as the caller had them, as SMCCC v1.1 callers expect. */
#include "hf/api.h"

#include "hf/cpu.h"
#include "hf/limits.h"

#include "api_internal.h"

#define FFA_RANGE_MASK 0xbfffff00u /* folds SMC32/SMC64, keeps the range */
#define FFA_RANGE_BASE 0x84000000u
#define FFA_FUNC_MIN 0x60
#define FFA_FUNC_MAX 0xff

struct spinlock api_lock = SPINLOCK_INIT;
struct mpool *api_pool;

void api_init(struct mpool *pool)
{
	api_pool = pool;
}

static bool is_ffa_call(uint32_t func)
{
	uint32_t low = func & 0xff;

	return (func & FFA_RANGE_MASK) == FFA_RANGE_BASE &&
	       low >= FFA_FUNC_MIN && low <= FFA_FUNC_MAX;
}

static uint64_t api_version(uint64_t requested)
{
	/* Bit 31 must be zero; a caller of another major version cannot
	 * talk to us (FF-A: version compatibility is by major number). */
	if (requested > UINT32_MAX || (requested & 0x80000000u) != 0 ||
	    (requested >> 16) != FFA_VERSION_MAJOR) {
		return (uint64_t)(int64_t)FFA_NOT_SUPPORTED;
	}
	return FFA_VERSION_COMPILED;
}

static bool implemented(uint64_t func)
{
	switch ((uint32_t)func) {
	case FFA_ERROR_32:
	case FFA_SUCCESS_32:
	case FFA_SUCCESS_64:
	case FFA_VERSION_32:
	case FFA_FEATURES_32:
	case FFA_RX_RELEASE_32:
	case FFA_RXTX_MAP_32:
	case FFA_RXTX_MAP_64:
	case FFA_RXTX_UNMAP_32:
	case FFA_PARTITION_INFO_GET_32:
	case FFA_ID_GET_32:
	case FFA_MSG_WAIT_32:
	case FFA_YIELD_32:
	case FFA_RUN_32:
	case FFA_MSG_SEND2_32:
	case HF_HYP_INFO:
	case HF_VM_INFO:
	case HF_VM_CREATE:
	case HF_VM_LOAD:
	case HF_VM_START:
	case HF_VM_STOP:
	case HF_VM_DESTROY:
	case HF_VM_EXIT_INFO:
	case HF_DEBUG_LOG:
	case HF_INTERRUPT_ENABLE:
	case HF_INTERRUPT_GET:
	case HF_INTERRUPT_DEACTIVATE:
	case HF_INTERRUPT_INJECT:
		return true;
	default:
		return false;
	}
}

static struct ffa_value api_features(uint64_t arg1)
{
	uint64_t func = (uint32_t)arg1;

	/* Feature ids (bit 31 clear) name interrupts; none are offered. */
	if (!implemented(func)) {
		return ffa_error(FFA_NOT_SUPPORTED);
	}
	/* For FFA_RXTX_MAP, w2 = 0: 4 KiB minimum size and alignment. */
	return ffa_success(0);
}

/* True when [ipa, ipa + PAGE_SIZE) is ordinary RAM of the VM: mapped
 * read-write-execute as normal memory in its stage-2. Device memory,
 * the hypervisor's and other VMs' memory fail. */
static bool page_is_own_ram(struct vm *vm, uint64_t ipa, paddr_t *pa)
{
	uint32_t mode;

	if (!is_aligned(ipa, PAGE_SIZE) || ipa >= mm_ptable_limit(&vm->ptable) ||
	    !mm_range_has_mode(&vm->ptable, ipa, ipa + PAGE_SIZE,
			       MM_MODE_R | MM_MODE_W | MM_MODE_X)) {
		return false;
	}
	return mm_lookup(&vm->ptable, ipa, pa, &mode);
}

static struct ffa_value api_rxtx_map(struct vm *vm, uint32_t func,
				     uint64_t send, uint64_t recv,
				     uint64_t pages)
{
	struct ffa_value ret = ffa_success(0);
	paddr_t send_pa;
	paddr_t recv_pa;

	if (func == FFA_RXTX_MAP_32) {
		send = (uint32_t)send;
		recv = (uint32_t)recv;
	}
	if ((uint32_t)pages != HF_MAILBOX_SIZE / PAGE_SIZE || send == recv ||
	    !page_is_own_ram(vm, send, &send_pa) ||
	    !page_is_own_ram(vm, recv, &recv_pa)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	sl_lock(&vm->lock);
	if (vm->mailbox.mapped) {
		ret = ffa_error(FFA_DENIED);
	} else {
		vm->mailbox.send = send_pa;
		vm->mailbox.recv = recv_pa;
		vm->mailbox.recv_full = false;
		vm->mailbox.mapped = true;
	}
	sl_unlock(&vm->lock);
	return ret;
}

/* Senders that found the RX buffer full are told it is gone: they retry
 * and get DENIED instead of waiting for a release that cannot come. */
static struct vcpu *api_rxtx_unmap(struct vcpu *current)
{
	struct vm *vm = current->vm;
	uint64_t arg1 = current->regs.x[1];
	struct ffa_value ret = ffa_success(0);
	uint32_t id = (uint32_t)(arg1 >> 16);
	uint32_t waiters = 0;

	/* Bits [31:16] name the VM: zero or the caller itself. */
	if (arg1 > UINT32_MAX || (arg1 & 0xffff) != 0 ||
	    (id != 0 && id != vm->id)) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	sl_lock(&vm->lock);
	if (!vm->mailbox.mapped) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	} else {
		waiters = vm->mailbox.writable_waiters;
		memset(&vm->mailbox, 0, sizeof(vm->mailbox));
	}
	sl_unlock(&vm->lock);
	regs_set(current, ret);
	return api_msg_tell_writable(current, waiters);
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

static struct ffa_value api_partition_info_get(struct vm *caller,
					       const struct ffa_value *args)
{
	struct ffa_value ret;
	uint8_t *rx;
	size_t count;
	size_t i;

	/* hafnium's VMs have no UUIDs: only the nil UUID (all) matches. */
	if ((args->arg1 | args->arg2 | args->arg3 | args->arg4) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if ((args->arg5 & ~(uint64_t)FFA_PARTITION_COUNT_FLAG) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	/* The VM table does not change while it is read. */
	sl_lock(&api_lock);
	count = vm_count();
	if (args->arg5 & FFA_PARTITION_COUNT_FLAG) {
		sl_unlock(&api_lock);
		return (struct ffa_value){ .func = FFA_SUCCESS_32,
					   .arg2 = count };
	}
	sl_lock(&caller->lock);
	if (!caller->mailbox.mapped || caller->mailbox.recv_full) {
		ret = ffa_error(FFA_BUSY);
	} else {
		rx = ptr_from_pa(caller->mailbox.recv);
		for (i = 0; i < count; i++) {
			write_partition_info(rx + i * FFA_PARTITION_INFO_SIZE,
					     vm_by_index(i));
		}
		caller->mailbox.recv_full = true;
		caller->mailbox.recv_sender = HF_HYPERVISOR_VM_ID;
		ret = (struct ffa_value){ .func = FFA_SUCCESS_32,
					  .arg2 = count,
					  .arg3 = FFA_PARTITION_INFO_SIZE };
	}
	sl_unlock(&caller->lock);
	sl_unlock(&api_lock);
	return ret;
}

static struct ffa_value api_hyp_info(void)
{
	return (struct ffa_value){
		.func = FFA_SUCCESS_64,
		.arg2 = HF_ABI_VERSION_MAJOR << 16 | HF_ABI_VERSION_MINOR,
		.arg3 = cpu_count(),
		.arg4 = vm_count(),
		.arg5 = vm_primary()->mem_size,
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

static struct ffa_value api_vm_info(uint64_t id)
{
	struct vm *vm;
	char name[HF_VM_NAME_MAX] = { 0 };
	struct ffa_value ret;

	sl_lock(&api_lock);
	vm = id <= UINT16_MAX ? vm_find((uint16_t)id) : NULL;
	if (vm == NULL) {
		sl_unlock(&api_lock);
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	str_copy(name, sizeof(name), vm->name);
	ret = (struct ffa_value){
		.func = FFA_SUCCESS_64,
		.arg2 = (uint64_t)vm->state << 16 | vm->vcpu_count,
		.arg3 = vm->mem_size,
		.arg4 = name_word(name, 0),
		.arg5 = name_word(name, 1),
		.arg6 = name_word(name, 2),
		.arg7 = name_word(name, 3),
	};
	sl_unlock(&api_lock);
	return ret;
}

static bool primary_only(uint32_t func)
{
	switch (func) {
	case FFA_RUN_32:
	case HF_VM_INFO:
	case HF_VM_CREATE:
	case HF_VM_LOAD:
	case HF_VM_START:
	case HF_VM_STOP:
	case HF_VM_DESTROY:
	case HF_VM_EXIT_INFO:
		return true;
	default:
		return false;
	}
}

/* The calls answered with FFA_SUCCESS or FFA_ERROR, without a switch. */
static struct ffa_value ffa_call(struct vm *caller, uint32_t func,
				 const struct ffa_value *args)
{
	if (primary_only(func) && caller != vm_primary()) {
		return ffa_error(FFA_DENIED);
	}
	switch (func) {
	case FFA_FEATURES_32:
		return api_features(args->arg1);
	case FFA_ID_GET_32:
		return ffa_success(caller->id);
	case FFA_RXTX_MAP_32:
	case FFA_RXTX_MAP_64:
		return api_rxtx_map(caller, func, args->arg1, args->arg2,
				    args->arg3);
	case FFA_PARTITION_INFO_GET_32:
		return api_partition_info_get(caller, args);
	case HF_HYP_INFO:
		return api_hyp_info();
	case HF_VM_INFO:
		return api_vm_info(args->arg1);
	case HF_VM_CREATE:
		return api_vm_create(caller, args->arg1);
	case HF_VM_LOAD:
		return api_vm_load(caller, args);
	case HF_VM_START:
		return api_vm_start(args);
	case HF_VM_STOP:
		return api_vm_stop(args->arg1);
	case HF_VM_DESTROY:
		return api_vm_destroy(caller, args->arg1);
	case HF_VM_EXIT_INFO:
		return api_vm_exit_info(args->arg1);
	default:
		/* FFA_YIELD, FFA_MSG_WAIT, HF_DEBUG_LOG from the primary:
		 * it has nobody to yield to or log through. */
		return ffa_error(is_ffa_call(func) && !implemented(func)
					 ? FFA_NOT_SUPPORTED
					 : FFA_DENIED);
	}
}

struct vcpu *api_handle_call(struct vcpu *current)
{
	struct ffa_value args = regs_args(current);
	/* SMCCC: the function id is w0; the upper half of x0 is ignored. */
	uint32_t func = (uint32_t)args.func;
	bool handled = false;
	struct vcpu *next;

	/* The calls that may switch to another vCPU. */
	switch (func) {
	case FFA_RUN_32:
		if (current->vm == vm_primary()) {
			return api_run(current, args.arg1);
		}
		break;
	case FFA_MSG_SEND2_32:
		return api_msg_send2(current);
	case FFA_RX_RELEASE_32:
		return api_rx_release(current);
	case FFA_RXTX_UNMAP_32:
		return api_rxtx_unmap(current);
	case HF_INTERRUPT_ENABLE:
	case HF_INTERRUPT_GET:
	case HF_INTERRUPT_DEACTIVATE:
	case HF_INTERRUPT_INJECT:
		return api_interrupt_call(current, func);
	default:
		break;
	}
	if (current->vm != vm_primary()) {
		next = api_secondary_call(current, func, &handled);
		if (handled) {
			return next;
		}
	}
	if (func == SMCCC_VERSION_FUNC) {
		current->regs.x[0] = SMCCC_VERSION_1_2;
	} else if (func == FFA_VERSION_32) {
		current->regs.x[0] = api_version(args.arg1);
	} else if (is_ffa_call(func) || implemented(func)) {
		regs_set(current, ffa_call(current->vm, func, &args));
	} else {
		current->regs.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
	}
	return current;
}
