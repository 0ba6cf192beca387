/* SPDX-License-Identifier: BSD-3-Clause */
/* The only code that changes which RAM the primary VM owns. Its CPU's
 * view (its stage-2) and its devices' view (the SMMU's map, hf/dma.h)
 * change together here, so that no path can hand memory to a VM while a
 * device of the primary can still write it: memory leaves both views
 * before anyone else gets it, and comes back to both only once its new
 * owner is done with it (the caller scrubs it first).
 *
 * Called with the primary locked; the SMMU's lock, taken inside, comes
 * after every VM lock (hf/vm.h gives the order). */
#pragma once

#include "hf/addr.h"
#include "hf/mpool.h"
#include "hf/vm.h"

/* Takes the page-aligned range r from the primary. On failure (no page
 * for a split table) the primary keeps r, as it was. */
bool primary_memory_take(struct vm_locked primary, struct pa_range r,
			 struct mpool *pool);

/* Gives r to the primary. False if its stage-2 cannot map r: it then
 * stays out of both views (lost to the primary, never exposed). */
bool primary_memory_give(struct vm_locked primary, struct pa_range r,
			 struct mpool *pool);
