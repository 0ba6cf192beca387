// SPDX-License-Identifier: GPL-2.0
/*
 * DMA inside the isolation boundary (issue 13): stage 2 stops the CPU, not
 * the devices the primary programs. The machine has two that write memory:
 * QEMU's fw_cfg DMA, which hafnium must keep out of the primary's reach
 * (no device tree node, no stage-2 mapping: the primary's write to its
 * register faults), and a virtio-blk PCIe disk behind the SMMUv3, which
 * hafnium must own, so that the disk reaches only the primary's memory.
 * tests/kmod/hf_dma_test.ko aims them at a secondary's (memsum's) buffer
 * and at hafnium's own memory; memsum's checksum says whether anything
 * landed. Every case skips without hafnium. docs/testing.md.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_vm.h"

#define DMA_MODULE "/lib/hafnium/tests/hf_dma_test.ko"
#define DMA_PROC "/proc/hf_dma_test"
#define DISK "/dev/vda"
#define PAGE 4096ULL
/* The disk's last 4 MiB (of 64) are the tests' scratch space: sectors 0-7,
 * which blkcheck reads, are never written. */
#define SCRATCH_OFFSET (60 * MiB)
#define CHURN_OFFSET (61 * MiB)
#define CHURN_CHUNK (64 * 1024)
#define CHURN_CHUNKS 32
#define CHURN_VMS 30
/* The harness's limit: 30 VMs and the I/O beside them took 3 s in a boot
 * of its own, far more beside make check's other boots. */
#define CHURN_TIMEOUT_S 120
/* What hafnium.ko logs for an SMMU fault (docs/driver.md). */
#define FAULT_TEXT "DMA fault: stream 0x"
#define FAULT_WAIT_MS 5000
/* The port memsum's answers come from; any port works. */
#define MEMSUM_PORT 13

HF_DEV_FIXTURE(dma)

/* A memsum VM: its id, its buffer's IPA and size, the PA of the page in
 * the buffer's middle, and a socket to ask it for its checksum. */
struct memsum {
	uint32_t id;
	uint64_t ipa, size, pa;
	int sock;
};

/* hf_dma_test's answer to cmd in out, newline dropped; 0 or -errno. */
static int dma_command(const char *cmd, char *out, size_t size)
{
	int ret = proc_command(DMA_PROC, cmd, out, size);

	if (!ret)
		out[strcspn(out, "\n")] = '\0';
	return ret;
}

/* The PA of IPA ipa of VM id: its memory_ranges ("0xBASE 0xSIZE" lines)
 * are its memory in IPA order from HF_IOCTL_VM_RAM_BASE. 0 if not found. */
static uint64_t vm_ipa_to_pa(uint32_t id, uint64_t ipa)
{
	uint64_t offset = ipa - HF_IOCTL_VM_RAM_BASE, base, size;
	char buf[4096], *line;

	if (ipa < HF_IOCTL_VM_RAM_BASE ||
	    vm_sysfs(id, "memory_ranges", buf, sizeof(buf)))
		return 0;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%" SCNx64 " %" SCNx64, &base, &size) != 2)
			return 0;
		if (offset < size)
			return base + offset;
		offset -= size;
	}
	return 0;
}

