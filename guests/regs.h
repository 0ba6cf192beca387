/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The regs guest's frame, shared by regs.c and regs.S (plain numbers only):
 * regs_run() copies the inputs (RF_BASE up) onto its stack, where sp then
 * points, so that every check reaches them with one scratch register; on
 * a mismatch it saves x0-x30 and v0-v31 below them and hands the frame to
 * regs_mismatch().
 */
#ifndef GUEST_REGS_H
#define GUEST_REGS_H

/* Saved at a mismatch: x0-x30 (and a pad), v0-v31 (low, high half). */
#define RF_X 0
#define RF_V 256
/* Inputs. */
#define RF_BASE 768	/* B: every expected value derives from it */
#define RF_PASSES 776	/* checks of everything before the call */
#define RF_FUNC 784	/* the call: x0, x1, x2 */
#define RF_ARG1 792
#define RF_ARG2 800
#define RF_FEATURES 808 /* RF_PAUTH_* */
/* Set by regs_run at a mismatch. */
#define RF_DIFF 816	/* got ^ expected */
#define RF_CHECK 824	/* which check: CHECK_* */
#define RF_PHASE 832	/* PHASE_*: where */
#define RF_ROUND 840	/* an input, for the report */
#define RF_SYS 848	/* the system registers' values, SYS_* order */
#define RF_SIZE 1056

#define RF_PAUTH_ADDRESS 1 /* APIA, APIB, APDA, APDB keys */
#define RF_PAUTH_GENERIC 2 /* APGA key */

#define PHASE_SPIN 0	/* in the loop, IRQs unmasked */
#define PHASE_CALL 1	/* right after the hvc */

/* The system registers, in RF_SYS order. */
#define SYS_TPIDR_EL0 0
#define SYS_TPIDRRO_EL0 1
#define SYS_TPIDR_EL1 2
#define SYS_CONTEXTIDR_EL1 3
#define SYS_SP_EL0 4
#define SYS_PAR_EL1 5
#define SYS_AFSR0_EL1 6
#define SYS_AFSR1_EL1 7
#define SYS_AMAIR_EL1 8
#define SYS_CNTKCTL_EL1 9
#define SYS_CSSELR_EL1 10
#define SYS_CNTV_CVAL_EL0 11
#define SYS_FPCR 12
#define SYS_FPSR 13
#define SYS_NZCV 14
#define SYS_APIAKEYLO 15 /* then APIAKeyHi, APIB, APDA, APDB, APGA */
#define SYS_APGAKEYLO 23
#define SYS_COUNT 25

/* What regs_run checks; x<n>: n, the base register (x18) against its
 * copy in the frame, v<n> low and high halves, then the system registers.
 * x16 is the scratch register: its value is checked by every check that
 * uses it (a change between its write and its read fails that check). */
#define CHECK_BASE 31
#define CHECK_VLO 32
#define CHECK_VHI 64
#define CHECK_SYS 96
#define CHECK_COUNT (CHECK_SYS + SYS_COUNT)

#endif /* GUEST_REGS_H */
