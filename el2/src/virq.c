/* SPDX-License-Identifier: BSD-3-Clause */
/* Virtual interrupt state of one vCPU (see hf/virq.h). */
#include "hf/virq.h"

static uint64_t bit(uint32_t intid)
{
	return 1ull << intid;
}

bool virq_id_valid(uint64_t intid)
{
	return intid == HF_MAILBOX_READABLE_INTID ||
	       intid == HF_MAILBOX_WRITABLE_INTID ||
	       intid == HF_VIRTUAL_TIMER_INTID || virq_id_injectable(intid);
}

bool virq_id_injectable(uint64_t intid)
{
	return intid >= HF_SOFTWARE_INTID_FIRST &&
	       intid <= HF_SOFTWARE_INTID_LAST;
}

void virq_enable(struct virq *q, uint32_t intid, bool enable)
{
	if (enable) {
		q->enabled |= bit(intid);
	} else {
		q->enabled &= ~bit(intid);
	}
}

bool virq_raise(struct virq *q, uint32_t intid)
{
	uint64_t before = __atomic_fetch_or(&q->pending, bit(intid),
					    __ATOMIC_RELAXED);

	return !(before & bit(intid));
}

static uint64_t deliverable(const struct virq *q)
{
	return q->enabled & __atomic_load_n(&q->pending, __ATOMIC_RELAXED) &
	       ~q->active;
}

bool virq_deliverable(const struct virq *q)
{
	return deliverable(q) != 0;
}

uint32_t virq_acknowledge(struct virq *q)
{
	uint64_t ready = deliverable(q);
	uint32_t intid;

	if (ready == 0) {
		return HF_INVALID_INTID;
	}
	intid = (uint32_t)__builtin_ctzll(ready);
	__atomic_fetch_and(&q->pending, ~bit(intid), __ATOMIC_RELAXED);
	q->active |= bit(intid);
	return intid;
}

bool virq_deactivate(struct virq *q, uint32_t intid)
{
	if (!(q->active & bit(intid))) {
		return false;
	}
	q->active &= ~bit(intid);
	return true;
}
