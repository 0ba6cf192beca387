/* SPDX-License-Identifier: BSD-3-Clause */
/* The SMMUv3 driver (hf/smmuv3.h): takes the SMMU at boot, then issues
 * TLB invalidations and reads the event queue. Registers are reached
 * through volatile pointers at their physical address (EL2's stage-1 is
 * the identity); the structures the SMMU reads are encoded by
 * smmuv3_format.c. */
#include "hf/smmuv3.h"

#include "hf/arch/mm.h"
#include "hf/panic.h"
#include "hf/smmuv3_format.h"
#include "hf/spinlock.h"
#include "hf/std.h"

/* Registers, page 0 unless said otherwise. */
#define IDR0 0x00
#define IDR0_S1P (1u << 1)
#define IDR0_TTF_AARCH64 (1u << 3) /* TTF = 0b10 or 0b11 */
#define IDR0_TTENDIAN_SHIFT 21
#define IDR0_TTENDIAN_BE 3
#define IDR0_STALL_MODEL_SHIFT 24
#define IDR0_STALL_FORCED 2
#define IDR1 0x04
#define IDR1_SIDSIZE_MASK 0x3fu
#define IDR1_EVTQS_SHIFT 16
#define IDR1_CMDQS_SHIFT 21
#define IDR1_QS_MASK 0x1fu
#define IDR1_QUEUES_PRESET (1u << 29)
#define IDR1_TABLES_PRESET (1u << 30)
#define IDR5 0x14
#define IDR5_OAS_MASK 0x7u
#define IDR5_GRAN4K (1u << 4)
#define CR0 0x20
#define CR0_SMMUEN (1u << 0)
#define CR0_EVTQEN (1u << 2)
#define CR0_CMDQEN (1u << 3)
#define CR0ACK 0x24
#define CR1 0x28
/* Tables and queues: inner and outer write-back, inner shareable. */
#define CR1_CACHEABLE_ISH                                                 \
	(3u << 10 | 1u << 8 | 1u << 6 | 3u << 4 | 1u << 2 | 1u << 0)
#define CR2 0x2c
#define CR2_RECINVSID (1u << 1) /* record bad stream ids */
#define CR2_PTM (1u << 2)       /* the CPUs' broadcast TLBIs are not ours */
#define GBPA 0x44
#define GBPA_ABORT (1u << 20)
#define GBPA_UPDATE (1u << 31)
#define IRQ_CTRL 0x50
#define IRQ_CTRL_GERROR_IRQEN (1u << 0)
#define IRQ_CTRL_EVTQ_IRQEN (1u << 2)
#define IRQ_CTRLACK 0x54
#define GERROR 0x60
#define GERROR_CMDQ_ERR (1u << 0)
#define GERROR_EVTQ_ABT_ERR (1u << 2)
#define GERRORN 0x64
#define GERROR_IRQ_CFG0 0x68
#define STRTAB_BASE 0x80
#define STRTAB_BASE_CFG 0x88
#define CMDQ_BASE 0x90
#define CMDQ_PROD 0x98
#define CMDQ_CONS 0x9c
#define CMDQ_CONS_ERR(cons) (((cons) >> 24) & 0x7f)
#define EVENTQ_BASE 0xa0
#define EVENTQ_IRQ_CFG0 0xb0
#define EVENTQ_PROD 0x100a8 /* page 1 */
#define EVENTQ_CONS 0x100ac
#define Q_BASE_ALLOCATE (1ull << 62) /* RA for the table, WA/RA queues */
#define Q_OVERFLOW (1u << 31)        /* EVENTQ_PROD.OVFLG, CONS.OVACKFLG */

/* Every stream id of PCI bus 0: a linear stream table of 2^8 STEs. */
#define STE_LOG2 8
#define STE_COUNT (1u << STE_LOG2)
#define CMDQ_LOG2 8
#define CMDQ_ENTRIES (1u << CMDQ_LOG2)
#define EVTQ_LOG2 7
#define EVTQ_ENTRIES (1u << EVTQ_LOG2)

