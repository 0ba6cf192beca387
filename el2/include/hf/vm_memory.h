/* SPDX-License-Identifier: BSD-3-Clause */
/* A secondary's memory changing hands: donated by the primary when the VM
 * is made, zeroed and given back when it is destroyed, zeroed in place
 * before the machine resets or powers off. Every page is cleaned and
 * invalidated to the point of coherency before its next owner can reach
 * it (H2 of the review): no line left in a cache by its old owner can
 * later be read through a non-cacheable alias, or be evicted over what
 * the new owner wrote with its MMU off. */
#pragma once

#include "hf/mpool.h"
#include "hf/vm.h"

/* Moves the constituents (checked by the caller under the primary's lock)
 * from the primary's stage-2 to the VM's, at consecutive IPAs from
 * HF_VM_RAM_BASE. All or nothing: on failure every page is the primary's
 * again, mapped as before and unchanged. The VM's tables come from its own
 * page cache, the primary's from `pool`. */
bool vm_memory_donate(struct vm_locked primary, struct vm_locked vm,
		      const struct ffa_composite_memory_region *m,
		      struct mpool *pool);
/* Zeroes the VM's memory and gives it back to the primary. The VM's
 * stage-2 must be gone, and its TLB entries with it. */
void vm_memory_reclaim(struct vm_locked primary, struct vm_locked vm,
		       struct mpool *pool);
/* Takes the VM's memory out of its stage-2 (a vCPU still running faults
 * at its next access) and zeroes it where it is. */
void vm_memory_scrub(struct vm_locked vm);

/* A VM's hyp pages (checked by the caller under the primary's lock) leave
 * the primary's stage-2 before the hypervisor writes there; false, with
 * them mapped back, when the primary's tables cannot be split. */
bool vm_memory_take_hyp(struct vm_locked primary, struct pa_range hyp,
			struct mpool *pool);
/* Zeroes the hyp pages of a freed VM and gives them back to the primary. */
void vm_memory_give_hyp(struct vm_locked primary, struct pa_range hyp,
			struct mpool *pool);
