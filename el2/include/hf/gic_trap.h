/* SPDX-License-Identifier: BSD-3-Clause */
/* The primary's view of the GICv3: it maps each redistributor's SGI_base
 * frame directly, while its accesses to the distributor and to every
 * RD_base frame trap to EL2 and are performed on the real GIC here,
 * filtered so that LPIs (and so the ITS) do not exist for it. LPI tables
 * (GICR_PROPBASER/PENDBASER, GICv4's VPROPBASER/VPENDBASER) are memory the
 * GIC reads and writes at addresses its programmer chooses: DMA that
 * stage-2 cannot stop. Set up once at boot, read-only afterwards: any CPU
 * may call gic_trap_access() at any time without a lock. */
#pragma once

#include "hf/addr.h"
#include "hf/error.h"
#include "hf/mm.h"
#include "hf/mpool.h"

#define GIC_FRAME_SIZE 0x10000u

/* One trapped load or store: its size in bytes (1, 2, 4 or 8) and the
 * value stored, or the value loaded once it is performed. */
struct mmio_access {
	bool write;
	uint8_t size;
	uint64_t value;
};

/* Which frame of the GIC an address falls in. Frames past the last
 * redistributor and past the distributor's 64 KiB are GIC_FRAME_NONE. */
enum gic_frame {
	GIC_FRAME_NONE,
	GIC_FRAME_DIST,
	GIC_FRAME_RD,   /* redistributor frame 0, RD_base */
	GIC_FRAME_SGI,  /* frame 1, SGI_base (mapped in the primary) */
	GIC_FRAME_VLPI, /* frames 2 and 3 of a GICv4 redistributor */
};

/* The layout that gic_trap_init learned from the GIC. */
struct gic_layout {
	struct pa_range dist;
	struct pa_range redist;
	size_t redist_count;
	size_t frames_per_redist; /* 2 (GICv3), or 4 with GICR_TYPER.VLPIS */
};

enum gic_trap_action {
	GIC_TRAP_NOT_GIC, /* outside dist and redist: not handled here */
	GIC_TRAP_FORWARD, /* performed on the real GIC with the masks below */
	GIC_TRAP_IGNORE,  /* not performed: a read is zero, a write dropped */
};

struct gic_trap_decision {
	enum gic_trap_action action;
	enum gic_frame frame;
	uint64_t read_clear;  /* a read's: bits cleared from the value */
	uint64_t write_clear; /* a write's: bits cleared from the value */
};

/* Why gic_trap_init refused (hf_error.code). */
enum gic_trap_error {
	GIC_TRAP_BAD_REGION = 1, /* not 64 KiB frames, or frames missing */
	GIC_TRAP_NO_LAST,        /* no GICR_TYPER.Last within the region */
	GIC_TRAP_MAP_FAILED,     /* out of page-table memory */
};

/* Called once at boot, after EL2's stage-1 maps dist and redist as device
 * memory: reads each redistributor's GICR_TYPER to count them (until
 * Last) and learn the frames per redistributor, and maps each SGI_base
 * frame into the primary's stage-2 (device, read-write). False, with one
 * line in err, for a malformed GIC or a failed mapping. */
bool gic_trap_init(struct pa_range dist, struct pa_range redist,
		   struct mm_ptable *primary, struct mpool *pool,
		   struct hf_error *err);

/* A primary's data abort at physical address pa: if pa is the GIC's,
 * performs the access as filtered (a->value filled for a read) and
 * returns true; false if it is not (the caller injects the abort). */
bool gic_trap_access(uint64_t pa, struct mmio_access *a);

/* The pure decision behind gic_trap_access, for layout l: which frame pa
 * is in and what to do with access a there. A misaligned access or one of
 * an unsupported size is ignored. */
struct gic_trap_decision gic_trap_decide(const struct gic_layout *l,
					 uint64_t pa,
					 const struct mmio_access *a);

/* Bytes from one redistributor to the next (GIC_FRAME_SIZE times the
 * frames per redistributor). The primary reads GICR_TYPER with VLPIS
 * clear, so a Linux that steps by VLPIS would take a GICv4's 4 frames
 * for 2: its device tree needs "redistributor-stride" set to this when it
 * is not 2 frames. */
size_t gic_trap_redist_stride(void);
