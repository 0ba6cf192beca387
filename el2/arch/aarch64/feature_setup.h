/* SPDX-License-Identifier: BSD-3-Clause */
/* The CPU's features as hafnium uses them (feature_setup.c). */
#pragma once

#include "hf/cpu_features.h"

/* Read on the boot CPU before any vCPU exists; read-only afterwards. */
extern struct cpu_features arch_features;

/* Reads the ID registers into arch_features; the boot CPU, once. */
void arch_features_init(void);
/* Sets this CPU's EL2 registers that follow from the features. */
void arch_features_cpu_setup(void);
/* The primary's CPTR_EL2, which is also what EL2 needs to reach every
 * vector register and vector length control: SVE and SME untrapped where
 * they exist. */
uint64_t arch_primary_cptr(void);
/* The ID register at op0=3, op1=0, CRn=0, CRm=crm, op2=op2 (crm 1-7). */
uint64_t arch_read_id_reg(unsigned int crm, unsigned int op2);
