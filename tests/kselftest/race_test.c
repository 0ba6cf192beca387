// SPDX-License-Identifier: GPL-2.0
/*
 * Races against the hypervisor's locking (docs/testing.md, "Races and
 * fuzzing"): the primary's mailbox against VM creation, registers of
 * vCPUs run from several CPUs while their VM's slot is reused,
 * injections and messages against destroy, a guest's and the primary's
 * hypercall fuzzers at once, and a secondary's FFA_MSG_SEND2 against its
 * own FFA_RXTX_UNMAP. Each runs for RACE_MS at least; every answer must
 * be one the ABI defines, and the hypervisor must stay up.
 *
 * The mailbox race of a secondary is the last case: a hypervisor that
 * loses it panics and takes the machine down with it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "kselftest_harness.h"
#include "hf_driver.h"
#include "hf_vm.h"

#define ABI_MODULE "/lib/hafnium/tests/hf_abi_test.ko"
#define ABI_PROC "/proc/hf_abi_test"
#define VCPU_MODULE "/lib/hafnium/tests/hf_vcpu_test.ko"
#define VCPU_PROC "/proc/hf_vcpu_test"
#define RACE_MS 10000
#define START_MS 20000
#define PRIMARY_FUZZ_CALLS 100000
#define GUEST_FUZZ_CALLS 1000000
#define ECHO_PORT 7

static char result[4096];
static char console[HF_IOCTL_CONSOLE_SIZE + 1];

HF_DEV_FIXTURE(race);

/* The last `size` bytes of a VM's console, NUL-terminated. */
static int console_tail(int fd, uint32_t id, char *buf, size_t size)
{
	struct hf_ioctl_vm_console c = {
		.size = sizeof(c), .vm_id = id, .offset = UINT64_MAX,
	};
	int err = xioctl(fd, HF_IOCTL_VM_CONSOLE, &c);

	if (err)
		return err;
	c.offset = c.total > size - 1 ? c.total - (size - 1) : 0;
	c.buf = (uintptr_t)buf;
	c.len = size - 1;
	err = xioctl(fd, HF_IOCTL_VM_CONSOLE, &c);
	if (err)
		return err;
	buf[c.len] = '\0';
	/* The fuzzer logs random bytes: keep strstr() going past them. */
	while (c.len--)
		buf[c.len] = buf[c.len] ?: '?';
	return 0;
}

/* The kernel log from byte `from` on (malloc'd), or NULL. */
static char *kernel_log_since(size_t from)
{
	char *log = kernel_log(), *tail;

	if (!log || strlen(log) < from)
		return log;
	tail = strdup(log + from);
	free(log);
	return tail;
}

static size_t kernel_log_length(void)
{
	char *log = kernel_log();
	size_t len = log ? strlen(log) : 0;

	free(log);
	return len;
}

/* What the driver logs when the hypervisor answers something undefined. */
static void expect_clean_log(struct __test_metadata *_metadata, size_t from)
{
	static const char *const bad[] = {
		"unexpected FFA_RUN answer", "FFA_RUN failed",
		"HF_VM_DESTROY failed", "FFA_RX_RELEASE failed",
		"malformed message", "Oops", "BUG:", "WARNING:",
	};
	char *log = kernel_log_since(from);
	unsigned int i;

	ASSERT_NE(NULL, log);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(NULL, strstr(log, bad[i])) TH_LOG("%s", log);
	free(log);
}

/*
 * C1 of the review: HF_VM_CREATE of a VM holding pages P and P2 on one
 * CPU, FFA_RXTX_UNMAP and FFA_RXTX_MAP(P, P2) on another. The mailbox
 * must never end up on the new VM's pages. hafnium.ko must not be loaded:
 * the module uses the primary's one mailbox.
 */
