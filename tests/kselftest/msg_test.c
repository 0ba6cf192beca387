// SPDX-License-Identifier: GPL-2.0
/*
 * Messages between the primary and secondaries through AF_HF sockets, at
 * scale and across VMs (issue 5): 100,000 sequenced messages to sink with
 * none lost or reordered; 4 processes ping-ponging with 2 echo VMs at
 * once; a VM destroyed under a connected socket; a relay chain primary ->
 * relay -> echo -> relay -> primary; the sender id hafnium gives a reply.
 * Cases skip without hafnium or without the guest images. docs/testing.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_vm.h"

#define ECHO GUESTS "echo.bin"
#define SINK GUESTS "sink.bin"
#define RELAY GUESTS "relay.bin"
#define HOLD GUESTS "hold.bin"

/* Messages of sink_100000_in_order, and the most wall time it may take:
 * the harness's own limit for the test is above it, so that a slow run is
 * reported with its time rather than killed. */
#define SINK_MESSAGES 100000U
#define SINK_MAX_MS 30000U
#define SINK_TIMEOUT_S 90

#define SA(a) ((struct sockaddr *)&(a))

static struct sockaddr_hf hf_addr(uint16_t vm_id, uint32_t port)
{
	struct sockaddr_hf a = { .family = AF_HF, .vm_id = vm_id,
				 .port = port };

	return a;
}

HF_DEV_FIXTURE(msg)

#define NEED(image)							\
	do {								\
		if (self->fd < 0)					\
			SKIP(return, "not running under hafnium");	\
		if (!path_exists(image))				\
			SKIP(return, "no " image);			\
	} while (0)

/* Starts a guest and waits for `text` on its console; its id or 0. */
static uint32_t start_guest(int fd, const char *name, const char *guest,
			    const char *text)
{
	char buf[4096];
	uint32_t id;

	if (vm_run_guest(fd, name, guest, 1, 4 * MiB, &id))
		return 0;
	if (!vm_console_wait(fd, id, text, 5000, buf, sizeof(buf)))
		return 0;
	return id;
}

