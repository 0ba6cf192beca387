// SPDX-License-Identifier: GPL-2.0
/*
 * VM objects: one struct hf_vm per VM of the hypervisor, the primary
 * included, each with its /sys/kernel/hafnium/vms/<id> directory; and the
 * lifecycle of secondary VMs: create (memory taken from Linux and donated),
 * load, start, stop, destroy.
 *
 * VMs are global, like Jailhouse cells: they outlive the file and the
 * process that created them. Each VM created here holds a reference to the
 * module, so rmmod is refused (EWOULDBLOCK) until every one of them is
 * destroyed; otherwise their memory would be lost to Linux for good. VMs
 * that exist when the driver loads (the primary, static secondaries from
 * the manifest) are adopted: listed, and run if they are running, but they
 * do not pin the module; remove stops running their vCPUs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "hafnium.h"

/* How long destroy waits for the vCPUs to leave their CPUs (BUSY). */
#define HF_DESTROY_TRIES 1000
/* The most chunks of memory one VM is made of, before they are merged. */
#define HF_VM_MAX_CHUNKS 8192


const char *hf_exit_reason_name(u32 reason)
{
	switch (reason) {
	case HF_VM_EXIT_NONE:
		return "none";
	case HF_VM_EXIT_STOPPED:
		return "stopped";
	case HF_VM_EXIT_POWEROFF:
		return "poweroff";
	case HF_VM_EXIT_RESET:
		return "reset";
	case HF_VM_EXIT_CRASHED:
		return "crashed";
	default:
		return "unknown";
	}
}

int hf_crash_report(char *buf, size_t size, const struct hf_vm_exit *exit)
{
	return scnprintf(buf, size,
			 "vCPU %u: %s (EC 0x%02llx, ESR 0x%llx), FAR 0x%llx, ELR 0x%llx",
			 exit->vcpu, hf_exception_class(exit->esr),
			 (exit->esr >> 26) & 0x3f, exit->esr, exit->far,
			 exit->elr);
}

static struct hf_vm *to_hf_vm(struct kobject *kobj)
{
	return container_of(kobj, struct hf_vm, kobj);
}

static void hf_vm_release(struct kobject *kobj)
{
	struct hf_vm *vm = to_hf_vm(kobj);

	hf_console_free(&vm->console);
	kfree(vm->chunks);
	kfree(vm->ranges);
	kfree(vm->vcpus);
	kfree(vm);
}

static const struct kobj_type hf_vm_ktype = {
	.release = hf_vm_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hf_vm_groups,
};

static bool hf_vm_is_primary(const struct hf_vm *vm)
{
	return vm->id == HF_PRIMARY_VM_ID;
}

/* A VM object, not yet visible; NULL if out of memory. */
static struct hf_vm *hf_vm_alloc(struct hf_dev *hf, u16 id, const char *name,
				 u32 vcpu_count, u64 mem_size)
{
	struct hf_vm *vm;
	u32 i;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return NULL;
	kobject_init(&vm->kobj, &hf_vm_ktype);
	vm->hf = hf;
	INIT_LIST_HEAD(&vm->node);
	vm->id = id;
	strscpy(vm->name, name, sizeof(vm->name));
	vm->vcpu_count = vcpu_count;
	vm->mem_size = mem_size;
	mutex_init(&vm->lock);
	spin_lock_init(&vm->status_lock);
	vm->phase = HF_PHASE_CREATED;

	/* The release function frees whatever was allocated. */
	if (id != HF_PRIMARY_VM_ID) {
		vm->vcpus = kcalloc(vcpu_count, sizeof(*vm->vcpus), GFP_KERNEL);
		if (!vm->vcpus || hf_console_init(&vm->console))
			goto err;
		for (i = 0; i < vcpu_count; i++)
			hf_vcpu_init(&vm->vcpus[i], vm, i);
	}
	return vm;
err:
	kobject_put(&vm->kobj);
	return NULL;
}

