/* What the host (fake) architecture exposes to the unit tests. */
#pragma once

#include <stddef.h>

extern size_t fake_tlb_invalidations;

/* Console output of dlog, collected for assertions. */
const char *fake_console_output(void);
void fake_console_clear(void);
