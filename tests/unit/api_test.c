/* SPDX-License-Identifier: BSD-3-Clause */
/* The hypercall ABI: FF-A calls and HF vendor calls from a VM whose
 * stage-2 looks like the primary's (RAM, devices, the hypervisor's hole).
 * The VM's "RAM" is a host mapping at a fixed low address, so that its
 * addresses fit the 40-bit IPA space and EL2-style accesses by physical
 * address work on the host. */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "hf/api.h"
#include "hf/cpu.h"
#include "hf/psci.h"

#include "fake.h"
#include "test.h"

#define ARENA ((uintptr_t)0x50000000)
#define ARENA_SIZE (1024 * PAGE_SIZE) /* two 2 MiB blocks */
#define VM_MEM (ARENA + 32 * PAGE_SIZE) /* 32 pages a test VM may get */
#define HYP_MEM (ARENA + 64 * PAGE_SIZE) /* its hyp pages (up to 32) */
#define HYP_PAGES 16 /* more than hf_vm_hyp_pages(32), which is 10 */
/* In the second 2 MiB block, which the primary maps as one block. */
#define FAR_MEM (ARENA + 512 * PAGE_SIZE)
#define HYP_HOLE (ARENA + 8 * PAGE_SIZE) /* unmapped, like EL2's memory */
#define DEVICE_PAGE ((uintptr_t)0x09000000)
#define RWX (MM_MODE_R | MM_MODE_W | MM_MODE_X)

static struct mpool pool;
static void *pool_mem;
static struct vm *vm;

/* Takes every VM out of the table and frees it, the primary too, as a
 * reboot would. */
static void retire_all(void)
{
	struct vm_table_locked table = vm_table_lock();
	struct vm_locked locked;
	struct vm *v;
	uint16_t id;

	for (id = HF_PRIMARY_VM_ID; id <= HF_MAX_VMS; id++) {
		v = vm_table_find(table, id);
		if (v != NULL) {
			locked = vm_lock(v);
			vm_retire(table, locked);
			vm_unlock(&locked);
			vm_free(table, v);
		}
	}
	vm_table_unlock(&table);
}

/* The VM with that id, or NULL (the tests run on one thread: nothing can
 * retire it behind their back). */
static struct vm *vm_of(uint16_t id)
{
	struct vm *v = vm_get(id);

	if (v != NULL) {
		vm_put(v);
	}
	return v;
}

static size_t vms_in_table(void)
{
	struct vm_table_locked table = vm_table_lock();
	size_t count = vm_count(table);

	vm_table_unlock(&table);
	return count;
}

/* What the vectors do after a trap handler: a vCPU that left this CPU is
 * published once saved. */
static struct vcpu *exit_to(struct vcpu *from, struct vcpu *next)
{
	if (next != from && from->regs.leaving) {
		vcpu_saved(from);
	}
	return next;
}

static struct vm *setup(void)
{
	static const uint64_t cpu_ids[] = { 0, 1, 2, 3 };
	static bool arena_mapped;
	struct vm_table_locked table;
	size_t i;

	if (!arena_mapped) {
		void *p = mmap((void *)ARENA, ARENA_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != (void *)ARENA) {
			perror("mmap arena");
			abort();
		}
		pool_mem = aligned_alloc(2 * PAGE_SIZE, 64 * PAGE_SIZE);
		arena_mapped = true;
	}
	retire_all();
	cpu_module_init(cpu_ids, 4);
	table = vm_table_lock();
	vm = vm_alloc_primary(table, "primary", 4);
	vm->mem_size = 1 << 20;
	for (i = 0; i < 4; i++) {
		vm->vcpus[i].state = VCPU_RUNNING;
		vm->vcpus[i].cpu = cpu_by_index(i);
		cpu_by_index(i)->primary = &vm->vcpus[i];
	}
	mpool_init(&pool, pool_mem, 64);
	memset(&vm->mailbox, 0, sizeof(vm->mailbox));
	if (!mm_ptable_init(&vm->ptable, MM_STAGE2, vm->id - 1, &pool) ||
	    !mm_map(&vm->ptable, 0, 0x40000000, pa_init(0),
		    MM_MODE_R | MM_MODE_W | MM_MODE_D, &pool) ||
	    !mm_identity_map(&vm->ptable, pa_init(ARENA),
			     pa_init(ARENA + ARENA_SIZE), RWX, &pool) ||
	    !mm_unmap(&vm->ptable, HYP_HOLE, HYP_HOLE + PAGE_SIZE, &pool)) {
		abort();
	}
	vm_publish(table, vm);
	vm_table_unlock(&table);
	api_init(&pool);
	return vm;
}

/* A hypercall from `v`; returns its registers x0..x7 afterwards and
 * which vCPU runs next in *next. */
static struct ffa_value hvc_from(struct vcpu *v, struct ffa_value regs,
				 struct vcpu **next)
{
	struct vcpu *n;

	memcpy(v->regs.x, &regs, sizeof(regs));
	n = exit_to(v, api_handle_call(v));
	/* Every call releases every lock it took, in whatever order. */
	EXPECT_EQ(fake_locks_held(), 0);
	if (next != NULL) {
		*next = n;
	}
	memcpy(&regs, n->regs.x, sizeof(regs));
	return regs;
}

static struct ffa_value regs_of(const struct vcpu *v)
{
	struct ffa_value r;

	memcpy(&r, v->regs.x, sizeof(r));
	return r;
}

static struct ffa_value handle(struct ffa_value regs)
{
	return hvc_from(&vm->vcpus[0], regs, NULL);
}

static struct ffa_value call(uint64_t func, uint64_t a1, uint64_t a2,
			     uint64_t a3)
{
	return handle((struct ffa_value){ .func = func,
					  .arg1 = a1,
					  .arg2 = a2,
					  .arg3 = a3 });
}

#define EXPECT_FFA_ERROR(r, code)                       \
	do {                                            \
		EXPECT_EQ((r).func, FFA_ERROR_32);      \
		EXPECT_EQ((int32_t)(r).arg2, (code));   \
	} while (0)

TEST(api, version)
{
	setup();
	EXPECT_EQ(call(FFA_VERSION_32, 0x10000, 0, 0).func, 0x10001);
	EXPECT_EQ(call(FFA_VERSION_32, 0x10005, 0, 0).func, 0x10001);
	EXPECT_EQ((int64_t)call(FFA_VERSION_32, 0x20000, 0, 0).func,
		  FFA_NOT_SUPPORTED);
	EXPECT_EQ((int64_t)call(FFA_VERSION_32, 0x80010001, 0, 0).func,
		  FFA_NOT_SUPPORTED);
}

TEST(api, id_get_and_features)
{
	struct ffa_value r;

	setup();
	r = call(FFA_ID_GET_32, 0, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(r.arg2, HF_PRIMARY_VM_ID);
	EXPECT_EQ(call(FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0).func,
		  FFA_SUCCESS_32);
	EXPECT_EQ(call(FFA_FEATURES_32, FFA_RUN_32, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_FEATURES_32, 0x84000071 /* MEM_DONATE */, 0,
			      0),
			 FFA_NOT_SUPPORTED);
	EXPECT_FFA_ERROR(call(FFA_FEATURES_32, 1 /* a feature id */, 0, 0),
			 FFA_NOT_SUPPORTED);
}

TEST(api, w0_only_results_preserve_the_other_registers)
{
	struct ffa_value r = handle((struct ffa_value){ .func = FFA_VERSION_32,
						 .arg1 = 0x10001,
						 .arg4 = 44,
						 .arg7 = 77 });

	EXPECT_EQ(r.func, 0x10001);
	EXPECT_EQ(r.arg1, 0x10001);
	EXPECT_EQ(r.arg4, 44);
	EXPECT_EQ(r.arg7, 77);
	r = handle((struct ffa_value){ .func = 0x12345678, .arg5 = 5 });
	EXPECT_EQ((int64_t)r.func, SMCCC_NOT_SUPPORTED);
	EXPECT_EQ(r.arg5, 5);
	/* FF-A answers clear every unused result register. */
	r = handle((struct ffa_value){ .func = FFA_ID_GET_32, .arg7 = 77 });
	EXPECT_EQ(r.arg7, 0);
}

TEST(api, unknown_calls)
{
	setup();
	EXPECT_FFA_ERROR(call(0x8400007f, 0, 0, 0), FFA_NOT_SUPPORTED);
	EXPECT_FFA_ERROR(call(0xc40000ff, 0, 0, 0), FFA_NOT_SUPPORTED);
	EXPECT_EQ((int64_t)call(0xc6000fff, 0, 0, 0).func, SMCCC_NOT_SUPPORTED);
	EXPECT_EQ((int64_t)call(0x12345678abcdull, 0, 0, 0).func,
		  SMCCC_NOT_SUPPORTED);
	/* SMCCC: the function id is w0 alone. */
	EXPECT_EQ(call(0xffffffff00000000ull | FFA_VERSION_32, 0x10001, 0, 0)
			  .func,
		  0x10001);
	EXPECT_EQ(call(SMCCC_VERSION_FUNC, 0, 0, 0).func, SMCCC_VERSION_1_2);
}

TEST(api, rxtx_map_validates_addresses)
{
	uint64_t tx = ARENA;
	uint64_t rx = ARENA + PAGE_SIZE;

	setup();
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx + 8, rx, 1),
			 FFA_INVALID_PARAMETERS); /* unaligned */
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx, DEVICE_PAGE, 1),
			 FFA_INVALID_PARAMETERS); /* device */
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, HYP_HOLE, rx, 1),
			 FFA_INVALID_PARAMETERS); /* hypervisor */
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx, 0x7f000000, 1),
			 FFA_INVALID_PARAMETERS); /* not the VM's */
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx, 1ull << 45, 1),
			 FFA_INVALID_PARAMETERS); /* beyond the IPA space */
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx, tx, 1),
			 FFA_INVALID_PARAMETERS); /* same page */
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx, rx, 0),
			 FFA_INVALID_PARAMETERS); /* page count */
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx, rx, 2),
			 FFA_INVALID_PARAMETERS);
	EXPECT(!vm->mailbox.mapped);
	EXPECT_EQ(call(FFA_RXTX_MAP_64, tx, rx, 1).func, FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_RXTX_MAP_64, tx + 2 * PAGE_SIZE,
			      rx + 2 * PAGE_SIZE, 1),
			 FFA_DENIED); /* already mapped */
	EXPECT_EQ(vm->mailbox.send.pa, tx);
	EXPECT_EQ(vm->mailbox.recv.pa, rx);
}

