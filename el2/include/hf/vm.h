/* Virtual machines: the primary (id 1), which owns every CPU (one vCPU per
 * physical CPU) and all memory the hypervisor and secondaries do not own;
 * and secondaries (ids 2..), made from memory the primary donates.
 *
 * Lock order: api_lock (VM lifecycle), then vm::lock, then vcpu::lock,
 * then cpu::lock; mpool and console locks are leaves. */
#pragma once

#include "hf/abi.h"
#include "hf/limits.h"
#include "hf/manifest.h"
#include "hf/mm.h"
#include "hf/spinlock.h"
#include "hf/vcpu.h"

#define HF_MAX_VMS 16
/* As many constituents as fit in one TX page after the descriptor. */
#define VM_MAX_CHUNKS                                              \
	((HF_MAILBOX_SIZE - sizeof(struct hf_vm_create_desc)) /    \
	 sizeof(struct ffa_memory_region_constituent))

/** A VM's FF-A RX/TX buffer pair, as mapped with FFA_RXTX_MAP. */
struct mailbox {
	paddr_t send; /* TX: the VM writes, the hypervisor reads */
	paddr_t recv; /* RX: the hypervisor writes, the VM reads */
	bool mapped;
	/* The VM owns its RX buffer (there is something to read) until it
	 * calls FFA_RX_RELEASE; the hypervisor may not write it meanwhile. */
	bool recv_full;
	/* Who sent what is in RX, for FFA_MSG_WAIT's answer; 0 for a reply
	 * of the hypervisor's own (FFA_PARTITION_INFO_GET). */
	uint16_t recv_sender;
	/* VMs (bit = id) told BUSY while RX was full: told again when it is
	 * released, so that no sender has to poll. */
	uint32_t writable_waiters;
};

/** Physical memory donated to a secondary, in IPA order. */
struct vm_chunk {
	paddr_t begin;
	size_t pages;
};

/** Why a VM stopped running (HF_VM_EXIT_INFO). */
struct vm_exit {
	uint32_t reason; /* HF_VM_EXIT_* */
	uint16_t vcpu;
	uint64_t esr, far, elr;
};

struct vm {
	struct spinlock lock; /* state, mailbox, exit */
	bool in_use;
	uint16_t id;
	char name[HF_VM_NAME_MAX];
	uint32_t state; /* HF_VM_STATE_* */
	struct mm_ptable ptable; /* stage-2, VMID == id */
	size_t vcpu_count;
	uint64_t mem_size; /* bytes of RAM mapped for the VM */
	struct mailbox mailbox;
	struct vm_chunk chunks[VM_MAX_CHUNKS];
	size_t chunk_count;
	struct vm_exit exit;
	struct vcpu vcpus[MAX_CPUS];
};

/* Takes the primary's slot (boot) or a free secondary slot; NULL when all
 * are in use. */
struct vm *vm_alloc(bool primary, const char *name, size_t vcpu_count);
void vm_free(struct vm *vm);
struct vm *vm_primary(void);
/* A VM in use, or NULL. */
struct vm *vm_find(uint16_t id);
struct vm *vm_find_by_name(const char *name);
size_t vm_count(void);
/* The index-th VM in use, in id order. */
struct vm *vm_by_index(size_t index);
