// SPDX-License-Identifier: GPL-2.0
/*
 * hf_gic_probe - what the primary can do with the GIC's LPI registers.
 *
 * Test-only module for the kselftest that checks that hafnium hides the
 * GICv3's LPIs: their property and pending tables are written by the GIC
 * at addresses the kernel chooses, which would let the primary make the
 * GIC write any memory. Reading /proc/hf_gic_probe probes the first
 * redistributor and the distributor and prints one "name value" per line:
 *
 *   gicd_lpis 0|1          GICD_TYPER.LPIS
 *   gicr_plpis 0|1         GICR_TYPER.PLPIS
 *   enable_lpis 0|1        GICR_CTLR.EnableLPIs after writing it as 1
 *   propbaser_kept 0|1     whether a write of GICR_PROPBASER took effect
 *   pendbaser_kept 0|1     the same for GICR_PENDBASER
 *
 * The table registers are written only while EnableLPIs reads 0 (writing
 * them with LPIs enabled is unpredictable), and given their old value
 * back afterwards.
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#define PROBE_NAME "hf_gic_probe"

#define GICD_TYPER 0x0004
#define GICD_TYPER_LPIS BIT(17)
#define GICR_CTLR 0x0000
#define GICR_CTLR_ENABLE_LPIS BIT(0)
#define GICR_TYPER 0x0008
#define GICR_TYPER_PLPIS BIT(0)
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078

/* A table address no kernel would pick: 1 GiB, 64 KiB aligned. */
#define PROBE_TABLE 0x40000000ULL

static DEFINE_MUTEX(probe_lock);

/* Writes PROBE_TABLE to a table register: whether the write took. */
static int table_write_kept(void __iomem *reg)
{
	u64 old = readq_relaxed(reg);
	u64 now;

	writeq_relaxed(old ^ PROBE_TABLE, reg);
	now = readq_relaxed(reg);
	writeq_relaxed(old, reg);
	return now != old;
}

static int probe_show(struct seq_file *m, void *v)
{
	struct device_node *gic;
	void __iomem *dist;
	void __iomem *rd;
	u32 ctlr;
	int ret = 0;

	gic = of_find_compatible_node(NULL, NULL, "arm,gic-v3");
	if (!gic)
		return -ENODEV;
	dist = of_iomap(gic, 0);
	rd = of_iomap(gic, 1);
	of_node_put(gic);
	if (!dist || !rd) {
		ret = -ENOMEM;
		goto out;
	}

	mutex_lock(&probe_lock);
	seq_printf(m, "gicd_lpis %d\n",
		   !!(readl_relaxed(dist + GICD_TYPER) & GICD_TYPER_LPIS));
	seq_printf(m, "gicr_plpis %d\n",
		   !!(readq_relaxed(rd + GICR_TYPER) & GICR_TYPER_PLPIS));
	ctlr = readl_relaxed(rd + GICR_CTLR);
	if (!(ctlr & GICR_CTLR_ENABLE_LPIS)) {
		seq_printf(m, "propbaser_kept %d\n",
			   table_write_kept(rd + GICR_PROPBASER));
		seq_printf(m, "pendbaser_kept %d\n",
			   table_write_kept(rd + GICR_PENDBASER));
		writel_relaxed(ctlr | GICR_CTLR_ENABLE_LPIS, rd + GICR_CTLR);
	}
	seq_printf(m, "enable_lpis %d\n",
		   !!(readl_relaxed(rd + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS));
	mutex_unlock(&probe_lock);
out:
	if (rd)
		iounmap(rd);
	if (dist)
		iounmap(dist);
	return ret;
}

static int __init probe_init(void)
{
	/* Root only: it writes the interrupt controller's registers. */
	if (!proc_create_single(PROBE_NAME, 0400, NULL, probe_show))
		return -ENOMEM;
	return 0;
}

static void __exit probe_exit(void)
{
	remove_proc_entry(PROBE_NAME, NULL);
}

module_init(probe_init);
module_exit(probe_exit);

MODULE_DESCRIPTION("Test probe: can the kernel use the GIC's LPI tables?");
MODULE_LICENSE("GPL");
