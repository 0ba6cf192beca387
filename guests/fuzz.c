/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz: FUZZ_CALLS hypercalls in all, shared by every vCPU in its device
 * tree, with pseudo-random function ids (both FF-A ranges, hafnium's
 * vendor range, PSCI, anything) and arguments biased toward addresses:
 * its own memory, all of the machine's RAM (QEMU's 1 GiB at 0x40000000:
 * the primary's, other VMs' and, at its start, the hypervisor's image),
 * which are not IPAs of this VM. Left out: the PSCI calls that would end
 * the VM (SYSTEM_OFF, SYSTEM_RESET, CPU_OFF), drawn again.
 *
 * The seed is the decimal number after the last '-' of its name (the
 * `model` of its device tree; 1 without one); vCPU i draws from seed and
 * i, so each vCPU's calls repeat with the seed. Every answer is counted by
 * kind; an answer docs/abi.md does not define is undefined, and an
 * FFA_RXTX_MAP that succeeds with a page outside its memory a violation
 * (the first few of each printed). When every vCPU is done, vCPU 0 prints
 *   "fuzz: vCPU <i>: calls N success S error E not-supported U
 *    psci P version V message M interrupt I undefined X violations Y"
 * per vCPU, then "fuzz: done seed <seed> calls <total>", and powers off.
 */
#include "guest/runtime.h"

#define FUZZ_CALLS 1000000
#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x40000000UL
#define HYP_IMAGE_SIZE 0x200000UL
#define SCRATCH_PAGES 4
#define CNTV_CTL_ENABLE 1

/* The only pages of its own it offers as a mailbox: mapping RX over its
 * code or stacks would let a message overwrite them. Page 0 holds a
 * valid message header to the primary, page 1 one to the VM below it. */
static uint8_t scratch[SCRATCH_PAGES][HF_MAILBOX_SIZE]
	__attribute__((aligned(4096)));

struct tally {
	unsigned long calls, success, error, not_supported, psci, version,
		message, interrupt, undefined, violations;
};

static struct tally tallies[GUEST_MAX_CPUS];
static uint64_t seed = 1;
static uint64_t mem_base, mem_size;
static unsigned int ncpus;
static uint32_t finished;

/* xorshift64*, one state per vCPU. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static bool excluded(uint64_t func)
{
	/* hafnium folds SMC32/SMC64 of PSCI ids: leave both out. */
	uint32_t f = (uint32_t)func & ~0x40000000u;

	return f == PSCI_SYSTEM_OFF || f == PSCI_SYSTEM_RESET ||
	       f == PSCI_CPU_OFF;
}

static uint64_t random_function(uint64_t *s)
{
	uint64_t r = next(s), f;

	do {
		switch (r % 6) {
		case 0: /* FF-A, 32-bit */
			f = 0x84000060 + (r >> 8) % 0xa0;
			break;
		case 1: /* FF-A, 64-bit */
			f = 0xc4000060 + (r >> 8) % 0xa0;
			break;
		case 2: /* hafnium's calls, and FFA_RUN's answer ids */
			f = HF_CALL_BASE + ((r >> 8) & 1 ? (r >> 9) % 16
						       : 0x100 + (r >> 9) % 4);
			break;
		case 3: /* PSCI, 32 and 64-bit */
			f = ((r >> 8) & 1 ? 0xc4000000 : 0x84000000) +
			    (r >> 9) % 0x20;
			break;
		case 4:
			f = (uint32_t)(r >> 8);
			break;
		default:
			f = next(s);
			break;
		}
		r = next(s);
	} while (excluded(f));
	return f;
}

static uint64_t random_argument(uint64_t *s)
{
	uint64_t r = next(s);

	switch (r % 8) {
	case 0:
		return (r >> 8) % 4;
	case 1:
		return (uint32_t)next(s);
	case 2:
		return next(s);
	case 3: /* a scratch page, or an address within one */
		return (uintptr_t)scratch[(r >> 8) % SCRATCH_PAGES] +
		       ((r >> 16) & 1 ? 0 : (r >> 20) % HF_MAILBOX_SIZE);
	case 4: /* its own memory, never page-aligned (not a mailbox) */
		return mem_base + ((r >> 8) % mem_size | 8);
	case 5: /* the machine's RAM, page-aligned or not */
		return (RAM_BASE + (r >> 8) % RAM_SIZE) &
		       ((r >> 60) & 1 ? ~0xfffUL : ~0UL);
	case 6: /* the hypervisor's image */
		return RAM_BASE + ((r >> 8) % HYP_IMAGE_SIZE & ~0xfffUL);
	default: /* just past its memory: pages no VM's IPA has */
		return mem_base + mem_size + ((r >> 8) % 16) * 4096;
	}
}

