/* SPDX-License-Identifier: BSD-3-Clause */
/* HF_DMA_FAULT_GET (uapi/hf/abi.h): the primary's driver drains the DMA
 * faults the SMMU recorded, one per call; they are also printed on
 * hafnium's console, a burst on one page as one line: a device's transfer
 * into a page it may not reach faults at every access (QEMU records one
 * per 4 bytes), and 1024 console lines would say nothing more. */
#include "hf/dlog.h"
#include "hf/dma.h"
#include "hf/spinlock.h"

#include "api_internal.h"

static struct spinlock dma_log_lock = SPINLOCK_INIT(LOCK_RANK_DMA_LOG);
static struct dma_fault last_printed;
static bool printed_any;
static uint32_t repeats; /* faults like last_printed since it */

static bool same_burst(const struct dma_fault *a, const struct dma_fault *b)
{
	return a->stream == b->stream && a->type == b->type &&
	       a->write == b->write && a->has_address == b->has_address &&
	       a->address >> PAGE_BITS == b->address >> PAGE_BITS;
}

static void print_fault(const struct dma_fault *f)
{
	char line[96];

	sl_lock(&dma_log_lock);
	if (printed_any && f->lost == 0 && same_burst(&last_printed, f)) {
		repeats++;
		sl_unlock(&dma_log_lock);
		return;
	}
	if (repeats != 0) {
		dlog("hafnium: DMA fault: %u more on the same page\n", repeats);
	}
	dma_fault_format(line, sizeof(line), f);
	dlog("hafnium: DMA fault: %s\n", line);
	if (f->lost != 0) {
		dlog("hafnium: DMA faults lost before it: the event queue was "
		     "full %u times\n", f->lost);
	}
	last_printed = *f;
	printed_any = true;
	repeats = 0;
	sl_unlock(&dma_log_lock);
}

struct ffa_value api_dma_fault_get(struct vcpu *current,
				   const struct ffa_value *args)
{
	struct dma_fault f;

	(void)current;
	(void)args;
	if (!dma_next_fault(&f)) {
		return ffa_error(FFA_NO_DATA);
	}
	print_fault(&f);
	return (struct ffa_value){
		.func = FFA_SUCCESS_64,
		.arg2 = f.stream,
		.arg3 = f.address,
		.arg4 = f.type,
		.arg5 = f.event_id,
		.arg6 = (f.write ? HF_DMA_FAULT_WRITE : 0) |
			(f.has_address ? HF_DMA_FAULT_ADDRESS : 0),
		.arg7 = f.lost,
	};
}