/* A socket with a receive timeout, connected to (id, port) if id. */
static int msg_socket(uint32_t id, uint32_t port, unsigned int timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	struct sockaddr_hf a = hf_addr(id, port);
	int s = socket(AF_HF, SOCK_DGRAM, 0);

	if (s < 0)
		return -1;
	if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    (id && connect(s, SA(a), sizeof(a)))) {
		close(s);
		return -1;
	}
	return s;
}

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Sends "report" to sink on s; its answer in buf, or "" on failure. */
static void sink_report(int s, char *buf, size_t size)
{
	ssize_t n;

	buf[0] = '\0';
	if (send(s, "report", 6, 0) != 6)
		return;
	n = recv(s, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
}

/*
 * 100,000 messages, each starting with the next 64-bit LE sequence number,
 * through one socket: sink counts them all and sees no gap or reordering.
 * Should the emulator be too slow for all of them in SINK_MAX_MS, the
 * count sent by then is checked instead (and logged).
 */
TEST_F_TIMEOUT(msg, sink_100000_in_order, SINK_TIMEOUT_S)
{
	unsigned char m[32];
	char want[64], got[64];
	uint64_t t0, ms;
	uint32_t id, i;
	int s;

	NEED(SINK);
	id = start_guest(self->fd, "msg-sink", "sink", "ready");
	ASSERT_NE(0U, id);
	s = msg_socket(id, 1, 5);
	ASSERT_LE(0, s) TH_LOG("%s", strerror(errno));

	memset(m, 0xa5, sizeof(m));
	t0 = now_ms();
	for (i = 0; i < SINK_MESSAGES; i++) {
		put_le64(m, 1000 + (uint64_t)i);
		/* Vary the length a little: 8..32 bytes. */
		ASSERT_EQ((ssize_t)(8 + i % 25), send(s, m, 8 + i % 25, 0))
			TH_LOG("message %u: %s", i, strerror(errno));
		if ((i & 1023) == 1023 && now_ms() - t0 > SINK_MAX_MS) {
			i++;
			break;
		}
	}
	ms = now_ms() - t0;
	TH_LOG("%u messages in %llu ms (%llu/s)%s", i,
	       (unsigned long long)ms,
	       (unsigned long long)(ms ? i * 1000ULL / ms : 0),
	       i < SINK_MESSAGES ? ": time cap reached, fewer sent" : "");
	sink_report(s, got, sizeof(got));
	snprintf(want, sizeof(want), "count %u errors 0", i);
	EXPECT_STREQ(want, got);

	/* A gap is seen: the check can fail. */
	ASSERT_EQ(5, send(s, "reset", 5, 0));
	ASSERT_LT(0, recv(s, got, sizeof(got) - 1, 0));
	put_le64(m, 1);
	ASSERT_EQ(8, send(s, m, 8, 0));
	put_le64(m, 3);
	ASSERT_EQ(8, send(s, m, 8, 0));
	sink_report(s, got, sizeof(got));
	EXPECT_STREQ("count 2 errors 1", got);
	close(s);
}

#define PP_CHILDREN 4
#define PP_ROUNDS 400

/* One child: PP_ROUNDS round trips with each echo VM on its own port;
 * its exit status says what went wrong (0: nothing). */
static int ping_pong_child(unsigned int child, const uint32_t ids[2])
{
	static unsigned char out[1024], in[1100];
	struct sockaddr_hf me = hf_addr(0, 0x1000 + child), to, from;
	socklen_t len;
	unsigned int r, v, j;
	int s = msg_socket(0, 0, 5);
	ssize_t n;
	size_t size;

	if (s < 0 || bind(s, SA(me), sizeof(me)))
		return 10;
	for (r = 0; r < PP_ROUNDS; r++) {
		for (v = 0; v < 2; v++) {
			size = 8 + (r * 7 + child * 13 + v) % (sizeof(out) - 8);
			out[0] = (unsigned char)child;
			out[1] = (unsigned char)v;
			out[2] = (unsigned char)r;
			out[3] = (unsigned char)(r >> 8);
			for (j = 4; j < size; j++)
				out[j] = (unsigned char)(j * 3 + r + child * 71 + v);
			to = hf_addr(ids[v], 100 + child);
			if (sendto(s, out, size, 0, SA(to), sizeof(to)) !=
			    (ssize_t)size)
				return 11;
			len = sizeof(from);
			n = recvfrom(s, in, sizeof(in), 0, SA(from), &len);
			if (n < 0)
				return 12;
			if ((size_t)n != size || memcmp(in, out, size))
				return 13;
			if (from.vm_id != ids[v] || from.port != 100 + child)
				return 14;
		}
	}
	close(s);
	return 0;
}

/* 4 processes, each ping-ponging with 2 echo VMs at the same time on its
 * own port: every reply comes back to the right process, intact. */
TEST_F(msg, four_processes_two_echo_vms)
{
	pid_t pids[PP_CHILDREN];
	uint32_t ids[2];
	unsigned int c, ok = 0;
	int status;
	uint64_t t0;

	NEED(ECHO);
	ids[0] = start_guest(self->fd, "msg-echo-a", "echo", "ready");
	ASSERT_NE(0U, ids[0]);
	ids[1] = start_guest(self->fd, "msg-echo-b", "echo", "ready");
	ASSERT_NE(0U, ids[1]);

	t0 = now_ms();
	for (c = 0; c < PP_CHILDREN; c++) {
		pids[c] = fork();
		ASSERT_LE(0, pids[c]);
		if (pids[c] == 0)
			_exit(ping_pong_child(c, ids));
	}
	for (c = 0; c < PP_CHILDREN; c++) {
		ASSERT_EQ(pids[c], waitpid(pids[c], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("child %u: status 0x%x (11 send, 12 recv, "
			       "13 payload, 14 sender)", c, status);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ok++;
	}
	TH_LOG("%u processes x 2 VMs x %u round trips in %llu ms", PP_CHILDREN, PP_ROUNDS,
	       (unsigned long long)(now_ms() - t0));
	EXPECT_EQ((unsigned int)PP_CHILDREN, ok);
}

static uint64_t counter(uint32_t id, const char *file)
{
	char buf[64];

	if (vm_sysfs(id, file, buf, sizeof(buf)))
		return UINT64_MAX;
	return strtoull(buf, NULL, 10);
}

/* The VM goes while a connected socket is open: the next send fails with
 * ECONNRESET, also once another VM has taken its id; a recv does not hang. */
TEST_F(msg, vm_destroyed_under_connected_socket)
{
	unsigned char m[8] = { 0 };
	char buf[64];
	uint32_t id, id2;
	int s;

	NEED(SINK);
	id = start_guest(self->fd, "msg-gone", "sink", "ready");
	ASSERT_NE(0U, id);
	s = msg_socket(id, 1, 1);
	ASSERT_LE(0, s);
	ASSERT_EQ(8, send(s, m, 8, 0));
	sink_report(s, buf, sizeof(buf));
	EXPECT_STREQ("count 1 errors 0", buf);

	ASSERT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_EQ(-1, send(s, m, 8, 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(-1, send(s, m, 8, MSG_DONTWAIT));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	/* A new VM, likely with the same id: still not this socket's. */
	id2 = start_guest(self->fd, "msg-gone2", "sink", "ready");
	ASSERT_NE(0U, id2);
	TH_LOG("old VM %u, new VM %u", id, id2);
	EXPECT_EQ(-1, send(s, m, 8, 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(0U, counter(id2, "msg_sent"));
	close(s);
}

/* primary -> relay A -> echo B -> relay A -> primary. */
/*
 * Starts a relay VM and a socket *s to it from port; names its target
 * with the first message (a little-endian u32, not forwarded). The
 * relay's id once it says it forwards there, or 0 (its console in buf).
 */
static uint32_t start_relay(int fd, const char *name, uint32_t target,
			    uint32_t port, int *s, char *buf, size_t size)
{
	unsigned char cfg[4] = { target & 0xff, (target >> 8) & 0xff, 0, 0 };
	uint32_t relay = start_guest(fd, name, "relay", "waiting");
	char want[64];

	*s = relay ? msg_socket(relay, port, 5) : -1;
	if (*s < 0 || send(*s, cfg, sizeof(cfg), 0) != sizeof(cfg))
		return 0;
	snprintf(want, sizeof(want), "forwarding to VM %u", target);
	return vm_console_wait(fd, relay, want, 5000, buf, size) ? relay : 0;
}

TEST_F(msg, relay_chain_round_trip)
{
	static unsigned char out[3000], in[3100];
	struct sockaddr_hf from;
	socklen_t len;
	char buf[4096];
	uint32_t a, b, i, j;
	ssize_t n;
	int s;

	NEED(RELAY);
	NEED(ECHO);
	b = start_guest(self->fd, "msg-relay-echo", "echo", "ready");
	ASSERT_NE(0U, b);
	a = start_relay(self->fd, "msg-relay", b, 55, &s, buf, sizeof(buf));
	ASSERT_NE(0U, a) TH_LOG("relay console: %s", buf);

	for (i = 0; i < 20; i++) {
		size_t size = 1 + i * 149;

		for (j = 0; j < size; j++)
			out[j] = (unsigned char)(i + j * 17);
		ASSERT_EQ((ssize_t)size, send(s, out, size, 0))
			TH_LOG("message %u: %s", i, strerror(errno));
		len = sizeof(from);
		memset(&from, 0, sizeof(from));
		n = recvfrom(s, in, sizeof(in), 0, SA(from), &len);
		ASSERT_EQ((ssize_t)size, n)
			TH_LOG("message %u: %s", i, strerror(errno));
		EXPECT_EQ(0, memcmp(in, out, size));
		/* Forwarded by A: hafnium makes A the sender; echo's port. */
		EXPECT_EQ(a, from.vm_id);
		EXPECT_EQ(55U, from.port);
	}
	/* It went through B: echo sent every answer to A, none to us. */
	EXPECT_EQ(21U, counter(a, "msg_sent"));
	EXPECT_EQ(20U, counter(a, "msg_received"));
	EXPECT_EQ(0U, counter(b, "msg_sent"));
	EXPECT_EQ(0U, counter(b, "msg_received"));
	close(s);
}

/* The sender id of a reply is set by hafnium: recvfrom names the VM that
 * answered, for each of two VMs through one unconnected socket. (A forged
 * header is tests/unit/api_test.c's.) */
TEST_F(msg, reply_sender_is_real_vm_id)
{
	struct sockaddr_hf to, from;
	socklen_t len;
	uint32_t ids[2];
	char in[16];
	unsigned int v, k;
	int s;

	NEED(ECHO);
	ids[0] = start_guest(self->fd, "msg-id-a", "echo", "ready");
	ASSERT_NE(0U, ids[0]);
	ids[1] = start_guest(self->fd, "msg-id-b", "echo", "ready");
	ASSERT_NE(0U, ids[1]);
	ASSERT_NE(ids[0], ids[1]);
	s = msg_socket(0, 0, 5);
	ASSERT_LE(0, s);
	for (k = 0; k < 4; k++) {
		v = k % 2;
		to = hf_addr(ids[v], 9);
		/* The payload names the other VM: only hafnium's header
		 * counts. */
		snprintf(in, sizeof(in), "vm %u", ids[!v]);
		ASSERT_LT(0, sendto(s, in, strlen(in), 0, SA(to), sizeof(to)));
		len = sizeof(from);
		memset(&from, 0, sizeof(from));
		ASSERT_LT(0, recvfrom(s, in, sizeof(in), 0, SA(from), &len));
		EXPECT_EQ(AF_HF, from.family);
		EXPECT_EQ(ids[v], from.vm_id);
		EXPECT_EQ(9U, from.port);
	}
	close(s);
}

/* A connected socket hears only its peer: a reply from another VM to its
 * port is dropped and counted as refused, the peer's still arrives. */
TEST_F(msg, connected_socket_hears_only_its_peer)
{
	struct sockaddr_hf other;
	uint64_t refused;
	uint32_t ids[2];
	char in[16];
	int s;

	NEED(ECHO);
	ids[0] = start_guest(self->fd, "msg-peer", "echo", "ready");
	ASSERT_NE(0U, ids[0]);
	ids[1] = start_guest(self->fd, "msg-stranger", "echo", "ready");
	ASSERT_NE(0U, ids[1]);
	s = msg_socket(ids[0], 9, 1);
	ASSERT_LE(0, s);
	refused = counter(ids[1], "msg_refused");
	/* Sent from this socket's port to the other VM, which answers it. */
	other = hf_addr(ids[1], 9);
	ASSERT_EQ(5, sendto(s, "other", 5, 0, SA(other), sizeof(other)));
	EXPECT_EQ(-1, recv(s, in, sizeof(in), 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(refused + 1, counter(ids[1], "msg_refused"));
	ASSERT_EQ(4, send(s, "peer", 4, 0));
	ASSERT_EQ(4, recv(s, in, sizeof(in), 0));
	EXPECT_EQ(0, memcmp(in, "peer", 4));
	close(s);
}

/*
 * A guest whose message finds the receiver's RX full sleeps until it is
 * released or gone (HF_MAILBOX_WRITABLE_INTID): relay forwards to hold,
 * which never reads. Its vCPU then costs no CPU; when hold is destroyed,
 * the retry fails and relay says so.
 */
TEST_F(msg, sender_sleeps_on_a_full_buffer_until_it_goes)
{
	char buf[4096], want[64];
	uint64_t runs;
	uint32_t hold, relay;
	int s;

	NEED(RELAY);
	NEED(HOLD);
	hold = start_guest(self->fd, "msg-hold", "hold", "ready");
	ASSERT_NE(0U, hold);
	relay = start_relay(self->fd, "msg-hold-relay", hold, 57, &s, buf,
			    sizeof(buf));
	ASSERT_NE(0U, relay) TH_LOG("relay console: %s", buf);
	/* The first fills hold's RX; relay waits to forward the second. */
	ASSERT_EQ(5, send(s, "first", 5, 0));
	ASSERT_EQ(6, send(s, "second", 6, 0));
	usleep(300000);
	runs = vm_runs(relay);
	sleep(1);
	/* Asleep: a few runs at most, where polling made thousands. */
	EXPECT_GT(runs + 10, vm_runs(relay))
		TH_LOG("%llu runs in 1 s", (unsigned long long)(vm_runs(relay) - runs));
	ASSERT_EQ(0, vm_destroy(self->fd, hold));
	snprintf(want, sizeof(want), "forwarding to VM %u failed", hold);
	EXPECT_TRUE(vm_console_wait(self->fd, relay, want, 5000, buf,
				    sizeof(buf)))
		TH_LOG("relay console: %s", buf);
	close(s);
}

TEST_HARNESS_MAIN
