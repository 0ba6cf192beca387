/* SPDX-License-Identifier: BSD-3-Clause */
/* The boot flow: the boot CPU builds the hypervisor's stage-1, reads the
 * boot DTB and the hafnium ramdisk, loads the primary VM and enters it;
 * every CPU started later (PSCI CPU_ON from the primary) comes through
 * cpu_main to run its vCPU of the primary. */
#include "hf/api.h"
#include "hf/arch/cpu.h"
#include "hf/arch/mm.h"
#include "hf/boot_params.h"
#include "hf/cpio.h"
#include "hf/cpu.h"
#include "hf/devices.h"
#include "hf/dlog.h"
#include "hf/dma.h"
#include "hf/dma_map.h"
#include "hf/fdt_patch.h"
#include "hf/gic_trap.h"
#include "hf/layout.h"
#include "hf/load.h"
#include "hf/manifest.h"
#include "hf/psci.h"
#include "hf/panic.h"
#include "hf/plat/console.h"
#include "hf/primary_memory.h"
#include "hf/vm.h"

#include <libfdt.h>

#define HYP_POOL_PAGES 512
#define FDT_WINDOW (2 * BOOT_FDT_MAX_SIZE)

/* Not zeroed at boot (hafnium.ld): mpool zeroes a page it hands out. */
static uint8_t pool_pages[HYP_POOL_PAGES][PAGE_SIZE]
	__attribute__((aligned(PAGE_SIZE), section(".noinit")));
static struct mpool pool;
static struct mm_ptable hyp_ptable;

void boot_main(uintptr_t fdt_addr);
void cpu_main(size_t index);

__attribute__((noreturn)) static void boot_fail(const char *msg)
{
	dlog("hafnium: boot error: %s\n", msg);
	arch_power_off();
}

/* Identity-maps `r` except the part inside `hole`. */
static bool map_around(struct mm_ptable *t, struct pa_range r,
		       struct pa_range hole, uint32_t mode)
{
	if (!pa_range_overlaps(r, hole)) {
		return mm_identity_map(t, r.begin, r.end, mode, &pool);
	}
	if (pa_addr(r.begin) < pa_addr(hole.begin) &&
	    !mm_identity_map(t, r.begin, hole.begin, mode, &pool)) {
		return false;
	}
	return pa_addr(r.end) <= pa_addr(hole.end) ||
	       mm_identity_map(t, hole.end, r.end, mode, &pool);
}

static void map_hypervisor(const struct hyp_layout *l, uintptr_t fdt_addr)
{
	struct pa_range fdt_window = {
		pa_init(align_down(fdt_addr, BOOT_FDT_MAX_SIZE)),
		pa_init(align_down(fdt_addr, BOOT_FDT_MAX_SIZE) + FDT_WINDOW),
	};
	paddr_t console = plat_console_base();
	struct pa_range guard;
	size_t i;
	bool ok;

	mpool_init(&pool, pool_pages, HYP_POOL_PAGES);
	ok = mm_ptable_init(&hyp_ptable, MM_STAGE1, 0, &pool) &&
	     mm_identity_map(&hyp_ptable, l->image_begin, l->text_end,
			     MM_MODE_R | MM_MODE_X, &pool) &&
	     mm_identity_map(&hyp_ptable, l->text_end, l->rodata_end,
			     MM_MODE_R, &pool) &&
	     mm_identity_map(&hyp_ptable, l->rodata_end, l->image_end,
			     MM_MODE_R | MM_MODE_W, &pool) &&
	     mm_identity_map(&hyp_ptable, console, pa_add(console, PAGE_SIZE),
			     MM_MODE_R | MM_MODE_W | MM_MODE_D, &pool) &&
	     map_around(&hyp_ptable, fdt_window, l->reserved,
			MM_MODE_R | MM_MODE_W);
	for (i = 0; ok && arch_stack_guard(i, &guard); i++) {
		ok = mm_unmap(&hyp_ptable, pa_addr(guard.begin),
			      pa_addr(guard.end), &pool);
	}
	if (!ok) {
		boot_fail("cannot build the hypervisor's page tables");
	}
	if (!arch_mm_enable(&hyp_ptable)) {
		boot_fail("the CPU's physical address range is below 40 bits");
	}
}

static void map_ram(const struct boot_params *p, const struct hyp_layout *l)
{
	size_t i;

	for (i = 0; i < p->mem_count; i++) {
		if (!map_around(&hyp_ptable, p->mem[i], l->reserved,
				MM_MODE_R | MM_MODE_W)) {
			boot_fail("cannot map RAM for the hypervisor");
		}
	}
}

/* The registers hafnium drives or forwards to: the GIC's distributor and
 * redistributors (hf/gic_trap.h) and the SMMU's. */
