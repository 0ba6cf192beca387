// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor timer's interrupt. While a secondary vCPU runs, its own
 * virtual timer is loaded, so the primary's timer cannot interrupt it;
 * hafnium arms the EL2 physical timer (CNTHP) with the primary's
 * virtual-timer deadline instead. Its interrupt makes the vCPU leave the
 * CPU (FFA_RUN answers FFA_INTERRUPT) and the primary's tick runs; without
 * it a vCPU that never waits would hold its CPU for good.
 *
 * The primary owns the GIC, so it must enable that PPI on every CPU. Its
 * number is the fourth interrupt of the arm,armv8-timer node ("hyp"); the
 * handler has nothing to do: the interrupt's work was to end FFA_RUN, and
 * hafnium disarms the timer when it leaves the vCPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>

#include "hafnium.h"

/* The timer node's interrupts: secure, non-secure, virtual, hyp. */
#define HF_TIMER_HYP_PPI_INDEX 3

/* The cpuhp callbacks have no argument: one hypervisor, one PPI. */
static int hf_hyp_timer_irq_num;

static irqreturn_t hf_hyp_timer_handler(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static int hf_hyp_timer_cpu_online(unsigned int cpu)
{
	enable_percpu_irq(hf_hyp_timer_irq_num, IRQ_TYPE_NONE);
	return 0;
}

static int hf_hyp_timer_cpu_offline(unsigned int cpu)
{
	disable_percpu_irq(hf_hyp_timer_irq_num);
	return 0;
}

int hf_hyp_timer_init(struct hf_dev *hf)
{
	struct device_node *np;
	int irq, ret;

	hf->hyp_timer_irq = 0;
	hf->hyp_timer_cpuhp = -1;
	np = of_find_compatible_node(NULL, NULL, "arm,armv8-timer");
	if (!np) {
		dev_warn(hf->dev, "no arm,armv8-timer node: a VM that never waits will hold its CPU\n");
		return 0;
	}
	irq = of_irq_get(np, HF_TIMER_HYP_PPI_INDEX);
	of_node_put(np);
	if (irq <= 0) {
		dev_warn(hf->dev, "the arm,armv8-timer node has no hypervisor timer interrupt (%d): a VM that never waits will hold its CPU\n",
			 irq);
		return 0;
	}

	hf->hyp_timer_cookie = alloc_percpu(bool);
	if (!hf->hyp_timer_cookie)
		return -ENOMEM;
	ret = request_percpu_irq(irq, hf_hyp_timer_handler,
				 "hafnium-hyp-timer", hf->hyp_timer_cookie);
	if (ret) {
		dev_err(hf->dev, "cannot request the hypervisor timer interrupt %d: %pe\n",
			irq, ERR_PTR(ret));
		goto err_free;
	}
	hf_hyp_timer_irq_num = irq;
	/* Runs the online callback on every CPU online now, and later. */
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hafnium/hyp_timer:online",
				hf_hyp_timer_cpu_online,
				hf_hyp_timer_cpu_offline);
	if (ret < 0) {
		dev_err(hf->dev, "cannot enable the hypervisor timer interrupt on every CPU: %pe\n",
			ERR_PTR(ret));
		goto err_irq;
	}
	hf->hyp_timer_cpuhp = ret;
	hf->hyp_timer_irq = irq;
	return 0;

err_irq:
	free_percpu_irq(irq, hf->hyp_timer_cookie);
err_free:
	free_percpu(hf->hyp_timer_cookie);
	return ret;
}

void hf_hyp_timer_exit(struct hf_dev *hf)
{
	if (!hf->hyp_timer_irq)
		return;
	/* Runs the offline callback on every CPU. */
	cpuhp_remove_state(hf->hyp_timer_cpuhp);
	free_percpu_irq(hf->hyp_timer_irq, hf->hyp_timer_cookie);
	free_percpu(hf->hyp_timer_cookie);
	hf->hyp_timer_irq = 0;
}