TEST_F_TIMEOUT(race, create_against_rxtx_remap, 120)
{
	unsigned long rounds, created, refused, maps, violations, undefined;
	char cmd[64], *line;

	NEED_HAFNIUM();
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, driver_unload());
	ASSERT_EQ(0, load_module(ABI_MODULE));
	snprintf(cmd, sizeof(cmd), "create_race %d", RACE_MS);
	ASSERT_EQ(0, proc_command(ABI_PROC, cmd, result, sizeof(result)));
	line = strstr(result, "rounds ");
	ASSERT_NE(NULL, line) TH_LOG("%s", result);
	ASSERT_EQ(6, sscanf(line,
			    "rounds %lu created %lu refused %lu maps_on_p %lu violations %lu undefined %lu",
			    &rounds, &created, &refused, &maps, &violations,
			    &undefined));
	TH_LOG("%s", result);
	EXPECT_LT(0UL, created);
	EXPECT_EQ(0UL, violations) TH_LOG("%s", result);
	EXPECT_EQ(0UL, undefined) TH_LOG("%s", result);
}

struct cycler {
	int fd;
	const char *guest;
	const char *prefix;
	uint32_t vcpus;
	uint32_t id;		/* the slot every instance gets */
	uint64_t end_ms;
	unsigned long cycles, other_id, crashed, errors;
	uint64_t far;		/* of the first that crashed */
	char report[512];
};

/* Counts the instance if it crashed, keeping the first one's console. */
static void check_instance(struct cycler *c, uint32_t id)
{
	struct hf_ioctl_vm_status st;

	if (vm_status(c->fd, id, &st)) {
		c->errors++;
	} else if (st.state == HF_IOCTL_VM_CRASHED && !c->crashed++) {
		c->far = st.exit_far;
		console_tail(c->fd, id, c->report, sizeof(c->report));
	}
}

/*
 * Destroys the VM after a random while and creates the next instance,
 * which takes the same slot (no other VM exists); until end_ms. Counts
 * instances that crashed, and calls that failed.
 */
#define SLOT_TRIES 50

static void *cycle_vms(void *arg)
{
	struct cycler *c = arg;
	char name[HF_IOCTL_VM_NAME_SIZE];
	unsigned int seed = 1, tries;
	uint32_t id = c->id;

	while (now_ms() < c->end_ms) {
		usleep(50000 + rand_r(&seed) % 250000);
		check_instance(c, id);
		if (vm_destroy(c->fd, id)) {
			c->errors++;
			return NULL;
		}
		snprintf(name, sizeof(name), "%s%lu", c->prefix, ++c->cycles);
		if (vm_run_guest(c->fd, name, c->guest, c->vcpus, 4 * MiB,
				 &id)) {
			c->errors++;
			return NULL;
		}
		/* The destroy waited for the racers' references to the old
		 * instance (BUSY, retried by the driver), so the new one
		 * normally has its slot at once; should it not, make it
		 * again until it has, so that the racers' calls by id reach
		 * the new instance. */
		for (tries = 0; id != c->id && tries < SLOT_TRIES; tries++) {
			usleep(10000);
			if (vm_destroy(c->fd, id) ||
			    vm_run_guest(c->fd, name, c->guest, c->vcpus,
					 4 * MiB, &id)) {
				c->errors++;
				return NULL;
			}
		}
		c->other_id += id != c->id;
	}
	/* Give the racers' last calls time to hit the last one. */
	usleep(100000);
	check_instance(c, id);
	return NULL;
}

/*
 * H1 and the unlocked lookups of the review: regs's vCPUs check that
 * their registers (x18-x30, v0-v31, the system registers) survive each
 * call that leaves to the primary, and all of them every preemption,
 * while two test threads and hafnium.ko's thread run vCPU 0 at once and
 * the VM is destroyed and made again in the same slot under them.
 */
#define FP_CHECKERS 4

struct fp_checker {
	int cpu;
	uint64_t end_ms;
	unsigned long rounds, wrong;
};

