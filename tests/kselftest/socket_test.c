// SPDX-License-Identifier: GPL-2.0
/*
 * AF_HF sockets (docs/driver.md, "Sockets"): creation (root only), bind
 * and connect address checks, the errors of a send (unknown VM, oversize,
 * a VM without a mailbox), non-blocking and timed receives, poll; with the
 * echo guest, round trips of every size, the per-VM counters, bursts
 * (blocking and not) with nothing lost, sends to a stopped VM, a VM
 * destroyed under a connected socket, and hfctl send/recv/ping; the flags
 * the kernel adds (sendmmsg's MSG_BATCH, MSG_CMSG_CLOEXEC), connect
 * (AF_UNSPEC) and shutdown. Cases skip without hafnium (and the echo cases
 * without echo.bin). docs/testing.md.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* sendmmsg, POLLRDHUP */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
/* No VM has this id. */
#define NO_VM 0x7ff

static struct sockaddr_hf hf_addr(uint16_t vm_id, uint32_t port)
{
	struct sockaddr_hf a = { .family = AF_HF, .vm_id = vm_id,
				 .port = port };

	return a;
}

#define SA(a) ((struct sockaddr *)&(a))

HF_DEV_FIXTURE(sock)


#define NEED_ECHO()							\
	do {								\
		NEED_HAFNIUM();						\
		if (!path_exists(ECHO))					\
			SKIP(return, "no " ECHO);			\
	} while (0)

static int hf_socket(void)
{
	return socket(AF_HF, SOCK_DGRAM, 0);
}

/* Starts the echo guest and waits for it to be ready; its id or 0. */
static uint32_t start_echo(int fd, const char *name)
{
	char buf[4096];
	uint32_t id;

	if (vm_run_guest(fd, name, "echo", 1, 4 * MiB, &id))
		return 0;
	if (!vm_console_wait(fd, id, "ready", 5000, buf, sizeof(buf)))
		return 0;
	return id;
}

/* A socket connected to port 7 of a new echo VM named `name`, receives
 * timing out after `seconds`; the VM's id into *id. */
static int echo_socket(struct __test_metadata *_metadata, int fd,
		       const char *name, long seconds, uint32_t *id)
{
	struct timeval tv = { .tv_sec = seconds };
	struct sockaddr_hf a;
	int s;

	*id = start_echo(fd, name);
	ASSERT_NE(0U, *id);
	s = hf_socket();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	a = hf_addr(*id, 7);
	ASSERT_EQ(0, connect(s, SA(a), sizeof(a)));
	return s;
}

