/* SPDX-License-Identifier: BSD-3-Clause */
/* Virtual machines: the primary (id 1), which owns every CPU (one vCPU per
 * physical CPU) and all memory the hypervisor and secondaries do not own;
 * and secondaries (ids 2..HF_MAX_VMS), made from memory the primary
 * donates. A secondary's struct vm and its stage-2 tables live in pages
 * the primary gives the hypervisor for it (hf_vm_create_desc hyp_*), so
 * that the hypervisor's own memory does not grow with the number of VMs;
 * the table itself is HF_MAX_VMS slots of a pointer and a reference count.
 *
 * Concurrency (docs/architecture.md, "Concurrency", has the whole design;
 * the lock order is in hf/spinlock.h):
 * - The VM table lock guards which VMs exist and their names. Only its
 *   holder, who has a struct vm_table_locked, allocates, publishes,
 *   retires or frees a VM, or lists them.
 * - Everything else finds a VM by id with vm_get, which takes a reference
 *   (counted in the table's slot, not in the VM, whose memory goes back to
 *   the primary), and drops it with vm_put. A retired VM is found by
 *   vm_get no more, and is freed (its pages given back, its slot and id
 *   reused) only once no reference is left, so a VM found stays that VM,
 *   and its lock a lock, for as long as the reference is held. A retired
 *   VM is ended (stopped, mailbox unmapped) under its lock first: a holder
 *   sees that as soon as it takes the lock.
 * - vm::lock guards the VM's state, exit report, mailbox, memory (chunks,
 *   mem_size) and stage-2 tables (and its page cache, which has its own
 *   leaf lock too). Whatever needs it takes a struct vm_locked, which only
 *   vm_lock and vm_lock_both make; two VMs are always locked in id order.
 *   id, name, vcpu_count and hyp never change while the VM exists.
 * - The primary is never retired: vm_primary() needs no reference. */
#pragma once

#include "hf/abi.h"
#include "hf/limits.h"
#include "hf/manifest.h"
#include "hf/mm.h"
#include "hf/spinlock.h"
#include "hf/vcpu.h"

/* As many constituents as fit in one TX page after the descriptor. */
#define VM_MAX_CHUNKS                                              \
	((HF_MAILBOX_SIZE - sizeof(struct hf_vm_create_desc)) /    \
	 sizeof(struct ffa_memory_region_constituent))

/** A set of VM ids, bit (id - 1): the ABI's HF_WAITERS words. */
struct vm_id_set {
	uint64_t bits[HF_WAITERS_WORDS];
};

static inline void vm_id_set_add(struct vm_id_set *s, uint16_t id)
{
	s->bits[(id - 1) / 64] |= 1ull << ((id - 1) % 64);
}

static inline bool vm_id_set_empty(const struct vm_id_set *s)
{
	size_t i;

	for (i = 0; i < HF_WAITERS_WORDS; i++) {
		if (s->bits[i] != 0) {
			return false;
		}
	}
	return true;
}

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
	/* VMs told BUSY while RX was full: told again when it is released,
	 * so that no sender has to poll. */
	struct vm_id_set writable_waiters;
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
	uint16_t id;
	char name[HF_VM_NAME_MAX];
	size_t vcpu_count;
	uint32_t state; /* HF_VM_STATE_* */
	struct mm_ptable ptable; /* stage-2, VMID == id - 1 */
	/* A secondary's hypervisor pages: this struct, then `pool`, the page
	 * cache its stage-2 tables come from. Empty for the primary. */
	struct pa_range hyp;
	struct mpool pool;
	/* Senders told BUSY by a destroyed VM's RX: answered by the destroy
	 * that frees it (HF_VM_DESTROY may take two calls). */
	struct vm_id_set destroy_waiters;
	uint64_t mem_size; /* bytes of RAM mapped for the VM */
	struct mailbox mailbox;
	struct vm_chunk chunks[VM_MAX_CHUNKS];
	size_t chunk_count;
	struct vm_exit exit;
	struct vcpu vcpus[MAX_CPUS];
};

/* Witnesses: a function that takes one may touch what the lock guards. */
struct vm_table_locked {
	bool held;
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

/* The primary, set up at boot and not visible yet. */
struct vm *vm_alloc_primary(struct vm_table_locked table, const char *name,
			    size_t vcpu_count);
/* A secondary of that name, not visible yet (vm_get cannot find it), in
 * the hyp pages given (at least hf_vm_hyp_pages() of its memory, page
 * aligned, which the caller has taken from the primary): the VM at their
 * start, its page cache after it. NULL when every id is in use. */
struct vm *vm_alloc(struct vm_table_locked table, struct pa_range hyp,
		    const char *name, size_t vcpu_count);
/* Makes an allocated VM visible. */
void vm_publish(struct vm_table_locked table, struct vm *vm);
/* Takes the VM out of the table: vm_get no longer finds it. */
void vm_retire(struct vm_table_locked table, struct vm_locked vm);
/* Whether nothing refers to a retired VM any more (it may be freed). */
bool vm_unreferenced(struct vm_table_locked table, const struct vm *vm);
/* Gives an unpublished or retired, unreferenced VM's slot back: its id may
 * be reused and its hyp pages given back (the VM is unlocked). */
void vm_free(struct vm_table_locked table, struct vm *vm);
/* The VM with that id, published or retired but not freed; NULL. */
struct vm *vm_table_find(struct vm_table_locked table, uint16_t id);
struct vm *vm_find_by_name(struct vm_table_locked table, const char *name);
size_t vm_count(struct vm_table_locked table);
/* The first published VM of id >= *id, in id order; *id then follows it
 * (walks the table once: for (id = 1; (vm = vm_next(t, &id)) != NULL;)). */
struct vm *vm_next(struct vm_table_locked table, uint16_t *id);

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