/* Starts memsum and fills m; 0 or an errno. */
static int memsum_start(int fd, struct memsum *m)
{
	struct timeval tv = { .tv_sec = 5 };
	struct sockaddr_hf a = { .family = AF_HF, .port = MEMSUM_PORT };
	char console[4096], *line;
	int err;

	m->sock = -1;
	err = vm_run_guest(fd, "memsum", "memsum", 1, 4 * MiB, &m->id);
	if (err)
		return err;
	if (!vm_console_wait(fd, m->id, "memsum: ready", 5000, console,
			     sizeof(console)))
		return ETIMEDOUT;
	line = strstr(console, "memsum: buffer ");
	if (!line || sscanf(line, "memsum: buffer 0x%" SCNx64 " size %" SCNu64,
			    &m->ipa, &m->size) != 2)
		return EPROTO;
	/* The buffer is page-aligned: a whole page in its middle. */
	m->pa = vm_ipa_to_pa(m->id, m->ipa + m->size / 2);
	if (!m->pa)
		return ENOENT;
	a.vm_id = m->id;
	m->sock = socket(AF_HF, SOCK_DGRAM, 0);
	if (m->sock < 0)
		return errno;
	if (setsockopt(m->sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    connect(m->sock, (struct sockaddr *)&a, sizeof(a)))
		return errno;
	return 0;
}

/* memsum's checksum of its buffer; 0 or an errno (ETIMEDOUT: no answer). */
static int memsum_sum(struct memsum *m, uint64_t *sum)
{
	char answer[128];
	uint64_t ipa;
	ssize_t n;

	if (send(m->sock, "sum", 3, 0) != 3)
		return errno;
	n = recv(m->sock, answer, sizeof(answer) - 1, 0);
	if (n < 0)
		return errno == EAGAIN ? ETIMEDOUT : errno;
	answer[n] = '\0';
	if (sscanf(answer, "sum 0x%" SCNx64 " ipa 0x%" SCNx64, sum, &ipa) != 2 ||
	    ipa != m->ipa)
		return EPROTO;
	return 0;
}

/* /dev/kmsg, positioned after the last record: what is read from it is
 * what the kernel logs from now on. -1 on error. */
static int kmsg_from_now(void)
{
	int f = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (f >= 0 && lseek(f, 0, SEEK_END) < 0) {
		close(f);
		return -1;
	}
	return f;
}

/*
 * Reads records from kmsg until one has FAULT_TEXT naming an address in
 * [lo, hi) (any address if lo == hi), or timeout_ms passes; the record's
 * text into line. Returns whether one came.
 */
static bool kmsg_fault(int kmsg, uint64_t lo, uint64_t hi,
		       unsigned int timeout_ms, char *line, size_t size)
{
	uint64_t deadline = now_ms() + timeout_ms, addr;
	char rec[1024], dir[16], *text;
	unsigned int stream;
	ssize_t n;

	line[0] = '\0';
	for (;;) {
		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten: go on */
		if (n < 0) {
			if (errno != EAGAIN || now_ms() >= deadline)
				return false;
			usleep(50 * 1000);
			continue;
		}
		rec[n] = '\0';
		text = strstr(rec, FAULT_TEXT);
		if (!text)
			continue;
		text[strcspn(text, "\n")] = '\0';
		snprintf(line, size, "%s", text);
		if (lo == hi)
			return true;
		if (sscanf(text, FAULT_TEXT "%x (%*x:%*x.%*x) %15s 0x%" SCNx64,
			   &stream, dir, &addr) == 3 && addr >= lo && addr < hi)
			return true;
	}
}

/* Writes len bytes of a pattern made of seed at offset of the disk with
 * O_DIRECT, reads them back; 0, -1 on an I/O error, 1 on a mismatch. */
static int disk_round_trip(int disk, uint64_t offset, size_t len,
			   uint64_t seed, uint64_t *out, uint64_t *in)
{
	size_t i;

	for (i = 0; i < len / 8; i++)
		out[i] = seed << 32 ^ (offset + i * 8);
	if (pwrite(disk, out, len, offset) != (ssize_t)len ||
	    pread(disk, in, len, offset) != (ssize_t)len)
		return -1;
	return memcmp(out, in, len) ? 1 : 0;
}

/*
 * fw_cfg's DMA aimed at a page of memsum's buffer: the write of fw_cfg's
 * register must fault (hafnium keeps fw_cfg from the primary), memsum's
 * memory must not change, and memsum must still answer.
 */
TEST_F(dma, fwcfg_into_secondary)
{
	uint64_t before, after;
	struct memsum m;
	char cmd[64], out[128];

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(DMA_MODULE));
	ASSERT_EQ(0, memsum_start(self->fd, &m));
	ASSERT_EQ(0, memsum_sum(&m, &before));

	snprintf(cmd, sizeof(cmd), "fwcfg %" PRIx64 " %llu", m.pa, PAGE);
	ASSERT_EQ(0, dma_command(cmd, out, sizeof(out)));
	EXPECT_STREQ("fault", out)
		TH_LOG("fw_cfg DMA to memsum's PA 0x%" PRIx64, m.pa);
	ASSERT_EQ(0, memsum_sum(&m, &after)) TH_LOG("memsum stopped answering");
	EXPECT_EQ(before, after)
		TH_LOG("memsum's buffer changed: fw_cfg wrote PA 0x%" PRIx64,
		       m.pa);
	close(m.sock);
}