static bool own_page(uint64_t ipa)
{
	return ipa >= mem_base && ipa < mem_base + mem_size;
}

static bool is_psci(uint64_t func)
{
	uint32_t f = (uint32_t)func & ~0x40000000u;

	return f >= 0x84000000u && f <= 0x8400001fu;
}

/* FFA_MSG_WAIT waits for a message or an interrupt: arm the virtual
 * timer 1 ms ahead, with its interrupt enabled and not active, so that it
 * ends even if nothing else comes. */
static void arm_timer(void)
{
	uint64_t cval = counter_now() + ns_to_counter(1000000);

	hf_interrupt_deactivate(HF_VIRTUAL_TIMER_INTID);
	hf_interrupt_enable(HF_VIRTUAL_TIMER_INTID, true);
	__asm__ volatile("msr cntv_cval_el0, %0\n"
			 "msr cntv_ctl_el0, %1\n"
			 "isb" ::"r"(cval),
			 "r"((uint64_t)CNTV_CTL_ENABLE)
			 : "memory");
}

static void disarm_timer(void)
{
	__asm__ volatile("msr cntv_ctl_el0, xzr\nisb" ::: "memory");
}

/* Counts the answer; false if docs/abi.md does not define it. */
static bool count(struct tally *t, uint64_t func, struct hvc_ret r)
{
	int64_t x0 = (int64_t)r.x[0];
	int32_t code = (int32_t)r.x[2];

	if ((uint32_t)x0 == FFA_SUCCESS_32 || (uint32_t)x0 == FFA_SUCCESS_64) {
		t->success++;
	} else if ((uint32_t)x0 == FFA_ERROR_32) {
		if (code > FFA_NOT_SUPPORTED || code < FFA_NO_DATA) {
			return false;
		}
		t->error++;
	} else if (is_psci(func)) {
		/* PSCI: an error code, an affinity state, its version. */
		if ((x0 < -9 || x0 > 2) && x0 != 0x10000) {
			return false;
		}
		t->psci++;
	} else if (x0 == SMCCC_NOT_SUPPORTED) {
		t->not_supported++;
	} else if ((uint32_t)func == FFA_VERSION_32) {
		if (x0 != FFA_VERSION_COMPILED) {
			return false;
		}
		t->version++;
	} else if ((uint32_t)func == SMCCC_VERSION_FUNC) {
		if (x0 != SMCCC_VERSION_1_2) {
			return false;
		}
		t->version++;
	} else if ((uint32_t)func == FFA_MSG_WAIT_32 &&
		   (uint32_t)x0 == FFA_MSG_SEND2_32) {
		t->message++;
	} else if ((uint32_t)func == FFA_MSG_WAIT_32 &&
		   (uint32_t)x0 == FFA_INTERRUPT_32) {
		t->interrupt++;
	} else {
		return false;
	}
	return true;
}

/* A mailbox outside its own memory must never be accepted. */
static bool violation(uint64_t func, uint64_t a1, uint64_t a2,
		      struct hvc_ret r)
{
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32 ||
	    ((uint32_t)func != FFA_RXTX_MAP_32 &&
	     (uint32_t)func != FFA_RXTX_MAP_64)) {
		return false;
	}
	if ((uint32_t)func == FFA_RXTX_MAP_32) {
		a1 = (uint32_t)a1;
		a2 = (uint32_t)a2;
	}
	return !own_page(a1) || !own_page(a2);
}

