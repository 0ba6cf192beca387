// SPDX-License-Identifier: GPL-2.0
/*
 * hf_dma_test - makes devices write physical memory for the primary.
 *
 * Test-only module for tests/kselftest/dma_test.c: stage 2 stops the CPU,
 * not a device the primary programs, so these commands aim the machine's
 * two DMA-capable devices at any physical address. Write a command to
 * /proc/hf_dma_test, then read the result:
 *
 *   fwcfg PA LEN   QEMU's fw_cfg DMA: reads LEN bytes (1 to a page) of the
 *                  signature item ("QEMU", zeros past its 4 bytes) to
 *                  physical address PA. Prints "fault" if the write of the
 *                  descriptor's address to fw_cfg's DMA register faulted
 *                  (hafnium keeps fw_cfg out of the primary's stage 2), or
 *                  "done control 0x<C>" with the control word QEMU wrote
 *                  back (0: the transfer ran; bit 0: it failed).
 *   blkread PA     a one-page READ of sectors 0-7 of the disk (virtio-blk)
 *                  into the page at physical address PA, whoever owns it.
 *                  Prints "status <errno>" (0: the device said it worked).
 *   blkcheck       the same READ into a page of its own, then checks the
 *                  stamps scripts/mkdisk.py put in every sector. Prints
 *                  "ok", "mismatch sector S word W: 0x<got> expected
 *                  0x<want>" or "status <errno>".
 *
 * fw_cfg is ioremapped at fwcfg_base (QEMU virt's address by default: under
 * hafnium the device tree has no node for it) and its register written
 * with __put_kernel_nofault(), one aligned 8-byte store whose exception
 * table entry turns the translation fault hafnium injects into a jump to
 * "fault" instead of an oops (copy_to_kernel_nofault(), made of the same
 * store, is not exported to modules in Linux 6.1). The disk's PCIe host is dma-coherent, so a READ makes the device
 * write PA and nothing else (no cache maintenance of the page by the CPU),
 * through whatever IOMMU the kernel has.
 *
 * The last result is global (one tester at a time).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define TEST_NAME "hf_dma_test"

/* QEMU's fw_cfg MMIO interface (docs/specs/fw_cfg.txt in QEMU). */
#define FW_CFG_SIZE 0x18
#define FW_CFG_DMA_ADDR 0x10
#define FW_CFG_DMA_CTL_ERROR 0x01
#define FW_CFG_DMA_CTL_READ 0x02
#define FW_CFG_DMA_CTL_SELECT 0x08
#define FW_CFG_SIGNATURE 0x0000

/* How many reads of the control word before giving up on a transfer. */
#define FW_CFG_POLLS 1000000

/* The stamp of word w of sector s (scripts/mkdisk.py). */
#define DISK_STAMP(s, w) (0xd15cULL << 48 | (u64)(w) << 32 | (s))

struct fw_cfg_dma_access {
	__be32 control;
	__be32 length;
	__be64 address;
} __packed;

static unsigned long fwcfg_base = 0x09020000;
module_param(fwcfg_base, ulong, 0444);
MODULE_PARM_DESC(fwcfg_base, "physical address of QEMU's fw_cfg registers");

static char *disk = "/dev/vda";
module_param(disk, charp, 0444);
MODULE_PARM_DESC(disk, "the block device of blkread and blkcheck");

static DEFINE_MUTEX(test_lock);
static char result[128];

static void fwcfg(u64 pa, u32 len)
{
	struct fw_cfg_dma_access *desc;
	void __iomem *regs;
	__be64 reg;
	u32 control;
	int polls;

	desc = kzalloc(sizeof(*desc), GFP_KERNEL);
	regs = ioremap(fwcfg_base, FW_CFG_SIZE);
	if (!desc || !regs) {
		scnprintf(result, sizeof(result), "error %d\n", -ENOMEM);
		goto out;
	}
	desc->control = cpu_to_be32(FW_CFG_SIGNATURE << 16 |
				    FW_CFG_DMA_CTL_SELECT |
				    FW_CFG_DMA_CTL_READ);
	desc->length = cpu_to_be32(len);
	desc->address = cpu_to_be64(pa);
	/* The descriptor is in memory before the device is told of it. */
	wmb();
	reg = cpu_to_be64(virt_to_phys(desc));
	pagefault_disable();
	__put_kernel_nofault((void __force *)regs + FW_CFG_DMA_ADDR, &reg, u64,
			     fault);
	pagefault_enable();
	/* QEMU clears every bit but ERROR when it is done. */
	for (polls = 0; polls < FW_CFG_POLLS; polls++) {
		control = be32_to_cpu(READ_ONCE(desc->control));
		if (!(control & ~FW_CFG_DMA_CTL_ERROR))
			break;
		cpu_relax();
	}
	rmb();
	scnprintf(result, sizeof(result), "done control 0x%08x\n", control);
	goto out;
fault:
	pagefault_enable();
	scnprintf(result, sizeof(result), "fault\n");
out:
	if (regs)
		iounmap(regs);
	kfree(desc);
}