/* Larger invalidations take the whole ASID in one command: a donation
 * revokes each of its chunks, and one command per page of each made a
 * 1 MiB VM's create cost 10 % more or less with how fragmented the
 * primary's pages were. The ASID holds only the primary's DMA map, which
 * devices walk again after it. */
#define INVALIDATE_PAGES_MAX 4
/* Register polls give up after this many reads (far more than any SMMU
 * needs: QEMU's answers at once, hardware in microseconds). */
#define POLL_MAX 10000000u

/* What the SMMU reads and writes, in hafnium's image: the primary and
 * its devices cannot reach it. Each aligned to its size, as required. */
static uint64_t strtab[STE_COUNT * SMMUV3_STE_DWORDS]
	__attribute__((aligned(STE_COUNT * SMMUV3_STE_DWORDS * 8)));
static uint64_t context[SMMUV3_CD_DWORDS] __attribute__((aligned(64)));
static uint64_t cmdq[CMDQ_ENTRIES * SMMUV3_CMD_DWORDS]
	__attribute__((aligned(CMDQ_ENTRIES * SMMUV3_CMD_DWORDS * 8)));
static uint64_t evtq[EVTQ_ENTRIES * SMMUV3_EVT_DWORDS]
	__attribute__((aligned(EVTQ_ENTRIES * SMMUV3_EVT_DWORDS * 8)));

/* Serialises both queues and the fields below it (hf/spinlock.h). */
static struct spinlock smmu_lock = SPINLOCK_INIT(LOCK_RANK_SMMU);
static uintptr_t regs;     /* 0 until smmuv3_init succeeds */
static uint32_t cmdq_prod; /* index and wrap bit, as in CMDQ_PROD */
static uint32_t evtq_cons; /* index, wrap and OVACKFLG, as in CONS */
static uint32_t events_lost;

