/* SPDX-License-Identifier: BSD-3-Clause */
/* Reads /memory, /cpus and /chosen from the boot DTB with libfdt. */
#include "hf/boot_params.h"

#include <libfdt.h>

#include "hf/fdt_check.h"

static enum boot_params_result read_memory(const void *fdt,
					   struct boot_params *p,
					   struct hf_error *err)
{
	int ac = fdt_cells_prop(fdt, 0, "#address-cells", 2);
	int sc = fdt_cells_prop(fdt, 0, "#size-cells", 1);
	int node;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		hf_error_set(err, BOOT_PARAMS_BAD_MEMORY,
			     "boot DTB: unsupported #address-cells/#size-cells");
		return BOOT_PARAMS_BAD_MEMORY;
	}
	p->mem_count = 0;
	fdt_for_each_subnode(node, fdt, 0)
	{
		int len;
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		const fdt32_t *reg;
		int entries;
		int i;

		if (type == NULL || len != sizeof("memory") ||
		    memcmp(type, "memory", sizeof("memory")) != 0) {
			continue;
		}
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (reg == NULL || len <= 0 || len % (4 * (ac + sc)) != 0) {
			hf_error_set(err, BOOT_PARAMS_BAD_MEMORY,
				     "boot DTB: malformed memory node");
			return BOOT_PARAMS_BAD_MEMORY;
		}
		entries = len / (4 * (ac + sc));
		for (i = 0; i < entries; i++) {
			const fdt32_t *e = reg + i * (ac + sc);
			uint64_t base = fdt_read_cells(e, ac);
			uint64_t size = fdt_read_cells(e + ac, sc);

			if (size == 0) {
				continue;
			}
			if (p->mem_count == BOOT_MAX_MEM_RANGES ||
			    base + size < base ||
			    !is_aligned(base | size, PAGE_SIZE)) {
				hf_error_set(err, BOOT_PARAMS_BAD_MEMORY,
					     "boot DTB: unusable memory range "
					     "0x%llx+0x%llx",
					     (unsigned long long)base,
					     (unsigned long long)size);
				return BOOT_PARAMS_BAD_MEMORY;
			}
			p->mem[p->mem_count].begin = pa_init(base);
			p->mem[p->mem_count].end = pa_init(base + size);
			p->mem_count++;
		}
	}
	if (p->mem_count == 0) {
		hf_error_set(err, BOOT_PARAMS_NO_MEMORY,
			     "boot DTB: no memory node");
		return BOOT_PARAMS_NO_MEMORY;
	}
	return BOOT_PARAMS_OK;
}

static enum boot_params_result read_cpus(const void *fdt, struct boot_params *p,
					 struct hf_error *err)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int ac;
	int node;

	p->cpu_count = 0;
	if (cpus < 0) {
		hf_error_set(err, BOOT_PARAMS_NO_CPUS, "boot DTB: no /cpus node");
		return BOOT_PARAMS_NO_CPUS;
	}
	ac = fdt_cells_prop(fdt, cpus, "#address-cells", 1);
	if (ac < 1 || ac > 2) {
		hf_error_set(err, BOOT_PARAMS_NO_CPUS,
			     "boot DTB: bad /cpus #address-cells");
		return BOOT_PARAMS_NO_CPUS;
	}
	fdt_for_each_subnode(node, fdt, cpus)
	{
		int len;
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		const fdt32_t *reg;

		if (type == NULL || len != sizeof("cpu") ||
		    memcmp(type, "cpu", sizeof("cpu")) != 0) {
			continue;
		}
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (reg == NULL || len != 4 * ac) {
			hf_error_set(err, BOOT_PARAMS_NO_CPUS,
				     "boot DTB: cpu node without a valid reg");
			return BOOT_PARAMS_NO_CPUS;
		}
		if (p->cpu_count == MAX_CPUS) {
			hf_error_set(err, BOOT_PARAMS_TOO_MANY_CPUS,
				     "boot DTB: more than %d CPUs", MAX_CPUS);
			return BOOT_PARAMS_TOO_MANY_CPUS;
		}
		p->cpu_ids[p->cpu_count++] = fdt_read_cells(reg, ac);
	}
	if (p->cpu_count == 0) {
		hf_error_set(err, BOOT_PARAMS_NO_CPUS, "boot DTB: no CPUs");
		return BOOT_PARAMS_NO_CPUS;
	}
	return BOOT_PARAMS_OK;
}

static bool read_chosen_addr(const void *fdt, int chosen, const char *name,
			     uint64_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, chosen, name, &len);

	if (p == NULL || (len != 4 && len != 8)) {
		return false;
	}
	*out = fdt_read_cells(p, len / 4);
	return true;
}

static enum boot_params_result read_initrd(const void *fdt,
					   struct boot_params *p,
					   struct hf_error *err)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t begin;
	uint64_t end;
	size_t i;

	if (chosen < 0 ||
	    !read_chosen_addr(fdt, chosen, "linux,initrd-start", &begin) ||
	    !read_chosen_addr(fdt, chosen, "linux,initrd-end", &end)) {
		hf_error_set(err, BOOT_PARAMS_NO_INITRD,
			     "no initrd: boot with the hafnium ramdisk "
			     "(QEMU -initrd)");
		return BOOT_PARAMS_NO_INITRD;
	}
	p->initrd.begin = pa_init(begin);
	p->initrd.end = pa_init(end);
	for (i = 0; i < p->mem_count; i++) {
		if (begin < end && begin >= pa_addr(p->mem[i].begin) &&
		    end <= pa_addr(p->mem[i].end)) {
			return BOOT_PARAMS_OK;
		}
	}
	hf_error_set(err, BOOT_PARAMS_BAD_INITRD,
		     "initrd 0x%llx-0x%llx is empty or outside memory",
		     (unsigned long long)begin, (unsigned long long)end);
	return BOOT_PARAMS_BAD_INITRD;
}

enum boot_params_result boot_params_read(const void *fdt, size_t max_size,
					 struct boot_params *p,
					 struct hf_error *err)
{
	enum boot_params_result r;

	memset(p, 0, sizeof(*p));
	if (!fdt_blob_valid(fdt, max_size)) {
		hf_error_set(err, BOOT_PARAMS_BAD_DTB,
			     "the boot DTB is missing or corrupt");
		return BOOT_PARAMS_BAD_DTB;
	}
	r = read_memory(fdt, p, err);
	if (r == BOOT_PARAMS_OK) {
		r = read_cpus(fdt, p, err);
	}
	if (r == BOOT_PARAMS_OK) {
		r = read_initrd(fdt, p, err);
	}
	return r;
}