/* A READ of sectors 0.. of the disk into one page; 0 or -errno. */
static int blk_read_page(struct page *page)
{
	struct block_device *bdev;
	struct bio *bio;
	int ret;

	bdev = blkdev_get_by_path(disk, FMODE_READ, NULL);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_KERNEL);
	bio->bi_iter.bi_sector = 0;
	if (bio_add_page(bio, page, PAGE_SIZE, 0) != PAGE_SIZE)
		ret = -EIO;
	else
		ret = submit_bio_wait(bio);
	bio_put(bio);
	blkdev_put(bdev, FMODE_READ);
	return ret;
}

static void blkread(u64 pa)
{
	unsigned long pfn = PHYS_PFN(pa);

	/* A page the kernel has a struct page for, the VMs' included. */
	if (!PAGE_ALIGNED(pa) || !pfn_valid(pfn)) {
		scnprintf(result, sizeof(result), "error %d\n", -EINVAL);
		return;
	}
	scnprintf(result, sizeof(result), "status %d\n",
		  blk_read_page(pfn_to_page(pfn)));
}

static void blkcheck(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	const __le64 *words;
	unsigned int i;
	int ret;

	if (!page) {
		scnprintf(result, sizeof(result), "status %d\n", -ENOMEM);
		return;
	}
	/* Not what a sector holds, so a READ that did not land shows. */
	memset(page_address(page), 0xa5, PAGE_SIZE);
	ret = blk_read_page(page);
	if (ret) {
		scnprintf(result, sizeof(result), "status %d\n", ret);
		goto out;
	}
	words = page_address(page);
	scnprintf(result, sizeof(result), "ok\n");
	for (i = 0; i < PAGE_SIZE / sizeof(*words); i++) {
		u64 want = DISK_STAMP(i / (SECTOR_SIZE / sizeof(*words)),
				      i % (SECTOR_SIZE / sizeof(*words)));

		if (le64_to_cpu(words[i]) != want) {
			scnprintf(result, sizeof(result),
				  "mismatch sector %zu word %zu: 0x%016llx expected 0x%016llx\n",
				  i / (SECTOR_SIZE / sizeof(*words)),
				  i % (SECTOR_SIZE / sizeof(*words)),
				  le64_to_cpu(words[i]), want);
			break;
		}
	}
out:
	__free_page(page);
}

static ssize_t test_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	ssize_t ret = count;
	char cmd[64];
	u64 pa;
	u32 len;
	int end = 0;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	strim(cmd);

	mutex_lock(&test_lock);
	if (sscanf(cmd, "fwcfg %llx %u%n", &pa, &len, &end) == 2 &&
	    !cmd[end] && len && len <= PAGE_SIZE)
		fwcfg(pa, len);
	else if (sscanf(cmd, "blkread %llx%n", &pa, &end) == 1 && !cmd[end])
		blkread(pa);
	else if (!strcmp(cmd, "blkcheck"))
		blkcheck();
	else
		ret = -EINVAL;
	mutex_unlock(&test_lock);

	return ret;
}

static ssize_t test_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&test_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, result,
				      strlen(result));
	mutex_unlock(&test_lock);

	return ret;
}

static const struct proc_ops test_ops = {
	.proc_read = test_read,
	.proc_write = test_write,
	.proc_lseek = default_llseek,
};

static int __init test_init(void)
{
	/* Root only: it writes any physical memory. */
	if (!proc_create(TEST_NAME, 0600, NULL, &test_ops))
		return -ENOMEM;
	return 0;
}

static void __exit test_exit(void)
{
	remove_proc_entry(TEST_NAME, NULL);
}

module_init(test_init);
module_exit(test_exit);

MODULE_DESCRIPTION("Test: device DMA to any physical address");
MODULE_LICENSE("GPL");