/* A primary process's FP/SIMD registers, set and read back around a
 * short spin on one CPU, over and over, while vCPUs that use FP (a
 * regs VM of 4 vCPUs that stays, beside the one destroyed and made
 * again) run on the same CPUs: the kernel keeps a task's FP state in the registers
 * while only kernel threads run in between, so any FP register the
 * hypervisor failed to give back to the primary shows up here. */
static void *check_primary_fp(void *arg)
{
	struct fp_checker *c = arg;

	pin_to_cpu(0, c->cpu);
	while (now_ms() < c->end_ms) {
		uint64_t want = 0x5eed0000ULL + c->rounds * 16 + c->cpu;
		uint64_t got[4];

		__asm__ volatile("fmov d8, %[w]\n"
				 "fmov d9, %[w]\n"
				 "fmov d10, %[w]\n"
				 "fmov d11, %[w]\n"
				 :
				 : [w] "r"(want)
				 : "v8", "v9", "v10", "v11");
		for (volatile int spin = 0; spin < 20000; spin++)
			;
		__asm__ volatile("stp d8, d9, [%[g]]\n"
				 "stp d10, d11, [%[g], #16]\n"
				 :
				 : [g] "r"(got)
				 : "memory");
		for (int i = 0; i < 4; i++)
			c->wrong += got[i] != want;
		c->rounds++;
	}
	return NULL;
}

TEST_F_TIMEOUT(race, registers_kept_while_vcpu_raced_and_slot_reused, 120)
{
	struct fp_checker fp[FP_CHECKERS];
	pthread_t fp_threads[FP_CHECKERS];
	struct hf_ioctl_vm_status st;
	uint32_t fp_vm;
	unsigned long busy, ran, aborted, denied, invalid, other;
	struct cycler c = {
		.guest = "regs", .prefix = "rc", .vcpus = 2,
	};
	char cmd[64];
	pthread_t t;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(VCPU_MODULE));
	c.fd = self->fd;
	ASSERT_EQ(0, vm_run_guest(self->fd, "rc0", "regs", 2, 4 * MiB,
				  &c.id));
	ASSERT_EQ(0, vm_run_guest(self->fd, "rcfp", "regs", FP_CHECKERS,
				  4 * MiB, &fp_vm));
	c.end_ms = now_ms() + RACE_MS;
	ASSERT_EQ(0, pthread_create(&t, NULL, cycle_vms, &c));
	for (int i = 0; i < FP_CHECKERS; i++) {
		fp[i] = (struct fp_checker){ .cpu = i, .end_ms = c.end_ms };
		ASSERT_EQ(0, pthread_create(&fp_threads[i], NULL,
					    check_primary_fp, &fp[i]));
	}
	snprintf(cmd, sizeof(cmd), "race %u 0 %d", c.id, RACE_MS);
	EXPECT_EQ(0, proc_command(VCPU_PROC, cmd, result, sizeof(result)));
	pthread_join(t, NULL);
	for (int i = 0; i < FP_CHECKERS; i++) {
		pthread_join(fp_threads[i], NULL);
		TH_LOG("CPU %d: %lu FP rounds in the primary, %lu wrong",
		       i, fp[i].rounds, fp[i].wrong);
		EXPECT_LT(0UL, fp[i].rounds);
		EXPECT_EQ(0UL, fp[i].wrong);
	}
	ASSERT_EQ(0, vm_status(self->fd, fp_vm, &st));
	EXPECT_EQ((__u32)HF_IOCTL_VM_RUNNING, st.state)
		TH_LOG("rcfp ended (reason %u) with FAR 0x%llx",
		       st.exit_reason, (unsigned long long)st.exit_far);
	EXPECT_EQ(0, vm_destroy(self->fd, fp_vm));
	ASSERT_EQ(6, sscanf(result,
			    "busy %lu ran %lu aborted %lu denied %lu invalid %lu other %lu",
			    &busy, &ran, &aborted, &denied, &invalid, &other))
		TH_LOG("%s", result);
	TH_LOG("%lu instances; FFA_RUN answers: %s", c.cycles + 1, result);
	EXPECT_EQ(0UL, c.crashed)
		TH_LOG("the first crashed with FAR 0x%llx; its console: %s",
		       (unsigned long long)c.far, c.report);
	EXPECT_EQ(0UL, c.errors);
	EXPECT_EQ(0UL, c.other_id);
	EXPECT_EQ(0UL, other);
	/* Raced at all: the threads ran it, and found it running. */
	EXPECT_LT(0UL, ran);
	EXPECT_LT(0UL, busy);
	EXPECT_LT(5UL, c.cycles);
}