static void map_devices_for_hypervisor(const struct devices *d)
{
	const uint32_t mode = MM_MODE_R | MM_MODE_W | MM_MODE_D;
	bool ok = mm_identity_map(&hyp_ptable, d->gicd.begin, d->gicd.end,
				  mode, &pool) &&
		  mm_identity_map(&hyp_ptable, d->gicr.begin, d->gicr.end,
				  mode, &pool);

	if (ok && d->has_smmu) {
		ok = mm_identity_map(&hyp_ptable, d->smmu.begin, d->smmu.end,
				     mode, &pool);
	}
	if (!ok) {
		boot_fail("cannot map the GIC and SMMU for the hypervisor");
	}
}

static struct cpio_file ramdisk_file(const struct boot_params *p,
				     const char *name)
{
	struct cpio_file f;
	struct hf_error err;

	if (cpio_find(ptr_from_pa(p->initrd.begin), pa_range_size(p->initrd),
		      name, &f, &err) != CPIO_OK) {
		boot_fail(err.msg);
	}
	return f;
}

/* The primary's stage-2: the allowed devices, the GIC as gic_trap_init()
 * decides, and its RAM (through primary_memory, so that its devices' DMA
 * map says the same) but for what hafnium keeps (`hidden`). */
static void build_primary_stage2(struct vm *vm, const struct boot_params *p,
				 const struct devices *d,
				 const struct pa_range *hidden,
				 size_t hidden_count)
{
	struct mm_ptable *t = &vm->ptable;
	struct vm_locked locked;
	struct hf_error err;
	bool ok;
	size_t i;

	ok = mm_ptable_init(t, MM_STAGE2, vm->id - 1, &pool);
	for (i = 0; ok && i < d->mapped_count; i++) {
		ok = mm_identity_map(t, d->mapped[i].begin, d->mapped[i].end,
				     MM_MODE_R | MM_MODE_W | MM_MODE_D, &pool);
	}
	if (!ok) {
		boot_fail("cannot build the primary VM's stage-2 page tables");
	}
	if (!gic_trap_init(d->gicd, d->gicr, t, &pool, &err)) {
		boot_fail(err.msg);
	}
	locked = vm_lock(vm);
	for (i = 0; ok && i < p->mem_count; i++) {
		ok = primary_memory_give(locked, p->mem[i], &pool);
	}
	for (i = 0; ok && i < hidden_count; i++) {
		ok = primary_memory_take(locked, hidden[i], &pool);
	}
	vm_unlock(&locked);
	if (!ok) {
		boot_fail("cannot build the primary VM's stage-2 page tables");
	}
}

/* The SMMU's page table covers every RAM page (hf/dma_map.h): carved out
 * of free RAM and kept from the primary like a static VM. */
static void take_smmu(const struct boot_params *p, const struct devices *d,
		      struct pa_range *busy, size_t *busy_count,
		      struct fdt_patch_params *patch)
{
	size_t size = dma_map_table_size(p->mem, p->mem_count);
	struct pa_range tables;
	struct hf_error err;

	if (!load_find_free(p, busy, *busy_count, size, PAGE_SIZE, 0,
			    &tables.begin)) {
		boot_fail("no free memory for the SMMU's page table");
	}
	tables.end = pa_add(tables.begin, size);
	if (!dma_init(d->smmu.begin, tables, p->mem, p->mem_count, &err)) {
		boot_fail(err.msg);
	}
	busy[(*busy_count)++] = tables;
	patch->reserved[patch->reserved_count++] = tables;
	patch->has_dma_fault_irq = true;
	memcpy(patch->dma_fault_irq, d->smmu_irq, sizeof(d->smmu_irq));
	dlog("hafnium: SMMUv3 at 0x%lx taken: the primary's DMA reaches only "
	     "its own memory (page table of %zu KiB at 0x%lx)\n",
	     (unsigned long)pa_addr(d->smmu.begin), size >> 10,
	     (unsigned long)pa_addr(tables.begin));
}

/* Carves memory for each static secondary (manifest vm2..) out of what
 * nobody uses yet, loads its image (an arm64 Image at its text_offset, or
 * a raw binary at 0) and starts it; each range becomes busy and reserved
 * from the primary. */
