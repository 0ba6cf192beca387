/* SPDX-License-Identifier: BSD-3-Clause */
/* aarch64 spinlock: ticket-free test-and-set with exclusive loads. A waiter
 * sleeps in wfe; the exclusive monitor being cleared by the unlocking store
 * (and the explicit sev) wakes it. Ranks (hf/spinlock.h) are checked only by
 * the host build. */
#pragma once

#include <stdint.h>

struct spinlock {
	volatile uint32_t v;
};

#define SPINLOCK_INIT(rank) { .v = 0 }

static inline void sl_init(struct spinlock *l, uint32_t rank)
{
	(void)rank;
	l->v = 0;
}

static inline void sl_lock(struct spinlock *l)
{
	uint32_t tmp;
	uint32_t one = 1;

	__asm__ volatile("	sevl\n"
			 "1:	wfe\n"
			 "2:	ldaxr %w0, [%1]\n"
			 "	cbnz %w0, 1b\n"
			 "	stxr %w0, %w2, [%1]\n"
			 "	cbnz %w0, 2b\n"
			 : "=&r"(tmp)
			 : "r"(&l->v), "r"(one)
			 : "memory");
}

static inline void sl_unlock(struct spinlock *l)
{
	__asm__ volatile("stlr wzr, [%0]\n"
			 "sev\n"
			 :
			 : "r"(&l->v)
			 : "memory");
}