TEST(api, rxtx_unmap)
{
	setup();
	EXPECT_FFA_ERROR(call(FFA_RXTX_UNMAP_32, 0, 0, 0),
			 FFA_INVALID_PARAMETERS); /* nothing mapped */
	EXPECT_EQ(call(FFA_RXTX_MAP_32, ARENA, ARENA + PAGE_SIZE, 1).func,
		  FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_RXTX_UNMAP_32, 5u << 16, 0, 0),
			 FFA_INVALID_PARAMETERS); /* another VM */
	EXPECT_EQ(call(FFA_RXTX_UNMAP_32, (uint64_t)HF_PRIMARY_VM_ID << 16, 0,
		       0)
			  .func,
		  FFA_SUCCESS_32);
	EXPECT(!vm->mailbox.mapped);
	EXPECT_EQ(call(FFA_RXTX_MAP_32, ARENA, ARENA + PAGE_SIZE, 1).func,
		  FFA_SUCCESS_32);
}

TEST(api, partition_info_and_rx_release)
{
	struct ffa_value r;
	struct ffa_partition_info info;
	struct ffa_value with_uuid = { .func = FFA_PARTITION_INFO_GET_32,
				       .arg3 = 0x1234 };
	struct ffa_value count_only = { .func = FFA_PARTITION_INFO_GET_32,
					.arg5 = FFA_PARTITION_COUNT_FLAG };

	setup();
	EXPECT_FFA_ERROR(call(FFA_RX_RELEASE_32, 0, 0, 0), FFA_DENIED);
	EXPECT_FFA_ERROR(call(FFA_PARTITION_INFO_GET_32, 0, 0, 0), FFA_BUSY);
	r = handle(count_only);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(r.arg2, 1);
	EXPECT_EQ(call(FFA_RXTX_MAP_64, ARENA, ARENA + PAGE_SIZE, 1).func,
		  FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_RX_RELEASE_32, 0, 0, 0), FFA_DENIED);
	EXPECT_FFA_ERROR(handle(with_uuid),
			 FFA_INVALID_PARAMETERS);
	memset((void *)(ARENA + PAGE_SIZE), 0xaa, PAGE_SIZE);
	r = call(FFA_PARTITION_INFO_GET_32, 0, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(r.arg2, 1);
	EXPECT_EQ(r.arg3, FFA_PARTITION_INFO_SIZE);
	memcpy(&info, (void *)(ARENA + PAGE_SIZE), sizeof(info));
	EXPECT_EQ(info.vm_id, HF_PRIMARY_VM_ID);
	EXPECT_EQ(info.vcpu_count, 4);
	EXPECT_EQ(info.uuid[0] | info.uuid[1] | info.uuid[2] | info.uuid[3], 0);
	/* The VM owns its RX buffer until it releases it. */
	EXPECT_FFA_ERROR(call(FFA_PARTITION_INFO_GET_32, 0, 0, 0), FFA_BUSY);
	EXPECT_EQ(call(FFA_RX_RELEASE_32, 0, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_RX_RELEASE_32, 0, 0, 0), FFA_DENIED);
}

TEST(api, hyp_and_vm_info)
{
	struct ffa_value r;
	char name[33] = { 0 };
	int i;

	setup();
	r = call(HF_HYP_INFO, 0, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_64);
	EXPECT_EQ(r.arg2, HF_ABI_VERSION_MAJOR << 16 | HF_ABI_VERSION_MINOR);
	EXPECT_EQ(r.arg3, 4);
	EXPECT_EQ(r.arg4, 1);
	EXPECT_EQ(r.arg5, 1 << 20);
	r = call(HF_VM_INFO, HF_PRIMARY_VM_ID, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_64);
	EXPECT_EQ(r.arg2 & 0xffff, 4);
	EXPECT_EQ(r.arg2 >> 16, HF_VM_STATE_CREATED);
	for (i = 0; i < 8; i++) {
		name[i] = (char)(r.arg4 >> (8 * i));
		name[8 + i] = (char)(r.arg5 >> (8 * i));
	}
	EXPECT(strcmp(name, "primary") == 0);
	EXPECT_FFA_ERROR(call(HF_VM_INFO, 0, 0, 0), FFA_INVALID_PARAMETERS);
	EXPECT_FFA_ERROR(call(HF_VM_INFO, 2, 0, 0), FFA_INVALID_PARAMETERS);
	EXPECT_FFA_ERROR(call(HF_VM_INFO, 0x10001, 0, 0),
			 FFA_INVALID_PARAMETERS);
}

TEST(api, random_calls_give_defined_answers)
{
	int i;

	setup();
	srand(4);
	for (i = 0; i < 20000; i++) {
		static const uint64_t ids[] = {
			FFA_VERSION_32, FFA_FEATURES_32, FFA_RX_RELEASE_32,
			FFA_RXTX_MAP_32, FFA_RXTX_MAP_64, FFA_RXTX_UNMAP_32,
			FFA_PARTITION_INFO_GET_32, FFA_ID_GET_32, HF_HYP_INFO,
			HF_VM_INFO,
		};
		struct ffa_value a;
		struct ffa_value r;
		uint64_t *regs = &a.func;
		int j;

		for (j = 0; j < 8; j++) {
			regs[j] = (uint64_t)rand() << 33 ^ (uint64_t)rand();
			if (rand() % 2) {
				regs[j] &= 0xffffffff;
			}
			if (rand() % 3 == 0) {
				regs[j] = ARENA + (uint64_t)(rand() % 20) *
							  PAGE_SIZE;
			}
		}
		if (rand() % 4 != 0) {
			a.func = ids[rand() % (sizeof(ids) / sizeof(ids[0]))];
		}
		r = handle(a);
		if (r.func == FFA_ERROR_32) {
			EXPECT((int32_t)r.arg2 <= FFA_NOT_SUPPORTED &&
			       (int32_t)r.arg2 >= FFA_NO_DATA);
		} else {
			EXPECT(r.func == FFA_SUCCESS_32 ||
			       r.func == FFA_SUCCESS_64 ||
			       r.func == FFA_VERSION_COMPILED ||
			       r.func == SMCCC_VERSION_1_2 ||
			       (int64_t)r.func == SMCCC_NOT_SUPPORTED);
		}
		if (r.func == FFA_SUCCESS_32 && a.func == FFA_RXTX_MAP_64) {
			EXPECT(vm->mailbox.mapped);
		}
	}
}

/* Writes a create descriptor for `pages` pages at VM_MEM into TX. */
static uint64_t put_create_desc(const char *name, uint32_t vcpus,
				uint32_t pages)
{
	struct hf_vm_create_desc *d = (void *)ARENA;
	size_t half = pages / 2;

	memset(d, 0, PAGE_SIZE);
	strcpy(d->name, name);
	d->vcpu_count = vcpus;
	d->memory.page_count = pages;
	d->memory.constituent_count = 2;
	/* Two chunks, the second first: IPA order is descriptor order. */
	d->memory.constituents[0].address = VM_MEM + half * PAGE_SIZE;
	d->memory.constituents[0].page_count = pages - half;
	d->memory.constituents[1].address = VM_MEM;
	d->memory.constituents[1].page_count = half;
	d->hyp_address = HYP_MEM;
	d->hyp_page_count = HYP_PAGES;
	return sizeof(*d) + 2 * sizeof(d->memory.constituents[0]);
}

