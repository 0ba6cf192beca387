/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the kselftests and benchmarks that run in the primary
 * VM: whole-file reads and writes, the virtual counter, the FDT's memory
 * reservations, test modules and their /proc files, pinning threads to
 * CPUs, a VM's console line by line.
 */
#ifndef HF_UTIL_H
#define HF_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/hafnium.h>

/* Reads a whole file into a malloc'd buffer; NULL on error. */
static inline char *read_all(const char *path, size_t *size)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf)
		goto err;
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger)
				goto err;
			buf = bigger;
		}
	}
	if (n < 0)
		goto err;
	close(fd);
	/* The loop keeps len < cap: room for a NUL, for text files. */
	buf[len] = '\0';
	if (size)
		*size = len;
	return buf;
err:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

struct region {
	uint64_t base, size;
};

/* tests/kmod/hf_mem_probe.c: reads physical memory from the primary. */
#define PROBE_MODULE "/lib/hafnium/tests/hf_mem_probe.ko"
#define PROBE_PROC "/proc/hf_mem_probe"

static inline uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static inline uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/*
 * Reads the memory reservation block of the FDT the kernel booted with
 * (the hypervisor adds a /memreserve/ for itself). Returns the number of
 * regions stored in out (up to max), or -1 if the FDT is unreadable.
 */
static inline int fdt_memreserves(struct region *out, int max)
{
	const uint32_t fdt_magic = 0xd00dfeed;
	unsigned char *fdt;
	size_t size, off;
	int n = 0;

	fdt = (unsigned char *)read_all("/sys/firmware/fdt", &size);
	if (!fdt)
		return -1;
	/* Header: magic, totalsize, off_dt_struct, off_dt_strings,
	 * off_mem_rsvmap (all big-endian u32).
	 */
	if (size < 20 || be32(fdt) != fdt_magic) {
		free(fdt);
		return -1;
	}
	for (off = be32(fdt + 16); off + 16 <= size && n < max; off += 16) {
		out[n].base = be64(fdt + off);
		out[n].size = be64(fdt + off + 8);
		if (!out[n].base && !out[n].size)
			break;
		n++;
	}
	free(fdt);
	return n;
}

/* The virtual counter; the isb keeps the read from being taken early.
 * The primary's CNTVOFF is 0: it is also the physical counter. */
static inline uint64_t cntvct(void)
{
	uint64_t ticks;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks));
	return ticks;
}

/* Writes str to a sysfs/procfs file; 0 or -errno. */
static inline int write_str(const char *path, const char *str)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, str, strlen(str)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Loads a kernel module file; 0 if loaded now or already, else -errno. */
static inline int load_module(const char *path)
{
	int fd = open(path, O_RDONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * A test module's command file: writes cmd, then reads the answer into out
 * (NUL-terminated). 0 or -errno.
 */
static inline int proc_command(const char *path, const char *cmd, char *out,
			       size_t size)
{
	ssize_t len;
	int fd, ret = 0;

	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	len = write(fd, cmd, strlen(cmd));
	if (len >= 0)
		len = pread(fd, out, size - 1, 0);
	if (len < 0)
		ret = -errno;
	else
		out[len] = '\0';
	close(fd);
	return ret;
}

/* hf_mem_probe's answer about the 8 bytes at pa ("fault", "readable
 * 0x...") in out; 0 or an error. */
static inline int mem_probe(uint64_t pa, char *out, size_t size)
{
	char hex[24];
	int ret;

	snprintf(hex, sizeof(hex), "%" PRIx64, pa);
	ret = proc_command(PROBE_PROC, hex, out, size);
	if (!ret)
		out[strcspn(out, "\n")] = '\0';
	return ret;
}

/* Lets task pid (0: the caller) run on that CPU only. 0 or -1. */
static inline int pin_to_cpu(pid_t pid, int cpu)
{
	/* The system call itself: glibc's wrapper needs _GNU_SOURCE. */
	unsigned long mask = 1ul << cpu;

	return syscall(SYS_sched_setaffinity, pid, sizeof(mask), &mask) ? -1
									 : 0;
}

/* The pid of the kernel thread named comm, or 0. */
static inline pid_t thread_pid(const char *comm)
{
	struct dirent *d;
	char path[64], name[64];
	pid_t pid = 0;
	DIR *proc = opendir("/proc");
	FILE *f;

	while (proc && !pid && (d = readdir(proc))) {
		snprintf(path, sizeof(path), "/proc/%.16s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) &&
		    !strncmp(name, comm, strlen(comm)) &&
		    name[strlen(comm)] == '\n')
			pid = atoi(d->d_name);
		fclose(f);
	}
	if (proc)
		closedir(proc);
	return pid;
}

/* The pid of hafnium.ko's thread that runs vCPU `vcpu` of VM id, or 0. */
static inline pid_t vcpu_thread_pid(unsigned int id, unsigned int vcpu)
{
	char comm[32];

	snprintf(comm, sizeof(comm), "hf_vm%u_vcpu%u", id, vcpu);
	return thread_pid(comm);
}

/*
 * Reads VM id's console from *offset (advanced past what is used) until a
 * line containing prefix is complete; copies the rest of that line into
 * out. 0, or -1 if none comes within 5 s.
 */
static inline int vm_console_line(int fd, unsigned int id, uint64_t *offset,
				  const char *prefix, char *out, size_t size)
{
	struct hf_ioctl_vm_console con = { .size = sizeof(con), .vm_id = id };
	static char text[4096];
	size_t have = 0;
	char *p, *end;

	for (;;) {
		con.offset = *offset;
		con.buf = (uintptr_t)(text + have);
		con.len = sizeof(text) - 1 - have;
		con.timeout_ms = 5000;
		if (ioctl(fd, HF_IOCTL_VM_CONSOLE, &con) || con.len == 0)
			return -1;
		*offset = con.offset + con.len;
		have += con.len;
		text[have] = '\0';
		p = strstr(text, prefix);
		end = p ? strchr(p, '\n') : NULL;
		if (end) {
			*end = '\0';
			snprintf(out, size, "%s", p + strlen(prefix));
			/* The next call reads what follows the line again. */
			*offset -= strlen(end + 1);
			return 0;
		}
		if (have >= sizeof(text) - 1)
			have = 0;
	}
}

#endif /* HF_UTIL_H */
