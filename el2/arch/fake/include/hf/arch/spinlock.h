/* Host build: the unit tests are single-threaded, so a lock only checks
 * that it is used in pairs. */
#pragma once

#include <assert.h>
#include <stdint.h>

struct spinlock {
	volatile uint32_t v;
};

#define SPINLOCK_INIT { .v = 0 }

static inline void sl_lock(struct spinlock *l)
{
	assert(l->v == 0);
	l->v = 1;
}

static inline void sl_unlock(struct spinlock *l)
{
	assert(l->v == 1);
	l->v = 0;
}
