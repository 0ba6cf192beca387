/* SPDX-License-Identifier: BSD-3-Clause */
/* PL011 UART, polled. QEMU's is usable out of reset (no baud set-up). The
 * primary VM's own driver uses the same UART: lines may interleave, and
 * the primary may disable or reprogram it. A full TX FIFO is therefore
 * waited for at most TX_WAIT_US, with the console lock held by the caller;
 * after one such timeout characters are dropped at once while the FIFO
 * stays full, so a UART that never drains costs each later report a few
 * register reads, not a CPU stuck in EL2. */
#include "hf/plat/console.h"

#include "layout.h"
#include "sysregs.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_TXFF (1u << 5)
/* Far more than one character takes at 9600 baud (1 ms). */
#define TX_WAIT_US 10000

/* Under the console lock, like every call here. */
static bool stalled;

static volatile uint32_t *reg(uintptr_t offset)
{
	return (volatile uint32_t *)(PL011_BASE + offset);
}

static bool tx_full(void)
{
	return *reg(UARTFR) & UARTFR_TXFF;
}

/* Waits until the TX FIFO has room, for at most TX_WAIT_US. */
static bool tx_ready(void)
{
	uint64_t start, ticks;

	if (!tx_full()) {
		return true;
	}
	if (stalled) {
		return false;
	}
	start = read_sysreg(cntpct_el0);
	ticks = read_sysreg(cntfrq_el0) / 1000000 * TX_WAIT_US;
	while (tx_full()) {
		if (read_sysreg(cntpct_el0) - start > ticks) {
			return false;
		}
	}
	return true;
}

void plat_console_putchar(char c)
{
	stalled = !tx_ready();
	if (!stalled) {
		*reg(UARTDR) = (uint8_t)c;
	}
}

paddr_t plat_console_base(void)
{
	return pa_init(PL011_BASE);
}