static uint16_t create_vm(const char *name, uint32_t vcpus)
{
	struct ffa_value r;

	call(FFA_RXTX_MAP_64, ARENA, ARENA + PAGE_SIZE, 1);
	r = call(HF_VM_CREATE, put_create_desc(name, vcpus, 32), 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	return (uint16_t)r.arg2;
}

TEST(api_vm, create_donates_and_destroy_returns_zeroed)
{
	struct vm *s;
	paddr_t pa;
	uint32_t mode;
	uint16_t id;

	setup();
	memset((void *)VM_MEM, 0x5a, 32 * PAGE_SIZE);
	id = create_vm("guest", 2);
	EXPECT_EQ(id, HF_PRIMARY_VM_ID + 1);
	s = vm_of(id);
	EXPECT(s != NULL && s->mem_size == 32 * PAGE_SIZE);
	EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg5,
		  (1 << 20) - (32 + HYP_PAGES) * PAGE_SIZE);
	/* Gone from the primary, at consecutive IPAs in the VM. */
	EXPECT(!mm_lookup(&vm->ptable, VM_MEM, &pa, &mode));
	EXPECT(mm_lookup(&s->ptable, HF_VM_RAM_BASE, &pa, &mode));
	EXPECT_EQ(pa_addr(pa), VM_MEM + 16 * PAGE_SIZE);
	EXPECT(mm_lookup(&s->ptable, HF_VM_RAM_BASE + 16 * PAGE_SIZE, &pa,
			 &mode));
	EXPECT_EQ(pa_addr(pa), VM_MEM);
	/* The primary may not run or donate it again. */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, put_create_desc("again", 1, 32), 0,
			      0),
			 FFA_INVALID_PARAMETERS);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
	EXPECT(vm_of(id) == NULL);
	EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg5, 1 << 20);
	EXPECT(mm_range_has_mode(&vm->ptable, VM_MEM, VM_MEM + 32 * PAGE_SIZE,
				 RWX));
	EXPECT_EQ(((uint8_t *)VM_MEM)[0], 0);
	EXPECT_EQ(((uint8_t *)VM_MEM)[32 * PAGE_SIZE - 1], 0);
	EXPECT_FFA_ERROR(call(HF_VM_DESTROY, id, 0, 0), FFA_INVALID_PARAMETERS);
}

TEST(api_vm, create_refuses_bad_descriptors)
{
	struct hf_vm_create_desc *d = (void *)ARENA;
	uint64_t len;

	setup();
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, sizeof(*d), 0, 0),
			 FFA_DENIED); /* no TX */
	call(FFA_RXTX_MAP_64, ARENA, ARENA + PAGE_SIZE, 1);
	len = put_create_desc("g", 0, 32); /* no vCPUs */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", MAX_CPUS + 1, 32);
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("", 1, 32);
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 8); /* below the minimum */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->memory.constituents[1].address = VM_MEM + 8; /* unaligned */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->memory.constituents[1].address = VM_MEM + 20 * PAGE_SIZE; /* overlap */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->memory.constituents[1].address = HYP_HOLE; /* the hypervisor's */
	d->memory.constituents[1].page_count = 1;
	d->memory.page_count = 17;
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->memory.constituents[1].address = ARENA; /* its own TX page */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->memory.page_count = 31; /* sum mismatch */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len - 1, 0, 0),
			 FFA_INVALID_PARAMETERS); /* truncated */
	EXPECT_EQ(vms_in_table(), 1);
	/* Nothing was taken from the primary. */
	EXPECT(mm_range_has_mode(&vm->ptable, VM_MEM, VM_MEM + 32 * PAGE_SIZE,
				 RWX));
}

TEST(api_vm, load_start_run_yield_log_poweroff)
{
	struct vcpu *next;
	struct vcpu *guest;
	struct ffa_value r;
	struct vm *s;
	uint16_t id;

	setup();
	id = create_vm("guest", 2);
	s = vm_of(id);
	memcpy((void *)ARENA, "\x01\x02\x03\x04", 4);
	EXPECT_EQ(call(HF_VM_LOAD, id, 0x100, 4).func, FFA_SUCCESS_32);
	EXPECT_EQ(((uint8_t *)VM_MEM)[16 * PAGE_SIZE + 0x100], 1);
	EXPECT_FFA_ERROR(call(HF_VM_LOAD, id, 30 * PAGE_SIZE, 4),
			 FFA_INVALID_PARAMETERS); /* into the DT's room */
	EXPECT_FFA_ERROR(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0),
			 FFA_DENIED); /* not started */
	EXPECT_FFA_ERROR(call(HF_VM_START, id, 0x1000, 0),
			 FFA_INVALID_PARAMETERS); /* entry outside */
	EXPECT_EQ(call(HF_VM_START, id, HF_VM_RAM_BASE, 0).func,
		  FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(HF_VM_START, id, HF_VM_RAM_BASE, 0), FFA_DENIED);
	EXPECT_FFA_ERROR(call(HF_VM_LOAD, id, 0, 4), FFA_DENIED);
	/* vCPU 0 gets its device tree in x0. */
	EXPECT_EQ(s->vcpus[0].regs.x[0],
		  HF_VM_RAM_BASE + 32 * PAGE_SIZE - HF_VM_DT_SIZE);
	/* IPA 30 pages in is in the second chunk, at VM_MEM + 14 pages. */
	EXPECT_EQ(be32toh(*(uint32_t *)(VM_MEM + 16 * PAGE_SIZE -
					 HF_VM_DT_SIZE)),
		  0xd00dfeed);

	/* Run vCPU 0: the CPU switches to it. */
	memcpy(vm->vcpus[0].regs.x, &(struct ffa_value){ .func = FFA_RUN_32,
							 .arg1 = vcpu_ffa_id(
								 id, 0) },
	       sizeof(struct ffa_value));
	guest = api_handle_call(&vm->vcpus[0]);
	EXPECT(guest == &s->vcpus[0]);
	EXPECT(guest->state == VCPU_RUNNING);
	EXPECT_FFA_ERROR(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0),
			 FFA_BUSY); /* from another thread */
	EXPECT_FFA_ERROR(call(FFA_RUN_32, vcpu_ffa_id(id, 1), 0, 0),
			 FFA_DENIED); /* vCPU 1 is off */

	/* The guest's console line goes to the primary. */
	r = hvc_from(guest,
		     (struct ffa_value){ .func = HF_DEBUG_LOG, .arg1 = 3,
					 .arg2 = 0x0a6968 },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, HF_RUN_DEBUG_LOG);
	EXPECT_EQ(r.arg1, vcpu_ffa_id(id, 0) | 3ull << 32);
	EXPECT_EQ(r.arg2, 0x0a6968);
	EXPECT_EQ(guest->regs.x[0], FFA_SUCCESS_32);
	EXPECT(guest->state == VCPU_READY);

	/* Yield, then power off. */
	call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0);
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_YIELD_32 }, &next);
	EXPECT_EQ(r.func, FFA_YIELD_32);
	call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0);
	r = hvc_from(guest, (struct ffa_value){ .func = PSCI_SYSTEM_OFF },
		     &next);
	EXPECT_FFA_ERROR(r, FFA_ABORTED);
	EXPECT_EQ(s->state, HF_VM_STATE_STOPPED);
	r = call(HF_VM_EXIT_INFO, id, 0, 0);
	EXPECT_EQ(r.arg2, HF_VM_EXIT_POWEROFF);
	EXPECT_FFA_ERROR(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0),
			 FFA_ABORTED);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

TEST(api_vm, secondary_cpu_on_crash_and_primary_only_calls)
{
	struct vcpu *next;
	struct vcpu *guest;
	struct ffa_value r;
	struct vm *s;
	uint16_t id;

	setup();
	id = create_vm("smp", 2);
	s = vm_of(id);
	call(HF_VM_START, id, HF_VM_RAM_BASE, 0);
	memcpy(vm->vcpus[0].regs.x,
	       &(struct ffa_value){ .func = FFA_RUN_32,
				    .arg1 = vcpu_ffa_id(id, 0) },
	       sizeof(struct ffa_value));
	guest = api_handle_call(&vm->vcpus[0]);

	/* A secondary may not manage VMs. */
	r = hvc_from(guest, (struct ffa_value){ .func = HF_VM_DESTROY,
						.arg1 = id },
		     &next);
	EXPECT(next == guest);
	EXPECT_FFA_ERROR(r, FFA_DENIED);
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_RUN_32,
						.arg1 = vcpu_ffa_id(id, 1) },
		     &next);
	EXPECT_FFA_ERROR(r, FFA_DENIED);

	/* CPU_ON of vCPU 1: the primary is asked to wake it. */
	r = hvc_from(guest, (struct ffa_value){ .func = PSCI_CPU_ON_64,
						.arg1 = 1,
						.arg2 = HF_VM_RAM_BASE + 0x40,
						.arg3 = 7 },
		     &next);
	EXPECT_EQ(r.func, HF_RUN_WAKE_UP);
	EXPECT_EQ(r.arg2, vcpu_ffa_id(id, 1));
	EXPECT_EQ(guest->regs.x[0], PSCI_RET_SUCCESS);
	EXPECT_EQ(s->vcpus[1].regs.pc, HF_VM_RAM_BASE + 0x40);
	EXPECT_EQ(s->vcpus[1].regs.x[0], 7);

	/* vCPU 1 crashes: the VM is over for vCPU 0 too. */
	memcpy(vm->vcpus[1].regs.x,
	       &(struct ffa_value){ .func = FFA_RUN_32,
				    .arg1 = vcpu_ffa_id(id, 1) },
	       sizeof(struct ffa_value));
	next = api_handle_call(&vm->vcpus[1]);
	EXPECT(next == &s->vcpus[1]);
	next = exit_to(next, api_crash(next, 0x92000046, 0x12345678));
	EXPECT(next == &vm->vcpus[1]);
	EXPECT_FFA_ERROR(regs_of(next), FFA_ABORTED);
	r = call(HF_VM_EXIT_INFO, id, 0, 0);
	EXPECT_EQ(r.arg2, HF_VM_EXIT_CRASHED);
	EXPECT_EQ(r.arg3, 1);
	EXPECT_EQ(r.arg5, 0x12345678);
	EXPECT_EQ(s->state, HF_VM_STATE_CRASHED);
	EXPECT_FFA_ERROR(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0),
			 FFA_ABORTED);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