/* One datagram to echo and back within 5 s; 0 or an errno. */
static int echo_round_trip(uint32_t id)
{
	struct sockaddr_hf to = { .family = AF_HF, .vm_id = id,
				  .port = ECHO_PORT };
	struct timeval tv = { .tv_sec = 5 };
	char reply[16] = "";
	int sock = socket(AF_HF, SOCK_DGRAM, 0), err = 0;

	if (sock < 0)
		return errno;
	if (connect(sock, (struct sockaddr *)&to, sizeof(to)) ||
	    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    send(sock, "after", 6, 0) != 6 ||
	    recv(sock, reply, sizeof(reply), 0) != 6)
		err = errno;
	else if (strcmp(reply, "after"))
		err = EBADMSG;
	close(sock);
	return err;
}

struct sender {
	uint32_t id;
	uint64_t end_ms;
	unsigned long sent, busy, gone, undefined;
	int first_errno;
};

/* AF_HF datagrams to the VM's echo port, without waiting: the driver
 * sends each with FFA_MSG_SEND2 straight away, holding nothing. */
static void *send_messages(void *arg)
{
	struct sender *s = arg;
	struct sockaddr_hf to = {
		.family = AF_HF, .vm_id = s->id, .port = ECHO_PORT,
	};
	char msg[64] = "race", reply[64];
	int sock = socket(AF_HF, SOCK_DGRAM, 0);

	if (sock < 0) {
		s->first_errno = errno;
		s->undefined++;
		return NULL;
	}
	while (now_ms() < s->end_ms) {
		if (sendto(sock, msg, sizeof(msg), MSG_DONTWAIT,
			   (struct sockaddr *)&to, sizeof(to)) >= 0) {
			s->sent++;
		} else if (errno == EAGAIN) {
			s->busy++;	/* its RX is full */
		} else if (errno == EHOSTUNREACH || errno == ECONNREFUSED) {
			s->gone++;	/* no such VM, or no mailbox yet */
		} else {
			if (!s->undefined++)
				s->first_errno = errno;
		}
		while (recv(sock, reply, sizeof(reply), MSG_DONTWAIT) > 0)
			;
	}
	close(sock);
	return NULL;
}

struct irq_injector {
	int fd;
	uint32_t id;
	uint64_t end_ms;
	unsigned long injected, gone, undefined;
	int first_errno;
};

/* HF_IOCTL_VM_IRQ: the driver's way, which holds the VM while it injects. */
static void *inject_ioctls(void *arg)
{
	struct irq_injector *in = arg;
	unsigned long n = 0;
	int err;

	while (now_ms() < in->end_ms) {
		err = vm_irq(in->fd, in->id, n % 2, 16 + n % 48, NULL);
		n++;
		if (!err) {
			in->injected++;
		} else if (err == ENOENT || err == ESRCH) {
			in->gone++;	/* destroyed, or not running yet */
		} else if (!in->undefined++) {
			in->first_errno = err;
		}
	}
	return NULL;
}

/*
 * Injections (straight to the hypervisor from hf_vcpu_test's two threads,
 * and through the driver's ioctl) and messages into an echo VM that
 * another thread destroys and makes again in the same slot.
 */
