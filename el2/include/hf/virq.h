/* SPDX-License-Identifier: BSD-3-Clause */
/* A vCPU's virtual interrupts (uapi/hf/abi.h, HF_INTERRUPT_*): which ids
 * are enabled, pending and active, as bitmaps of HF_NUM_INTIDS bits.
 *
 * Locking: the owning vcpu::lock is held to change any of them. Only the
 * vCPU itself (or its reset, while it is off) changes `enabled` and
 * `active`; other CPUs only make ids pending (atomically). The state is
 * read without the lock when the vCPU is entered (virq_deliverable):
 * whoever makes an id pending on a vCPU that runs on another CPU then
 * has that CPU kicked, so a stale read is corrected at the next entry. */
#pragma once

#include "hf/abi.h"
#include "hf/std.h"

struct virq {
	uint64_t enabled;
	uint64_t pending;
	uint64_t active;
};

/* An id a VM may enable: hafnium's own (mailbox, timer) or software. */
bool virq_id_valid(uint64_t intid);
/* An id the primary or a VM may inject. */
bool virq_id_injectable(uint64_t intid);

void virq_enable(struct virq *q, uint32_t intid, bool enable);
/* Makes intid pending; false if it was pending already (merged). */
bool virq_raise(struct virq *q, uint32_t intid);
/* Some id is enabled, pending and not active: the vCPU's virtual IRQ. */
bool virq_deliverable(const struct virq *q);
/* The lowest deliverable id, now active and no longer pending; or
 * HF_INVALID_INTID. */
uint32_t virq_acknowledge(struct virq *q);
/* Ends an active id; false if it was not active. */
bool virq_deactivate(struct virq *q, uint32_t intid);