/* A guest's mailbox inside its own memory: TX at IPA page 4, RX page 5
 * (PA VM_MEM + 20, + 21 pages: the first chunk starts at VM_MEM + 16). */
#define GUEST_TX_IPA (HF_VM_RAM_BASE + 4 * PAGE_SIZE)
#define GUEST_RX_IPA (HF_VM_RAM_BASE + 5 * PAGE_SIZE)
#define GUEST_TX ((uint8_t *)(VM_MEM + 20 * PAGE_SIZE))
#define GUEST_RX ((uint8_t *)(VM_MEM + 21 * PAGE_SIZE))
#define PRIMARY_TX ((uint8_t *)ARENA)
#define PRIMARY_RX ((uint8_t *)(ARENA + PAGE_SIZE))

static void put_message(uint8_t *tx, uint32_t sender_receiver,
			const char *text)
{
	struct ffa_partition_msg_header h = {
		.offset = 32,
		.sender_receiver = sender_receiver,
		.size = (uint32_t)strlen(text),
	};

	memcpy(tx, &h, sizeof(h));
	memcpy(tx + 32, text, strlen(text));
}

/* Starts a one-vCPU guest with its mailbox mapped and runs it. */
static struct vcpu *running_guest(uint16_t *id)
{
	struct vcpu *guest;
	struct ffa_value r;

	*id = create_vm("msg", 1);
	call(HF_VM_START, *id, HF_VM_RAM_BASE, 0);
	memcpy(vm->vcpus[0].regs.x,
	       &(struct ffa_value){ .func = FFA_RUN_32,
				    .arg1 = vcpu_ffa_id(*id, 0) },
	       sizeof(struct ffa_value));
	guest = api_handle_call(&vm->vcpus[0]);
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_RXTX_MAP_64,
						.arg1 = GUEST_TX_IPA,
						.arg2 = GUEST_RX_IPA,
						.arg3 = 1 },
		     NULL);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	return guest;
}

TEST(api_msg, primary_to_waiting_guest_and_reply)
{
	struct vcpu *guest;
	struct vcpu *next;
	struct ffa_value r;
	uint16_t id;

	setup();
	guest = running_guest(&id);
	/* The guest waits: the primary is told, with no timer armed. */
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_MSG_WAIT_32 },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, FFA_MSG_WAIT_32);
	EXPECT_EQ(r.arg2, HF_SLEEP_INDEFINITE);
	/* Run again with nothing to read: it still waits, no switch. */
	EXPECT_EQ(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0).func,
		  FFA_MSG_WAIT_32);

	/* The primary claims to be VM 7: the hypervisor says who it is. */
	put_message(PRIMARY_TX, 7u << 16 | id, "ping");
	r = call(FFA_MSG_SEND2_32, 0, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(r.arg2, vcpu_ffa_id(id, 0)); /* the vCPU to run */
	EXPECT_EQ(((struct ffa_partition_msg_header *)GUEST_RX)->sender_receiver,
		  (uint32_t)HF_PRIMARY_VM_ID << 16 | id);
	EXPECT(memcmp(GUEST_RX + 32, "ping", 4) == 0);
	/* A second message finds RX full: BUSY, nothing dropped. */
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0), FFA_BUSY);

	/* Running it ends its FFA_MSG_WAIT with the message. */
	memcpy(vm->vcpus[0].regs.x,
	       &(struct ffa_value){ .func = FFA_RUN_32,
				    .arg1 = vcpu_ffa_id(id, 0) },
	       sizeof(struct ffa_value));
	next = api_handle_call(&vm->vcpus[0]);
	EXPECT(next == guest);
	EXPECT_EQ(guest->regs.x[0], FFA_MSG_SEND2_32);
	EXPECT_EQ(guest->regs.x[1], (uint64_t)HF_PRIMARY_VM_ID << 16 | id);

	/* Releasing RX tells the primary that it (bit 0) may send again. */
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_RX_RELEASE_32 },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, FFA_RX_RELEASE_32);
	EXPECT_EQ(r.arg2, 1u << (HF_PRIMARY_VM_ID - 1));

	/* The reply goes to the primary's RX; FFA_RUN says so. */
	call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0);
	put_message(GUEST_TX, 0x33u << 16 | HF_PRIMARY_VM_ID, "pong");
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_MSG_SEND2_32 },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, FFA_MSG_SEND2_32);
	EXPECT_EQ(r.arg2, (uint64_t)id << 16 | HF_PRIMARY_VM_ID);
	EXPECT_EQ(guest->regs.x[0], FFA_SUCCESS_32);
	EXPECT_EQ(((struct ffa_partition_msg_header *)PRIMARY_RX)->sender_receiver,
		  (uint32_t)id << 16 | HF_PRIMARY_VM_ID);
	EXPECT(memcmp(PRIMARY_RX + 32, "pong", 4) == 0);
	EXPECT_EQ(call(FFA_RX_RELEASE_32, 0, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

TEST(api_msg, bad_messages)
{
	struct ffa_partition_msg_header *h = (void *)PRIMARY_TX;
	uint16_t id;

	setup();
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0), FFA_DENIED); /* no TX */
	id = create_vm("quiet", 1);
	put_message(PRIMARY_TX, id, "x");
	/* The receiver has no RX buffer yet. */
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0), FFA_DENIED);
	put_message(PRIMARY_TX, 12, "x");
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0),
			 FFA_INVALID_PARAMETERS); /* no VM 12 */
	put_message(PRIMARY_TX, HF_PRIMARY_VM_ID, "x");
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0),
			 FFA_INVALID_PARAMETERS); /* to itself */
	put_message(PRIMARY_TX, id, "x");
	h->size = HF_MAILBOX_SIZE;
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0),
			 FFA_INVALID_PARAMETERS); /* oversize */
	put_message(PRIMARY_TX, id, "x");
	h->offset = 8;
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0),
			 FFA_INVALID_PARAMETERS); /* payload over the header */
	put_message(PRIMARY_TX, id, "x");
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 9u << 16, 0, 0),
			 FFA_INVALID_PARAMETERS); /* another sender in w1 */
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 1, 0),
			 FFA_INVALID_PARAMETERS); /* flags */
	EXPECT_FFA_ERROR(call(FFA_MSG_WAIT_32, 0, 0, 0), FFA_DENIED);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

/* FFA_RUN of the guest's vCPU index from the primary's vCPU cpu. */
static struct vcpu *run_on(unsigned int cpu, uint16_t id, uint16_t index)
{
	memcpy(vm->vcpus[cpu].regs.x,
	       &(struct ffa_value){ .func = FFA_RUN_32,
				    .arg1 = vcpu_ffa_id(id, index) },
	       sizeof(struct ffa_value));
	return api_handle_call(&vm->vcpus[cpu]);
}

/* Runs vCPU 0 of a started 2-vCPU guest; returns it (now current). */
static struct vcpu *running_irq_guest(uint16_t *id)
{
	struct vcpu *guest;

	*id = create_vm("irq", 2);
	EXPECT_EQ(call(HF_VM_START, *id, HF_VM_RAM_BASE, 0).func,
		  FFA_SUCCESS_32);
	guest = run_on(0, *id, 0);
	EXPECT(guest == &vm_of(*id)->vcpus[0]);
	return guest;
}

/* The guest yields, and its VM is destroyed. */
static void end_guest(struct vcpu *guest, uint16_t id)
{
	struct vcpu *next;

	hvc_from(guest, (struct ffa_value){ .func = FFA_YIELD_32 }, &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

static struct ffa_value guest_call(struct vcpu *guest, uint64_t func,
				   uint64_t a1, uint64_t a2)
{
	struct vcpu *next;
	struct ffa_value r = hvc_from(
		guest,
		(struct ffa_value){ .func = func, .arg1 = a1, .arg2 = a2 },
		&next);

	EXPECT(next == guest);
	return r;
}

TEST(api, dma_fault_get)
{
	struct vcpu *guest;
	uint16_t id;

	setup();
	/* No SMMU in the host tests: never a fault to report. */
	EXPECT_FFA_ERROR(call(HF_DMA_FAULT_GET, 0, 0, 0), FFA_NO_DATA);
	guest = running_guest(&id);
	EXPECT_FFA_ERROR(guest_call(guest, HF_DMA_FAULT_GET, 0, 0),
			 FFA_DENIED);
	end_guest(guest, id);
}

TEST(api_irq, enable_inject_get_deactivate)
{
	struct vcpu *guest;
	uint16_t id;

	setup();
	guest = running_irq_guest(&id);
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_ENABLE, 16, 1).func,
		  FFA_SUCCESS_32);
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_GET, 0, 0).arg2,
		  HF_INVALID_INTID);
	/* From the primary: pending once, then merged. */
	EXPECT_EQ(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 16, 0).arg2, 1);
	EXPECT_EQ(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 16, 0).arg2, 0);
	EXPECT(virq_deliverable(&guest->interrupts));
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_GET, 0, 0).arg2, 16);
	EXPECT(!virq_deliverable(&guest->interrupts));
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_GET, 0, 0).arg2,
		  HF_INVALID_INTID);
	/* Pending again while active: delivered after deactivation. */
	EXPECT_EQ(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 16, 0).arg2, 1);
	EXPECT(!virq_deliverable(&guest->interrupts));
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_DEACTIVATE, 16, 0).func,
		  FFA_SUCCESS_32);
	EXPECT(virq_deliverable(&guest->interrupts));
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_GET, 0, 0).arg2, 16);
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_DEACTIVATE, 16, 0).func,
		  FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(guest_call(guest, HF_INTERRUPT_DEACTIVATE, 16, 0),
			 FFA_DENIED);
	/* Disabled: pending but not delivered. */
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_ENABLE, 16, 0).func,
		  FFA_SUCCESS_32);
	call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 16, 0);
	EXPECT(!virq_deliverable(&guest->interrupts));
	end_guest(guest, id);
}

