/* SPDX-License-Identifier: BSD-3-Clause */
/* A VM's RX/TX buffer pair (FFA_RXTX_MAP). This is the only code that turns
 * the buffers' physical addresses into pointers, and only for a holder of
 * the VM's lock: an address is used only while the lock that keeps it
 * valid is held, and an unmapped mailbox has no address at all (never a
 * stale or zero one). */
#pragma once

#include "hf/vm.h"

/* send and recv are the VM's own RAM, checked under the same lock. False
 * when a pair is mapped already. */
bool mailbox_map(struct vm_locked vm, paddr_t send, paddr_t recv);
/* False when nothing is mapped; *waiters: the senders told BUSY, who must
 * now learn that the buffer is gone. */
bool mailbox_unmap(struct vm_locked vm, struct vm_id_set *waiters);
bool mailbox_is_mapped(struct vm_locked vm);
/* Whether RX or TX lies in [begin, begin + size). */
bool mailbox_in_range(struct vm_locked vm, uint64_t begin, uint64_t size);
/* TX, to copy from; NULL when unmapped. */
const uint8_t *mailbox_tx(struct vm_locked vm);
/* RX, for the hypervisor to fill; NULL when unmapped or full. */
uint8_t *mailbox_rx(struct vm_locked vm);

/* RX now holds what `sender` (0: the hypervisor) wrote; the VM owns it
 * until it releases it. */
void mailbox_filled(struct vm_locked vm, uint16_t sender);
/* Whether RX holds something for the VM, and from whom. */
bool mailbox_has_message(struct vm_locked vm, uint16_t *sender);
/* The VM with that id found RX full: it is told when RX is released. */
void mailbox_add_writable_waiter(struct vm_locked vm, uint16_t id);
/* FFA_RX_RELEASE: false when nothing is there to release; *waiters: the
 * senders to tell that RX is free. */
bool mailbox_release(struct vm_locked vm, struct vm_id_set *waiters);

/* Raises HF_MAILBOX_WRITABLE_INTID on vCPU 0 of each secondary in waiters:
 * a buffer they found full was released or is gone. No VM lock may be
 * held. */
void mailbox_notify_writable(const struct vm_id_set *waiters);
