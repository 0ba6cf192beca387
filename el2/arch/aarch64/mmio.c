/* SPDX-License-Identifier: BSD-3-Clause */
/* Device register accesses through EL2's identity stage-1: one volatile
 * load or store of the access's own width, as the GIC (and any device)
 * requires of its registers. */
#include "hf/arch/mmio.h"

uint64_t arch_mmio_read(paddr_t pa, uint8_t size)
{
	void *p = ptr_from_pa(pa);

	switch (size) {
	case 1:
		return *(volatile uint8_t *)p;
	case 2:
		return *(volatile uint16_t *)p;
	case 4:
		return *(volatile uint32_t *)p;
	default:
		return *(volatile uint64_t *)p;
	}
}

void arch_mmio_write(paddr_t pa, uint8_t size, uint64_t value)
{
	void *p = ptr_from_pa(pa);

	switch (size) {
	case 1:
		*(volatile uint8_t *)p = (uint8_t)value;
		break;
	case 2:
		*(volatile uint16_t *)p = (uint16_t)value;
		break;
	case 4:
		*(volatile uint32_t *)p = (uint32_t)value;
		break;
	default:
		*(volatile uint64_t *)p = value;
		break;
	}
}
