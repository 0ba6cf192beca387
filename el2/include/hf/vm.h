/* Virtual machines. Only the primary exists so far: it owns every CPU (one
 * vCPU per physical CPU) and all memory the hypervisor does not keep.
 *
 * Lock order: vm::lock, then cpu::lock; mpool and console locks are leaves. */
#pragma once

#include "hf/manifest.h"
#include "hf/mm.h"
#include "hf/spinlock.h"

#include "hf/abi.h"

#define HF_MAX_VMS 16

/** A VM's FF-A RX/TX buffer pair, as mapped with FFA_RXTX_MAP. */
struct mailbox {
	paddr_t send; /* TX: the VM writes, the hypervisor reads */
	paddr_t recv; /* RX: the hypervisor writes, the VM reads */
	bool mapped;
	/* The VM owns its RX buffer (there is something to read) until it
	 * calls FFA_RX_RELEASE; the hypervisor may not write it meanwhile. */
	bool recv_full;
};

struct vm {
	struct spinlock lock; /* mailbox */
	uint16_t id;
	char name[HF_VM_NAME_MAX];
	uint32_t state; /* HF_VM_STATE_* */
	struct mm_ptable ptable; /* stage-2, VMID == id */
	size_t vcpu_count;
	uint64_t mem_size; /* bytes of RAM mapped for the VM */
	struct mailbox mailbox;
};

/* Sets up the next VM slot; the first one made is the primary. */
struct vm *vm_init_next(const char *name, size_t vcpu_count);
struct vm *vm_primary(void);
struct vm *vm_find(uint16_t id);
size_t vm_count(void);
struct vm *vm_by_index(size_t index);
