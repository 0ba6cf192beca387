/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipi: a token goes round the ring of all vCPUs in the device tree,
 * 0 -> 1 -> ... -> n-1 -> 0, ROUNDS times: each vCPU passes it on by
 * injecting TOKEN_INTID into the next one (with one vCPU, into itself).
 *
 * vCPU 0 first checks that the interrupt calls refuse bad ids and targets
 * (a line "ipi: refused ..." each, then "ipi: refusals ok"), then starts
 * the others. Each counts the tokens it gets; at the end vCPU 0 checks
 * that every vCPU got ROUNDS and prints
 * "ipi: <n> vCPUs, <ROUNDS> rounds, <total> interrupts ok". Every wait is
 * a WFI, which gives the physical CPU back to the primary.
 */
#include "guest/runtime.h"

#define ROUNDS 10000
#define TOKEN_INTID HF_SOFTWARE_INTID_FIRST
/* Wakes vCPU 0 while it waits for the others to enable TOKEN_INTID. */
#define READY_INTID (HF_SOFTWARE_INTID_FIRST + 1)

static unsigned int ncpus;
static uint16_t vm_id;
/* Tokens received, per vCPU; read by vCPU 0 at the end. */
static uint32_t tokens[GUEST_MAX_CPUS];
/* Per vCPU: a token arrived and is not passed on yet. */
static bool holding[GUEST_MAX_CPUS];
/* vCPUs other than 0 that have enabled TOKEN_INTID. */
static uint32_t ready;

static void token_arrived(unsigned int intid)
{
	unsigned int me = cpu_index();

	(void)intid;
	__atomic_store_n(&tokens[me], tokens[me] + 1, __ATOMIC_RELEASE);
	holding[me] = true;
}

static void ready_arrived(unsigned int intid)
{
	/* The wake-up is all: main checks the count. */
	(void)intid;
}

/* Waits (IRQs masked at the check) until the token is here. */
static void wait_token(unsigned int me)
{
	while (!holding[me]) {
		irq_wait();
	}
	holding[me] = false;
}

/* Returns 0, or non-zero (said on the console) if the injection did not
 * make the token pending at the next vCPU. */
static int pass_token(unsigned int me)
{
	unsigned int next = (me + 1) % ncpus;
	int ret = hf_interrupt_inject(vm_id, (uint16_t)next, TOKEN_INTID);

	if (ret != 1) {
		printf("ipi: vCPU %u: injecting into vCPU %u answered %d\n", me,
		       next, ret);
		return 1;
	}
	return 0;
}

/* A worker cannot make main() fail: after its line, it ends the VM. */
static void worker(uintptr_t index)
{
	unsigned int me = cpu_index();
	int ret = hf_interrupt_enable(TOKEN_INTID, true);

	(void)index;
	if (ret != 0) {
		printf("ipi: vCPU %u: enabling intid %d failed: %d\n", me,
		       TOKEN_INTID, ret);
		psci_system_off();
	}
	__atomic_fetch_add(&ready, 1, __ATOMIC_RELEASE);
	ret = hf_interrupt_inject(vm_id, 0, READY_INTID);
	if (ret < 0) {
		printf("ipi: vCPU %u: waking vCPU 0 failed: %d\n", me, ret);
		psci_system_off();
	}
	for (unsigned int r = 0; r < ROUNDS; r++) {
		wait_token(me);
		if (pass_token(me) != 0) {
			psci_system_off();
		}
	}
}

/* 0 if ret is want (and says so), else 1 (and says what came). */
static unsigned int refused(const char *what, int ret, int want)
{
	if (ret == want) {
		printf("ipi: refused %s: %d\n", what, ret);
		return 0;
	}
	printf("ipi: %s answered %d, expected %d\n", what, ret, want);
	return 1;
}

