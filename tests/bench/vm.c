// SPDX-License-Identifier: BSD-3-Clause
/*
 * Secondary VM figures, in one boot under hafnium (hafnium.mode=bench-vm,
 * one CPU, -icount shift=0: CNTVCT_EL0 advances one tick per 16
 * instructions executed). Prints:
 *
 *   vm_first_line ticks=T    from starting `hfctl run bench --image
 *                            hello.bin --mem 16M --rm` until the VM's first
 *                            console line comes out of hfctl: create (16 MiB
 *                            taken and donated), load, start, the guest's
 *                            boot, HF_DEBUG_LOG, the driver's console and
 *                            hfctl's read, fork and exec included
 *   vm_create ticks=T        the `hfctl create` of that VM alone (process
 *                            start to exit)
 *   vm_create_ioctl ticks=T  HF_IOCTL_VM_CREATE of a 16 MiB VM alone
 *   ffa_run calls=N ticks=T yields=Y image=NAME
 *                            N FFA_RUN calls of a vCPU that yields at once,
 *                            from hf_vcpu_test.ko with interrupts off: one
 *                            primary -> guest -> primary round trip each
 *   driver_loop runs=N ticks=T
 *                            the same VM run by hafnium.ko's own vCPU thread
 *                            while this program sleeps: FFA_RUN calls made
 *                            in T ticks, everything else the CPU did
 *                            included
 *   ffa_run_fp calls=N ticks=T yields=Y image=yieldfp
 *                            the same with a guest that writes an FP/SIMD
 *                            register before each FFA_YIELD: every run
 *                            takes the lazy FP switch
 *   vm_create_ioctl vms=V ticks=T
 *   ffa_run vms=V calls=N ticks=T yields=Y
 *                            with V secondaries existing (V = 1, 32, 128:
 *                            the yield VM and 64 KiB VMs that are created,
 *                            never started): HF_IOCTL_VM_CREATE of one more
 *                            1 MiB VM (the median of SCALE_CREATES, each
 *                            destroyed again: a timer tick or deferred work
 *                            of the kernel's that lands in one is not the
 *                            create's; the driver's "created" line is kept
 *                            off the serial console meanwhile, whose
 *                            output costs what the UART makes it cost),
 *                            and SCALE_RUNS FFA_RUN round trips of the
 *                            yield VM; both must stay flat
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/hafnium.h>

#include "../kselftest/hf_util.h"

#define DRIVER "/lib/hafnium/hafnium.ko"
#define VCPU_MODULE "/lib/hafnium/tests/hf_vcpu_test.ko"
#define VCPU_PROC "/proc/hf_vcpu_test"
#define HFCTL "/usr/bin/hfctl"
#define HELLO "/lib/hafnium/guests/hello.bin"
#define GUESTS "/lib/hafnium/guests/"
#define RUNS 100000

/* Runs hfctl with argv; its exit status, or -1. */
static int hfctl(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(HFCTL, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int first_line(void)
{
	char *const argv[] = {
		HFCTL, "run", "bench", "--image", HELLO, "--mem", "16M", "--rm",
		NULL,
	};
	char *const create[] = {
		HFCTL, "create", "bench", "--image", HELLO, "--mem", "16M", NULL,
	};
	char *const destroy[] = { HFCTL, "destroy", "bench", NULL };
	uint64_t start, end;
	int out[2], status;
	char c = 0;
	pid_t pid;

	if (pipe(out))
		return -1;
	fflush(NULL);
	start = cntvct();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		execv(HFCTL, argv);
		_exit(127);
	}
	close(out[1]);
	while (read(out[0], &c, 1) == 1 && c != '\n')
		;
	end = cntvct();
	while (read(out[0], &c, 1) == 1)
		;
	close(out[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || c != '\n') {
		fprintf(stderr, "vm: hfctl run of %s failed\n", HELLO);
		return -1;
	}
	printf("vm_first_line ticks=%llu\n", (unsigned long long)(end - start));

	start = cntvct();
	if (hfctl(create) != 0)
		return -1;
	end = cntvct();
	printf("vm_create ticks=%llu\n", (unsigned long long)(end - start));
	return hfctl(destroy) ? -1 : 0;
}

static int create_ioctl(void)
{
	struct hf_ioctl_vm_create c = {
		.size = sizeof(c), .vcpu_count = 1, .mem_size = 16 << 20,
	};
	struct hf_ioctl_vm_id d = { .size = sizeof(d) };
	uint64_t start, end;
	int fd, ret;

	fd = open("/dev/hafnium", O_RDWR);
	if (fd < 0)
		return -1;
	strcpy(c.name, "create");
	start = cntvct();
	ret = ioctl(fd, HF_IOCTL_VM_CREATE, &c);
	end = cntvct();
	if (ret) {
		fprintf(stderr, "vm: create: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	printf("vm_create_ioctl ticks=%llu\n", (unsigned long long)(end - start));
	d.vm_id = c.vm_id;
	ret = ioctl(fd, HF_IOCTL_VM_DESTROY, &d);
	close(fd);
	return ret;
}

static int read_runs(const char *path, unsigned long long *runs)
{
	size_t size;
	char *s = read_all(path, &size);

	if (!s)
		return -1;
	*runs = strtoull(s, NULL, 10);
	free(s);
	return 0;
}

/* N FFA_RUN round trips of guest `name` (one that yields at once),
 * printed as `label`; then, if driver_loop, the driver's own thread. */
static int ffa_run(const char *label, const char *name, bool driver_loop)
{
	struct hf_ioctl_vm_create c = {
		.size = sizeof(c), .vcpu_count = 1, .mem_size = 1 << 20,
	};
	struct hf_ioctl_vm_load l = { .size = sizeof(l) };
	struct hf_ioctl_vm_start s = { .size = sizeof(s) };
	struct hf_ioctl_vm_id d = { .size = sizeof(d) };
	unsigned long long runs, ticks, yields, r0, r1;
	char cmd[64], out[256], path[96], file_path[96];
	size_t size;
	char *image;
	uint64_t t0, t1;
	int fd, ret = 0;

	snprintf(file_path, sizeof(file_path), GUESTS "%s.bin", name);
	image = read_all(file_path, &size);
	if (!image) {
		fprintf(stderr, "vm: %s: %s\n", file_path, strerror(errno));
		return -1;
	}
	fd = open("/dev/hafnium", O_RDWR);
	if (fd < 0)
		return -1;
	strcpy(c.name, "yield");
	if (ioctl(fd, HF_IOCTL_VM_CREATE, &c)) {
		fprintf(stderr, "vm: create: %s\n", strerror(errno));
		return -1;
	}
	l.vm_id = s.vm_id = d.vm_id = c.vm_id;
	l.addr = (uintptr_t)image;
	l.len = size;
	if (ioctl(fd, HF_IOCTL_VM_LOAD, &l) || ioctl(fd, HF_IOCTL_VM_START, &s)) {
		fprintf(stderr, "vm: load/start: %s\n", strerror(errno));
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "bench %u 0 %d", c.vm_id, RUNS);
	ret = proc_command(VCPU_PROC, cmd, out, sizeof(out));
	if (ret || sscanf(out, "runs %llu ticks %llu yields %llu", &runs,
			  &ticks, &yields) != 3) {
		fprintf(stderr, "vm: %s: %s\n", VCPU_PROC,
			ret ? strerror(-ret) : out);
		return -1;
	}
	printf("%s calls=%llu ticks=%llu yields=%llu image=%s\n", label,
	       runs, ticks, yields, name);
	if (!driver_loop)
		goto out;

	/* The driver's thread alone for a second of virtual time. */
	snprintf(path, sizeof(path), "/sys/kernel/hafnium/vms/%u/runs",
		 c.vm_id);
	ret = read_runs(path, &r0);
	t0 = cntvct();
	usleep(1000000);
	ret |= read_runs(path, &r1);
	t1 = cntvct();
	if (!ret)
		printf("driver_loop runs=%llu ticks=%llu\n", r1 - r0,
		       (unsigned long long)(t1 - t0));
out:
	ioctl(fd, HF_IOCTL_VM_DESTROY, &d);
	close(fd);
	free(image);
	return ret ? -1 : 0;
}

#define SCALE_RUNS 20000
#define SCALE_CREATES 5
#define SCALE_MAX 128

/* Creates a VM of mem bytes; its id, or 0; *ticks (if not NULL): how
 * long the ioctl took. */
static uint32_t create_vm(int fd, const char *name, uint64_t mem,
			  uint64_t *ticks)
{
	struct hf_ioctl_vm_create c = {
		.size = sizeof(c), .vcpu_count = 1, .mem_size = mem,
	};
	uint64_t start;

	snprintf(c.name, sizeof(c.name), "%s", name);
	start = cntvct();
	if (ioctl(fd, HF_IOCTL_VM_CREATE, &c)) {
		fprintf(stderr, "vm: create %s: %s\n", name, strerror(errno));
		return 0;
	}
	if (ticks)
		*ticks = cntvct() - start;
	return c.vm_id;
}

static void destroy_vm(int fd, uint32_t id)
{
	struct hf_ioctl_vm_id d = { .size = sizeof(d), .vm_id = id };

	ioctl(fd, HF_IOCTL_VM_DESTROY, &d);
}

/* HF_IOCTL_VM_CREATE and FFA_RUN with 1, 32 and 128 VMs existing. */
static int scale(void)
{
	/* syslog(2)'s SYSLOG_ACTION_CONSOLE_LEVEL: warnings and worse only
	 * meanwhile, then the level it was (printk's first field). */
	const int console_level = 8, quiet = 4;
	static const unsigned int points[] = { 1, 32, SCALE_MAX };
	static uint32_t ids[SCALE_MAX];
	struct hf_ioctl_vm_load l = { .size = sizeof(l) };
	struct hf_ioctl_vm_start s = { .size = sizeof(s) };
	unsigned long long runs, ticks, yields;
	unsigned int n = 0, p, i;
	char cmd[64], out[256], name[32];
	uint64_t took[SCALE_CREATES], t;
	unsigned int j;
	int fd, loud, ret = -1;
	char *image, *printk;
	size_t size;

	printk = read_all("/proc/sys/kernel/printk", &size);
	loud = printk ? atoi(printk) : 7;
	free(printk);
	image = read_all(GUESTS "yield.bin", &size);
	fd = open("/dev/hafnium", O_RDWR);
	if (!image || fd < 0 || klogctl(console_level, NULL, quiet))
		return -1;
	ids[n] = create_vm(fd, "scale-yield", 1 << 20, NULL);
	if (!ids[n])
		goto out;
	l.vm_id = s.vm_id = ids[n++];
	l.addr = (uintptr_t)image;
	l.len = size;
	if (ioctl(fd, HF_IOCTL_VM_LOAD, &l) || ioctl(fd, HF_IOCTL_VM_START, &s)) {
		fprintf(stderr, "vm: load/start: %s\n", strerror(errno));
		goto out;
	}
	for (p = 0; p < sizeof(points) / sizeof(points[0]); p++) {
		while (n < points[p]) {
			snprintf(name, sizeof(name), "scale%u", n);
			ids[n] = create_vm(fd, name, HF_IOCTL_VM_MIN_MEM, NULL);
			if (!ids[n])
				goto out;
			n++;
		}
		for (i = 0; i < SCALE_CREATES; i++) {
			uint32_t id = create_vm(fd, "scale-create", 1 << 20,
						&t);

			if (!id)
				goto out;
			destroy_vm(fd, id);
			/* Insertion sort: the median is in the middle. */
			for (j = i; j > 0 && took[j - 1] > t; j--)
				took[j] = took[j - 1];
			took[j] = t;
		}
		printf("vm_create_ioctl vms=%u ticks=%llu\n", n,
		       (unsigned long long)took[SCALE_CREATES / 2]);
		snprintf(cmd, sizeof(cmd), "bench %u 0 %d", ids[0], SCALE_RUNS);
		if (proc_command(VCPU_PROC, cmd, out, sizeof(out)) ||
		    sscanf(out, "runs %llu ticks %llu yields %llu", &runs,
			   &ticks, &yields) != 3) {
			fprintf(stderr, "vm: %s: %s\n", VCPU_PROC, out);
			goto out;
		}
		printf("ffa_run vms=%u calls=%llu ticks=%llu yields=%llu\n", n,
		       runs, ticks, yields);
	}
	ret = 0;
out:
	while (n > 0)
		destroy_vm(fd, ids[--n]);
	klogctl(console_level, NULL, loud);
	close(fd);
	free(image);
	return ret;
}

int main(void)
{
	int ret;

	ret = load_module(DRIVER);
	if (!ret)
		ret = load_module(VCPU_MODULE);
	if (ret) {
		fprintf(stderr, "vm: loading the modules: %s\n", strerror(-ret));
		return 1;
	}
	if (first_line() | create_ioctl() | ffa_run("ffa_run", "yield", true) |
	    ffa_run("ffa_run_fp", "yieldfp", false) | scale())
		return 1;
	return 0;
}