TEST(api_irq, bad_ids_and_targets)
{
	static const uint64_t bad_ids[] = { 0, 4, 15, 64, 1ull << 32 };
	struct vcpu *guest;
	uint16_t id;
	size_t i;

	setup();
	guest = running_irq_guest(&id);
	for (i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		EXPECT_FFA_ERROR(guest_call(guest, HF_INTERRUPT_ENABLE,
					    bad_ids[i], 1),
				 FFA_INVALID_PARAMETERS);
		EXPECT_FFA_ERROR(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0),
				      bad_ids[i], 0),
				 FFA_INVALID_PARAMETERS);
	}
	EXPECT_FFA_ERROR(guest_call(guest, HF_INTERRUPT_ENABLE, 16, 2),
			 FFA_INVALID_PARAMETERS);
	/* Hafnium's own ids may be enabled, never injected. */
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_ENABLE,
			     HF_VIRTUAL_TIMER_INTID, 1).func,
		  FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0),
			      HF_VIRTUAL_TIMER_INTID, 0),
			 FFA_INVALID_PARAMETERS);
	/* Targets: a vCPU it lacks, no such VM, the primary. */
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 2), 16, 0),
			 FFA_INVALID_PARAMETERS);
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(12, 0), 16, 0),
			 FFA_INVALID_PARAMETERS);
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_INJECT,
			      vcpu_ffa_id(HF_PRIMARY_VM_ID, 0), 16, 0),
			 FFA_DENIED);
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_INJECT, 1ull << 32, 16, 0),
			 FFA_INVALID_PARAMETERS);
	/* The primary has the GIC: the other calls are not for it. */
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_ENABLE, 16, 1, 0), FFA_DENIED);
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_GET, 0, 0, 0), FFA_DENIED);
	/* A secondary: its own vCPUs only, whether the VM exists or not. */
	EXPECT_FFA_ERROR(guest_call(guest, HF_INTERRUPT_INJECT,
				    vcpu_ffa_id(HF_PRIMARY_VM_ID, 0), 16),
			 FFA_DENIED);
	EXPECT_FFA_ERROR(guest_call(guest, HF_INTERRUPT_INJECT,
				    vcpu_ffa_id(id + 1, 0), 16),
			 FFA_DENIED);
	/* Into its own vCPU 1, which is off: pending, nobody to kick. */
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 1),
			     16).arg2,
		  1);
	end_guest(guest, id);
	/* Not running. */
	id = create_vm("irq", 1);
	EXPECT_FFA_ERROR(call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 16, 0),
			 FFA_DENIED);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

TEST(api_irq, wfi_waits_until_deliverable)
{
	struct vcpu *guest;
	struct ffa_value r;
	uint16_t id;

	setup();
	guest = running_irq_guest(&id);
	guest_call(guest, HF_INTERRUPT_ENABLE, 17, 1);
	EXPECT(exit_to(guest, api_wait_for_interrupt(guest)) == &vm->vcpus[0]);
	r = regs_of(&vm->vcpus[0]);
	EXPECT_EQ(r.func, HF_RUN_WAIT_FOR_INTERRUPT);
	EXPECT_EQ(r.arg2, HF_SLEEP_INDEFINITE);
	/* Run again: still waiting, no switch. */
	EXPECT_EQ(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0).func,
		  HF_RUN_WAIT_FOR_INTERRUPT);
	/* A disabled id does not end the wait; an enabled one does. */
	call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 16, 0);
	EXPECT_EQ(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0).func,
		  HF_RUN_WAIT_FOR_INTERRUPT);
	call(HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 17, 0);
	EXPECT(run_on(0, id, 0) == guest);
	/* WFI with an interrupt deliverable returns at once. */
	EXPECT(exit_to(guest, api_wait_for_interrupt(guest)) == guest);
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_GET, 0, 0).arg2, 17);
	end_guest(guest, id);
}

TEST(api_irq, fired_timer_raises_its_interrupt_at_run)
{
	struct vcpu *guest;
	uint16_t id;

	setup();
	guest = running_irq_guest(&id);
	guest_call(guest, HF_INTERRUPT_ENABLE, HF_VIRTUAL_TIMER_INTID, 1);
	/* Armed: the wait says how long; run early, it still waits. */
	fake_timer_remaining_ns = 7000000;
	EXPECT(exit_to(guest, api_wait_for_interrupt(guest)) == &vm->vcpus[0]);
	EXPECT_EQ(regs_of(&vm->vcpus[0]).arg2, 7000000);
	fake_timer_remaining_ns = 2500;
	EXPECT_EQ(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0).func,
		  HF_RUN_WAIT_FOR_INTERRUPT);
	EXPECT_EQ(regs_of(&vm->vcpus[0]).arg2, 2500);
	fake_timer_remaining_ns = 0;
	EXPECT(run_on(0, id, 0) == guest);
	EXPECT_EQ(fake_timer_remaining_ns, UINT64_MAX); /* masked */
	EXPECT_EQ(guest_call(guest, HF_INTERRUPT_GET, 0, 0).arg2,
		  HF_VIRTUAL_TIMER_INTID);
	/* FFA_MSG_WAIT with an interrupt deliverable answers at once. */
	vcpu_raise_interrupt(guest, HF_VIRTUAL_TIMER_INTID);
	guest_call(guest, HF_INTERRUPT_DEACTIVATE, HF_VIRTUAL_TIMER_INTID, 0);
	EXPECT_EQ(guest_call(guest, FFA_MSG_WAIT_32, 0, 0).func,
		  FFA_INTERRUPT_32);
	end_guest(guest, id);
}

TEST(api_irq, mailbox_interrupts)
{
	struct vcpu *guest;
	struct vcpu *next;
	struct ffa_value r;
	uint16_t id;

	setup();
	guest = running_guest(&id);
	/* A message for a vCPU not in FFA_MSG_WAIT: readable is raised. */
	put_message(PRIMARY_TX, id, "ping");
	EXPECT_EQ(call(FFA_MSG_SEND2_32, 0, 0, 0).func, FFA_SUCCESS_32);
	EXPECT(guest->interrupts.pending & 1u << HF_MAILBOX_READABLE_INTID);
	EXPECT_EQ(guest_call(guest, FFA_RX_RELEASE_32, 0, 0).func,
		  FFA_SUCCESS_32);

	/* The guest fills the primary's RX, then finds it full. */
	put_message(GUEST_TX, HF_PRIMARY_VM_ID, "one");
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_MSG_SEND2_32 },
		     &next);
	EXPECT_EQ(r.func, FFA_MSG_SEND2_32);
	EXPECT(run_on(0, id, 0) == guest);
	EXPECT_FFA_ERROR(guest_call(guest, FFA_MSG_SEND2_32, 0, 0), FFA_BUSY);
	EXPECT(!(guest->interrupts.pending & 1u << HF_MAILBOX_WRITABLE_INTID));
	/* The primary's release names it and raises writable on vCPU 0. */
	r = call(FFA_RX_RELEASE_32, 0, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(r.arg2, 1u << (id - 1));
	EXPECT(guest->interrupts.pending & 1u << HF_MAILBOX_WRITABLE_INTID);
	end_guest(guest, id);
}

TEST(api_irq, injecting_into_a_waiting_vcpu_asks_the_primary_to_wake_it)
{
	struct vcpu *v0, *v1, *next;
	struct ffa_value r;
	uint16_t id;

	setup();
	v0 = running_irq_guest(&id);
	r = hvc_from(v0, (struct ffa_value){ .func = PSCI_CPU_ON_64,
					     .arg1 = 1,
					     .arg2 = HF_VM_RAM_BASE },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, HF_RUN_WAKE_UP);
	/* vCPU 1 runs on CPU 1, enables 16 and waits in WFI. */
	v1 = run_on(1, id, 1);
	EXPECT(v1 == &vm_of(id)->vcpus[1]);
	guest_call(v1, HF_INTERRUPT_ENABLE, 16, 1);
	EXPECT(exit_to(v1, api_wait_for_interrupt(v1)) == &vm->vcpus[1]);
	/* vCPU 0 injects into it: the primary is told to wake it. */
	EXPECT(run_on(0, id, 0) == v0);
	r = hvc_from(v0, (struct ffa_value){ .func = HF_INTERRUPT_INJECT,
					     .arg1 = vcpu_ffa_id(id, 1),
					     .arg2 = 16 },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, HF_RUN_WAKE_UP);
	EXPECT_EQ(r.arg2, vcpu_ffa_id(id, 1));
	EXPECT_EQ(v0->regs.x[0], FFA_SUCCESS_32);
	EXPECT_EQ(v0->regs.x[2], 1);
	/* Woken, it runs; into vCPU 0, which is not waiting: no exit. */
	EXPECT(run_on(1, id, 1) == v1);
	EXPECT_EQ(guest_call(v1, HF_INTERRUPT_GET, 0, 0).arg2, 16);
	EXPECT_EQ(guest_call(v1, HF_INTERRUPT_INJECT, vcpu_ffa_id(id, 0), 16)
			  .arg2,
		  1);
	hvc_from(v1, (struct ffa_value){ .func = FFA_YIELD_32 }, &next);
	EXPECT(next == &vm->vcpus[1]);
	end_guest(run_on(0, id, 0), id);
}

