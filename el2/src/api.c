/* SPDX-License-Identifier: BSD-3-Clause */
/* Hypercall dispatch: one table of every call of the VM interface, with
 * who may make it, in the manner of KVM's host hypercall table. Calls
 * answered with FFA_SUCCESS/FFA_ERROR set all of x0..x7 (unused ones to
 * zero), so that nothing of a previous call leaks; calls whose only result
 * is w0 (FFA_VERSION, SMCCC_VERSION, an unknown non-FF-A id) leave x1..x7
 * as the caller had them, as SMCCC v1.1 callers expect.
 *
 * The api_*.c files implement the calls on top of the objects; none of
 * them calls another, and none takes a global lock on the FFA_RUN or
 * message path (hf/vm.h). */
#include "hf/api.h"

#include "hf/psci.h"

#include "api_internal.h"

#define FFA_RANGE_MASK 0xbfffff00u /* folds SMC32/SMC64, keeps the range */
#define FFA_RANGE_BASE 0x84000000u
#define FFA_SMC64_BIT 30
#define FFA_FUNC_MIN 0x60u
/* SMC32's 256 function numbers, then SMC64's, below FFA_FUNC_MIN empty:
 * the hypercall path indexes the table with no bounds check. */
#define FFA_INDEX(func)                                                 \
	(((func) >> (FFA_SMC64_BIT - 8) & 0x100u) | ((func) & 0xffu))
#define HF_INDEX(func) ((func) - HF_CALL_BASE)

/* Who may make a call; CALL_LISTED marks every call hafnium knows (what
 * FFA_FEATURES reports), even one nobody may make; CALL_ANSWERS tells
 * which of the two handler kinds an entry has. */
#define CALL_PRIMARY 1u
#define CALL_SECONDARY 2u
#define CALL_ANY (CALL_PRIMARY | CALL_SECONDARY)
#define CALL_LISTED 4u
#define CALL_ANSWERS 8u

/* 16 bytes, so that an index is a shift on the hypercall path. */
struct hypercall {
	union {
		api_answer_fn answer;
		api_switch_fn handle;
	};
	uint8_t callers;
};

#define ANSWER(fn, who)                                                 \
	{ .answer = (fn), .callers = (who) | CALL_LISTED | CALL_ANSWERS }
#define HANDLE(fn, who) { .handle = (fn), .callers = (who) | CALL_LISTED }
#define NOBODY { .callers = CALL_LISTED }

struct mpool *api_pool;

void api_init(struct mpool *pool)
{
	api_pool = pool;
}

static struct vcpu *api_version(struct vcpu *current,
				const struct ffa_value *args)
{
	uint64_t requested = args->arg1;

	/* Bit 31 must be zero; a caller of another major version cannot
	 * talk to us (FF-A: version compatibility is by major number). */
	if (requested > UINT32_MAX || (requested & 0x80000000u) != 0 ||
	    (requested >> 16) != FFA_VERSION_MAJOR) {
		current->regs.x[0] = (uint64_t)(int64_t)FFA_NOT_SUPPORTED;
	} else {
		current->regs.x[0] = FFA_VERSION_COMPILED;
	}
	return current;
}

static struct vcpu *smccc_version(struct vcpu *current,
				  const struct ffa_value *args)
{
	(void)args;
	current->regs.x[0] = SMCCC_VERSION_1_2;
	return current;
}

static struct ffa_value api_features(struct vcpu *current,
				     const struct ffa_value *args);

/* FF-A's calls, SMC32 then SMC64 conventions (FFA_INDEX). */
static const struct hypercall ffa_calls[0x200] = {
	[FFA_INDEX(FFA_ERROR_32)] = NOBODY,
	[FFA_INDEX(FFA_SUCCESS_32)] = NOBODY,
	[FFA_INDEX(FFA_VERSION_32)] = HANDLE(api_version, CALL_ANY),
	[FFA_INDEX(FFA_FEATURES_32)] = ANSWER(api_features, CALL_ANY),
	[FFA_INDEX(FFA_RX_RELEASE_32)] =
		HANDLE(api_rx_release, CALL_ANY),
	[FFA_INDEX(FFA_RXTX_MAP_32)] = ANSWER(api_rxtx_map, CALL_ANY),
	[FFA_INDEX(FFA_RXTX_UNMAP_32)] =
		HANDLE(api_rxtx_unmap, CALL_ANY),
	[FFA_INDEX(FFA_PARTITION_INFO_GET_32)] =
		ANSWER(api_partition_info_get, CALL_ANY),
	[FFA_INDEX(FFA_ID_GET_32)] = ANSWER(api_id_get, CALL_ANY),
	[FFA_INDEX(FFA_MSG_WAIT_32)] =
		HANDLE(api_msg_wait, CALL_SECONDARY),
	[FFA_INDEX(FFA_YIELD_32)] = HANDLE(api_yield, CALL_SECONDARY),
	[FFA_INDEX(FFA_RUN_32)] = HANDLE(api_run, CALL_PRIMARY),
	[FFA_INDEX(FFA_MSG_SEND2_32)] =
		HANDLE(api_msg_send2, CALL_ANY),
	[FFA_INDEX(FFA_SUCCESS_64)] = NOBODY,
	[FFA_INDEX(FFA_RXTX_MAP_64)] = ANSWER(api_rxtx_map, CALL_ANY),
};

