/* The hypercall ABI: FF-A calls and HF vendor calls from a VM whose
 * stage-2 looks like the primary's (RAM, devices, the hypervisor's hole).
 * The VM's "RAM" is a host mapping at a fixed low address, so that its
 * addresses fit the 40-bit IPA space and EL2-style accesses by physical
 * address work on the host. */
#include <stdlib.h>
#include <sys/mman.h>

#include "hf/api.h"

#include "test.h"

#define ARENA ((uintptr_t)0x50000000)
#define ARENA_SIZE (16 * PAGE_SIZE)
#define HYP_HOLE (ARENA + 8 * PAGE_SIZE) /* unmapped, like EL2's memory */
#define DEVICE_PAGE ((uintptr_t)0x09000000)
#define RWX (MM_MODE_R | MM_MODE_W | MM_MODE_X)

static struct mpool pool;
static void *pool_mem;
static struct vm *vm;

static struct vm *setup(void)
{
	struct api_hyp_info info = { .cpu_count = 4, .mem_available = 1 << 20 };
	static bool arena_mapped;

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
		vm = vm_init_next("primary", 4);
	}
	mpool_init(&pool, pool_mem, 64);
	memset(&vm->mailbox, 0, sizeof(vm->mailbox));
	if (!mm_ptable_init(&vm->ptable, MM_STAGE2, vm->id, &pool) ||
	    !mm_map(&vm->ptable, 0, 0x40000000, pa_init(0),
		    MM_MODE_R | MM_MODE_W | MM_MODE_D, &pool) ||
	    !mm_identity_map(&vm->ptable, pa_init(ARENA),
			     pa_init(ARENA + ARENA_SIZE), RWX, &pool) ||
	    !mm_unmap(&vm->ptable, HYP_HOLE, HYP_HOLE + PAGE_SIZE, &pool)) {
		abort();
	}
	api_init(&info);
	return vm;
}

static struct ffa_value handle(struct ffa_value regs)
{
	api_handle_call(vm, &regs);
	return regs;
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
	EXPECT_FFA_ERROR(call(FFA_FEATURES_32, 0x8400006d /* FFA_RUN */, 0, 0),
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