static struct ffa_value answer_error(int32_t code)
{
	return (struct ffa_value){ .func = FFA_ERROR_32,
				   .arg2 = (uint32_t)code };
}

static struct ffa_value answer_success(uint64_t arg2)
{
	return (struct ffa_value){ .func = FFA_SUCCESS_32, .arg2 = arg2 };
}

/* What the interrupt calls should do to vCPU 0 of the guest, modelled. */
static struct ffa_value model_call(struct virq *m, bool from_guest,
				   uint16_t id, const struct ffa_value *a)
{
	uint64_t valid = 0xffffffffffff000eull; /* ids 1-3, 16-63 */
	uint64_t bit = a->arg1 < 64 ? 1ull << a->arg1 : 0;
	uint64_t ready;

	if (a->func == HF_INTERRUPT_INJECT) {
		uint64_t sw = a->arg2 >= 16 && a->arg2 < 64 ? 1ull << a->arg2
							      : 0;
		bool newly;

		if (a->arg1 > UINT32_MAX || sw == 0) {
			return answer_error(FFA_INVALID_PARAMETERS);
		}
		if (a->arg1 >> 16 != id) {
			return answer_error(from_guest || a->arg1 >> 16 ==
							       HF_PRIMARY_VM_ID
						 ? FFA_DENIED
						 : FFA_INVALID_PARAMETERS);
		}
		if ((a->arg1 & 0xffff) >= 2) {
			return answer_error(FFA_INVALID_PARAMETERS);
		}
		if ((a->arg1 & 0xffff) == 1) {
			return answer_success(~0ull); /* vCPU 1: not modelled */
		}
		newly = !(m->pending & sw);
		m->pending |= sw;
		return answer_success(newly);
	}
	if (!from_guest) {
		return answer_error(FFA_DENIED);
	}
	if (a->func == HF_INTERRUPT_GET) {
		ready = m->enabled & m->pending & ~m->active;
		if (ready == 0) {
			return answer_success(HF_INVALID_INTID);
		}
		ready &= -ready;
		m->pending &= ~ready;
		m->active |= ready;
		return answer_success((uint64_t)__builtin_ctzll(ready));
	}
	if (!(valid & bit)) {
		return answer_error(FFA_INVALID_PARAMETERS);
	}
	if (a->func == HF_INTERRUPT_ENABLE) {
		if (a->arg2 > 1) {
			return answer_error(FFA_INVALID_PARAMETERS);
		}
		m->enabled = a->arg2 ? m->enabled | bit : m->enabled & ~bit;
		return answer_success(0);
	}
	if (!(m->active & bit)) {
		return answer_error(FFA_DENIED);
	}
	m->active &= ~bit;
	return answer_success(0);
}

TEST(api_irq, random_interrupt_calls_match_a_model)
{
	static const uint64_t ids[] = { HF_INTERRUPT_ENABLE, HF_INTERRUPT_GET,
					HF_INTERRUPT_DEACTIVATE,
					HF_INTERRUPT_INJECT };
	static const uint64_t args[] = { 0, 1, 2, 3, 4, 15, 16, 17, 40, 63,
					 64, UINT32_MAX, UINT64_MAX };
	struct virq model = { 0 };
	struct vcpu *guest, *next;
	struct ffa_value a, r, want;
	uint16_t id;
	int i;

	setup();
	srand(6);
	guest = running_irq_guest(&id);
	for (i = 0; i < 20000; i++) {
		bool from_guest = rand() % 4 != 0;

		a = (struct ffa_value){
			.func = ids[rand() % 4],
			.arg1 = args[rand() % 13],
			.arg2 = args[rand() % 13],
		};
		if (a.func == HF_INTERRUPT_INJECT && rand() % 4 != 0) {
			a.arg1 = vcpu_ffa_id(rand() % 4 ? id : id + 1,
					     (uint16_t)(rand() % 3));
			a.arg2 = 16 + (uint64_t)(rand() % 4);
		}
		want = model_call(&model, from_guest, id, &a);
		r = hvc_from(from_guest ? guest : &vm->vcpus[0], a, &next);
		EXPECT_EQ(r.func, want.func);
		if (want.arg2 != ~0ull) {
			EXPECT_EQ(r.arg2, want.arg2);
		}
		/* vCPU 1 is off: an injection into it needs no kick. */
		EXPECT(next == (from_guest ? guest : &vm->vcpus[0]));
		EXPECT_EQ(guest->interrupts.enabled, model.enabled);
		EXPECT_EQ(guest->interrupts.pending, model.pending);
		EXPECT_EQ(guest->interrupts.active, model.active);
	}
	end_guest(guest, id);
}

TEST(api_irq, senders_told_when_a_full_buffer_goes)
{
	struct vcpu *guest, *next;
	struct ffa_value r;
	uint16_t id;

	setup();
	guest = running_guest(&id);
	/* The guest's RX is full; the primary's second message is BUSY. */
	put_message(PRIMARY_TX, id, "one");
	EXPECT_EQ(call(FFA_MSG_SEND2_32, 0, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0), FFA_BUSY);
	/* Unmapping the buffer tells the primary, which may retry. */
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_RXTX_UNMAP_32 },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, FFA_RX_RELEASE_32);
	EXPECT_EQ(r.arg2, 1u << (HF_PRIMARY_VM_ID - 1));
	EXPECT_EQ(guest->regs.x[0], FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0), FFA_DENIED);

	/* Mapped and full again, with the primary waiting: destroying the
	 * VM names the primary in w2. */
	EXPECT(run_on(0, id, 0) == guest);
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_RXTX_MAP_64,
						.arg1 = GUEST_TX_IPA,
						.arg2 = GUEST_RX_IPA,
						.arg3 = 1 },
		     NULL);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(call(FFA_MSG_SEND2_32, 0, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(FFA_MSG_SEND2_32, 0, 0, 0), FFA_BUSY);
	hvc_from(guest, (struct ffa_value){ .func = FFA_YIELD_32 }, &next);
	r = call(HF_VM_DESTROY, id, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(r.arg2, 1u << (HF_PRIMARY_VM_ID - 1));
}

/* H2: the pages a VM gets are cleaned and invalidated to the point of
 * coherency once the primary cannot reach them, and again after they are
 * zeroed, before the primary gets them back. */
TEST(api_vm, donated_and_reclaimed_memory_is_cleaned_to_poc)
{
	uint16_t id;

	setup();
	memset((void *)VM_MEM, 0x5a, 32 * PAGE_SIZE);
	fake_dcache_civac_count = 0;
	fake_icache_invalidations = 0;
	id = create_vm("guest", 1);
	/* The hyp pages, then put_create_desc's upper half, then the lower. */
	EXPECT_EQ(fake_dcache_civac_count, 3);
	EXPECT_EQ(fake_dcache_civac[0].begin, HYP_MEM);
	EXPECT_EQ(fake_dcache_civac[0].size, HYP_PAGES * PAGE_SIZE);
	EXPECT_EQ(fake_dcache_civac[1].begin, VM_MEM + 16 * PAGE_SIZE);
	EXPECT_EQ(fake_dcache_civac[1].size, 16 * PAGE_SIZE);
	EXPECT_EQ(fake_dcache_civac[2].begin, VM_MEM);
	EXPECT_EQ(fake_dcache_civac[2].size, 16 * PAGE_SIZE);
	EXPECT_EQ(fake_dcache_civac[2].first_byte, 0x5a);
	EXPECT(fake_icache_invalidations >= 1);

	fake_dcache_civac_count = 0;
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_EQ(fake_dcache_civac_count, 3);
	EXPECT_EQ(fake_dcache_civac[0].begin, VM_MEM + 16 * PAGE_SIZE);
	EXPECT_EQ(fake_dcache_civac[0].size, 16 * PAGE_SIZE);
	EXPECT_EQ(fake_dcache_civac[0].first_byte, 0); /* zeroed first */
	EXPECT_EQ(fake_dcache_civac[1].begin, VM_MEM);
	EXPECT_EQ(fake_dcache_civac[1].first_byte, 0);
	EXPECT_EQ(fake_dcache_civac[2].begin, HYP_MEM);
	EXPECT_EQ(fake_dcache_civac[2].size, HYP_PAGES * PAGE_SIZE);
	EXPECT_EQ(fake_dcache_civac[2].first_byte, 0);
}

/* L8: a create that runs out of page-table pages half way gives every
 * page back to the primary as it was, data included. The VM's own tables
 * come from its hyp pages; the primary's stage-2 needs a page to split
 * the block its second constituent is in. */
TEST(api_vm, a_failed_create_leaves_the_primary_memory_as_it_was)
{
	struct hf_vm_create_desc *d = (void *)ARENA;
	void *taken[64];
	size_t count = 0;
	struct ffa_value r;
	uint64_t len;
	size_t failures = 0;

	setup();
	call(FFA_RXTX_MAP_64, ARENA, ARENA + PAGE_SIZE, 1);
	while (count < 64 && (taken[count] = mpool_alloc_pages(&pool, 1))) {
		count++;
	}
	/* Give the pool back a page at a time until a create fits. */
	for (;;) {
		memset((void *)VM_MEM, 0x5a, 16 * PAGE_SIZE);
		memset((void *)FAR_MEM, 0x5a, 16 * PAGE_SIZE);
		len = put_create_desc("g", 1, 32);
		d->memory.constituents[0].address = VM_MEM;
		d->memory.constituents[1].address = FAR_MEM;
		r = call(HF_VM_CREATE, len, 0, 0);
		if (r.func != FFA_SUCCESS_32) {
			failures++;
			EXPECT_FFA_ERROR(r, FFA_NO_MEMORY);
			EXPECT(mm_range_has_mode(&vm->ptable, VM_MEM,
						 VM_MEM + 16 * PAGE_SIZE,
						 RWX));
			EXPECT(mm_range_has_mode(&vm->ptable, FAR_MEM,
						 FAR_MEM + 16 * PAGE_SIZE,
						 RWX));
			EXPECT(mm_range_has_mode(&vm->ptable, HYP_MEM,
						 HYP_MEM + HYP_PAGES * PAGE_SIZE,
						 RWX));
			EXPECT_EQ(((uint8_t *)VM_MEM)[0], 0x5a);
			EXPECT_EQ(((uint8_t *)FAR_MEM)[0], 0x5a);
			EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg5, 1 << 20);
			EXPECT_EQ(vms_in_table(), 1);
		}
		if (r.func == FFA_SUCCESS_32 || count == 0) {
			break;
		}
		mpool_free_pages(&pool, taken[--count], 1);
	}
	EXPECT(failures >= 1); /* it failed half way, after VM_MEM */
	EXPECT_EQ(call(HF_VM_DESTROY, r.arg2, 0, 0).func, FFA_SUCCESS_32);
	while (count > 0) {
		mpool_free_pages(&pool, taken[--count], 1);
	}
}

