/* SPDX-License-Identifier: BSD-3-Clause */
/* The ID registers as a secondary VM reads them. HCR_EL2.TID3 traps its
 * reads of op0=3, op1=0, CRn=0, CRm=1..7 to EL2, which answers with the
 * host CPU's value filtered field by field (el2/src/id_regs.c; the policy
 * is tabled in docs/architecture.md, "The secondary's CPU"). */
#pragma once

#include <stdint.h>

/* The value a secondary VM reads from the ID register at op0=3, op1=0,
 * CRn=0, CRm=crm, op2=op2, given this CPU's value `host` of that register
 * and this CPU's ID_AA64PFR0_EL1 `host_aa64pfr0` (the AArch32 registers are
 * shown only if the host's EL0 can run AArch32: they are UNKNOWN on a CPU
 * without AArch32). */
uint64_t id_reg_secondary_view(unsigned int crm, unsigned int op2,
			       uint64_t host, uint64_t host_aa64pfr0);