TEST_F_TIMEOUT(race, inject_and_send_while_vm_destroyed, 120)
{
	unsigned long pending, merged, denied, invalid, other;
	struct cycler c = { .guest = "echo", .prefix = "ie", .vcpus = 2 };
	struct sender s = { 0 };
	struct irq_injector in = { 0 };
	size_t log_from = kernel_log_length();
	pthread_t tc, ts, ti;
	char cmd[64];
	int err;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(VCPU_MODULE));
	c.fd = in.fd = self->fd;
	ASSERT_EQ(0, vm_run_guest(self->fd, "ie0", "echo", 2, 4 * MiB, &c.id));
	s.id = in.id = c.id;
	c.end_ms = s.end_ms = in.end_ms = now_ms() + RACE_MS;
	ASSERT_EQ(0, pthread_create(&tc, NULL, cycle_vms, &c));
	ASSERT_EQ(0, pthread_create(&ts, NULL, send_messages, &s));
	ASSERT_EQ(0, pthread_create(&ti, NULL, inject_ioctls, &in));
	snprintf(cmd, sizeof(cmd), "inject %u 2 %d", c.id, RACE_MS);
	EXPECT_EQ(0, proc_command(VCPU_PROC, cmd, result, sizeof(result)));
	pthread_join(tc, NULL);
	pthread_join(ts, NULL);
	pthread_join(ti, NULL);
	ASSERT_EQ(5, sscanf(result,
			    "pending %lu merged %lu denied %lu invalid %lu other %lu",
			    &pending, &merged, &denied, &invalid, &other))
		TH_LOG("%s", result);
	TH_LOG("%lu instances; injections: %s; ioctl: %lu injected %lu gone; messages: %lu sent %lu busy %lu gone",
	       c.cycles + 1, result, in.injected, in.gone, s.sent, s.busy,
	       s.gone);
	EXPECT_EQ(0UL, other);
	EXPECT_EQ(0UL, in.undefined) TH_LOG("errno %s", strerror(in.first_errno));
	EXPECT_EQ(0UL, s.undefined) TH_LOG("errno %s", strerror(s.first_errno));
	EXPECT_EQ(0UL, c.crashed)
		TH_LOG("the first crashed with FAR 0x%llx; its console: %s",
		       (unsigned long long)c.far, c.report);
	EXPECT_EQ(0UL, c.errors);
	EXPECT_EQ(0UL, c.other_id);
	EXPECT_LT(0UL, pending + merged);
	EXPECT_LT(0UL, in.injected);
	EXPECT_LT(0UL, s.sent);
	EXPECT_LT(5UL, c.cycles);
	/* The last instance, and the primary's mailbox, still work. */
	err = echo_round_trip(c.id);
	EXPECT_EQ(0, err) TH_LOG("%s", strerror(err));
	expect_clean_log(_metadata, log_from);
}

/* A VM's memory_ranges from sysfs; how many. */
static int vm_ranges(uint32_t id, struct region *r, int max)
{
	char buf[4096], *line = buf;
	unsigned long long base, size;
	int n = 0;

	if (vm_sysfs(id, "memory_ranges", buf, sizeof(buf)))
		return 0;
	while (n < max && sscanf(line, "0x%llx 0x%llx", &base, &size) == 2) {
		r[n].base = base;
		r[n++].size = size;
		line = strchr(line, '\n');
		if (!line)
			break;
		line++;
	}
	return n;
}

struct primary_fuzz {
	unsigned long seed, calls, defined;
	int err;
	char out[4096];
};

static void *fuzz_primary(void *arg)
{
	struct primary_fuzz *f = arg;
	char cmd[64];
	char *line;

	snprintf(cmd, sizeof(cmd), "fuzz %d %lu live", PRIMARY_FUZZ_CALLS,
		 f->seed);
	f->err = proc_command(ABI_PROC, cmd, f->out, sizeof(f->out));
	line = f->err ? NULL : strstr(f->out, "calls ");
	if (line)
		sscanf(line, "calls %lu defined %lu", &f->calls, &f->defined);
	return NULL;
}

