/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the kselftests that run in the primary VM: whole-file
 * reads, the FDT's memory reservations, test modules and their /proc files.
 */
#ifndef HF_UTIL_H
#define HF_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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

#endif /* HF_UTIL_H */