/* Makes vm visible: its sysfs directory, the VM list. */
static int hf_vm_publish(struct hf_vm *vm)
{
	struct hf_dev *hf = vm->hf;
	int ret;

	ret = kobject_add(&vm->kobj, hf->sysfs_vms, "%u", vm->id);
	if (ret)
		return ret;
	mutex_lock(&hf->vms_lock);
	list_add_tail(&vm->node, &hf->vms);
	mutex_unlock(&hf->vms_lock);
	return 0;
}

/* The reverse of hf_vm_publish(); drops the list's reference. */
static void hf_vm_unpublish(struct hf_vm *vm)
{
	struct hf_dev *hf = vm->hf;

	mutex_lock(&hf->vms_lock);
	list_del_init(&vm->node);
	mutex_unlock(&hf->vms_lock);
	/* Waits for reads of its sysfs files in progress. */
	kobject_del(&vm->kobj);
	kobject_put(&vm->kobj);
}

struct hf_vm *hf_vm_get(struct hf_dev *hf, u32 vm_id)
{
	struct hf_vm *vm, *found = NULL;

	mutex_lock(&hf->vms_lock);
	list_for_each_entry(vm, &hf->vms, node) {
		if (vm->id == vm_id) {
			found = vm;
			kobject_get(&vm->kobj);
			break;
		}
	}
	mutex_unlock(&hf->vms_lock);
	return found;
}

void hf_vm_put(struct hf_vm *vm)
{
	kobject_put(&vm->kobj);
}

/* Records how the VM ended and says so in the kernel log. */
static void hf_vm_record_end(struct hf_vm *vm)
{
	struct hf_vm_exit exit = { };
	char report[192];
	u64 now = ktime_get_boottime_ns(), ms;
	int ret;

	ret = hf_call_vm_exit_info(vm->id, &exit);
	spin_lock(&vm->status_lock);
	vm->end_ns = now;
	if (!ret) {
		vm->exit = exit;
		vm->exit_known = true;
	}
	WRITE_ONCE(vm->ended, true);
	ms = vm->start_ns ? div_u64(now - vm->start_ns, NSEC_PER_MSEC) : 0;
	spin_unlock(&vm->status_lock);

	if (ret) {
		pr_warn("VM %u (%s) ended after %llu ms; HF_VM_EXIT_INFO failed: %pe\n",
			vm->id, vm->name, ms, ERR_PTR(ret));
	} else if (exit.reason == HF_VM_EXIT_CRASHED) {
		hf_crash_report(report, sizeof(report), &exit);
		pr_warn("VM %u (%s) crashed after %llu ms: %s\n", vm->id,
			vm->name, ms, report);
	} else {
		pr_info("VM %u (%s) ended after %llu ms: %s\n", vm->id,
			vm->name, ms, hf_exit_reason_name(exit.reason));
	}
}

/* RUNNING -> ENDED, once; true for the caller that made the change. */
static bool hf_vm_mark_ended(struct hf_vm *vm)
{
	if (cmpxchg(&vm->phase, HF_PHASE_RUNNING, HF_PHASE_ENDED) !=
	    HF_PHASE_RUNNING)
		return false;
	hf_vm_record_end(vm);
	hf_console_flush(vm);
	return true;
}

void hf_vm_ended(struct hf_vm *vm)
{
	/* The other vCPUs leave their CPUs and their threads end. */
	if (hf_vm_mark_ended(vm))
		hf_vcpus_kick(vm);
}

/* --- Memory ------------------------------------------------------------ */

static void hf_vm_free_memory(struct hf_vm *vm)
{
	unsigned int i;

	if (vm->hyp)
		free_pages_exact(vm->hyp, vm->hyp_size);
	vm->hyp = NULL;
	vm->hyp_size = 0;

	for (i = 0; i < vm->nr_chunks; i++)
		__free_pages(vm->chunks[i].page, vm->chunks[i].order);
	kfree(vm->chunks);
	vm->chunks = NULL;
	vm->nr_chunks = 0;
	kfree(vm->ranges);
	vm->ranges = NULL;
	vm->nr_ranges = 0;
}

