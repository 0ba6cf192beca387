/* Spinlocks; the waiting side sleeps in wfe (see arch implementation) because
 * under TCG a pure spin starves the CPU that holds the lock. */
#pragma once

#include "hf/arch/spinlock.h"

static inline void sl_init(struct spinlock *l) { l->v = 0; }