struct fuzz_report {
	unsigned long calls, undefined, violations;
	int vcpus;
};

/* Adds up the fuzz guest's per-vCPU report lines. */
static void fuzz_report(const char *text, struct fuzz_report *r)
{
	unsigned long calls, undefined, violations;
	const char *p = text;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	while ((p = strstr(p, "fuzz: vCPU "))) {
		if (sscanf(p, "fuzz: vCPU %u: calls %lu success %*u error %*u "
			      "not-supported %*u psci %*u version %*u "
			      "message %*u interrupt %*u undefined %lu "
			      "violations %lu",
			   &i, &calls, &undefined, &violations) == 4) {
			r->calls += calls;
			r->undefined += undefined;
			r->violations += violations;
			r->vcpus++;
		}
		p++;
	}
}

/*
 * The guest fuzzer (guests/fuzz.c: 1,000,000 calls on 4 vCPUs) and the
 * primary's (hf_abi_test, 100,000 calls that leave the driver's mailbox
 * and VMs alone) at once, beside an echo VM. Then: every answer defined,
 * no mailbox outside the guest's memory, the hypervisor's, echo's and the
 * fuzzer's memory still out of the primary's reach, echo still answers,
 * and a new VM still runs.
 */
/* HF_FUZZ_SEED=<seed> in the environment repeats a run's calls. */
static unsigned long fuzz_seed(void)
{
	const char *given = getenv("HF_FUZZ_SEED");

	return given ? strtoul(given, NULL, 10) : (unsigned long)time(NULL);
}

