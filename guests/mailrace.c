/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mailrace: races FFA_MSG_SEND2 against FFA_RXTX_UNMAP/FFA_RXTX_MAP of the
 * same mailbox (docs/testing.md, race_test). For RACE_SECONDS vCPU 0 sends
 * 4000-byte messages to the VM whose id is one below its own (create it
 * right after a `sink` VM, which releases its RX after each message) while
 * vCPU 1 unmaps and maps the mailbox again, over and over. Every
 * answer is counted by kind; then vCPU 0 prints
 *   "mailrace: send ok S busy B denied D undefined U"
 *   "mailrace: unmap ok N map ok M undefined U"
 *   "mailrace: done"
 * (and each undefined answer before) and yields forever: the VM must still
 * be running when the primary looks.
 */
#include "guest/runtime.h"

#define RACE_SECONDS 12
/* A payload hafnium must copy out of TX: where a stale TX address hurts. */
#define PAYLOAD_OFFSET 20
#define PAYLOAD_SIZE 4000

static uint8_t tx[HF_MAILBOX_SIZE] __attribute__((aligned(4096)));
static uint8_t rx[HF_MAILBOX_SIZE] __attribute__((aligned(4096)));

static uint64_t deadline;
static uint32_t remapper_done;

struct counts {
	unsigned long ok, busy, denied, undefined;
};

static struct counts sends, unmaps, maps;

/* Prints the first few undefined answers; counts all of them. */
static void undefined(struct counts *c, const char *call, struct hvc_ret r)
{
	if (c->undefined++ < 4) {
		printf("mailrace: undefined answer to %s: x0=0x%lx x2=0x%lx\n",
		       call, (unsigned long)r.x[0], (unsigned long)r.x[2]);
	}
}

/* FFA_SUCCESS_32, or (if errors_ok) FFA_ERROR BUSY or DENIED. */
static void count(struct counts *c, const char *call, struct hvc_ret r,
		  bool errors_ok)
{
	int err = ffa_error(r);

	if ((uint32_t)r.x[0] == FFA_SUCCESS_32) {
		c->ok++;
	} else if (err == FFA_BUSY && errors_ok) {
		c->busy++;
	} else if (err == FFA_DENIED && errors_ok) {
		c->denied++;
	} else {
		undefined(c, call, r);
	}
}

static struct hvc_ret map(void)
{
	return hvc_call(FFA_RXTX_MAP_64, (uintptr_t)tx, (uintptr_t)rx, 1, 0, 0,
			0, 0);
}

/* vCPU 1: the mailbox comes and goes under the sender. */
static void remapper(uintptr_t arg)
{
	(void)arg;
	while (counter_now() < deadline) {
		/* Only this vCPU maps and unmaps: each call must work. */
		count(&unmaps, "FFA_RXTX_UNMAP",
		      hvc_call(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0, 0, 0), false);
		count(&maps, "FFA_RXTX_MAP", map(), false);
	}
	__atomic_store_n(&remapper_done, 1, __ATOMIC_RELEASE);
	sev();
}

int main(const void *fdt)
{
	struct ffa_partition_msg_header h = {
		.offset = PAYLOAD_OFFSET,
		.sender_receiver = (uint32_t)ffa_id_get() - 1,
		.size = PAYLOAD_SIZE,
	};
	struct hvc_ret r;
	int ret;

	(void)fdt;
	memcpy(tx, &h, sizeof(h));
	r = map();
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32) {
		printf("mailrace: FFA_RXTX_MAP failed: %d\n", ffa_error(r));
		return 1;
	}
	deadline = counter_now() + RACE_SECONDS * counter_freq();
	ret = cpu_start(1, remapper, 0);
	if (ret != PSCI_SUCCESS) {
		printf("mailrace: CPU_ON of vCPU 1 failed: %d\n", ret);
		return 1;
	}
	while (counter_now() < deadline) {
		/* DENIED: unmapped just now; BUSY: the receiver's RX is full. */
		count(&sends, "FFA_MSG_SEND2",
		      hvc_call(FFA_MSG_SEND2_32, 0, 0, 0, 0, 0, 0, 0), true);
	}
	while (!__atomic_load_n(&remapper_done, __ATOMIC_ACQUIRE)) {
		ffa_yield();
	}
	printf("mailrace: send ok %lu busy %lu denied %lu undefined %lu\n",
	       sends.ok, sends.busy, sends.denied, sends.undefined);
	printf("mailrace: unmap ok %lu map ok %lu undefined %lu\n", unmaps.ok,
	       maps.ok, unmaps.undefined + maps.undefined);
	printf("mailrace: done\n");
	for (;;) {
		ffa_yield();
	}
}