static void fuzz(uintptr_t index)
{
	struct tally *t = &tallies[index];
	uint64_t s = (seed ^ (index + 1) * 0x9e3779b97f4a7c15ULL) | 1;
	unsigned long calls = FUZZ_CALLS / ncpus +
			      (index < FUZZ_CALLS % ncpus ? 1 : 0);

	while (t->calls < calls) {
		uint64_t func = random_function(&s);
		uint64_t a[7];
		struct hvc_ret r;
		bool wait = (uint32_t)func == FFA_MSG_WAIT_32;

		for (unsigned int i = 0; i < 7; i++) {
			a[i] = random_argument(&s);
		}
		if (wait) {
			arm_timer();
		}
		r = hvc_call(func, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
		if (wait) {
			disarm_timer();
		}
		t->calls++;
		if (!count(t, func, r) && t->undefined++ < 3) {
			printf("fuzz: vCPU %u: undefined answer to 0x%lx: x0=0x%lx "
			       "x2=0x%lx\n",
			       (unsigned int)index, (unsigned long)func,
			       (unsigned long)r.x[0], (unsigned long)r.x[2]);
		}
		if (violation(func, a[0], a[1], r) && t->violations++ < 3) {
			printf("fuzz: vCPU %u: mailbox mapped at 0x%lx, 0x%lx "
			       "(0x%lx)\n",
			       (unsigned int)index, (unsigned long)a[0],
			       (unsigned long)a[1], (unsigned long)func);
		}
	}
	__atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
	sev();
	/* Stay on: CPU_ON of a vCPU that is off would start it anywhere. */
	while (index != 0) {
		ffa_yield();
	}
}

/* The number after the last '-' of the name, if there is one. */
static void read_seed(const char *name)
{
	const char *dash = NULL;
	uint64_t v = 0;

	for (const char *p = name; *p != '\0'; p++) {
		if (*p == '-') {
			dash = p;
		}
	}
	if (dash == NULL || dash[1] == '\0') {
		return;
	}
	for (const char *p = dash + 1; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
	}
	seed = v;
}

/* Valid headers, so that some FFA_MSG_SEND2s deliver. */
static void write_headers(void)
{
	struct ffa_partition_msg_header h = {
		.offset = 32,
		.sender_receiver = HF_PRIMARY_VM_ID,
		.size = 16,
	};
	/* Ports no socket of the primary has. */
	uint32_t ports[2] = { 0xfffffff0u, 0xfffffff1u };

	memcpy(scratch[0], &h, sizeof(h));
	memcpy(scratch[0] + 32, ports, sizeof(ports));
	h.sender_receiver = (uint32_t)ffa_id_get() - 1;
	memcpy(scratch[1], &h, sizeof(h));
	memcpy(scratch[1] + 32, ports, sizeof(ports));
}

int main(const void *blob)
{
	unsigned long total = 0;
	const char *name;
	struct fdt fdt;
	int n;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE) ||
	    !fdt_memory(&fdt, &mem_base, &mem_size) ||
	    (n = fdt_cpu_count(&fdt)) < 1 || n > GUEST_MAX_CPUS) {
		printf("fuzz: needs its memory and 1..%d vCPUs\n",
		       GUEST_MAX_CPUS);
		return 1;
	}
	name = fdt_string(&fdt, "/", "model");
	if (name != NULL) {
		read_seed(name);
	}
	ncpus = (unsigned int)n;
	write_headers();
	printf("fuzz: seed %lu, %u calls on %u vCPUs\n", (unsigned long)seed,
	       FUZZ_CALLS, ncpus);
	for (unsigned int i = 1; i < ncpus; i++) {
		int ret = cpu_start(i, fuzz, i);

		if (ret != PSCI_SUCCESS) {
			printf("fuzz: CPU_ON of vCPU %u failed: %d\n", i, ret);
			return 1;
		}
	}
	fuzz(0);
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < ncpus) {
		ffa_yield();
	}
	for (unsigned int i = 0; i < ncpus; i++) {
		struct tally *t = &tallies[i];

		printf("fuzz: vCPU %u: calls %lu success %lu error %lu "
		       "not-supported %lu psci %lu version %lu message %lu "
		       "interrupt %lu undefined %lu violations %lu\n",
		       i, t->calls, t->success, t->error, t->not_supported,
		       t->psci, t->version, t->message, t->interrupt,
		       t->undefined, t->violations);
		total += t->calls;
	}
	printf("fuzz: done seed %lu calls %lu\n", (unsigned long)seed, total);
	return 0;
}
