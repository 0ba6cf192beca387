/* SPDX-License-Identifier: BSD-3-Clause */
/* The table of physical CPUs, built from the boot DTB. */
#include "hf/cpu.h"

static struct cpu cpus[MAX_CPUS];
static size_t cpus_count;

void cpu_module_init(const uint64_t *ids, size_t count)
{
	size_t i;

	cpus_count = count < MAX_CPUS ? count : MAX_CPUS;
	for (i = 0; i < cpus_count; i++) {
		cpus[i].index = i;
		cpus[i].id = ids[i];
		sl_init(&cpus[i].lock, LOCK_RANK_CPU);
		cpus[i].vcpu_entry = 0;
		cpus[i].vcpu_arg = 0;
	}
}

size_t cpu_count(void)
{
	return cpus_count;
}

struct cpu *cpu_by_index(size_t index)
{
	return index < cpus_count ? &cpus[index] : NULL;
}

struct cpu *cpu_find(uint64_t id)
{
	size_t i;

	for (i = 0; i < cpus_count; i++) {
		if (cpus[i].id == id) {
			return &cpus[i];
		}
	}
	return NULL;
}

void cpu_set_vcpu_entry(struct cpu *c, uintptr_t entry, uint64_t arg)
{
	sl_lock(&c->lock);
	c->vcpu_entry = entry;
	c->vcpu_arg = arg;
	sl_unlock(&c->lock);
}