/* Adds a chunk; merges it into the last range if it follows it. */
static int hf_vm_add_chunk(struct hf_vm *vm, struct page *page,
			   unsigned int order, unsigned int *cap)
{
	phys_addr_t base = page_to_phys(page);
	u64 size = (u64)PAGE_SIZE << order;
	struct hf_range *last;

	if (vm->nr_chunks == *cap) {
		unsigned int bigger = min(*cap * 2, HF_VM_MAX_CHUNKS);
		struct hf_vm_chunk *chunks;

		if (bigger == *cap)
			return -ENOMEM;
		chunks = krealloc_array(vm->chunks, bigger, sizeof(*chunks),
					GFP_KERNEL);
		if (!chunks)
			return -ENOMEM;
		vm->chunks = chunks;
		*cap = bigger;
	}
	last = vm->nr_ranges ? &vm->ranges[vm->nr_ranges - 1] : NULL;
	if (last && last->base + last->size == base) {
		last->size += size;
	} else {
		/* The descriptor has room for so many constituents only. */
		if (vm->nr_ranges == HF_VM_MAX_CONSTITUENTS)
			return -ENOMEM;
		vm->ranges[vm->nr_ranges].base = base;
		vm->ranges[vm->nr_ranges].size = size;
		vm->nr_ranges++;
	}
	vm->chunks[vm->nr_chunks].page = page;
	vm->chunks[vm->nr_chunks].order = order;
	vm->nr_chunks++;
	return 0;
}

/*
 * Takes vm->mem_size bytes from the page allocator, zeroed (the VM must
 * not see what Linux kept there), in the largest chunks it gives, down to
 * single pages.
 */
static int hf_vm_alloc_memory(struct hf_vm *vm)
{
	unsigned long left = vm->mem_size >> PAGE_SHIFT;
	unsigned int order = MAX_ORDER - 1;
	unsigned int cap = 16;
	int ret;

	vm->chunks = kcalloc(cap, sizeof(*vm->chunks), GFP_KERNEL);
	vm->ranges = kcalloc(HF_VM_MAX_CONSTITUENTS, sizeof(*vm->ranges),
			     GFP_KERNEL);
	if (!vm->chunks || !vm->ranges) {
		ret = -ENOMEM;
		goto err;
	}
	/*
	 * The hypervisor's pages for the VM: one zeroed range, the worst
	 * case of its tables for this size (uapi/hf/abi.h).
	 */
	vm->hyp_size = hf_vm_hyp_pages(vm->mem_size / HF_PAGE_SIZE) *
		       HF_PAGE_SIZE;
	vm->hyp = alloc_pages_exact(vm->hyp_size, GFP_KERNEL | __GFP_ZERO |
					  __GFP_NOWARN);
	if (!vm->hyp) {
		ret = -ENOMEM;
		goto err;
	}
	while (left) {
		/* Large orders: a cheap try, then smaller ones; never OOM. */
		gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
			    (order ? __GFP_NORETRY : __GFP_RETRY_MAYFAIL);
		struct page *page;

		order = min_t(unsigned int, order, ilog2(left));
		page = alloc_pages(gfp, order);
		if (!page) {
			if (!order) {
				ret = -ENOMEM;
				goto err;
			}
			order--;
			continue;
		}
		ret = hf_vm_add_chunk(vm, page, order, &cap);
		if (ret) {
			__free_pages(page, order);
			goto err;
		}
		left -= 1UL << order;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto err;
		}
		cond_resched();
	}
	return 0;
err:
	hf_vm_free_memory(vm);
	return ret;
}

ssize_t hf_vm_memory_ranges(struct hf_vm *vm, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_ranges && len < size; i++)
		len += scnprintf(buf + len, size - len, "0x%llx 0x%llx\n",
				 vm->ranges[i].base, vm->ranges[i].size);
	mutex_unlock(&vm->lock);
	return len;
}