static void load_static_vms(const struct boot_params *p,
			    const struct manifest *m, struct pa_range *busy,
			    size_t *busy_count, struct fdt_patch_params *patch)
{
	size_t i;

	for (i = 1; i < m->vm_count; i++) {
		const struct manifest_vm *mv = &m->vm[i];
		struct cpio_file file = ramdisk_file(p, mv->kernel_filename);
		struct kernel_image image;
		struct hf_error err;
		uint64_t offset = 0;
		uint64_t size = align_up(mv->mem_size, PAGE_SIZE);
		uint64_t hyp_size =
			hf_vm_hyp_pages(size / PAGE_SIZE) * PAGE_SIZE;
		struct pa_range mem;
		struct pa_range hyp;

		if (load_parse_image(file.data, file.size, mv->kernel_filename,
				     &image, &err) == LOAD_OK) {
			offset = image.text_offset;
		}
		if (!load_find_free(p, busy, *busy_count, size, KERNEL_ALIGN, 0,
				    &mem.begin)) {
			hf_error_set(&err, 0, "vm%zu '%s': no free memory for "
				     "its mem_size (%llu KiB)", i + 1,
				     mv->debug_name,
				     (unsigned long long)(size >> 10));
			boot_fail(err.msg);
		}
		mem.end = pa_add(mem.begin, size);
		busy[(*busy_count)++] = mem;
		if (!load_find_free(p, busy, *busy_count, hyp_size, PAGE_SIZE,
				    0, &hyp.begin)) {
			hf_error_set(&err, 0, "vm%zu '%s': no free memory for "
				     "the hypervisor's %llu KiB for it", i + 1,
				     mv->debug_name,
				     (unsigned long long)(hyp_size >> 10));
			boot_fail(err.msg);
		}
		hyp.end = pa_add(hyp.begin, hyp_size);
		if (api_vm_create_static(mv->debug_name, mv->vcpu_count, mem,
					 hyp, file.data, file.size,
					 offset) == NULL) {
			hf_error_set(&err, 0, "vm%zu '%s': cannot create it (%u "
				     "vCPUs, %llu KiB, kernel '%s' of %zu KiB; "
				     "at least %d pages plus its image and "
				     "device tree)",
				     i + 1, mv->debug_name, mv->vcpu_count,
				     (unsigned long long)(size >> 10),
				     mv->kernel_filename, file.size >> 10,
				     HF_VM_MIN_PAGES);
			boot_fail(err.msg);
		}
		busy[(*busy_count)++] = hyp;
		patch->reserved[patch->reserved_count++] = mem;
		patch->reserved[patch->reserved_count++] = hyp;
		dlog("hafnium: static VM %zu '%s' at 0x%lx: %u vCPUs, %llu "
		     "KiB\n",
		     i + 1, mv->debug_name, (unsigned long)pa_addr(mem.begin),
		     mv->vcpu_count, (unsigned long long)(size >> 10));
	}
}