/* H1: a vCPU that leaves its CPU is not runnable, nor destroyable, until
 * the vectors have saved all of its registers. */
TEST(api_run, a_leaving_vcpu_runs_nowhere_else_until_saved)
{
	struct vcpu *guest;
	uint16_t id;

	setup();
	guest = running_irq_guest(&id);
	memcpy(guest->regs.x, &(struct ffa_value){ .func = FFA_YIELD_32 },
	       sizeof(struct ffa_value));
	EXPECT(api_handle_call(guest) == &vm->vcpus[0]);
	/* Its x19-x29 are not stored yet: another CPU may not enter it. */
	EXPECT(guest->state == VCPU_RUNNING);
	EXPECT(run_on(1, id, 0) == &vm->vcpus[1]);
	EXPECT_FFA_ERROR(regs_of(&vm->vcpus[1]), FFA_BUSY);
	EXPECT_EQ(call(HF_VM_STOP, id, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_FFA_ERROR(call(HF_VM_DESTROY, id, 0, 0), FFA_BUSY);
	vcpu_saved(guest);
	EXPECT(guest->state == VCPU_READY);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

/* H3: before the primary's SYSTEM_RESET or SYSTEM_OFF reaches firmware,
 * every secondary is out of its stage-2 and zeroed. */
TEST(api_vm, system_reset_scrubs_secondaries_first)
{
	uint64_t args[4] = { PSCI_SYSTEM_RESET, 0, 0, 0 };
	struct vm *s;
	paddr_t pa;
	uint32_t mode;
	uint16_t id;

	setup();
	id = create_vm("secret", 1);
	s = vm_of(id);
	memset((void *)VM_MEM, 0x77, 32 * PAGE_SIZE);
	fake_smc_count = 0;
	psci_primary_call(cpu_by_index(0), args);
	EXPECT_EQ(fake_smc_count, 1);
	EXPECT_EQ(fake_smc_calls[0].x[0], PSCI_SYSTEM_RESET);
	EXPECT_EQ(((uint8_t *)VM_MEM)[0], 0);
	EXPECT_EQ(((uint8_t *)VM_MEM)[32 * PAGE_SIZE - 1], 0);
	EXPECT(!mm_lookup(&s->ptable, HF_VM_RAM_BASE, &pa, &mode));
	EXPECT_EQ(s->state, HF_VM_STATE_STOPPED);
}

/* The VM table hands out references: a VM destroyed while one is held is
 * gone for everyone else at once, but its memory, hyp pages and id stay
 * until the reference is dropped; the retry of the destroy frees them. */
TEST(api_vm, a_referenced_vm_is_freed_only_once_released)
{
	struct vm *held;
	uint16_t id;

	setup();
	id = create_vm("first", 1);
	held = vm_get(id);
	EXPECT(held != NULL);
	EXPECT_FFA_ERROR(call(HF_VM_DESTROY, id, 0, 0), FFA_BUSY);
	EXPECT(vm_get(id) == NULL);
	EXPECT_EQ(vms_in_table(), 1);
	EXPECT_EQ(held->state, HF_VM_STATE_STOPPED);
	EXPECT(!mm_range_has_mode(&vm->ptable, HYP_MEM, HYP_MEM + PAGE_SIZE,
				  RWX));
	/* Its memory is still taken: a new VM cannot have it. */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, put_create_desc("second", 1, 32),
			      0, 0),
			 FFA_INVALID_PARAMETERS);
	vm_put(held);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
	EXPECT(mm_range_has_mode(&vm->ptable, HYP_MEM,
				 HYP_MEM + HYP_PAGES * PAGE_SIZE, RWX));
	EXPECT_FFA_ERROR(call(HF_VM_DESTROY, id, 0, 0), FFA_INVALID_PARAMETERS);
	EXPECT_EQ(create_vm("third", 1), id);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}

/* A secondary's state and stage-2 tables live in the hyp pages the
 * primary gave for it, not in the hypervisor's pool, and come back zeroed
 * with the VM's memory. */
TEST(api_vm, a_vm_lives_in_its_hyp_pages)
{
	size_t pool_used;
	struct vm *s;
	uint16_t id;

	setup();
	memset((void *)HYP_MEM, 0x5a, HYP_PAGES * PAGE_SIZE);
	pool_used = mpool_used_pages(&pool);
	id = create_vm("guest", 2);
	s = vm_of(id);
	EXPECT((uintptr_t)s == HYP_MEM);
	EXPECT(s->ptable.root >= HYP_MEM &&
	       s->ptable.root < HYP_MEM + HYP_PAGES * PAGE_SIZE);
	EXPECT_EQ(s->ptable.vmid, id - 1);
	EXPECT(mm_ptable_table_count(&s->ptable) <= HYP_PAGES);
	/* The hypervisor's pool paid for the primary's splits only. */
	EXPECT(mpool_used_pages(&pool) - pool_used <= 2);
	EXPECT(!mm_range_has_mode(&vm->ptable, HYP_MEM,
				  HYP_MEM + HYP_PAGES * PAGE_SIZE, RWX));
	EXPECT_EQ(call(HF_VM_INFO, id, 0, 0).arg2 >> 32, HYP_PAGES);
	EXPECT_EQ(call(HF_VM_INFO, HF_PRIMARY_VM_ID, 0, 0).arg2 >> 32, 0);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
	EXPECT(mm_range_has_mode(&vm->ptable, HYP_MEM,
				 HYP_MEM + HYP_PAGES * PAGE_SIZE, RWX));
	EXPECT_EQ(((uint8_t *)HYP_MEM)[0], 0);
	EXPECT_EQ(((uint8_t *)HYP_MEM)[HYP_PAGES * PAGE_SIZE - 1], 0);
	EXPECT_EQ(mpool_used_pages(&pool), pool_used);
	EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg5, 1 << 20);
}

/* Every hyp field is checked; a refused create changes nothing. */
TEST(api_vm, create_refuses_bad_hyp_pages)
{
	struct hf_vm_create_desc *d = (void *)ARENA;
	uint64_t len;

	setup();
	call(FFA_RXTX_MAP_64, ARENA, ARENA + PAGE_SIZE, 1);
	memset((void *)HYP_MEM, 0x5a, HYP_PAGES * PAGE_SIZE);
	len = put_create_desc("g", 1, 32);
	d->hyp_page_count = (uint32_t)hf_vm_hyp_pages(32) - 1; /* short */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->hyp_page_count = HF_VM_HYP_MAX_PAGES + 1;
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->hyp_address = HYP_MEM + 8; /* unaligned */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->hyp_address = VM_MEM + 24 * PAGE_SIZE; /* the VM's own memory */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->hyp_address = HYP_HOLE - PAGE_SIZE; /* over the hypervisor's */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->hyp_address = ARENA; /* over the primary's RX/TX */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->hyp_address = DEVICE_PAGE; /* not RAM */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->hyp_address = 0xfffffffffffff000ull; /* wraps */
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	len = put_create_desc("g", 1, 32);
	d->reserved = 1;
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, len, 0, 0), FFA_INVALID_PARAMETERS);
	EXPECT_EQ(vms_in_table(), 1);
	EXPECT(mm_range_has_mode(&vm->ptable, HYP_MEM,
				 HYP_MEM + HYP_PAGES * PAGE_SIZE, RWX));
	EXPECT_EQ(((uint8_t *)HYP_MEM)[0], 0x5a);
	EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg5, 1 << 20);
	/* Just enough is enough. */
	len = put_create_desc("g", 1, 32);
	d->hyp_page_count = (uint32_t)hf_vm_hyp_pages(32);
	EXPECT_EQ(call(HF_VM_CREATE, len, 0, 0).func, FFA_SUCCESS_32);
}

