/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by the api_*.c files, which sit on top of the objects (hf/vm.h,
 * hf/vcpu.h, hf/mailbox.h, hf/vm_memory.h, hf/vcpu_exit.h) and never call
 * each other: api.c's dispatch table is the only file that knows them
 * all. Each call has one of two shapes (see struct hypercall in api.c). */
#pragma once

#include "hf/api.h"
#include "hf/ffa.h"
#include "hf/mailbox.h"
#include "hf/vcpu_exit.h"

/* The hypervisor's own pool: the primary's stage-2 tables (a secondary's
 * come from its own hyp pages). */
extern struct mpool *api_pool;

/* `args` is the caller's x0..x7 in place (regs_args): read before any
 * register of the caller is set. */
/* Calls answered with FFA_SUCCESS or FFA_ERROR without a switch. */
typedef struct ffa_value (*api_answer_fn)(struct vcpu *current,
					  const struct ffa_value *args);
/* Calls that may switch this CPU to another vCPU: return the next one. */
typedef struct vcpu *(*api_switch_fn)(struct vcpu *current,
				      const struct ffa_value *args);

/* Information (api_info.c). */
struct ffa_value api_id_get(struct vcpu *current,
			    const struct ffa_value *args);
struct ffa_value api_partition_info_get(struct vcpu *current,
					const struct ffa_value *args);
struct ffa_value api_hyp_info(struct vcpu *current,
			      const struct ffa_value *args);
struct ffa_value api_vm_info(struct vcpu *current,
			     const struct ffa_value *args);

/* Mailboxes (api_mailbox.c). */
struct ffa_value api_rxtx_map(struct vcpu *current,
			      const struct ffa_value *args);
struct vcpu *api_rxtx_unmap(struct vcpu *current,
			    const struct ffa_value *args);
struct vcpu *api_rx_release(struct vcpu *current,
			    const struct ffa_value *args);
/* Tells the VMs in waiters that a buffer is writable or gone; a secondary
 * caller then leaves its CPU so that the primary kicks them (FFA_RUN
 * answers FFA_RX_RELEASE). */
struct vcpu *api_tell_writable(struct vcpu *current,
			       const struct vm_id_set *waiters);
/* answer with waiters in x2..x5 (HF_WAITERS_WORDS). */
struct ffa_value api_waiters_answer(struct ffa_value answer,
				    const struct vm_id_set *waiters);

/* Messages (api_msg.c). */
struct vcpu *api_msg_send2(struct vcpu *current,
			   const struct ffa_value *args);
struct vcpu *api_msg_wait(struct vcpu *current,
			  const struct ffa_value *args);

/* Lifecycle (api_vm.c); primary only. */
struct ffa_value api_vm_create(struct vcpu *current,
			       const struct ffa_value *args);
struct ffa_value api_vm_load(struct vcpu *current,
			     const struct ffa_value *args);
struct ffa_value api_vm_start(struct vcpu *current,
			      const struct ffa_value *args);
struct ffa_value api_vm_stop(struct vcpu *current,
			     const struct ffa_value *args);
struct ffa_value api_vm_destroy(struct vcpu *current,
				const struct ffa_value *args);
struct ffa_value api_vm_exit_info(struct vcpu *current,
				  const struct ffa_value *args);

/* Running secondaries and their ways back (api_run.c). */
struct vcpu *api_run(struct vcpu *current, const struct ffa_value *args);
struct vcpu *api_yield(struct vcpu *current, const struct ffa_value *args);
struct vcpu *api_debug_log(struct vcpu *current,
			   const struct ffa_value *args);
struct vcpu *api_psci_secondary(struct vcpu *current,
				const struct ffa_value *args);

/* HF_INTERRUPT_* (api_irq.c). */
struct ffa_value api_interrupt_enable(struct vcpu *current,
				      const struct ffa_value *args);
struct ffa_value api_interrupt_get(struct vcpu *current,
				   const struct ffa_value *args);
struct ffa_value api_interrupt_deactivate(struct vcpu *current,
					  const struct ffa_value *args);
struct vcpu *api_interrupt_inject(struct vcpu *current,
				  const struct ffa_value *args);

/* HF_DMA_FAULT_GET (api_dma.c); primary only. */
struct ffa_value api_dma_fault_get(struct vcpu *current,
				   const struct ffa_value *args);
