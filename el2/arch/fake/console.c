/* SPDX-License-Identifier: BSD-3-Clause */
/* Host console: collects what dlog prints so tests can check it. */
#include "hf/plat/console.h"

#include "fake.h"

static char output[65536];
static size_t length;

void plat_console_putchar(char c)
{
	if (length + 1 < sizeof(output)) {
		output[length++] = c;
		output[length] = '\0';
	}
}

paddr_t plat_console_base(void)
{
	return pa_init(0);
}

const char *fake_console_output(void)
{
	return output;
}

void fake_console_clear(void)
{
	length = 0;
	output[0] = '\0';
}