/* Appends to found, a list of "node: compatible" (size bytes), each node
 * under dir whose compatible strings include one of bad. */
static void dt_find_compatible(const char *dir, const char *const *bad,
			       char *found, size_t size)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);
	size_t len, i;
	char *compat;

	snprintf(path, sizeof(path), "%s/compatible", dir);
	compat = read_all(path, &len);
	for (i = 0; compat && i < len; i += strlen(compat + i) + 1) {
		const char *const *b;

		for (b = bad; *b; b++) {
			if (!strcmp(compat + i, *b))
				snprintf(found + strlen(found),
					 size - strlen(found), " %s: %s;",
					 dir, *b);
		}
	}
	free(compat);
	while (dp && (d = readdir(dp))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		dt_find_compatible(path, bad, found, size);
	}
	if (dp)
		closedir(dp);
}

/* The primary's device tree has no fw_cfg, no SMMU and no ITS: devices
 * that write memory, which hafnium keeps for itself or from everyone. */
TEST_F(dma, fwcfg_node_absent)
{
	static const char *const bad[] = {
		"qemu,fw-cfg-mmio", "arm,smmu-v3", "arm,gic-v3-its", NULL,
	};
	char found[1024] = "";

	NEED_HAFNIUM();
	dt_find_compatible("/proc/device-tree", bad, found, sizeof(found));
	EXPECT_STREQ("", found);
}

/*
 * The disk's DMA aimed at memsum's page: memsum's memory must not change,
 * the SMMU's fault must be logged naming that page, and the disk must
 * still work: a check of sectors 0-7 (blkcheck), and a write and read of
 * a scratch sector through /dev/vda.
 */
TEST_F(dma, blk_into_secondary)
{
	uint64_t before, after, *out, *in;
	char cmd[64], answer[128], line[512];
	struct memsum m;
	int kmsg, disk;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(DMA_MODULE));
	ASSERT_EQ(0, memsum_start(self->fd, &m));
	ASSERT_EQ(0, memsum_sum(&m, &before));
	kmsg = kmsg_from_now();
	ASSERT_LE(0, kmsg);

	snprintf(cmd, sizeof(cmd), "blkread %" PRIx64, m.pa);
	ASSERT_EQ(0, dma_command(cmd, answer, sizeof(answer)));
	TH_LOG("blkread into memsum's PA 0x%" PRIx64 ": %s", m.pa, answer);
	ASSERT_EQ(0, memsum_sum(&m, &after)) TH_LOG("memsum stopped answering");
	EXPECT_EQ(before, after)
		TH_LOG("memsum's buffer changed: the disk wrote PA 0x%" PRIx64,
		       m.pa);
	EXPECT_TRUE(kmsg_fault(kmsg, m.pa, m.pa + PAGE, FAULT_WAIT_MS, line,
			       sizeof(line)))
		TH_LOG("no '" FAULT_TEXT "...' line naming PA 0x%" PRIx64
		       " in the kernel log (last: '%s')", m.pa, line);
	close(kmsg);

	ASSERT_EQ(0, dma_command("blkcheck", answer, sizeof(answer)));
	EXPECT_STREQ("ok", answer);
	disk = open(DISK, O_RDWR | O_DIRECT);
	ASSERT_LE(0, disk) TH_LOG("open " DISK ": %s", strerror(errno));
	out = aligned_alloc(PAGE, PAGE);
	in = aligned_alloc(PAGE, PAGE);
	ASSERT_TRUE(out && in);
	EXPECT_EQ(0, disk_round_trip(disk, SCRATCH_OFFSET, PAGE, 1, out, in));
	free(out);
	free(in);
	close(disk);
	close(m.sock);
}

/* What the I/O process of blk_during_vm_churn shares with the test. */
struct churn_io {
	volatile int stop;
	int open_error;
	unsigned long rounds, io_errors, mismatches;
};

/* Until told to stop: writes a new pattern to each chunk of the scratch
 * space in turn with O_DIRECT, reads it back, compares. */