TEST_F(sock, create_root_only)
{
	pid_t pid;
	int s, status;

	NEED_HAFNIUM();
	s = hf_socket();
	ASSERT_LE(0, s) TH_LOG("socket: %s", strerror(errno));
	/* A socket holds the module. */
	EXPECT_NE(0, driver_unload());
	close(s);

	EXPECT_EQ(-1, socket(AF_HF, SOCK_STREAM, 0));
	EXPECT_EQ(ESOCKTNOSUPPORT, errno);
	EXPECT_EQ(-1, socket(AF_HF, SOCK_DGRAM, 1));
	EXPECT_EQ(EPROTONOSUPPORT, errno);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (become_nobody())
			_exit(2);
		_exit(hf_socket() < 0 && errno == EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(sock, bind_checks_address)
{
	struct sockaddr_hf a = hf_addr(0, 5000), got;
	socklen_t len = sizeof(got);
	int s, t;

	NEED_HAFNIUM();
	s = hf_socket();
	t = hf_socket();
	ASSERT_LE(0, s);
	ASSERT_LE(0, t);

	a.family = AF_INET;
	EXPECT_EQ(-1, bind(s, SA(a), sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	a.family = AF_HF;
	EXPECT_EQ(-1, bind(s, SA(a), sizeof(a) - 1));
	EXPECT_EQ(EINVAL, errno);
	a.vm_id = 3;
	EXPECT_EQ(-1, bind(s, SA(a), sizeof(a)));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	a.vm_id = 0;

	ASSERT_EQ(0, bind(s, SA(a), sizeof(a))) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, getsockname(s, SA(got), &len));
	EXPECT_EQ(sizeof(got), len);
	EXPECT_EQ(AF_HF, got.family);
	EXPECT_EQ(1, got.vm_id);
	EXPECT_EQ(5000U, got.port);
	/* Bound once; a port has one socket. */
	EXPECT_EQ(-1, bind(s, SA(a), sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bind(t, SA(a), sizeof(a)));
	EXPECT_EQ(EADDRINUSE, errno);
	close(s);
	/* Free again once closed. */
	EXPECT_EQ(0, bind(t, SA(a), sizeof(a)));
	close(t);

	/* Port 0: one is chosen. */
	s = hf_socket();
	a.port = 0;
	ASSERT_EQ(0, bind(s, SA(a), sizeof(a)));
	len = sizeof(got);
	ASSERT_EQ(0, getsockname(s, SA(got), &len));
	EXPECT_LE((uint32_t)HF_PORT_EPHEMERAL_MIN, got.port);
	EXPECT_GE((uint32_t)HF_PORT_EPHEMERAL_MAX, got.port);
	close(s);
}

TEST_F(sock, connect_checks_address)
{
	struct sockaddr_hf a = hf_addr(NO_VM, 7), got;
	socklen_t len = sizeof(got);
	int s;

	NEED_HAFNIUM();
	s = hf_socket();
	ASSERT_LE(0, s);
	a.family = AF_UNIX;
	EXPECT_EQ(-1, connect(s, SA(a), sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	a.family = AF_HF;
	EXPECT_EQ(-1, connect(s, SA(a), 4));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, connect(s, SA(a), sizeof(a)));
	EXPECT_EQ(EHOSTUNREACH, errno);
	a.vm_id = 1;
	EXPECT_EQ(-1, connect(s, SA(a), sizeof(a)));
	EXPECT_EQ(EHOSTUNREACH, errno);
	EXPECT_EQ(-1, getpeername(s, SA(got), &len));
	EXPECT_EQ(ENOTCONN, errno);
	/* Unconnected, no address. */
	EXPECT_EQ(-1, send(s, "x", 1, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	close(s);
}

TEST_F(sock, send_errors)
{
	static char big[HF_MSG_PAYLOAD_MAX + 1];
	struct sockaddr_hf a = hf_addr(NO_VM, 7);
	uint32_t id;
	int s;

	NEED_HAFNIUM();
	s = hf_socket();
	ASSERT_LE(0, s);
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(EHOSTUNREACH, errno);
	a.vm_id = 1;
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(EHOSTUNREACH, errno);
	a.vm_id = NO_VM;
	EXPECT_EQ(-1, sendto(s, big, sizeof(big), 0, SA(a), sizeof(a)));
	EXPECT_EQ(EMSGSIZE, errno);
	/* The largest payload passes the size check. */
	EXPECT_EQ(-1, sendto(s, big, sizeof(big) - 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(EHOSTUNREACH, errno);
	a.family = AF_INET;
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(EINVAL, errno);

	/* spin has no mailbox. */
	ASSERT_EQ(0, vm_run_guest(self->fd, "sock-spin", "spin", 1, 4 * MiB,
				  &id));
	a = hf_addr(id, 7);
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(ECONNREFUSED, errno);
	EXPECT_EQ(-1, sendto(s, "x", 1, MSG_DONTWAIT, SA(a), sizeof(a)));
	EXPECT_EQ(ECONNREFUSED, errno);
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	close(s);
}

TEST_F(sock, recv_nonblocking_and_timeout)
{
	struct timeval tv = { .tv_usec = 300000 };
	struct pollfd p;
	char buf[16];
	uint64_t t0, ms;
	int s;

	NEED_HAFNIUM();
	s = hf_socket();
	ASSERT_LE(0, s);
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);

	p.fd = s;
	p.events = POLLIN | POLLOUT;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents & (POLLIN | POLLOUT));

	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	t0 = now_ms();
	EXPECT_EQ(-1, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	ms = now_ms() - t0;
	EXPECT_LE(250U, ms);
	EXPECT_GE(3000U, ms);
	close(s);
}

static uint64_t sysfs_counter(uint32_t id, const char *file)
{
	char buf[64];

	if (vm_sysfs(id, file, buf, sizeof(buf)))
		return UINT64_MAX;
	return strtoull(buf, NULL, 10);
}

TEST_F(sock, echo_round_trips)
{
	static char out[HF_MSG_PAYLOAD_MAX], in[HF_MSG_PAYLOAD_MAX + 16];
	struct sockaddr_hf a, from, me;
	struct timeval tv = { .tv_sec = 5 };
	socklen_t len;
	struct pollfd p;
	uint32_t id;
	uint64_t sent0;
	size_t sizes[] = { 0, 1, 8, 100, 1000, 4000, HF_MSG_PAYLOAD_MAX };
	unsigned int i, j;
	ssize_t n;
	int s;

	NEED_ECHO();
	id = start_echo(self->fd, "sock-echo");
	ASSERT_NE(0U, id);
	sent0 = sysfs_counter(id, "msg_sent");
	EXPECT_EQ(0U, sent0);

	s = hf_socket();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	a = hf_addr(id, 7);
	ASSERT_EQ(0, connect(s, SA(a), sizeof(a)));
	len = sizeof(me);
	ASSERT_EQ(0, getsockname(s, SA(me), &len));
	EXPECT_LE((uint32_t)HF_PORT_EPHEMERAL_MIN, me.port);
	len = sizeof(from);
	ASSERT_EQ(0, getpeername(s, SA(from), &len));
	EXPECT_EQ(id, from.vm_id);
	EXPECT_EQ(7U, from.port);

	for (i = 0; i < 100; i++) {
		size_t size = sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];

		for (j = 0; j < size; j++)
			out[j] = (char)(i * 31 + j);
		ASSERT_EQ((ssize_t)size, send(s, out, size, 0))
			TH_LOG("message %u: %s", i, strerror(errno));
		if (i == 0) {
			p.fd = s;
			p.events = POLLIN;
			EXPECT_EQ(1, poll(&p, 1, 5000));
			EXPECT_EQ(POLLIN, p.revents & POLLIN);
		}
		len = sizeof(from);
		memset(&from, 0, sizeof(from));
		n = recvfrom(s, in, sizeof(in), 0, SA(from), &len);
		ASSERT_EQ((ssize_t)size, n)
			TH_LOG("message %u: %s", i, strerror(errno));
		EXPECT_EQ(0, memcmp(in, out, size));
		EXPECT_EQ(sizeof(from), len);
		EXPECT_EQ(AF_HF, from.family);
		EXPECT_EQ(id, from.vm_id);
		EXPECT_EQ(7U, from.port);
	}
	EXPECT_EQ(100U, sysfs_counter(id, "msg_sent"));
	EXPECT_EQ(100U, sysfs_counter(id, "msg_received"));
	EXPECT_EQ(0U, sysfs_counter(id, "msg_refused"));

	/* Truncated: MSG_TRUNC gives the whole length. */
	ASSERT_EQ(10, send(s, "0123456789", 10, 0));
	EXPECT_EQ(10, recv(s, in, 4, MSG_TRUNC));
	EXPECT_EQ(0, memcmp(in, "0123", 4));

	/* The VM goes: a connected socket is reset. */
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_EQ(-1, send(s, "x", 1, 0));
	EXPECT_EQ(ECONNRESET, errno);
	close(s);
}

/* Sends that find the VM's RX full wait (or fail with EAGAIN when they
 * may not): none is lost. */
TEST_F(sock, burst_nothing_lost)
{
	static char msg[200], in[256];
	unsigned int i, again = 0, sent = 0, got = 0;
	uint64_t t0;
	uint32_t id;
	ssize_t n;
	int s;

	NEED_ECHO();
	s = echo_socket(_metadata, self->fd, "sock-burst", 2, &id);

	/* Blocking: each send returns once the message is in the VM. */
	for (i = 0; i < 200; i++) {
		msg[0] = (char)i;
		ASSERT_EQ((ssize_t)sizeof(msg), send(s, msg, sizeof(msg), 0))
			TH_LOG("message %u: %s", i, strerror(errno));
		sent++;
	}
	/* Non-blocking: delivered, or EAGAIN while the VM's RX is full. */
	for (i = 0; i < 200; i++) {
		n = send(s, msg, sizeof(msg), MSG_DONTWAIT);
		if (n < 0) {
			ASSERT_EQ(EAGAIN, errno);
			again++;
		} else {
			ASSERT_EQ((ssize_t)sizeof(msg), n);
			sent++;
		}
	}
	TH_LOG("%u of 200 non-blocking sends found the VM busy", again);
	while ((n = recv(s, in, sizeof(in), 0)) >= 0) {
		EXPECT_EQ((ssize_t)sizeof(msg), n);
		got++;
	}
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(sent, sysfs_counter(id, "msg_sent"));
	/* Every answer came back: queued, or refused if the queue was full. */
	t0 = now_ms();
	while (sysfs_counter(id, "msg_received") +
	       sysfs_counter(id, "msg_refused") < sent && now_ms() - t0 < 5000)
		usleep(10000);
	EXPECT_EQ(sent, sysfs_counter(id, "msg_received") +
			sysfs_counter(id, "msg_refused"));
	EXPECT_EQ(got, sysfs_counter(id, "msg_received"));
	close(s);
}

/* A stopped VM never releases its RX: a send that finds it full fails. */
TEST_F(sock, send_to_stopped_vm_does_not_hang)
{
	struct timeval tv = { .tv_sec = 10 };
	struct sockaddr_hf a;
	unsigned int i;
	uint64_t t0;
	uint32_t id;
	ssize_t n = 0;
	int s;

	NEED_ECHO();
	id = start_echo(self->fd, "sock-stopped");
	ASSERT_NE(0U, id);
	ASSERT_EQ(0, vm_stop(self->fd, id));
	s = hf_socket();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	a = hf_addr(id, 7);
	ASSERT_EQ(0, connect(s, SA(a), sizeof(a)));
	t0 = now_ms();
	for (i = 0; i < 3 && n >= 0; i++)
		n = send(s, "x", 1, 0);
	EXPECT_EQ(-1, n);
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_GT(2000U, now_ms() - t0);
	close(s);
}

TEST_F(sock, echo_unbound_port_counted_refused)
{
	struct sockaddr_hf a, me;
	uint32_t id;
	uint64_t t0;
	int s;

	NEED_ECHO();
	id = start_echo(self->fd, "sock-refuse");
	ASSERT_NE(0U, id);
	s = hf_socket();
	ASSERT_LE(0, s);
	me = hf_addr(0, 0);
	ASSERT_EQ(0, bind(s, SA(me), sizeof(me)));
	/* Closed at once: the answer finds no socket (or, if it is
	 * quicker, is queued and dropped with the socket). */
	a = hf_addr(id, 7);
	ASSERT_EQ(2, sendto(s, "hi", 2, 0, SA(a), sizeof(a)));
	close(s);
	t0 = now_ms();
	while (sysfs_counter(id, "msg_refused") + sysfs_counter(id, "msg_received") == 0 &&
	       now_ms() - t0 < 5000)
		usleep(10000);
	/* Closed before or after the answer: counted either way. */
	EXPECT_EQ(1U, sysfs_counter(id, "msg_refused") +
		     sysfs_counter(id, "msg_received"));
	EXPECT_EQ(1U, sysfs_counter(id, "msg_sent"));
}

TEST_F(sock, hfctl_send_recv_ping)
{
	struct run_result r;
	char idbuf[16];
	uint32_t id;

	NEED_ECHO();
	id = start_echo(self->fd, "sock-hfctl");
	ASSERT_NE(0U, id);
	snprintf(idbuf, sizeof(idbuf), "%u", id);

	{
		char *const argv[] = { HFCTL, "ping", "sock-hfctl", "-c", "3",
				       "--port", "9", NULL };

		ASSERT_EQ(0, run(argv, false, &r));
		EXPECT_EQ(0, r.status) TH_LOG("%s%s", r.out, r.err);
		EXPECT_NE(NULL, strstr(r.out, "PING VM "));
		EXPECT_NE(NULL, strstr(r.out, "port 9: seq=2 time="));
		EXPECT_NE(NULL, strstr(r.out, "3 messages sent, 3 received, 0% loss"));
		EXPECT_NE(NULL, strstr(r.out, "rtt min/avg/max = "));
	}
	{
		char *const argv[] = { HFCTL, "send", idbuf, "hello", NULL };

		ASSERT_EQ(0, run(argv, false, &r));
		EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
		EXPECT_STREQ("", r.out);
	}
	{
		char *const argv[] = { HFCTL, "recv", idbuf, "--timeout",
				       "0.3", NULL };

		ASSERT_EQ(0, run(argv, false, &r));
		EXPECT_EQ(1, r.status);
		EXPECT_NE(NULL, strstr(r.err, "within the timeout"))
			TH_LOG("%s", r.err);
	}
	{
		char *const argv[] = { HFCTL, "send", "no-such-vm", "x", NULL };

		ASSERT_EQ(0, run(argv, false, &r));
		EXPECT_EQ(1, r.status);
	}
	{
		char *const argv[] = { HFCTL, "ping", idbuf, "-c", "x", NULL };

		ASSERT_EQ(0, run(argv, false, &r));
		EXPECT_EQ(2, r.status);
	}
}

TEST_F(sock, hfctl_send_to_vm_without_mailbox)
{
	struct run_result r;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_run_guest(self->fd, "sock-spin2", "spin", 1, 4 * MiB,
				  &id));
	{
		char *const argv[] = { HFCTL, "send", "sock-spin2", "x", NULL };

		ASSERT_EQ(0, run(argv, false, &r));
		EXPECT_EQ(1, r.status);
		EXPECT_NE(NULL, strstr(r.err, "Connection refused"))
			TH_LOG("%s", r.err);
	}
	ASSERT_EQ(0, vm_destroy(self->fd, id));
}

/* sendmmsg marks every message but the last MSG_BATCH: not refused. */
TEST_F(sock, sendmmsg_three)
{
	static const char *texts[] = { "one", "two!", "three" };
	struct mmsghdr mm[3];
	struct iovec iov[3];
	char in[64];
	unsigned int i;
	uint32_t id;
	int s;

	NEED_ECHO();
	s = echo_socket(_metadata, self->fd, "sock-mmsg", 5, &id);

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 3; i++) {
		iov[i].iov_base = (void *)texts[i];
		iov[i].iov_len = strlen(texts[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	ASSERT_EQ(3, sendmmsg(s, mm, 3, 0))
		TH_LOG("sendmmsg: %s", strerror(errno));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(strlen(texts[i]), mm[i].msg_len);

	for (i = 0; i < 3; i++) {
		ASSERT_EQ((ssize_t)strlen(texts[i]), recv(s, in, sizeof(in), 0))
			TH_LOG("message %u: %s", i, strerror(errno));
		EXPECT_EQ(0, memcmp(in, texts[i], strlen(texts[i])));
	}
	EXPECT_EQ(3U, sysfs_counter(id, "msg_sent"));
	close(s);
	ASSERT_EQ(0, vm_destroy(self->fd, id));
}

/* recvmsg passes MSG_CMSG_CLOEXEC through: no descriptors, no effect. */
TEST_F(sock, recvmsg_cmsg_cloexec)
{
	struct iovec iov;
	struct msghdr m;
	char in[64];
	uint32_t id;
	int s;

	NEED_ECHO();
	s = echo_socket(_metadata, self->fd, "sock-cloexec", 5, &id);
	EXPECT_EQ(-1, recv(s, in, sizeof(in), MSG_CMSG_CLOEXEC | MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(5, send(s, "hello", 5, 0));
	memset(&m, 0, sizeof(m));
	iov.iov_base = in;
	iov.iov_len = sizeof(in);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	EXPECT_EQ(5, recvmsg(s, &m, MSG_CMSG_CLOEXEC))
		TH_LOG("recvmsg: %s", strerror(errno));
	EXPECT_EQ(0, memcmp(in, "hello", 5));
	EXPECT_EQ(0U, m.msg_controllen);
	close(s);
	ASSERT_EQ(0, vm_destroy(self->fd, id));
}

/* connect(AF_UNSPEC) dissolves the association, as for UDP. */
TEST_F(sock, connect_unspec_disconnects)
{
	struct sockaddr_hf a, got, me, me2;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct timeval tv = { .tv_sec = 5 };
	socklen_t len;
	char in[16];
	uint32_t id;
	int s;

	NEED_ECHO();
	s = hf_socket();
	ASSERT_LE(0, s);
	/* Unconnected: nothing to dissolve, not an error. */
	EXPECT_EQ(0, connect(s, &unspec, sizeof(unspec)))
		TH_LOG("connect: %s", strerror(errno));

	id = start_echo(self->fd, "sock-unspec");
	ASSERT_NE(0U, id);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	a = hf_addr(id, 7);
	ASSERT_EQ(0, connect(s, SA(a), sizeof(a)));
	len = sizeof(me);
	ASSERT_EQ(0, getsockname(s, SA(me), &len));
	ASSERT_EQ(2, send(s, "hi", 2, 0));
	EXPECT_EQ(2, recv(s, in, sizeof(in), 0));

	EXPECT_EQ(0, connect(s, &unspec, sizeof(unspec)))
		TH_LOG("connect: %s", strerror(errno));
	len = sizeof(got);
	EXPECT_EQ(-1, getpeername(s, SA(got), &len));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, send(s, "x", 1, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	/* Still bound to the same port; sendto still works. */
	len = sizeof(me2);
	ASSERT_EQ(0, getsockname(s, SA(me2), &len));
	EXPECT_EQ(me.port, me2.port);
	EXPECT_EQ(3, sendto(s, "abc", 3, 0, SA(a), sizeof(a)));
	EXPECT_EQ(3, recv(s, in, sizeof(in), 0));
	/* Connectable again. */
	EXPECT_EQ(0, connect(s, SA(a), sizeof(a)));
	EXPECT_EQ(1, send(s, "y", 1, 0));
	EXPECT_EQ(1, recv(s, in, sizeof(in), 0));
	close(s);
	ASSERT_EQ(0, vm_destroy(self->fd, id));
}

/* shutdown: SHUT_RD makes receives return 0 (and wakes a blocked one),
 * SHUT_WR makes sends fail with EPIPE (no SIGPIPE). */
TEST_F(sock, shutdown_read_and_write)
{
	struct sockaddr_hf a = hf_addr(NO_VM, 7);
	struct timeval tv = { .tv_sec = 5 };
	struct pollfd p;
	char buf[16];
	uint64_t t0;
	pid_t pid;
	int s, status;

	NEED_HAFNIUM();
	s = hf_socket();
	ASSERT_LE(0, s);
	EXPECT_EQ(-1, shutdown(s, 7));
	EXPECT_EQ(EINVAL, errno);

	/* Another process shuts the shared socket down: the blocked
	 * receive returns 0. */
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(200000);
		_exit(shutdown(s, SHUT_RD) ? 1 : 0);
	}
	t0 = now_ms();
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0))
		TH_LOG("recv: %s", strerror(errno));
	EXPECT_GT(3000U, now_ms() - t0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	p.fd = s;
	p.events = POLLIN | POLLRDHUP;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN | POLLRDHUP, p.revents & (POLLIN | POLLRDHUP));
	/* Sends still work (the answer is EHOSTUNREACH, not EPIPE). */
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(EHOSTUNREACH, errno);

	/* SHUT_WR: EPIPE, and no SIGPIPE kills us. */
	EXPECT_EQ(0, shutdown(s, SHUT_WR));
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(-1, send(s, "x", 1, 0));
	EXPECT_EQ(EPIPE, errno);
	close(s);

	/* SHUT_RDWR on a fresh socket. */
	s = hf_socket();
	ASSERT_LE(0, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	EXPECT_EQ(0, shutdown(s, SHUT_RDWR));
	EXPECT_EQ(0, recv(s, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, sendto(s, "x", 1, 0, SA(a), sizeof(a)));
	EXPECT_EQ(EPIPE, errno);
	p.fd = s;
	p.events = POLLIN;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_TRUE(p.revents & POLLHUP);
	close(s);
}

TEST_HARNESS_MAIN