static uint32_t read32(uintptr_t base, uint32_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static void write32(uintptr_t base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static void write64(uintptr_t base, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(base + off) = v;
}

/* Polls until (reg & mask) == want; false on timeout. */
static bool poll32(uintptr_t base, uint32_t off, uint32_t mask, uint32_t want)
{
	uint32_t i;

	for (i = 0; i < POLL_MAX; i++) {
		if ((read32(base, off) & mask) == want) {
			return true;
		}
	}
	return false;
}

static uint32_t gerror_pending(uintptr_t base)
{
	return read32(base, GERROR) ^ read32(base, GERRORN);
}

/* Why a command batch did not complete, or NULL. */
static const char *cmdq_wait(uintptr_t base)
{
	const uint32_t mask = (CMDQ_ENTRIES << 1) - 1; /* index and wrap */
	uint32_t i;

	for (i = 0; i < POLL_MAX; i++) {
		if (gerror_pending(base) & GERROR_CMDQ_ERR) {
			return "command queue error";
		}
		if ((read32(base, CMDQ_CONS) & mask) == cmdq_prod) {
			return NULL;
		}
	}
	return "command queue timeout";
}

/* Issues n commands (fewer than the queue holds) and a CMD_SYNC, and waits
 * until the SMMU has completed them all; the queue is empty before and
 * after. Returns why not, or NULL. smmu_lock held. */
static const char *cmdq_issue(uintptr_t base, uint64_t (*cmds)[2], size_t n)
{
	const uint32_t mask = (CMDQ_ENTRIES << 1) - 1;
	uint64_t sync[SMMUV3_CMD_DWORDS];
	uint64_t *slot;
	size_t i;

	smmuv3_cmd_sync(sync);
	for (i = 0; i <= n; i++) {
		slot = &cmdq[(cmdq_prod % CMDQ_ENTRIES) * SMMUV3_CMD_DWORDS];
		slot[0] = i < n ? cmds[i][0] : sync[0];
		slot[1] = i < n ? cmds[i][1] : sync[1];
		/* For an SMMU that does not snoop; the DSB that ends the
		 * clean also orders the entry before the PROD write. */
		arch_mm_clean_dcache_range(pa_from_ptr(slot),
					   SMMUV3_CMD_DWORDS * 8);
		cmdq_prod = (cmdq_prod + 1) & mask;
	}
	write32(base, CMDQ_PROD, cmdq_prod);
	return cmdq_wait(base);
}

/* Sets CR0 and waits for the SMMU to acknowledge it. */
static bool set_cr0(uintptr_t base, uint32_t v)
{
	write32(base, CR0, v);
	return poll32(base, CR0ACK, ~0u, v);
}

/* The SMMU's features hafnium relies on; false with err set if one is
 * missing. */
static bool check_features(uintptr_t base, struct hf_error *err)
{
	uint32_t idr0 = read32(base, IDR0);
	uint32_t idr1 = read32(base, IDR1);
	uint32_t idr5 = read32(base, IDR5);
	const char *missing = NULL;

	if (!(idr0 & IDR0_S1P)) {
		missing = "stage-1 translation";
	} else if (!(idr0 & IDR0_TTF_AARCH64)) {
		missing = "AArch64 translation tables";
	} else if (((idr0 >> IDR0_TTENDIAN_SHIFT) & 3) == IDR0_TTENDIAN_BE) {
		missing = "little-endian translation tables";
	} else if (((idr0 >> IDR0_STALL_MODEL_SHIFT) & 3) ==
		   IDR0_STALL_FORCED) {
		missing = "terminating faults (it forces stalls)";
	} else if ((idr1 & IDR1_SIDSIZE_MASK) < STE_LOG2) {
		missing = "8-bit stream ids";
	} else if (((idr1 >> IDR1_CMDQS_SHIFT) & IDR1_QS_MASK) < CMDQ_LOG2 ||
		   ((idr1 >> IDR1_EVTQS_SHIFT) & IDR1_QS_MASK) < EVTQ_LOG2) {
		missing = "queues of 256 commands and 128 events";
	} else if (idr1 & (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET)) {
		missing = "programmable table and queue bases";
	} else if (!(idr5 & IDR5_GRAN4K)) {
		missing = "the 4 KiB granule";
	} else if ((idr5 & IDR5_OAS_MASK) < SMMUV3_OAS_40_BITS) {
		missing = "40-bit output addresses";
	}
	if (missing != NULL) {
		hf_error_set(err, DMA_SMMU_UNSUITABLE,
			     "SMMU at 0x%lx: no %s (IDR0 0x%x, IDR1 0x%x, "
			     "IDR5 0x%x)",
			     (unsigned long)base, missing, idr0, idr1, idr5);
		return false;
	}
	return true;
}

/* Quiesces the SMMU: incoming DMA aborts while it is reprogrammed. */
static bool disable(uintptr_t base)
{
	write32(base, GBPA, GBPA_ABORT | GBPA_UPDATE);
	if (!poll32(base, GBPA, GBPA_UPDATE, 0) || !set_cr0(base, 0)) {
		return false;
	}
	write32(base, IRQ_CTRL, 0);
	if (!poll32(base, IRQ_CTRLACK, ~0u, 0)) {
		return false;
	}
	/* Acknowledge whatever an earlier owner left in GERROR. */
	write32(base, GERRORN, read32(base, GERROR));
	return true;
}

/* Every STE translates through the one CD, which walks the DMA table. */
static void write_tables(const struct dma_map *m)
{
	size_t i;

	smmuv3_cd(context, dma_map_root(m), SMMUV3_OAS_40_BITS);
	for (i = 0; i < STE_COUNT; i++) {
		smmuv3_ste(&strtab[i * SMMUV3_STE_DWORDS],
			   pa_from_ptr(context));
	}
	arch_mm_clean_dcache_range(pa_from_ptr(context), sizeof(context));
	arch_mm_clean_dcache_range(pa_from_ptr(strtab), sizeof(strtab));
}

static void program_bases(uintptr_t base)
{
	write32(base, CR1, CR1_CACHEABLE_ISH);
	write32(base, CR2, CR2_RECINVSID | CR2_PTM);
	write64(base, STRTAB_BASE, pa_addr(pa_from_ptr(strtab)) |
					   Q_BASE_ALLOCATE);
	write32(base, STRTAB_BASE_CFG, STE_LOG2); /* FMT linear */
	write64(base, CMDQ_BASE, pa_addr(pa_from_ptr(cmdq)) | Q_BASE_ALLOCATE |
					 CMDQ_LOG2);
	write32(base, CMDQ_PROD, 0);
	write32(base, CMDQ_CONS, 0);
	write64(base, EVENTQ_BASE, pa_addr(pa_from_ptr(evtq)) |
					   Q_BASE_ALLOCATE | EVTQ_LOG2);
	write32(base, EVENTQ_PROD, 0);
	write32(base, EVENTQ_CONS, 0);
	/* Wired interrupts: no MSI address. */
	write64(base, EVENTQ_IRQ_CFG0, 0);
	write64(base, GERROR_IRQ_CFG0, 0);
	cmdq_prod = 0;
	evtq_cons = 0;
	events_lost = 0;
}

static bool init_locked(uintptr_t base, const struct dma_map *m,
			struct hf_error *err)
{
	uint64_t cmds[2][SMMUV3_CMD_DWORDS];
	const char *why;

	if (!check_features(base, err)) {
		return false;
	}
	if (!disable(base)) {
		hf_error_set(err, DMA_SMMU_TIMEOUT,
			     "SMMU at 0x%lx: does not acknowledge being "
			     "disabled", (unsigned long)base);
		return false;
	}
	write_tables(m);
	program_bases(base);
	if (!set_cr0(base, CR0_CMDQEN)) {
		hf_error_set(err, DMA_SMMU_TIMEOUT,
			     "SMMU at 0x%lx: command queue not enabled",
			     (unsigned long)base);
		return false;
	}
	/* Nothing an earlier owner left in its caches may survive. */
	smmuv3_cmd_cfgi_all(cmds[0]);
	smmuv3_cmd_tlbi_nsnh_all(cmds[1]);
	why = cmdq_issue(base, cmds, 2);
	if (why != NULL) {
		hf_error_set(err, DMA_SMMU_ERROR,
			     "SMMU at 0x%lx: invalidating its caches: %s "
			     "(CERROR %u)",
			     (unsigned long)base, why,
			     CMDQ_CONS_ERR(read32(base, CMDQ_CONS)));
		return false;
	}
	write32(base, IRQ_CTRL, IRQ_CTRL_EVTQ_IRQEN | IRQ_CTRL_GERROR_IRQEN);
	if (!poll32(base, IRQ_CTRLACK, ~0u,
		    IRQ_CTRL_EVTQ_IRQEN | IRQ_CTRL_GERROR_IRQEN) ||
	    !set_cr0(base, CR0_CMDQEN | CR0_EVTQEN) ||
	    !set_cr0(base, CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN)) {
		hf_error_set(err, DMA_SMMU_TIMEOUT,
			     "SMMU at 0x%lx: not enabled", (unsigned long)base);
		return false;
	}
	if (gerror_pending(base) != 0) {
		hf_error_set(err, DMA_SMMU_ERROR,
			     "SMMU at 0x%lx: global error 0x%x after enabling",
			     (unsigned long)base, gerror_pending(base));
		return false;
	}
	return true;
}

bool smmuv3_init(paddr_t base, const struct dma_map *m, struct hf_error *err)
{
	bool ok;

	sl_lock(&smmu_lock);
	ok = init_locked(pa_addr(base), m, err);
	if (ok) {
		regs = pa_addr(base);
	}
	sl_unlock(&smmu_lock);
	return ok;
}

void smmuv3_invalidate(struct pa_range r)
{
	uint64_t cmds[INVALIDATE_PAGES_MAX][SMMUV3_CMD_DWORDS];
	uintptr_t begin = align_down(pa_addr(r.begin), PAGE_SIZE);
	uintptr_t end = align_up(pa_addr(r.end), PAGE_SIZE);
	size_t pages = (end - begin) / PAGE_SIZE;
	const char *why;
	size_t i;

	if (begin >= end) {
		return;
	}
	if (pages <= INVALIDATE_PAGES_MAX) {
		for (i = 0; i < pages; i++) {
			smmuv3_cmd_tlbi_nh_va(cmds[i], SMMUV3_ASID,
					      begin + i * PAGE_SIZE);
		}
	} else {
		pages = 1;
		smmuv3_cmd_tlbi_nh_asid(cmds[0], SMMUV3_ASID);
	}
	sl_lock(&smmu_lock);
	if (regs == 0) {
		sl_unlock(&smmu_lock);
		return;
	}
	why = cmdq_issue(regs, cmds, pages);
	if (why != NULL) {
		/* Devices could still reach memory that changed hands. */
		panic("SMMU: TLB invalidation of 0x%lx-0x%lx failed: %s "
		      "(CERROR %u)",
		      (unsigned long)begin, (unsigned long)end, why,
		      CMDQ_CONS_ERR(read32(regs, CMDQ_CONS)));
	}
	sl_unlock(&smmu_lock);
}

/* Counts the ways the SMMU says events were dropped: the overflow flag
 * of a full queue, or (QEMU's way) an event queue abort error. */
static void count_lost(uintptr_t base, uint32_t prod)
{
	uint32_t pending = gerror_pending(base) & GERROR_EVTQ_ABT_ERR;

	if ((prod ^ evtq_cons) & Q_OVERFLOW) {
		events_lost++;
		evtq_cons ^= Q_OVERFLOW; /* acknowledged with the next CONS */
		write32(base, EVENTQ_CONS, evtq_cons);
	}
	if (pending != 0) {
		events_lost++;
		write32(base, GERRORN, read32(base, GERRORN) ^ pending);
	}
}

bool smmuv3_next_fault(struct dma_fault *f)
{
	const uint32_t mask = (EVTQ_ENTRIES << 1) - 1; /* index and wrap */
	uint64_t evt[SMMUV3_EVT_DWORDS];
	uint64_t *slot;
	uint32_t prod;
	size_t i;

	sl_lock(&smmu_lock);
	if (regs == 0) {
		sl_unlock(&smmu_lock);
		return false;
	}
	prod = read32(regs, EVENTQ_PROD);
	count_lost(regs, prod);
	if ((prod & mask) == (evtq_cons & mask)) {
		sl_unlock(&smmu_lock);
		return false;
	}
	slot = &evtq[(evtq_cons % EVTQ_ENTRIES) * SMMUV3_EVT_DWORDS];
	/* No stale line of the slot survives (an SMMU that does not snoop),
	 * and the DSB orders the PROD read before the slot's. */
	arch_mm_clean_invalidate_dcache_range(pa_from_ptr(slot),
					      SMMUV3_EVT_DWORDS * 8);
	for (i = 0; i < SMMUV3_EVT_DWORDS; i++) {
		evt[i] = __atomic_load_n(&slot[i], __ATOMIC_RELAXED);
	}
	/* Its DSB orders the reads above before the SMMU may reuse the
	 * slot (the CONS write). */
	arch_mm_clean_invalidate_dcache_range(pa_from_ptr(slot),
					      SMMUV3_EVT_DWORDS * 8);
	evtq_cons = ((evtq_cons + 1) & mask) | (evtq_cons & Q_OVERFLOW);
	write32(regs, EVENTQ_CONS, evtq_cons);
	smmuv3_decode_event(evt, f);
	f->lost = events_lost;
	events_lost = 0;
	sl_unlock(&smmu_lock);
	return true;
}
