/* SPDX-License-Identifier: BSD-3-Clause */
/* A hypervisor that cannot go on says why and powers off, never hangs. */
#include "hf/panic.h"

#include "hf/arch/cpu.h"
#include "hf/dlog.h"

void panic(const char *fmt, ...)
{
	va_list args;

	dlog("hafnium: PANIC: ");
	va_start(args, fmt);
	vdlog(fmt, args);
	va_end(args);
	dlog("\n");
	arch_power_off();
}
