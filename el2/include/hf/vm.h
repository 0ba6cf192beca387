/* Virtual machines: the primary (id 1), which owns every CPU (one vCPU per
 * physical CPU) and all memory the hypervisor and secondaries do not own;
 * and secondaries (ids 2..), made from memory the primary donates.
 *
 * Concurrency (docs/architecture.md, "Concurrency", has the whole design;
 * the lock order is in hf/spinlock.h):
 * - The VM table lock guards which VMs exist and their names. Only its
 *   holder, who has a struct vm_table_locked, allocates, publishes or
 *   retires a VM, or lists them.
 * - Everything else finds a VM by id with vm_get, which takes a reference,
 *   and drops it with vm_put. A slot is reused only when it is retired and
 *   no reference is left, so a VM found stays that VM, and its lock a
 *   lock, for as long as the reference is held. A retired VM is ended
 *   (stopped, mailbox unmapped) under its lock first: a holder sees that
 *   as soon as it takes the lock.
 * - vm::lock guards the VM's state, exit report, mailbox, memory (chunks,
 *   mem_size) and stage-2 tables. Whatever needs it takes a struct
 *   vm_locked, which only vm_lock and vm_lock_both make; two VMs are
 *   always locked in id order. id, name and vcpu_count never change while
 *   the VM exists.
 * - The primary is never retired: vm_primary() needs no reference. */
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

/** A VM's FF-A RX/TX buffer pair, as mapped with FFA_RXTX_MAP; reached
 * only through hf/mailbox.h, under the VM's lock. */
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
	struct spinlock lock;
	/* VM_LIVE while it is in the table, plus one per reference. */
	uint32_t refs;
	uint16_t id;
	char name[HF_VM_NAME_MAX];
	size_t vcpu_count;
	uint32_t state; /* HF_VM_STATE_* */
	struct mm_ptable ptable; /* stage-2, VMID == id */
	uint64_t mem_size; /* bytes of RAM mapped for the VM */
	struct mailbox mailbox;
	struct vm_chunk chunks[VM_MAX_CHUNKS];
	size_t chunk_count;
	struct vm_exit exit;
	struct vcpu vcpus[MAX_CPUS];
};

/* Witnesses: a function that takes one may touch what the lock guards. */
struct vm_table_locked {
	struct vm *table;
};

struct vm_locked {
	struct vm *vm;
};

struct two_vms_locked {
	struct vm_locked a;
	struct vm_locked b;
};

struct vm_table_locked vm_table_lock(void);
void vm_table_unlock(struct vm_table_locked *table);

/* An unused slot, set up for a VM of that name that is not visible yet
 * (vm_get cannot find it): the primary's slot at boot, or a free secondary
 * slot; NULL when all are in use or still referenced. */
struct vm *vm_alloc(struct vm_table_locked table, bool primary,
		    const char *name, size_t vcpu_count);
/* Makes an allocated VM visible. A VM that is never published simply
 * gives its slot back. */
void vm_publish(struct vm_table_locked table, struct vm *vm);
/* Takes the VM out of the table: vm_get no longer finds it, and its slot
 * is reused once the last reference is dropped. */
void vm_retire(struct vm_table_locked table, struct vm_locked vm);
struct vm *vm_find_by_name(struct vm_table_locked table, const char *name);
size_t vm_count(struct vm_table_locked table);
/* The index-th VM in the table, in id order. */
struct vm *vm_by_index(struct vm_table_locked table, size_t index);

/* A reference to the VM with that id, or NULL if there is none. */
struct vm *vm_get(uint16_t id);
void vm_put(struct vm *vm);
struct vm *vm_primary(void);

struct vm_locked vm_lock(struct vm *vm);
void vm_unlock(struct vm_locked *locked);
/* Locks both, in id order (a != b); .a is a's witness, .b is b's. */
struct two_vms_locked vm_lock_both(struct vm *a, struct vm *b);
void vm_unlock_both(struct two_vms_locked *locked);

/* Stops a running or created VM: no vCPU runs again; one running now
 * leaves at its next exit. Keeps the first exit reason. True when no vCPU
 * runs any more (one that is leaving still runs until it is saved). */
bool vm_end(struct vm_locked vm, uint32_t state, const struct vm_exit *exit);
