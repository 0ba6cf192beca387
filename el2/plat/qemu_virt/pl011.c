/* PL011 UART, polled. QEMU's is usable out of reset (no baud set-up). The
 * primary VM's own driver uses the same UART: lines may interleave. */
#include "hf/plat/console.h"

#include "layout.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_TXFF (1u << 5)

static volatile uint32_t *reg(uintptr_t offset)
{
	return (volatile uint32_t *)(PL011_BASE + offset);
}

void plat_console_putchar(char c)
{
	while (*reg(UARTFR) & UARTFR_TXFF) {
	}
	*reg(UARTDR) = (uint8_t)c;
}

paddr_t plat_console_base(void)
{
	return pa_init(PL011_BASE);
}
