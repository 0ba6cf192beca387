// SPDX-License-Identifier: BSD-3-Clause
/*
 * Messages between the primary and a secondary VM against a pipe, in one
 * boot under hafnium (hafnium.mode=bench-msg, one CPU, -icount shift=0:
 * CNTVCT_EL0 advances one tick per 16 instructions executed). Prints:
 *
 *   hf_msg_rtt msgs=N ticks=T bytes=B
 *                  N round trips of a B-byte message over an AF_HF socket
 *                  connected to the echo VM: send(), the echo guest's
 *                  reply, recv() of it (checked)
 *   pipe_rtt msgs=N ticks=T bytes=B
 *                  N round trips of B bytes between this process and a
 *                  child: write to one pipe, the child reads and writes
 *                  them back on another, read (checked; syscalls.h, as the
 *                  KVM bench times it)
 *   hf_msg_oneway msgs=N ticks=T bytes=B count=C errors=E
 *                  N B-byte messages sent back to back to the sink VM,
 *                  which counts them, then "report" and its answer
 *                  (C counted, E out of sequence): time to the answer
 *
 * Each loop is preceded by WARMUP untimed iterations. Both VMs get 1 MiB
 * and are created, loaded and started with the ioctls, then destroyed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/hafnium.h>

#include "../kselftest/hf_util.h"
#include "syscalls.h"

#define DRIVER "/lib/hafnium/hafnium.ko"
#define ECHO "/lib/hafnium/guests/echo.bin"
#define SINK "/lib/hafnium/guests/sink.bin"
/* The pipe's (syscalls.h), so that the figures divide. */
#define MSGS PIPE_MSGS
#define WARMUP PIPE_WARMUP
#define BYTES PIPE_BYTES
#define PORT 7

/*
 * Creates, loads and starts a 1 MiB VM from image; waits for "ready" on
 * its console. Its id, or 0.
 */
static unsigned int start_vm(int fd, const char *name, const char *image)
{
	struct hf_ioctl_vm_create c = {
		.size = sizeof(c), .vcpu_count = 1, .mem_size = 1 << 20,
	};
	struct hf_ioctl_vm_load l = { .size = sizeof(l) };
	struct hf_ioctl_vm_start s = { .size = sizeof(s) };
	struct hf_ioctl_vm_console con = { .size = sizeof(con) };
	char text[512];
	size_t size, have = 0;
	char *file = read_all(image, &size);

	if (!file) {
		fprintf(stderr, "msg: %s: %s\n", image, strerror(errno));
		return 0;
	}
	snprintf(c.name, sizeof(c.name), "%s", name);
	if (ioctl(fd, HF_IOCTL_VM_CREATE, &c)) {
		fprintf(stderr, "msg: create %s: %s\n", name, strerror(errno));
		free(file);
		return 0;
	}
	l.vm_id = s.vm_id = con.vm_id = c.vm_id;
	l.addr = (uintptr_t)file;
	l.len = size;
	if (ioctl(fd, HF_IOCTL_VM_LOAD, &l) || ioctl(fd, HF_IOCTL_VM_START, &s)) {
		fprintf(stderr, "msg: load/start %s: %s\n", name,
			strerror(errno));
		free(file);
		return 0;
	}
	free(file);
	/* "ready" comes after its FFA_RXTX_MAP: it can take messages. */
	while (!memmem(text, have, "ready\n", 6)) {
		if (have >= sizeof(text) - 1)
			have = 0;
		con.buf = (uintptr_t)(text + have);
		con.len = sizeof(text) - 1 - have;
		con.timeout_ms = 5000;
		if (ioctl(fd, HF_IOCTL_VM_CONSOLE, &con) || con.len == 0) {
			fprintf(stderr, "msg: %s: no \"ready\" line\n", name);
			return 0;
		}
		con.offset += con.len;
		have += con.len;
	}
	return c.vm_id;
}

static void destroy_vm(int fd, unsigned int id)
{
	struct hf_ioctl_vm_id d = { .size = sizeof(d), .vm_id = id };

	if (id && ioctl(fd, HF_IOCTL_VM_DESTROY, &d))
		fprintf(stderr, "msg: destroy %u: %s\n", id, strerror(errno));
}

