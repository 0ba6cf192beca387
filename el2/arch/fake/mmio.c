/* SPDX-License-Identifier: BSD-3-Clause */
/* Host stand-in for device registers: every access is logged for the
 * tests to check, and reads are answered by the test's reader. */
#include "hf/arch/mmio.h"

#include "fake.h"

struct fake_mmio fake_mmio_log[FAKE_MMIO_MAX];
size_t fake_mmio_count;
uint64_t (*fake_mmio_reader)(uintptr_t pa, uint8_t size);

static void record(uintptr_t pa, uint8_t size, bool write, uint64_t value)
{
	if (fake_mmio_count < FAKE_MMIO_MAX) {
		fake_mmio_log[fake_mmio_count] =
			(struct fake_mmio){ pa, size, write, value };
	}
	fake_mmio_count++;
}

uint64_t arch_mmio_read(paddr_t pa, uint8_t size)
{
	uint64_t value = fake_mmio_reader == NULL ?
				 0 :
				 fake_mmio_reader(pa_addr(pa), size);

	record(pa_addr(pa), size, false, value);
	return value;
}

void arch_mmio_write(paddr_t pa, uint8_t size, uint64_t value)
{
	record(pa_addr(pa), size, true, value);
}