/* Fills every id but the last few with VMs made directly in the table,
 * each in its own header pages. Returns the block to free after. */
static void *fill_table(uint16_t up_to)
{
	size_t header = HF_VM_HYP_HEADER_PAGES * PAGE_SIZE;
	uint8_t *mem = aligned_alloc(PAGE_SIZE, HF_MAX_VMS * header);
	struct vm_table_locked table = vm_table_lock();
	char name[16];
	uint16_t id;

	for (id = HF_PRIMARY_VM_ID + 1; id <= up_to; id++) {
		struct pa_range hyp = {
			pa_from_ptr(mem + id * header - header),
			pa_from_ptr(mem + id * header),
		};
		struct vm *v;

		snprintf(name, sizeof(name), "filler%u", id);
		v = vm_alloc(table, hyp, name, 1);
		EXPECT(v != NULL && v->id == id);
		vm_publish(table, v);
	}
	vm_table_unlock(&table);
	return mem;
}

/* 255 secondaries fit; the 256th create finds the id space full and
 * leaves the primary's memory as it was; a freed id is used again. */
TEST(api_vm, the_id_space_holds_255_secondaries)
{
	struct vm_table_locked table;
	struct vm_locked locked;
	struct ffa_value r;
	void *mem;
	uint16_t id;

	setup();
	mem = fill_table(HF_MAX_VMS - 1);
	EXPECT_EQ(vms_in_table(), HF_MAX_VMS - 1);
	id = create_vm("last", 1);
	EXPECT_EQ(id, HF_MAX_VMS);
	EXPECT_EQ(call(HF_VM_INFO, id, 0, 0).func, FFA_SUCCESS_64);
	EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg6, HF_MAX_VMS);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_EQ(create_vm("last", 1), HF_MAX_VMS);
	r = call(HF_VM_CREATE, put_create_desc("one-more", 1, 16), 0, 0);
	EXPECT_FFA_ERROR(r, FFA_INVALID_PARAMETERS); /* its memory is taken */
	EXPECT_EQ(call(HF_VM_DESTROY, HF_MAX_VMS, 0, 0).func, FFA_SUCCESS_32);

	/* Every id in use: NO_MEMORY, with nothing taken. */
	table = vm_table_lock();
	{
		struct pa_range hyp = { pa_init(HYP_MEM),
					pa_init(HYP_MEM + HYP_PAGES *
						PAGE_SIZE) };
		struct vm *v = vm_alloc(table, hyp, "blocker", 1);

		EXPECT(v != NULL && v->id == HF_MAX_VMS);
		vm_publish(table, v);
		EXPECT(vm_alloc(table, hyp, "none", 1) == NULL);
		locked = vm_lock(v);
		vm_retire(table, locked);
		vm_unlock(&locked);
		vm_free(table, v);
		/* Taken again by a VM whose pages are elsewhere. */
		hyp.begin = pa_from_ptr((uint8_t *)mem);
		hyp.end = pa_add(hyp.begin, HF_VM_HYP_HEADER_PAGES * PAGE_SIZE);
		v = vm_alloc(table, hyp, "blocker", 1);
		vm_publish(table, v);
	}
	vm_table_unlock(&table);
	memset((void *)HYP_MEM, 0x5a, HYP_PAGES * PAGE_SIZE);
	r = call(HF_VM_CREATE, put_create_desc("full", 1, 32), 0, 0);
	EXPECT_FFA_ERROR(r, FFA_NO_MEMORY);
	EXPECT(mm_range_has_mode(&vm->ptable, VM_MEM, VM_MEM + 32 * PAGE_SIZE,
				 RWX));
	EXPECT(mm_range_has_mode(&vm->ptable, HYP_MEM,
				 HYP_MEM + HYP_PAGES * PAGE_SIZE, RWX));
	EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg5, 1 << 20);
	EXPECT_EQ(vms_in_table(), HF_MAX_VMS);
	retire_all();
	free(mem);
}

/* A name in use is refused whichever slot holds it, the primary's too
 * (look-ups compare a hash kept in the table first); a free one is not. */
TEST(api_vm, a_name_in_use_is_refused_whichever_slot_has_it)
{
	void *mem;

	setup();
	mem = fill_table(40);
	call(FFA_RXTX_MAP_64, ARENA, ARENA + PAGE_SIZE, 1);
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, put_create_desc("filler37", 1, 32),
			      0, 0),
			 FFA_INVALID_PARAMETERS);
	EXPECT_FFA_ERROR(call(HF_VM_CREATE, put_create_desc(vm->name, 1, 32),
			      0, 0),
			 FFA_INVALID_PARAMETERS);
	EXPECT_EQ(vms_in_table(), 40);
	EXPECT_EQ(call(HF_HYP_INFO, 0, 0, 0).arg5, 1 << 20);
	EXPECT_EQ(create_vm("filler370", 1), 41);
	retire_all();
	free(mem);
}

/* Waiters with ids beyond 64 are named in x2..x5 (bit id - 1). */
TEST(api_msg, waiters_with_high_ids)
{
	struct vcpu *guest, *next;
	struct ffa_value r;
	void *mem;
	uint16_t id;

	setup();
	mem = fill_table(199);
	guest = running_guest(&id);
	EXPECT_EQ(id, 200);
	/* The primary's RX is full; the guest's message to it is BUSY. */
	EXPECT_EQ(call(FFA_PARTITION_INFO_GET_32, 0, 0, 0).func,
		  FFA_SUCCESS_32);
	put_message(GUEST_TX, HF_PRIMARY_VM_ID, "hi");
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_MSG_SEND2_32 },
		     &next);
	EXPECT(next == guest);
	EXPECT_FFA_ERROR(r, FFA_BUSY);
	r = call(FFA_RX_RELEASE_32, 0, 0, 0);
	EXPECT_EQ(r.func, FFA_SUCCESS_32);
	EXPECT_EQ(r.arg2, 0);
	EXPECT_EQ(r.arg3, 0);
	EXPECT_EQ(r.arg4, 0);
	EXPECT_EQ(r.arg5, 1ull << (199 % 64));
	EXPECT(guest->interrupts.pending & 1u << HF_MAILBOX_WRITABLE_INTID);
	end_guest(guest, id);
	retire_all();
	free(mem);
}

/* FFA_PARTITION_INFO_GET lists more VMs than fit one RX buffer in calls
 * from a start index (w6). */
TEST(api, partition_info_lists_every_vm_from_a_start_index)
{
	struct ffa_value get = { .func = FFA_PARTITION_INFO_GET_32 };
	struct ffa_partition_info info;
	struct ffa_value r;
	void *mem;
	size_t seen = 0;

	setup();
	mem = fill_table(HF_MAX_VMS);
	EXPECT_EQ(call(FFA_RXTX_MAP_64, ARENA, ARENA + PAGE_SIZE, 1).func,
		  FFA_SUCCESS_32);
	while (seen < HF_MAX_VMS) {
		get.arg6 = seen;
		r = handle(get);
		EXPECT_EQ(r.func, FFA_SUCCESS_32);
		EXPECT_EQ(r.arg4, HF_MAX_VMS);
		EXPECT(r.arg2 > 0 && r.arg2 <= FFA_PARTITION_INFO_PER_RX);
		memcpy(&info, PRIMARY_RX, sizeof(info));
		EXPECT_EQ(info.vm_id, seen + 1);
		memcpy(&info, PRIMARY_RX + (r.arg2 - 1) * FFA_PARTITION_INFO_SIZE,
		       sizeof(info));
		EXPECT_EQ(info.vm_id, seen + r.arg2);
		seen += r.arg2;
		EXPECT_EQ(call(FFA_RX_RELEASE_32, 0, 0, 0).func,
			  FFA_SUCCESS_32);
	}
	EXPECT_EQ(seen, HF_MAX_VMS);
	get.arg6 = HF_MAX_VMS + 1;
	EXPECT_FFA_ERROR(handle(get), FFA_INVALID_PARAMETERS);
	retire_all();
	free(mem);
}

/* A message a guest delivers to the primary while its VM is being stopped
 * on another CPU still reaches the primary as FFA_MSG_SEND2_32, or the
 * primary would never read, nor release, its full RX buffer. */
TEST(api_msg, a_message_to_the_primary_outlives_its_senders_stop)
{
	struct vcpu *guest;
	struct vcpu *next;
	struct ffa_value r;
	uint16_t id;

	setup();
	guest = running_guest(&id);
	EXPECT_EQ(call(HF_VM_STOP, id, 0, 0).func, FFA_SUCCESS_32);
	put_message(GUEST_TX, 0x33u << 16 | HF_PRIMARY_VM_ID, "last");
	r = hvc_from(guest, (struct ffa_value){ .func = FFA_MSG_SEND2_32 },
		     &next);
	EXPECT(next == &vm->vcpus[0]);
	EXPECT_EQ(r.func, FFA_MSG_SEND2_32);
	EXPECT(memcmp(PRIMARY_RX + 32, "last", 4) == 0);
	EXPECT(guest->state == VCPU_OFF);
	EXPECT_FFA_ERROR(call(FFA_RUN_32, vcpu_ffa_id(id, 0), 0, 0),
			 FFA_ABORTED);
	EXPECT_EQ(call(FFA_RX_RELEASE_32, 0, 0, 0).func, FFA_SUCCESS_32);
	EXPECT_EQ(call(HF_VM_DESTROY, id, 0, 0).func, FFA_SUCCESS_32);
}