static int hf_socket(unsigned int vm_id)
{
	struct sockaddr_hf to = { .family = AF_HF, .vm_id = vm_id,
				  .port = PORT };
	int s = socket(AF_HF, SOCK_DGRAM, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to))) {
		fprintf(stderr, "msg: socket/connect: %s\n", strerror(errno));
		return -1;
	}
	return s;
}

/* One send and its answer; 0 if the answer is the message. */
static int hf_round_trip(int s, unsigned char *msg, unsigned char *reply)
{
	ssize_t n;

	if (send(s, msg, BYTES, 0) != BYTES)
		return -1;
	n = recv(s, reply, BYTES + 1, 0);
	if (n != BYTES || memcmp(msg, reply, BYTES))
		return -1;
	msg[0]++;
	return 0;
}

static int bench_hf(int fd)
{
	unsigned char msg[BYTES] = "round trip 0123", reply[BYTES + 1];
	unsigned int id = start_vm(fd, "bench-echo", ECHO);
	uint64_t start, end;
	int s, i, ret = -1;

	if (!id)
		goto out;
	s = hf_socket(id);
	if (s < 0)
		goto out;
	for (i = 0; i < WARMUP; i++)
		if (hf_round_trip(s, msg, reply))
			goto fail;
	start = cntvct();
	for (i = 0; i < MSGS; i++)
		if (hf_round_trip(s, msg, reply))
			goto fail;
	end = cntvct();
	printf("hf_msg_rtt msgs=%d ticks=%llu bytes=%d\n", MSGS,
	       (unsigned long long)(end - start), BYTES);
	ret = 0;
fail:
	if (ret)
		fprintf(stderr, "msg: echo round trip %d: %s\n", i,
			strerror(errno));
	close(s);
out:
	destroy_vm(fd, id);
	return ret;
}

/* Sends a sink command, reads "count C errors E". */
static int sink_command(int s, const char *cmd, unsigned long *count,
			unsigned long *errors)
{
	char reply[64];
	ssize_t n;

	if (send(s, cmd, strlen(cmd), 0) < 0)
		return -1;
	n = recv(s, reply, sizeof(reply) - 1, 0);
	if (n < 0)
		return -1;
	reply[n] = '\0';
	return sscanf(reply, "count %lu errors %lu", count, errors) == 2 ? 0
									 : -1;
}

static int bench_oneway(int fd)
{
	unsigned char msg[BYTES] = { 0 };
	unsigned int id = start_vm(fd, "bench-sink", SINK);
	unsigned long count, errors;
	uint64_t start, end, seq;
	int s, i, ret = -1;

	if (!id)
		goto out;
	s = hf_socket(id);
	if (s < 0)
		goto out;
	for (seq = 0; seq < WARMUP; seq++) {
		memcpy(msg, &seq, sizeof(seq));	/* little-endian */
		if (send(s, msg, BYTES, 0) != BYTES)
			goto fail;
	}
	if (sink_command(s, "reset", &count, &errors))
		goto fail;
	start = cntvct();
	for (i = 0; i < MSGS; i++, seq++) {
		memcpy(msg, &seq, sizeof(seq));
		if (send(s, msg, BYTES, 0) != BYTES)
			goto fail;
	}
	if (sink_command(s, "report", &count, &errors))
		goto fail;
	end = cntvct();
	printf("hf_msg_oneway msgs=%d ticks=%llu bytes=%d count=%lu"
	       " errors=%lu\n", MSGS, (unsigned long long)(end - start), BYTES,
	       count, errors);
	ret = 0;
fail:
	if (ret)
		fprintf(stderr, "msg: sink: %s\n", strerror(errno));
	close(s);
out:
	destroy_vm(fd, id);
	return ret;
}

int main(void)
{
	int fd, ret;

	ret = load_module(DRIVER);
	if (ret) {
		fprintf(stderr, "msg: %s: %s\n", DRIVER, strerror(-ret));
		return 1;
	}
	fd = open("/dev/hafnium", O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "msg: /dev/hafnium: %s\n", strerror(errno));
		return 1;
	}
	ret = bench_hf(fd) || bench_pipe() || bench_oneway(fd);
	close(fd);
	return ret ? 1 : 0;
}
