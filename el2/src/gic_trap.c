/* SPDX-License-Identifier: BSD-3-Clause */
/* The primary's trapped GIC accesses (hf/gic_trap.h): where an access
 * falls, and which registers are filtered. Everything that is not listed
 * here is forwarded unchanged, at the size the primary used: the primary
 * owns the GIC, only its LPI side is taken away. */
#include "hf/gic_trap.h"

#include "hf/arch/mmio.h"

#define GICD_TYPER 0x0004
/* num_LPIs [15:11], LPIS [17], DVIS [18] (GICv4.1 direct vLPI injection).
 * MBIS [16] stays: message-based SPIs are writes to the distributor by
 * devices, the GIC writes no memory for them. */
#define GICD_TYPER_LPI_BITS (UINT64_C(0x1f) << 11 | UINT64_C(1) << 17 | \
			     UINT64_C(1) << 18)

#define GICR_CTLR 0x0000
#define GICR_CTLR_ENABLE_LPIS (UINT64_C(1) << 0)
/* CES [1], IR [2]: LPI capabilities (Linux reads IR as "direct LPI"). */
#define GICR_CTLR_LPI_CAPS (UINT64_C(3) << 1)
#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS (UINT64_C(1) << 1)
#define GICR_TYPER_LAST (UINT64_C(1) << 4)
/* PLPIS [0], VLPIS [1], Dirty [2], DirectLPI [3], RVPEID [7],
 * CommonLPIAff [25:24], VSGI [26]: Linux warns of RVPEID without VLPIS. */
#define GICR_TYPER_LPI_BITS (UINT64_C(0xf) | UINT64_C(1) << 7 | \
			     UINT64_C(7) << 24)
#define GICR_SETLPIR 0x0040
#define GICR_CLRLPIR 0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR 0x00a0
#define GICR_INVALLR 0x00b0
#define GICR_SYNCR 0x00c0

/* A register whose accesses are not simply forwarded. An access that
 * touches any byte of it gets its treatment, masks placed where the
 * register's bytes are in the access. */
struct reg_filter {
	uint16_t offset;
	uint8_t width;
	bool ignore;       /* neither read nor written */
	bool ignore_write; /* read, but never written */
	uint64_t read_clear;
	uint64_t write_clear;
};

static const struct reg_filter dist_filters[] = {
	{ GICD_TYPER, 4, .read_clear = GICD_TYPER_LPI_BITS },
};

static const struct reg_filter rd_filters[] = {
	{ GICR_CTLR, 4, .read_clear = GICR_CTLR_LPI_CAPS,
	  .write_clear = GICR_CTLR_ENABLE_LPIS },
	{ GICR_TYPER, 8, .read_clear = GICR_TYPER_LPI_BITS },
	{ GICR_SETLPIR, 8, .ignore = true },
	{ GICR_CLRLPIR, 8, .ignore = true },
	{ GICR_PROPBASER, 8, .ignore_write = true },
	{ GICR_PENDBASER, 8, .ignore_write = true },
	{ GICR_INVLPIR, 8, .ignore = true },
	{ GICR_INVALLR, 8, .ignore = true },
	{ GICR_SYNCR, 4, .ignore = true },
};

/* Written once by gic_trap_init at boot, before any VM runs. */
static struct gic_layout layout;

static uint64_t size_mask(uint8_t size)
{
	return size == 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

static bool in_range(struct pa_range r, uint64_t pa)
{
	return pa >= pa_addr(r.begin) && pa < pa_addr(r.end);
}

static size_t stride(const struct gic_layout *l)
{
	return l->frames_per_redist * GIC_FRAME_SIZE;
}

/* The frame that pa falls in, and its offset there. */
static enum gic_frame locate(const struct gic_layout *l, uint64_t pa,
			     uint32_t *offset)
{
	uint64_t rel;

	if (in_range(l->dist, pa)) {
		rel = pa - pa_addr(l->dist.begin);
		*offset = rel % GIC_FRAME_SIZE;
		return rel < GIC_FRAME_SIZE ? GIC_FRAME_DIST : GIC_FRAME_NONE;
	}
	rel = pa - pa_addr(l->redist.begin);
	*offset = rel % GIC_FRAME_SIZE;
	if (l->redist_count == 0 || rel / stride(l) >= l->redist_count) {
		return GIC_FRAME_NONE;
	}
	switch (rel % stride(l) / GIC_FRAME_SIZE) {
	case 0:
		return GIC_FRAME_RD;
	case 1:
		return GIC_FRAME_SGI;
	default:
		return GIC_FRAME_VLPI;
	}
}

/* mask, of a register at reg, as it lies in an access at offset. */
static uint64_t place(uint64_t mask, uint32_t reg, uint32_t offset)
{
	return reg >= offset ? mask << (reg - offset) * 8 :
			       mask >> (offset - reg) * 8;
}

static void apply_filters(const struct reg_filter *f, size_t count,
			  uint32_t offset, const struct mmio_access *a,
			  struct gic_trap_decision *d)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (f[i].offset >= offset + a->size ||
		    offset >= f[i].offset + f[i].width) {
			continue;
		}
		if (f[i].ignore || (a->write && f[i].ignore_write)) {
			d->action = GIC_TRAP_IGNORE;
			return;
		}
		if (a->write) {
			d->write_clear |= place(f[i].write_clear, f[i].offset,
						offset) &
					  size_mask(a->size);
		} else {
			d->read_clear |= place(f[i].read_clear, f[i].offset,
					       offset) &
					 size_mask(a->size);
		}
	}
}

