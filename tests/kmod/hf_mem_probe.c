// SPDX-License-Identifier: GPL-2.0
/*
 * hf_mem_probe - can the kernel read this physical address?
 *
 * Test-only module for the kselftests that check hafnium's stage-2
 * isolation. Write a physical address (hex) to /proc/hf_mem_probe, then read
 * the file: "fault" if reading 8 bytes there through the linear map faults,
 * "readable 0x<value>" if it succeeds.
 *
 * Hafnium keeps its own memory in Linux's linear map (it is only
 * /memreserve'd), so the read reaches stage 2 and must come back to EL1 as
 * an abort, which copy_from_kernel_nofault() turns into an error instead of
 * an oops. Addresses outside the linear map are refused with -EINVAL: they
 * would test nothing about the hypervisor.
 *
 * The last result is global (one tester at a time), so a shell's
 * `echo ADDR > /proc/hf_mem_probe; cat /proc/hf_mem_probe` works.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

#define PROBE_NAME "hf_mem_probe"

static DEFINE_MUTEX(probe_lock);
/* "readable 0x" + 16 hex digits + "\n" + NUL. */
static char probe_result[32];

static ssize_t probe_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	unsigned long long addr;
	unsigned long pfn;
	u64 value;
	int ret;

	ret = kstrtoull_from_user(ubuf, count, 16, &addr);
	if (ret)
		return ret;

	/* Aligned, so the 8 bytes read lie within one page. */
	if (!IS_ALIGNED(addr, sizeof(value)))
		return -EINVAL;

	/* RAM in the linear map only (pfn_valid() also rejects huge values). */
	pfn = PHYS_PFN(addr);
	if (!pfn_valid(pfn) || !pfn_is_map_memory(pfn))
		return -EINVAL;

	mutex_lock(&probe_lock);
	if (copy_from_kernel_nofault(&value, phys_to_virt(addr), sizeof(value)))
		scnprintf(probe_result, sizeof(probe_result), "fault\n");
	else
		scnprintf(probe_result, sizeof(probe_result),
			  "readable 0x%016llx\n", value);
	mutex_unlock(&probe_lock);

	return count;
}

static ssize_t probe_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&probe_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, probe_result,
				      strlen(probe_result));
	mutex_unlock(&probe_lock);

	return ret;
}

static const struct proc_ops probe_ops = {
	.proc_read = probe_read,
	.proc_write = probe_write,
	.proc_lseek = default_llseek,
};

static int __init probe_init(void)
{
	/* Root only: it reads arbitrary kernel memory. */
	if (!proc_create(PROBE_NAME, 0600, NULL, &probe_ops))
		return -ENOMEM;
	return 0;
}

static void __exit probe_exit(void)
{
	remove_proc_entry(PROBE_NAME, NULL);
}

module_init(probe_init);
module_exit(probe_exit);

MODULE_DESCRIPTION("Test probe: can the kernel read a physical address?");
MODULE_LICENSE("GPL");
