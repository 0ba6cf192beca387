/* SPDX-License-Identifier: BSD-3-Clause */
/* The host build's lock checks: every lock taken has a higher rank than
 * every lock the thread already holds (hf/spinlock.h). */
#include <stdio.h>
#include <stdlib.h>

#include "hf/spinlock.h"

#include "fake.h"

#define HELD_MAX 16

static uint32_t held[HELD_MAX];
static size_t held_count;

static void lock_violation(const char *what, uint32_t rank)
{
	fprintf(stderr, "fake spinlock: %s (rank 0x%x)\n", what, rank);
	abort();
}

void fake_sl_lock(struct spinlock *l)
{
	size_t i;

	if (l->v != 0) {
		lock_violation("taken while held: a deadlock on hardware",
			       l->rank);
	}
	for (i = 0; i < held_count; i++) {
		if (held[i] >= l->rank) {
			lock_violation("taken out of rank order", l->rank);
		}
	}
	if (held_count == HELD_MAX) {
		lock_violation("too many locks held", l->rank);
	}
	held[held_count++] = l->rank;
	l->v = 1;
}

void fake_sl_unlock(struct spinlock *l)
{
	size_t i;

	if (l->v != 1) {
		lock_violation("released while not held", l->rank);
	}
	for (i = 0; i < held_count && held[i] != l->rank; i++) {
	}
	if (i == held_count) {
		lock_violation("released by a thread that does not hold it",
			       l->rank);
	}
	held[i] = held[--held_count];
	l->v = 0;
}

size_t fake_locks_held(void)
{
	return held_count;
}
