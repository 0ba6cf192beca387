/* SPDX-License-Identifier: BSD-3-Clause */
/* Host build: the unit tests run the el2 code on one thread, so a lock
 * checks what can be checked there: that it is taken and released in pairs
 * and that every lock is taken in the rank order of hf/spinlock.h. */
#pragma once

#include <stdint.h>

struct spinlock {
	volatile uint32_t v;
	uint32_t rank;
};

#define SPINLOCK_INIT(r) { .v = 0, .rank = (r) }

static inline void sl_init(struct spinlock *l, uint32_t rank)
{
	l->v = 0;
	l->rank = rank;
}

/* In el2/arch/fake/spinlock.c: abort with a message on an order violation
 * or an unpaired lock. */
void fake_sl_lock(struct spinlock *l);
void fake_sl_unlock(struct spinlock *l);

static inline void sl_lock(struct spinlock *l)
{
	fake_sl_lock(l);
}

static inline void sl_unlock(struct spinlock *l)
{
	fake_sl_unlock(l);
}