void boot_main(uintptr_t fdt_addr)
{
	struct hyp_layout l = plat_hyp_layout();
	struct boot_params p;
	struct manifest m;
	struct hf_error err;
	struct cpio_file manifest_file;
	struct cpio_file kernel;
	struct cpio_file initramfs;
	struct kernel_image image;
	struct kernel_file kernel_file;
	struct pa_range keep[2];
	struct primary_layout primary;
	struct fdt_patch_params patch = { 0 };
	struct devices devices;
	struct pa_range busy[6 + 2 * MANIFEST_MAX_VMS];
	size_t busy_count = 3;
	struct vm_table_locked table;
	struct vm *vm;
	struct cpu *boot_cpu;
	size_t fdt_max = BOOT_FDT_MAX_SIZE;
	size_t i;

	map_hypervisor(&l, fdt_addr);
	dlog("hafnium: EL2 hypervisor, image 0x%lx-0x%lx\n",
	     (unsigned long)pa_addr(l.image_begin),
	     (unsigned long)pa_addr(l.image_end));

	if (boot_params_read((const void *)fdt_addr, fdt_max, &p, &err) !=
	    BOOT_PARAMS_OK) {
		boot_fail(err.msg);
	}
	map_ram(&p, &l);
	if (devices_read((const void *)fdt_addr, &devices, &err) !=
	    DEVICES_OK) {
		boot_fail(err.msg);
	}
	map_devices_for_hypervisor(&devices);

	manifest_file = ramdisk_file(&p, "manifest.dtb");
	if (manifest_parse(manifest_file.data, manifest_file.size, &m, &err) !=
	    MANIFEST_OK) {
		boot_fail(err.msg);
	}
	kernel = ramdisk_file(&p, m.vm[0].kernel_filename);
	initramfs = ramdisk_file(&p, m.vm[0].ramdisk_filename);
	if (load_parse_image(kernel.data, kernel.size, m.vm[0].kernel_filename,
			     &image, &err) != LOAD_OK) {
		boot_fail(err.msg);
	}

	busy[0] = l.reserved;
	busy[1] = p.initrd;
	busy[2].begin = pa_init(fdt_addr);
	busy[2].end = pa_add(busy[2].begin, fdt_totalsize((const void *)fdt_addr));
	/* Everything else in the ramdisk, and the boot DTB, is read before
	 * the primary runs and may be zeroed as its bss then. */
	keep[0] = l.reserved;
	keep[1].begin = pa_from_ptr(initramfs.data);
	keep[1].end = pa_add(keep[1].begin, initramfs.size);
	kernel_file.at = pa_from_ptr(kernel.data);
	kernel_file.keep = keep;
	kernel_file.keep_count = ARRAY_SIZE(keep);
	if (load_plan_primary(&p, busy, busy_count, &image, &kernel_file,
			      align_up(pa_range_size(busy[2]) +
					       FDT_PATCH_EXTRA_SPACE,
				       PAGE_SIZE),
			      &primary, &err) != LOAD_OK) {
		boot_fail(err.msg);
	}
	if (!primary.kernel_in_place) {
		memcpy(ptr_from_pa(primary.kernel.begin), kernel.data,
		       kernel.size);
		arch_mm_clean_dcache_range(primary.kernel.begin, kernel.size);
	}

	api_init(&pool);
	busy[busy_count++] = primary.kernel;
	busy[busy_count++] = primary.fdt;
	patch.initrd.begin = pa_from_ptr(initramfs.data);
	patch.initrd.end = pa_add(patch.initrd.begin, initramfs.size);
	patch.reserved[0] = l.reserved;
	patch.reserved_count = 1;
	load_static_vms(&p, &m, busy, &busy_count, &patch);
	if (devices.has_smmu) {
		take_smmu(&p, &devices, busy, &busy_count, &patch);
	}
	cpu_module_init(p.cpu_ids, p.cpu_count);
	psci_probe_firmware();
	boot_cpu = cpu_find(arch_cpu_current_id());
	if (boot_cpu == NULL) {
		boot_fail("the boot CPU is not listed in the boot DTB");
	}
	table = vm_table_lock();
	vm = vm_alloc_primary(table, m.vm[0].debug_name, p.cpu_count);
	build_primary_stage2(vm, &p, &devices, patch.reserved,
			     patch.reserved_count);
	for (i = 0; i < p.cpu_count; i++) {
		/* Primary vCPU i belongs to CPU i for good. */
		vm->vcpus[i].state = VCPU_RUNNING;
		vm->vcpus[i].cpu = cpu_by_index(i);
	}
	vm->state = HF_VM_STATE_RUNNING;
	vm_publish(table, vm);
	vm_table_unlock(&table);
	/* Once the GIC's layout is known: a GICv4's redistributors are 4
	 * frames apart, which GICR_TYPER.VLPIS no longer tells the primary. */
	if (gic_trap_redist_stride() != 2 * GIC_FRAME_SIZE) {
		patch.redistributor_stride = gic_trap_redist_stride();
	}
	if (fdt_patch_primary((const void *)fdt_addr, fdt_max,
			      ptr_from_pa(primary.fdt.begin),
			      pa_range_size(primary.fdt), &patch,
			      &err) != FDT_PATCH_OK) {
		boot_fail(err.msg);
	}
	/* Packed: only its blocks were written, not the room it had. */
	arch_mm_clean_dcache_range(
		primary.fdt.begin,
		fdt_totalsize((const void *)ptr_from_pa(primary.fdt.begin)));

	dlog("hafnium: primary VM's devices: %zu regions mapped, the GIC "
	     "trapped, %zu left out (not on the allow-list, or DMA that no "
	     "SMMU of hafnium's checks)\n",
	     devices.mapped_count, devices.left_out_count);
	dlog("hafnium: primary VM '%s': kernel '%s' %s 0x%lx, initramfs "
	     "'%s' (%zu KiB), DTB at 0x%lx, %zu vCPUs; hypervisor keeps "
	     "0x%lx-0x%lx; entering it at %lu us of the system counter\n",
	     vm->name, m.vm[0].kernel_filename,
	     primary.kernel_in_place ? "in place at" : "copied to",
	     (unsigned long)pa_addr(primary.kernel.begin),
	     m.vm[0].ramdisk_filename, initramfs.size >> 10,
	     (unsigned long)pa_addr(primary.fdt.begin), vm->vcpu_count,
	     (unsigned long)pa_addr(l.reserved.begin),
	     (unsigned long)pa_addr(l.reserved.end),
	     (unsigned long)arch_counter_us());
	boot_cpu->primary = &vm->vcpus[boot_cpu->index];
	arch_vcpu_enter_primary(&vm->vcpus[boot_cpu->index],
				pa_addr(primary.kernel.begin),
				pa_addr(primary.fdt.begin));
}

void cpu_main(size_t index)
{
	struct cpu *c = cpu_by_index(index);
	uintptr_t entry;
	uint64_t arg;

	if (c == NULL || !arch_mm_enable(&hyp_ptable)) {
		panic("CPU %zu cannot start", index);
	}
	sl_lock(&c->lock);
	entry = c->vcpu_entry;
	arg = c->vcpu_arg;
	sl_unlock(&c->lock);
	c->primary = &vm_primary()->vcpus[index];
	arch_vcpu_enter_primary(c->primary, entry, arg);
}
