/* HF_DMA_FAULT_GET (uapi/hf/abi.h): the primary's driver drains the DMA
 * faults the SMMU recorded, one per call; each is also printed on
 * hafnium's console. */
#include "hf/dlog.h"
#include "hf/dma.h"

#include "api_internal.h"

struct ffa_value api_dma_fault_get(struct vcpu *current,
				   const struct ffa_value *args)
{
	struct dma_fault f;
	char line[96];

	(void)current;
	(void)args;
	if (!dma_next_fault(&f)) {
		return ffa_error(FFA_NO_DATA);
	}
	dma_fault_format(line, sizeof(line), &f);
	dlog("hafnium: DMA fault: %s\n", line);
	if (f.lost != 0) {
		dlog("hafnium: DMA faults lost before it: the event queue was "
		     "full %u times\n", f.lost);
	}
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
