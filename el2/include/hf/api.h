/* SPDX-License-Identifier: BSD-3-Clause */
/* The hypercall ABI as VMs see it (uapi/hf/abi.h, docs/abi.md): FF-A v1.1
 * calls and hafnium's HF_* vendor calls. Generic code: the arch's trap
 * handlers pass the trapping vCPU and run whichever vCPU this returns. */
#pragma once

#include "hf/ffa.h"
#include "hf/mpool.h"
#include "hf/vm.h"

/* `pool` backs the primary's stage-2 tables (a secondary's come from its
 * own hyp pages). */
void api_init(struct mpool *pool);

/* At boot: a static secondary from the manifest in `mem`, its state and
 * stage-2 tables in `hyp` (hf_vm_hyp_pages() of it; both carved out by
 * the boot flow, never the primary's), with its image at load_offset,
 * started at the image. NULL if any of it is invalid or does not fit. */
struct vm *api_vm_create_static(const char *name, size_t vcpu_count,
				struct pa_range mem, struct pa_range hyp,
				const void *image, size_t image_size,
				uint64_t load_offset);

/* A hypercall (HVC) from `current`: x0..x7 of its saved registers are
 * the arguments and receive the results. Returns the vCPU to run next on
 * this CPU (current, unless the call switches worlds). */
struct vcpu *api_handle_call(struct vcpu *current);

/* Whether the primary's stage-2 maps ipa, once no VM is being made or
 * destroyed (they change it). */
bool api_primary_ipa_mapped(uint64_t ipa);

/* Before the machine resets or powers off: every secondary is stopped,
 * taken out of its stage-2 and zeroed, so that what boots next (which
 * gets all RAM) finds none of their data. */
void api_vm_scrub_all(void);

/* Other ways a secondary vCPU hands the CPU back to the primary. WFI does
 * only while none of its interrupts is deliverable. */
struct vcpu *api_wait_for_interrupt(struct vcpu *current);
struct vcpu *api_preempted(struct vcpu *current);
/* Marks the VM crashed (with the fault's syndrome) and leaves it. */
struct vcpu *api_crash(struct vcpu *current, uint64_t esr, uint64_t far);