static void churn_io(struct churn_io *io)
{
	uint64_t *out = aligned_alloc(PAGE, CHURN_CHUNK);
	uint64_t *in = aligned_alloc(PAGE, CHURN_CHUNK);
	int disk = open(DISK, O_RDWR | O_DIRECT);

	if (disk < 0 || !out || !in) {
		io->open_error = errno ? errno : ENOMEM;
		return;
	}
	while (!io->stop) {
		uint64_t offset = CHURN_OFFSET +
				  io->rounds % CHURN_CHUNKS * CHURN_CHUNK;
		int r = disk_round_trip(disk, offset, CHURN_CHUNK, io->rounds,
					out, in);

		io->io_errors += r < 0;
		io->mismatches += r > 0;
		io->rounds++;
	}
	close(disk);
}

/*
 * Legal I/O while VMs come and go: one process writes and reads back the
 * disk's scratch space while the test creates, runs and destroys 30 VMs of
 * 1-4 MiB, whose memory leaves the primary (and the SMMU's map) and comes
 * back. No mismatch, no I/O error, no SMMU fault.
 */
TEST_F_TIMEOUT(dma, blk_during_vm_churn, CHURN_TIMEOUT_S)
{
	struct churn_io *io;
	char name[32], line[512];
	int kmsg, i, err, status;
	unsigned long rounds;
	uint32_t id;
	pid_t pid;

	NEED_HAFNIUM();
	io = mmap(NULL, sizeof(*io), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, io);
	kmsg = kmsg_from_now();
	ASSERT_LE(0, kmsg);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		churn_io(io);
		_exit(0);
	}

	for (i = 0; i < CHURN_VMS; i++) {
		snprintf(name, sizeof(name), "churn%d", i);
		rounds = io->rounds;
		err = vm_run_guest(self->fd, name, "hello", 1,
				   (1 + i % 4) * MiB, &id);
		EXPECT_EQ(0, err) TH_LOG("VM %d", i);
		if (!err) {
			EXPECT_EQ(0, vm_wait_end(self->fd, id, 10000));
			EXPECT_EQ(0, vm_destroy(self->fd, id));
		}
		/* Each VM's life overlaps some I/O. */
		while (io->rounds == rounds && !io->open_error)
			usleep(1000);
	}
	io->stop = 1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));

	EXPECT_EQ(0, io->open_error) TH_LOG("%s", strerror(io->open_error));
	EXPECT_LE((unsigned long)CHURN_VMS, io->rounds);
	EXPECT_EQ(0UL, io->io_errors);
	EXPECT_EQ(0UL, io->mismatches);
	EXPECT_FALSE(kmsg_fault(kmsg, 0, 0, 0, line, sizeof(line)))
		TH_LOG("the kernel log has '%s'", line);
	TH_LOG("%lu round trips of %d KiB beside %d VMs", io->rounds,
	       CHURN_CHUNK / 1024, CHURN_VMS);
	close(kmsg);
	munmap(io, sizeof(*io));
}

/*
 * The same aimed at hafnium's own memory, the first /memreserve/ of the
 * primary's device tree (4 bytes, the signature, in its middle page): it
 * must fault, and hafnium must still create, run and destroy a VM. Last:
 * where nothing stops the DMA, it changes hafnium's memory.
 */
TEST_F(dma, fwcfg_into_hypervisor)
{
	struct hf_ioctl_vm_status st;
	struct region hyp[8];
	char cmd[64], out[128];
	uint64_t target;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(DMA_MODULE));
	ASSERT_LT(0, fdt_memreserves(hyp, 8));
	target = hyp[0].base + (hyp[0].size / 2 & ~(PAGE - 1));

	snprintf(cmd, sizeof(cmd), "fwcfg %" PRIx64 " 4", target);
	ASSERT_EQ(0, dma_command(cmd, out, sizeof(out)));
	EXPECT_STREQ("fault", out)
		TH_LOG("fw_cfg DMA to hafnium's PA 0x%" PRIx64, target);

	ASSERT_EQ(0, vm_run_guest(self->fd, "dma-hello", "hello", 1, 1 * MiB,
				  &id));
	ASSERT_EQ(0, vm_wait_end(self->fd, id, 10000));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

TEST_HARNESS_MAIN