/* Fills TX with the create descriptor; returns its length. */
static u32 hf_vm_fill_desc(struct hf_vm *vm, void *tx)
{
	struct hf_vm_create_desc *desc = tx;
	u64 pages = 0;
	unsigned int i;

	memset(tx, 0, HF_MAILBOX_SIZE);
	strscpy(desc->name, vm->name, sizeof(desc->name));
	desc->vcpu_count = vm->vcpu_count;
	desc->hyp_address = virt_to_phys(vm->hyp);
	desc->hyp_page_count = vm->hyp_size / HF_PAGE_SIZE;
	for (i = 0; i < vm->nr_ranges; i++) {
		struct ffa_memory_region_constituent *c =
			&desc->memory.constituents[i];

		/* The primary's stage-2 is the identity: PAs are IPAs. */
		c->address = vm->ranges[i].base;
		c->page_count = vm->ranges[i].size / HF_PAGE_SIZE;
		pages += c->page_count;
	}
	desc->memory.page_count = pages;
	desc->memory.constituent_count = vm->nr_ranges;
	return sizeof(*desc) + vm->nr_ranges * sizeof(desc->memory.constituents[0]);
}

/* --- Lifecycle --------------------------------------------------------- */

static bool hf_entry_valid(u64 entry, u64 mem_size)
{
	return entry >= HF_VM_RAM_BASE &&
	       entry < HF_VM_RAM_BASE + mem_size - HF_VM_DT_SIZE &&
	       IS_ALIGNED(entry, 4);
}

/* Checks what can be checked before taking memory. */
static int hf_vm_create_check(struct hf_dev *hf,
			      const struct hf_vm_create_args *args)
{
	struct hf_hyp_info info;
	u64 pages = args->mem_size >> PAGE_SHIFT;
	u64 free_pages;
	int ret;

	if (!args->vcpu_count || args->vcpu_count > hf->max_vcpus)
		return -EINVAL;
	if (!args->mem_size || !IS_ALIGNED(args->mem_size, PAGE_SIZE) ||
	    !IS_ALIGNED(args->mem_size, HF_PAGE_SIZE) ||
	    args->mem_size < (u64)HF_VM_MIN_PAGES * HF_PAGE_SIZE)
		return -EINVAL;
	if (args->entry && !hf_entry_valid(args->entry, args->mem_size))
		return -EINVAL;

	/*
	 * The hypervisor's pages for it would not fit one range: a limit of
	 * the ABI, told before what merely is not free now.
	 */
	if (hf_vm_hyp_pages(args->mem_size / HF_PAGE_SIZE) >
	    HF_VM_HYP_MAX_PAGES)
		return -EFBIG;
	ret = hf_hyp_info(&info);
	if (ret)
		return ret;
	if (args->mem_size +
	    hf_vm_hyp_pages(args->mem_size / HF_PAGE_SIZE) * HF_PAGE_SIZE >
	    info.mem_available)
		return -ENOMEM;
	if (info.vm_count >= info.max_vms)
		return -ENOSPC;
	/*
	 * What Linux could free without swapping, less a sixteenth of its
	 * RAM: a VM must not starve the primary.
	 */
	free_pages = si_mem_available();
	if (pages + totalram_pages() / 16 > free_pages)
		return -ENOMEM;
	return 0;
}

static bool hf_name_taken(struct hf_dev *hf, const char *name)
{
	struct hf_vm *vm;
	bool taken = false;

	mutex_lock(&hf->vms_lock);
	list_for_each_entry(vm, &hf->vms, node) {
		if (!strcmp(vm->name, name)) {
			taken = true;
			break;
		}
	}
	mutex_unlock(&hf->vms_lock);
	return taken;
}

