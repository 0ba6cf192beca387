/* SPDX-License-Identifier: BSD-3-Clause */
/* The CPU features hafnium sets up or switches, read from the ID
 * registers once at boot. Nothing is assumed: a feature is used only if
 * its ID field says it is there. The boot CPU's registers stand for every
 * CPU. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The ID registers the features come from, as this CPU reads them at
 * EL2. */
struct cpu_id_regs {
	uint64_t pfr0, pfr1, isar1, isar2, mmfr0, mmfr1, dfr0, smfr0;
};

struct cpu_features {
	bool sve;
	bool sme;
	bool sme_fa64;      /* the full A64 instruction set in streaming mode */
	bool pauth;         /* address authentication, any algorithm */
	bool pauth_generic; /* PACGA */
	bool mte;           /* MTE2: allocation tags in memory */
	bool scxtnum;       /* SCXTNUM_ELx (FEAT_CSV2_2 or CSV2_1p2) */
	bool fgt;           /* fine-grained trap registers */
	bool hcx;           /* HCRX_EL2 */
	bool lor;           /* LORegions */
	bool ras;
	bool amu;
	bool spe;           /* statistical profiling */
	bool trbe;          /* trace buffer */
};

/* The 4-bit field at `shift` of an ID register. */
static inline unsigned int id_field(uint64_t reg, unsigned int shift)
{
	return (reg >> shift) & 0xf;
}

struct cpu_features cpu_features_parse(const struct cpu_id_regs *id);
