/* SPDX-License-Identifier: BSD-3-Clause */
/* Stack protector support for libfdt, which Debian builds with
 * -fstack-protector-strong. libfdt only runs at boot, on trusted input
 * checked first, so a fixed guard is enough to catch overruns. */
#include "hf/panic.h"

#include <stdint.h>

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull;

void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	panic("stack corruption detected");
}