/* hafnium's own calls (uapi/hf/abi.h), by HF_CALL_BASE + n. */
static const struct hypercall hf_calls[] = {
	[HF_INDEX(HF_HYP_INFO)] = ANSWER(api_hyp_info, CALL_ANY),
	[HF_INDEX(HF_VM_INFO)] = ANSWER(api_vm_info, CALL_PRIMARY),
	[HF_INDEX(HF_VM_CREATE)] = ANSWER(api_vm_create, CALL_PRIMARY),
	[HF_INDEX(HF_VM_LOAD)] = ANSWER(api_vm_load, CALL_PRIMARY),
	[HF_INDEX(HF_VM_START)] = ANSWER(api_vm_start, CALL_PRIMARY),
	[HF_INDEX(HF_VM_STOP)] = ANSWER(api_vm_stop, CALL_PRIMARY),
	[HF_INDEX(HF_VM_DESTROY)] = ANSWER(api_vm_destroy, CALL_PRIMARY),
	[HF_INDEX(HF_VM_EXIT_INFO)] = ANSWER(api_vm_exit_info, CALL_PRIMARY),
	[HF_INDEX(HF_DEBUG_LOG)] = HANDLE(api_debug_log, CALL_SECONDARY),
	[HF_INDEX(HF_INTERRUPT_ENABLE)] =
		ANSWER(api_interrupt_enable, CALL_SECONDARY),
	[HF_INDEX(HF_INTERRUPT_GET)] =
		ANSWER(api_interrupt_get, CALL_SECONDARY),
	[HF_INDEX(HF_INTERRUPT_DEACTIVATE)] =
		ANSWER(api_interrupt_deactivate, CALL_SECONDARY),
	[HF_INDEX(HF_INTERRUPT_INJECT)] =
		HANDLE(api_interrupt_inject, CALL_ANY),
	[HF_INDEX(HF_DMA_FAULT_GET)] =
		ANSWER(api_dma_fault_get, CALL_PRIMARY),
};

/* PSCI by HVC: a secondary's PSCI is hafnium's; the primary's goes to
 * firmware by SMC and never comes here. */
static const struct hypercall psci_call =
	HANDLE(api_psci_secondary, CALL_SECONDARY);
static const struct hypercall smccc_version_call =
	HANDLE(smccc_version, CALL_ANY);

/* In FF-A's range of ids, SMC32 or SMC64 (PSCI's share it). */
static inline bool in_ffa_range(uint32_t func)
{
	return (func & FFA_RANGE_MASK) == FFA_RANGE_BASE;
}

static bool is_ffa_call(uint32_t func)
{
	return in_ffa_range(func) && (func & 0xffu) >= FFA_FUNC_MIN;
}

static bool is_hf_call(uint32_t func)
{
	return func - HF_CALL_BASE < ARRAY_SIZE(hf_calls);
}

/* The table entry of func (possibly empty: callers == 0), or NULL. */
static const struct hypercall *hypercall_find(uint32_t func)
{
	if (is_ffa_call(func)) {
		return &ffa_calls[FFA_INDEX(func)];
	}
	if (is_hf_call(func)) {
		return &hf_calls[HF_INDEX(func)];
	}
	if (psci_is_psci_call(func)) {
		return &psci_call;
	}
	return func == SMCCC_VERSION_FUNC ? &smccc_version_call : NULL;
}

static struct ffa_value api_features(struct vcpu *current,
				     const struct ffa_value *args)
{
	uint32_t func = (uint32_t)args->arg1;
	const struct hypercall *h = hypercall_find(func);

	(void)current;
	/* Feature ids (bit 31 clear) name interrupts; none are offered. */
	if (h == NULL || h->callers == 0 ||
	    !(is_ffa_call(func) || is_hf_call(func))) {
		return ffa_error(FFA_NOT_SUPPORTED);
	}
	/* For FFA_RXTX_MAP, w2 = 0: 4 KiB minimum size and alignment. */
	return ffa_success(0);
}

/* A call this caller may not make, or that does not exist. Out of line,
 * like answer(): the common path needs no stack frame. */
static __attribute__((noinline)) struct vcpu *
refuse(struct vcpu *current, uint32_t func, const struct hypercall *h)
{
	bool known = h != NULL && h->callers != 0;

	if (known && (is_ffa_call(func) || is_hf_call(func))) {
		regs_set(current, ffa_error(FFA_DENIED));
	} else if (is_ffa_call(func)) {
		regs_set(current, ffa_error(FFA_NOT_SUPPORTED));
	} else {
		current->regs.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
	}
	return current;
}

static __attribute__((noinline)) struct vcpu *
answer(struct vcpu *current, const struct hypercall *h)
{
	regs_set(current, h->answer(current, regs_args(current)));
	return current;
}

static inline uint8_t caller_of(const struct vcpu *current)
{
	return current->vm->id == HF_PRIMARY_VM_ID ? CALL_PRIMARY
						   : CALL_SECONDARY;
}

/* The call in entry h, which this caller may make. */
static inline struct vcpu *call(struct vcpu *current,
				const struct hypercall *h)
{
	if (h->callers & CALL_ANSWERS) {
		return answer(current, h);
	}
	return h->handle(current, regs_args(current));
}

/* Out of line: an FF-A call the caller may make takes no call before its
 * handler. Everything else comes here: hafnium's calls, PSCI, SMCCC's,
 * and what is refused (including PSCI's ids, which share FF-A's range
 * below FFA_FUNC_MIN). */
static __attribute__((noinline)) struct vcpu *
call_other(struct vcpu *current, uint32_t func)
{
	const struct hypercall *h = hypercall_find(func);

	if (h == NULL || !(h->callers & caller_of(current))) {
		return refuse(current, func, h);
	}
	return call(current, h);
}

struct vcpu *api_handle_call(struct vcpu *current)
{
	/* SMCCC: the function id is w0; the upper half of x0 is ignored. */
	uint32_t func = (uint32_t)current->regs.x[0];
	const struct hypercall *h = &ffa_calls[FFA_INDEX(func)];

	if (in_ffa_range(func) && (h->callers & caller_of(current))) {
		return call(current, h);
	}
	return call_other(current, func);
}