struct gic_trap_decision gic_trap_decide(const struct gic_layout *l,
					 uint64_t pa,
					 const struct mmio_access *a)
{
	struct gic_trap_decision d = { GIC_TRAP_NOT_GIC, GIC_FRAME_NONE, 0,
				       0 };
	uint32_t offset;

	if (!in_range(l->dist, pa) && !in_range(l->redist, pa)) {
		return d;
	}
	d.frame = locate(l, pa, &offset);
	d.action = GIC_TRAP_IGNORE;
	if ((a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8) ||
	    !is_aligned(pa, a->size)) {
		return d;
	}
	switch (d.frame) {
	case GIC_FRAME_DIST:
		d.action = GIC_TRAP_FORWARD;
		apply_filters(dist_filters, ARRAY_SIZE(dist_filters), offset,
			      a, &d);
		break;
	case GIC_FRAME_RD:
		d.action = GIC_TRAP_FORWARD;
		apply_filters(rd_filters, ARRAY_SIZE(rd_filters), offset, a,
			      &d);
		break;
	case GIC_FRAME_SGI:
		/* Mapped in the primary (it faults only during a
		 * break-before-make update of a table covering it), and
		 * nothing in it concerns LPIs. */
		d.action = GIC_TRAP_FORWARD;
		break;
	default:
		/* GICv4's VLPI_base (GICR_VPROPBASER, VPENDBASER) and its
		 * reserved frame, and what lies beyond the GIC's frames. */
		break;
	}
	return d;
}

bool gic_trap_access(uint64_t pa, struct mmio_access *a)
{
	struct gic_trap_decision d = gic_trap_decide(&layout, pa, a);

	switch (d.action) {
	case GIC_TRAP_NOT_GIC:
		return false;
	case GIC_TRAP_IGNORE:
		if (!a->write) {
			a->value = 0;
		}
		return true;
	default:
		break;
	}
	if (a->write) {
		arch_mmio_write(pa_init(pa), a->size,
				a->value & size_mask(a->size) & ~d.write_clear);
	} else {
		a->value = arch_mmio_read(pa_init(pa), a->size) &
			   ~d.read_clear;
	}
	return true;
}

static bool frame_aligned(struct pa_range r)
{
	return pa_addr(r.begin) < pa_addr(r.end) &&
	       is_aligned(pa_addr(r.begin), GIC_FRAME_SIZE) &&
	       is_aligned(pa_addr(r.end), GIC_FRAME_SIZE);
}

/* Walks the redistributors from redist's start to the one whose
 * GICR_TYPER says Last, as the GIC architecture lays them out. */
static bool count_redists(struct pa_range redist, struct gic_layout *l,
			  struct hf_error *err)
{
	uintptr_t at = pa_addr(redist.begin);
	uint64_t typer;
	size_t frames;

	do {
		if (pa_addr(redist.end) - at < 2 * GIC_FRAME_SIZE) {
			hf_error_set(err, GIC_TRAP_NO_LAST,
				     "GIC: no redistributor with "
				     "GICR_TYPER.Last in 0x%lx-0x%lx",
				     (unsigned long)pa_addr(redist.begin),
				     (unsigned long)pa_addr(redist.end));
			return false;
		}
		typer = arch_mmio_read(pa_init(at + GICR_TYPER), 8);
		frames = (typer & GICR_TYPER_VLPIS) ? 4 : 2;
		if (l->redist_count > 0 && frames != l->frames_per_redist) {
			hf_error_set(err, GIC_TRAP_BAD_REGION,
				     "GIC: redistributor %zu at 0x%lx has %zu "
				     "frames, the first has %zu",
				     l->redist_count, (unsigned long)at,
				     frames, l->frames_per_redist);
			return false;
		}
		if (pa_addr(redist.end) - at < frames * GIC_FRAME_SIZE) {
			hf_error_set(err, GIC_TRAP_BAD_REGION,
				     "GIC: redistributor %zu at 0x%lx runs "
				     "past the region's end 0x%lx",
				     l->redist_count, (unsigned long)at,
				     (unsigned long)pa_addr(redist.end));
			return false;
		}
		l->frames_per_redist = frames;
		l->redist_count++;
		at += frames * GIC_FRAME_SIZE;
	} while (!(typer & GICR_TYPER_LAST));
	return true;
}

bool gic_trap_init(struct pa_range dist, struct pa_range redist,
		   struct mm_ptable *primary, struct mpool *pool,
		   struct hf_error *err)
{
	struct gic_layout l = { .dist = dist, .redist = redist };
	size_t i;

	if (!frame_aligned(dist) || !frame_aligned(redist) ||
	    pa_range_overlaps(dist, redist)) {
		hf_error_set(err, GIC_TRAP_BAD_REGION,
			     "GIC: distributor 0x%lx-0x%lx and redistributors "
			     "0x%lx-0x%lx are not separate 64 KiB frames",
			     (unsigned long)pa_addr(dist.begin),
			     (unsigned long)pa_addr(dist.end),
			     (unsigned long)pa_addr(redist.begin),
			     (unsigned long)pa_addr(redist.end));
		return false;
	}
	if (!count_redists(redist, &l, err)) {
		return false;
	}
	for (i = 0; i < l.redist_count; i++) {
		paddr_t sgi = pa_add(redist.begin,
				     i * stride(&l) + GIC_FRAME_SIZE);

		if (!mm_identity_map(primary, sgi, pa_add(sgi, GIC_FRAME_SIZE),
				     MM_MODE_R | MM_MODE_W | MM_MODE_D,
				     pool)) {
			hf_error_set(err, GIC_TRAP_MAP_FAILED,
				     "GIC: cannot map redistributor %zu's "
				     "SGI_base frame for the primary VM",
				     i);
			return false;
		}
	}
	layout = l;
	return true;
}

size_t gic_trap_redist_stride(void)
{
	return stride(&layout);
}