int hf_vm_create(struct hf_dev *hf, const struct hf_vm_create_args *args,
		 u16 *vm_id)
{
	struct hf_vm *vm;
	u32 desc_len;
	u64 waiters[HF_WAITERS_WORDS];
	u16 id;
	int ret;

	ret = hf_vm_create_check(hf, args);
	if (ret)
		return ret;

	mutex_lock(&hf->create_lock);
	if (hf_name_taken(hf, args->name)) {
		ret = -EEXIST;
		goto out;
	}
	vm = hf_vm_alloc(hf, 0, args->name, args->vcpu_count, args->mem_size);
	if (!vm) {
		ret = -ENOMEM;
		goto out;
	}
	vm->owned = true;
	vm->entry = args->entry ?: HF_VM_RAM_BASE;
	ret = hf_vm_alloc_memory(vm);
	if (ret)
		goto err_put;

	mutex_lock(&hf->mailbox_lock);
	desc_len = hf_vm_fill_desc(vm, page_address(hf->tx));
	ret = hf_call_vm_create(desc_len, &id);
	mutex_unlock(&hf->mailbox_lock);
	if (ret) {
		/* Not donated: Linux may have it back. */
		if (ret != -EOPNOTSUPP)
			pr_warn("HF_VM_CREATE of %s (%u vCPUs, %llu bytes in %u ranges) failed: %pe\n",
				vm->name, vm->vcpu_count, vm->mem_size,
				vm->nr_ranges, ERR_PTR(ret));
		goto err_free;
	}
	vm->id = id;
	ret = hf_vm_publish(vm);
	if (ret) {
		/* Never started: nobody has sent it anything. */
		if (hf_call_vm_destroy(id, waiters)) {
			/* The hypervisor keeps the memory: leak it. */
			pr_err("VM %u (%s): cannot destroy it after a failed create; its memory is lost\n",
			       id, vm->name);
			vm->nr_chunks = 0;
			vm->hyp = NULL;
		}
		goto err_free;
	}
	atomic64_add(vm->mem_size, &hf->mem_donated);
	/* Until it is destroyed: rmmod would lose its memory. */
	__module_get(THIS_MODULE);
	*vm_id = id;
	pr_info("VM %u (%s) created: %u vCPUs, %llu KiB in %u ranges, %zu KiB for the hypervisor\n",
		id, vm->name, vm->vcpu_count, vm->mem_size >> 10, vm->nr_ranges,
		vm->hyp_size >> 10);
	goto out;

err_free:
	hf_vm_free_memory(vm);
err_put:
	kobject_put(&vm->kobj);
out:
	mutex_unlock(&hf->create_lock);
	return ret;
}

/* Whether a lifecycle call may act on vm (vm->lock held); 0 or errno. */
static int hf_vm_check_secondary(struct hf_vm *vm)
{
	if (vm->phase == HF_PHASE_GONE)
		return -ENOENT;
	if (hf_vm_is_primary(vm))
		return -EPERM;
	return 0;
}