/* The refusals of the interrupt calls; returns how many were not. */
static unsigned int check_refusals(void)
{
	static const uint32_t reserved[] = {0, 4, 15, HF_NUM_INTIDS};
	unsigned int failed = 0;
	char what[64];

	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		snprintf(what, sizeof(what), "enabling intid %u", reserved[i]);
		failed += refused(what, hf_interrupt_enable(reserved[i], true),
				  FFA_INVALID_PARAMETERS);
	}
	failed += refused("injecting intid 3 (the timer)",
			  hf_interrupt_inject(vm_id, 0,
					      HF_VIRTUAL_TIMER_INTID),
			  FFA_INVALID_PARAMETERS);
	snprintf(what, sizeof(what), "injecting intid %d", HF_NUM_INTIDS);
	failed += refused(what, hf_interrupt_inject(vm_id, 0, HF_NUM_INTIDS),
			  FFA_INVALID_PARAMETERS);
	snprintf(what, sizeof(what), "injecting into vCPU %u of %u", ncpus,
		 ncpus);
	failed += refused(what,
			  hf_interrupt_inject(vm_id, (uint16_t)ncpus,
					      TOKEN_INTID),
			  FFA_INVALID_PARAMETERS);
	failed += refused("injecting into the primary",
			  hf_interrupt_inject(HF_PRIMARY_VM_ID, 0, TOKEN_INTID),
			  FFA_DENIED);
	snprintf(what, sizeof(what), "injecting into VM %u",
		 (unsigned int)(vm_id + 1));
	failed += refused(what,
			  hf_interrupt_inject((uint16_t)(vm_id + 1), 0,
					      TOKEN_INTID),
			  FFA_DENIED);
	snprintf(what, sizeof(what), "deactivating inactive intid %d",
		 TOKEN_INTID);
	failed += refused(what, hf_interrupt_deactivate(TOKEN_INTID),
			  FFA_DENIED);
	return failed;
}

int main(const void *blob)
{
	struct fdt fdt;
	uint32_t total = 0;
	unsigned int bad = 0;
	int n, ret;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE) ||
	    (n = fdt_cpu_count(&fdt)) < 1) {
		printf("ipi: no cpus in the device tree\n");
		return 1;
	}
	if (n > GUEST_MAX_CPUS) {
		printf("ipi: %d vCPUs, the runtime supports %d\n", n,
		       GUEST_MAX_CPUS);
		return 1;
	}
	ncpus = (unsigned int)n;
	ret = ffa_id_get();
	if (ret < 0) {
		printf("ipi: FFA_ID_GET failed: %d\n", ret);
		return 1;
	}
	vm_id = (uint16_t)ret;

	if (check_refusals() != 0) {
		return 1;
	}
	printf("ipi: refusals ok\n");

	irq_set_handler(TOKEN_INTID, token_arrived);
	irq_set_handler(READY_INTID, ready_arrived);
	if ((ret = hf_interrupt_enable(TOKEN_INTID, true)) != 0 ||
	    (ret = hf_interrupt_enable(READY_INTID, true)) != 0) {
		printf("ipi: vCPU 0: enabling intids %d and %d failed: %d\n",
		       TOKEN_INTID, READY_INTID, ret);
		return 1;
	}
	for (unsigned int i = 1; i < ncpus; i++) {
		ret = cpu_start(i, worker, i);
		if (ret != PSCI_SUCCESS) {
			printf("ipi: CPU_ON of vCPU %u failed: %d\n", i, ret);
			return 1;
		}
	}
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < ncpus - 1) {
		irq_wait();
	}

	for (unsigned int r = 0; r < ROUNDS; r++) {
		if (pass_token(0) != 0) {
			return 1;
		}
		wait_token(0);
	}

	/* The last token came back: every vCPU has counted its last. */
	for (unsigned int i = 0; i < ncpus; i++) {
		uint32_t got = __atomic_load_n(&tokens[i], __ATOMIC_ACQUIRE);

		if (got != ROUNDS) {
			printf("ipi: vCPU %u got %u interrupts, expected %d\n",
			       i, got, ROUNDS);
			bad++;
		}
		total += got;
	}
	if (bad != 0) {
		return 1;
	}
	printf("ipi: %u vCPUs, %d rounds, %u interrupts ok\n", ncpus, ROUNDS,
	       total);
	return 0;
}