TEST_F_TIMEOUT(race, guest_fuzzer_beside_primary_fuzzer, 900)
{
	struct primary_fuzz pf = { .seed = fuzz_seed() };
	struct hf_ioctl_vm_status st;
	struct fuzz_report fr;
	struct region rsv[16], ranges[64];
	char name[HF_IOCTL_VM_NAME_SIZE], want[64];
	uint32_t echo, fz, hello;
	uint64_t t0;
	pthread_t t;
	int n;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(ABI_MODULE));
	ASSERT_EQ(0, load_module(PROBE_MODULE));
	ASSERT_EQ(0, vm_run_guest(self->fd, "fzecho", "echo", 1, 4 * MiB,
				  &echo));
	ASSERT_TRUE(vm_console_wait(self->fd, echo, "ready", START_MS, console,
				    sizeof(console)));
	/* Its seed is in its name; its sends go to echo, the VM below. */
	snprintf(name, sizeof(name), "fuzz-%lu", pf.seed);
	t0 = now_ms();
	ASSERT_EQ(0, vm_run_guest(self->fd, name, "fuzz", 4, 4 * MiB, &fz));
	ASSERT_EQ(echo + 1, fz);
	ASSERT_EQ(0, pthread_create(&t, NULL, fuzz_primary, &pf));
	EXPECT_EQ(0, vm_wait_end(self->fd, fz, 800000));
	pthread_join(t, NULL);
	TH_LOG("seed %lu: guest fuzzer %.1f s", pf.seed,
	       (now_ms() - t0) / 1000.0);

	ASSERT_EQ(0, console_tail(self->fd, fz, console, 4096));
	snprintf(want, sizeof(want), "fuzz: done seed %lu calls %d", pf.seed,
		 GUEST_FUZZ_CALLS);
	EXPECT_NE(NULL, strstr(console, want)) TH_LOG("%s", console);
	TH_LOG("%s", strstr(console, "fuzz: vCPU 0: calls") ?: console);
	fuzz_report(console, &fr);
	EXPECT_EQ(4, fr.vcpus);
	EXPECT_EQ((unsigned long)GUEST_FUZZ_CALLS, fr.calls);
	EXPECT_EQ(0UL, fr.undefined);
	EXPECT_EQ(0UL, fr.violations);
	ASSERT_EQ(0, vm_status(self->fd, fz, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
	EXPECT_EQ(0, pf.err);
	EXPECT_EQ((unsigned long)PRIMARY_FUZZ_CALLS, pf.calls) TH_LOG("%s", pf.out);
	EXPECT_EQ(pf.calls, pf.defined) TH_LOG("%s", pf.out);

	/* Nothing out of its owner's hands. */
	n = fdt_memreserves(rsv, 16);
	ASSERT_LT(0, n);
	expect_probes(_metadata, rsv, n, "fault", "of the hypervisor");
	n = vm_ranges(echo, ranges, 64);
	ASSERT_LT(0, n);
	expect_probes(_metadata, ranges, n, "fault", "of echo");
	n = vm_ranges(fz, ranges, 64);
	ASSERT_LT(0, n);
	expect_probes(_metadata, ranges, n, "fault", "of fuzz");

	/* Gone, it no longer holds echo's replies up; echo answers. */
	ASSERT_EQ(0, vm_destroy(self->fd, fz));
	n = echo_round_trip(echo);
	EXPECT_EQ(0, n) TH_LOG("%s", strerror(n));
	if (n) {
		console_tail(self->fd, echo, console, 4096);
		TH_LOG("echo's console: %s", console);
	}
	ASSERT_EQ(0, vm_run_guest(self->fd, "fzhello", "hello", 1, 16 * MiB,
				  &hello));
	EXPECT_EQ(0, vm_wait_end(self->fd, hello, START_MS));
	ASSERT_EQ(0, vm_status(self->fd, hello, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
}

/*
 * C2 of the review: mailrace's vCPU 0 sends to a sink VM while its vCPU 1
 * unmaps and maps the mailbox. Every answer defined, the VM still running
 * after 12 s of it.
 */
TEST_F_TIMEOUT(race, msg_send2_against_rxtx_unmap, 120)
{
	unsigned long ok, busy, denied, undefined, unmaps, maps, undefined2;
	struct hf_ioctl_vm_status st;
	uint32_t sink, id;
	char *line;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_run_guest(self->fd, "mrsink", "sink", 1, 4 * MiB,
				  &sink));
	ASSERT_TRUE(vm_console_wait(self->fd, sink, "ready", START_MS, console,
				    sizeof(console)));
	ASSERT_EQ(0, vm_run_guest(self->fd, "mailrace", "mailrace", 2,
				  4 * MiB, &id));
	ASSERT_EQ(sink + 1, id);
	EXPECT_TRUE(vm_console_wait(self->fd, id, "mailrace: done", 60000,
				    console, sizeof(console)))
		TH_LOG("%s", console);
	line = strstr(console, "mailrace: send");
	ASSERT_NE(NULL, line) TH_LOG("%s", console);
	ASSERT_EQ(4, sscanf(line,
			    "mailrace: send ok %lu busy %lu denied %lu undefined %lu",
			    &ok, &busy, &denied, &undefined));
	line = strstr(console, "mailrace: unmap");
	ASSERT_NE(NULL, line) TH_LOG("%s", console);
	ASSERT_EQ(3, sscanf(line, "mailrace: unmap ok %lu map ok %lu undefined %lu",
			    &unmaps, &maps, &undefined2));
	TH_LOG("send ok %lu busy %lu denied %lu; unmap %lu map %lu", ok, busy,
	       denied, unmaps, maps);
	EXPECT_EQ(0UL, undefined) TH_LOG("%s", console);
	EXPECT_EQ(0UL, undefined2) TH_LOG("%s", console);
	/* Contention: sends found it mapped and found it gone. */
	EXPECT_LT(0UL, ok);
	EXPECT_LT(0UL, denied);
	EXPECT_LT(0UL, unmaps);
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
	ASSERT_EQ(0, vm_status(self->fd, sink, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
}

TEST_HARNESS_MAIN