int hf_vm_load(struct hf_vm *vm, const void __user *src, u64 len, u64 offset)
{
	struct hf_dev *hf = vm->hf;
	u64 room = vm->mem_size - HF_VM_DT_SIZE;
	void *bounce;
	int ret;

	bounce = kmalloc(HF_MAILBOX_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	mutex_lock(&vm->lock);
	ret = hf_vm_check_secondary(vm);
	if (ret)
		goto out;
	if (vm->phase != HF_PHASE_CREATED) {
		ret = -EBUSY;
		goto out;
	}
	if (offset > room || len > room - offset) {
		ret = -EFBIG;
		goto out;
	}
	while (len) {
		u32 n = min_t(u64, len, HF_MAILBOX_SIZE);

		if (copy_from_user(bounce, src, n)) {
			ret = -EFAULT;
			break;
		}
		mutex_lock(&hf->mailbox_lock);
		memcpy(page_address(hf->tx), bounce, n);
		ret = hf_call_vm_load(vm->id, offset, n);
		mutex_unlock(&hf->mailbox_lock);
		if (ret)
			break;
		src += n;
		offset += n;
		len -= n;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
out:
	mutex_unlock(&vm->lock);
	kfree(bounce);
	return ret;
}

int hf_vm_start(struct hf_vm *vm, u64 entry)
{
	int ret;

	mutex_lock(&vm->lock);
	ret = hf_vm_check_secondary(vm);
	if (ret)
		goto out;
	if (vm->phase == HF_PHASE_RUNNING) {
		ret = -EALREADY;
		goto out;
	}
	if (vm->phase != HF_PHASE_CREATED) {
		/* A VM runs once: destroy it and create it again. */
		ret = -EINVAL;
		goto out;
	}
	entry = entry ?: vm->entry ?: HF_VM_RAM_BASE;
	if (!hf_entry_valid(entry, vm->mem_size)) {
		ret = -EINVAL;
		goto out;
	}
	ret = hf_vcpus_create_threads(vm);
	if (ret)
		goto out;
	ret = hf_call_vm_start(vm->id, entry);
	if (ret) {
		hf_vcpus_stop_threads(vm);
		goto out;
	}
	spin_lock(&vm->status_lock);
	vm->start_ns = ktime_get_boottime_ns();
	spin_unlock(&vm->status_lock);
	WRITE_ONCE(vm->phase, HF_PHASE_RUNNING);
	hf_vcpus_start_threads(vm);
	pr_info("VM %u (%s) started at 0x%llx\n", vm->id, vm->name, entry);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

/* Stops a running or created VM and ends its threads (vm->lock held). */
static int hf_vm_stop_locked(struct hf_vm *vm)
{
	int ret;

	ret = hf_call_vm_stop(vm->id);
	if (ret)
		return ret;
	if (vm->phase == HF_PHASE_CREATED) {
		WRITE_ONCE(vm->phase, HF_PHASE_ENDED);
		hf_vm_record_end(vm);
		hf_console_flush(vm);
	} else {
		hf_vm_mark_ended(vm);
	}
	/* A vCPU on a CPU leaves it at the kick; FFA_RUN says ABORTED. */
	hf_vcpus_stop_threads(vm);
	return 0;
}

int hf_vm_stop(struct hf_vm *vm)
{
	int ret;

	mutex_lock(&vm->lock);
	ret = hf_vm_check_secondary(vm);
	if (ret)
		goto out;
	if (vm->phase == HF_PHASE_ENDED) {
		ret = -EALREADY;
		goto out;
	}
	ret = hf_vm_stop_locked(vm);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

int hf_vm_destroy(struct hf_vm *vm)
{
	struct hf_dev *hf = vm->hf;
	u64 waiters[HF_WAITERS_WORDS];
	int ret, tries;

	mutex_lock(&vm->lock);
	ret = hf_vm_check_secondary(vm);
	if (ret)
		goto out;
	if (vm->phase == HF_PHASE_RUNNING) {
		ret = hf_vm_stop_locked(vm);
		if (ret)
			goto out;
	}
	/* Threads of a VM that ended by itself end by themselves. */
	hf_vcpus_stop_threads(vm);
	for (tries = 0; tries < HF_DESTROY_TRIES; tries++) {
		ret = hf_call_vm_destroy(vm->id, waiters);
		if (ret != -EBUSY)
			break;
		usleep_range(1000, 2000);
	}
	if (ret) {
		pr_warn("VM %u (%s): HF_VM_DESTROY failed: %pe\n", vm->id,
			vm->name, ERR_PTR(ret));
		goto out;
	}
	/* The hypervisor has zeroed it and given it back. */
	if (vm->owned) {
		atomic64_sub(vm->mem_size, &hf->mem_donated);
		hf_vm_free_memory(vm);
	}
	WRITE_ONCE(vm->phase, HF_PHASE_GONE);
	/* Readers of its console see it gone. */
	hf_console_flush(vm);
	pr_info("VM %u (%s) destroyed\n", vm->id, vm->name);
	mutex_unlock(&vm->lock);
	/* Senders waiting for its RX buffer retry, and fail. */
	hf_sock_rx_released(hf, waiters);
	hf_vm_unpublish(vm);
	if (vm->owned)
		module_put(THIS_MODULE);
	return 0;
out:
	mutex_unlock(&vm->lock);
	return ret;
}

int hf_vm_irq(struct hf_vm *vm, u32 vcpu, u32 intid)
{
	int phase, ret;

	if (hf_vm_is_primary(vm) || vcpu >= vm->vcpu_count ||
	    intid < HF_SOFTWARE_INTID_FIRST || intid > HF_SOFTWARE_INTID_LAST)
		return -EINVAL;
	/* Under the lock its id cannot pass to a new VM meanwhile. */
	mutex_lock(&vm->lock);
	phase = READ_ONCE(vm->phase);
	if (phase == HF_PHASE_GONE)
		ret = -ENOENT;
	else if (phase != HF_PHASE_RUNNING)
		ret = -ESRCH;
	else
		ret = hf_call_interrupt_inject(vm->id, vcpu, intid);
	/* A merged one needs no kick: its first injection kicked. */
	if (ret == 1)
		hf_vcpu_kick(&vm->vcpus[vcpu]);
	mutex_unlock(&vm->lock);
	return ret;
}

int hf_vm_status(struct hf_vm *vm, struct hf_vm_status *st)
{
	bool exit_known;
	int ret;

	if (READ_ONCE(vm->phase) == HF_PHASE_GONE)
		return -ENOENT;
	ret = hf_vm_info(vm->id, &st->info);
	if (ret)
		return ret;

	memset(&st->exit, 0, sizeof(st->exit));
	spin_lock(&vm->status_lock);
	if (hf_vm_is_primary(vm))
		st->uptime_ns = ktime_get_boottime_ns();
	else if (!vm->start_ns)
		st->uptime_ns = 0;
	else
		st->uptime_ns = (vm->end_ns ?: ktime_get_boottime_ns()) -
				vm->start_ns;
	exit_known = vm->exit_known;
	if (exit_known)
		st->exit = vm->exit;
	spin_unlock(&vm->status_lock);

	/* Ended, but no thread has seen it yet: ask. */
	if (!exit_known && !hf_vm_is_primary(vm) &&
	    (st->info.state == HF_VM_STATE_STOPPED ||
	     st->info.state == HF_VM_STATE_CRASHED))
		hf_call_vm_exit_info(vm->id, &st->exit);
	return 0;
}

/* --- Driver load and unload ---------------------------------------------- */

/* Adopts a VM that existed before the driver loaded. */
static int hf_vm_adopt(struct hf_dev *hf, u16 id)
{
	struct hf_vm_info info;
	struct hf_vm *vm;
	int ret;

	ret = hf_vm_info(id, &info);
	if (ret)
		return ret;
	vm = hf_vm_alloc(hf, id, info.name, info.vcpu_count, info.mem_size);
	if (!vm)
		return -ENOMEM;
	switch (info.state) {
	case HF_VM_STATE_CREATED:
		vm->phase = HF_PHASE_CREATED;
		break;
	case HF_VM_STATE_RUNNING:
		vm->phase = HF_PHASE_RUNNING;
		break;
	default:
		vm->phase = HF_PHASE_ENDED;
		vm->exit_known = !hf_call_vm_exit_info(id, &vm->exit);
		vm->ended = true;
		break;
	}
	vm->entry = HF_VM_RAM_BASE;
	ret = hf_vm_publish(vm);
	if (ret) {
		kobject_put(&vm->kobj);
		return ret;
	}
	if (vm->phase == HF_PHASE_RUNNING && !hf_vm_is_primary(vm)) {
		vm->start_ns = ktime_get_boottime_ns();
		ret = hf_vcpus_create_threads(vm);
		if (ret)
			return ret;
		hf_vcpus_start_threads(vm);
		pr_info("VM %u (%s): running it, %u vCPUs\n", id, vm->name,
			vm->vcpu_count);
	}
	return 0;
}

int hf_vms_init(struct hf_dev *hf)
{
	u16 ids[HF_VM_LIST_MAX];
	int ret, count, i;

	INIT_LIST_HEAD(&hf->vms);
	count = hf_vm_list(hf, ids);
	if (count < 0)
		return count;
	for (i = 0; i < count; i++) {
		ret = hf_vm_adopt(hf, ids[i]);
		if (ret) {
			hf_vms_exit(hf);
			return ret;
		}
	}
	return 0;
}

/*
 * Forgets every VM. Only adopted ones can be left (each created one holds
 * the module); those running keep their state in the hypervisor, and the
 * driver runs them again when it is loaded again.
 */
void hf_vms_exit(struct hf_dev *hf)
{
	struct hf_vm *vm;

	for (;;) {
		mutex_lock(&hf->vms_lock);
		vm = list_first_entry_or_null(&hf->vms, struct hf_vm, node);
		mutex_unlock(&hf->vms_lock);
		if (!vm)
			break;
		mutex_lock(&vm->lock);
		hf_vcpus_stop_threads(vm);
		mutex_unlock(&vm->lock);
		hf_vm_unpublish(vm);
	}
}
