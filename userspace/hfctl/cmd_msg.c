// SPDX-License-Identifier: BSD-3-Clause
/*
 * hfctl send, recv and ping: messages to and from a VM through an AF_HF
 * socket (docs/driver.md, "Sockets").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "hfctl.h"

#define HFCTL_DEFAULT_PORT 1
#define PING_DEFAULT_COUNT 4
/* How long ping waits for each answer. */
#define PING_TIMEOUT_S 2

static int parse_port(const struct hfctl_cmd *cmd, const char *arg,
		      uint32_t *port)
{
	if (parse_uint(arg, port))
		return usage_error(cmd, "bad port '%s'", arg);
	return 0;
}

/* Seconds, maybe with a fraction: 0 or HFCTL_USAGE. */
static int parse_seconds(const struct hfctl_cmd *cmd, const char *arg,
			 struct timeval *tv)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(arg, &end);
	if (!*arg || *end || errno || !(s > 0) || s > 1e6)
		return usage_error(cmd, "bad timeout '%s' (seconds, more than 0)",
				   arg);
	tv->tv_sec = (time_t)s;
	tv->tv_usec = (suseconds_t)((s - (double)tv->tv_sec) * 1e6);
	if (!tv->tv_sec && !tv->tv_usec)
		tv->tv_usec = 1;
	return 0;
}

_Static_assert(HF_MSG_PAYLOAD_MAX == 4056, "msg_hint() says 4056");

/* A hint for an errno of the socket calls. */
static const char *msg_hint(int err)
{
	switch (err) {
	case EHOSTUNREACH:
		return " (no such VM)";
	case ECONNREFUSED:
		return " (the VM has no mailbox: it does not take messages)";
	case EMSGSIZE:
		return " (a message has at most 4056 bytes)";
	case EAFNOSUPPORT:
		return " (is hafnium.ko loaded?)";
	case ECONNRESET:
		return " (the VM was destroyed)";
	default:
		return "";
	}
}

static void msg_error(const struct hfctl_cmd *cmd,
		      const struct hf_ioctl_vm_status *st, const char *call,
		      int err)
{
	char name[HF_IOCTL_VM_NAME_SIZE];

	format_name(name, sizeof(name), st->name);
	hfctl_error("%s: VM %u (%s): %s: %s%s", cmd->name, st->vm_id, name,
		    call, strerror(err), msg_hint(err));
}

/* The VM's status and an AF_HF socket bound to port (0: any); fd or -1. */
static int msg_open(const struct hfctl_cmd *cmd, const char *vm,
		    uint32_t port, struct hf_ioctl_vm_status *st)
{
	struct sockaddr_hf addr = { .family = AF_HF, .port = port };
	int fd, sock;

	fd = vm_open(cmd, vm, st);
	if (fd < 0)
		return -1;
	close(fd);
	sock = socket(AF_HF, SOCK_DGRAM, 0);
	if (sock < 0) {
		msg_error(cmd, st, "socket", errno);
		return -1;
	}
	if (port && bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = errno;

		hfctl_error("%s: bind to port %u: %s%s", cmd->name, port,
			    strerror(err),
			    err == EADDRINUSE ? " (another socket has it)" : "");
		close(sock);
		return -1;
	}
	return sock;
}

int cmd_send(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		{ "port", required_argument, NULL, 'p' },
		{ 0 }
	};
	static char buf[HF_MSG_PAYLOAD_MAX + 1];
	uint32_t port = HFCTL_DEFAULT_PORT;
	struct hf_ioctl_vm_status st;
	struct sockaddr_hf to = { .family = AF_HF };
	const char *msg = NULL;
	size_t len = 0;
	int opt, sock;
	ssize_t n;

	while ((opt = cmd_getopt(cmd, argc, argv, options)) != -1) {
		if (opt != 'p' || parse_port(cmd, optarg, &port))
			return HFCTL_USAGE;
	}
	if (optind >= argc)
		return usage_error(cmd, "no VM given");
	if (optind + 2 < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + 2]);
	if (optind + 1 < argc && strcmp(argv[optind + 1], "-"))
		msg = argv[optind + 1];

	if (msg) {
		len = strlen(msg);
		if (len > HF_MSG_PAYLOAD_MAX) {
			hfctl_error("%s: the message has %zu bytes: %s%s",
				    cmd->name, len, strerror(EMSGSIZE),
				    msg_hint(EMSGSIZE));
			return HFCTL_ERROR;
		}
	} else {
		/* The message is standard input, up to its end. */
		while ((n = read(0, buf + len, sizeof(buf) - len)) > 0) {
			len += n;
			if (len == sizeof(buf))
				break;
		}
		if (n < 0) {
			hfctl_error("%s: standard input: %s", cmd->name,
				    strerror(errno));
			return HFCTL_ERROR;
		}
		if (len > HF_MSG_PAYLOAD_MAX) {
			hfctl_error("%s: standard input: %s%s", cmd->name,
				    strerror(EMSGSIZE), msg_hint(EMSGSIZE));
			return HFCTL_ERROR;
		}
		msg = buf;
	}

	sock = msg_open(cmd, argv[optind], 0, &st);
	if (sock < 0)
		return HFCTL_ERROR;
	to.vm_id = st.vm_id;
	to.port = port;
	if (sendto(sock, msg, len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0) {
		msg_error(cmd, &st, "sendto", errno);
		close(sock);
		return HFCTL_ERROR;
	}
	close(sock);
	return HFCTL_OK;
}

int cmd_recv(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ 0 }
	};
	static char buf[HF_MSG_PAYLOAD_MAX];
	uint32_t port = HFCTL_DEFAULT_PORT;
	struct hf_ioctl_vm_status st;
	struct timeval tv = { 0 };
	struct sockaddr_hf from;
	socklen_t fromlen;
	int opt, sock;
	ssize_t n;

	while ((opt = cmd_getopt(cmd, argc, argv, options)) != -1) {
		if (opt == 'p') {
			if (parse_port(cmd, optarg, &port))
				return HFCTL_USAGE;
		} else if (opt == 't') {
			if (parse_seconds(cmd, optarg, &tv))
				return HFCTL_USAGE;
		} else {
			return HFCTL_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "no VM given");
	if (optind + 1 < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + 1]);
	if (!port)
		return usage_error(cmd, "port 0 cannot receive");

	sock = msg_open(cmd, argv[optind], port, &st);
	if (sock < 0)
		return HFCTL_ERROR;
	if ((tv.tv_sec || tv.tv_usec) &&
	    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		msg_error(cmd, &st, "setsockopt", errno);
		close(sock);
		return HFCTL_ERROR;
	}
	/* The first message from that VM; others are ignored. */
	do {
		fromlen = sizeof(from);
		n = recvfrom(sock, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fromlen);
	} while (n >= 0 && from.vm_id != st.vm_id);
	if (n < 0) {
		int err = errno;

		if (err == EAGAIN || err == EWOULDBLOCK)
			hfctl_error("%s: VM %u: nothing on port %u within the timeout",
				    cmd->name, st.vm_id, port);
		else
			msg_error(cmd, &st, "recvfrom", err);
		close(sock);
		return HFCTL_ERROR;
	}
	close(sock);
	if (fwrite(buf, 1, n, stdout) != (size_t)n || fflush(stdout)) {
		hfctl_error("%s: standard output: %s", cmd->name,
			    strerror(errno));
		return HFCTL_ERROR;
	}
	return HFCTL_OK;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int cmd_ping(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ 0 }
	};
	struct timeval tv = { .tv_sec = PING_TIMEOUT_S };
	uint32_t port = HFCTL_DEFAULT_PORT, count = PING_DEFAULT_COUNT;
	double min = 0, max = 0, sum = 0, start, t0, rtt;
	uint32_t seq, received = 0;
	struct hf_ioctl_vm_status st;
	struct sockaddr_hf to = { .family = AF_HF };
	char name[HF_IOCTL_VM_NAME_SIZE];
	char out[64], in[HF_MSG_PAYLOAD_MAX];
	int i, opt, sock, len;
	ssize_t n;

	/* "-c N" is "--count N". */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-c"))
			argv[i] = "--count";
	}
	while ((opt = cmd_getopt(cmd, argc, argv, options)) != -1) {
		if (opt == 'p') {
			if (parse_port(cmd, optarg, &port))
				return HFCTL_USAGE;
		} else if (opt == 'c') {
			if (parse_uint(optarg, &count) || !count)
				return usage_error(cmd, "bad count '%s'",
						   optarg);
		} else {
			return HFCTL_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "no VM given");
	if (optind + 1 < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + 1]);

	sock = msg_open(cmd, argv[optind], 0, &st);
	if (sock < 0)
		return HFCTL_ERROR;
	format_name(name, sizeof(name), st.name);
	to.vm_id = st.vm_id;
	to.port = port;
	if (connect(sock, (struct sockaddr *)&to, sizeof(to)) ||
	    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		msg_error(cmd, &st, "connect", errno);
		close(sock);
		return HFCTL_ERROR;
	}
	printf("PING VM %u (%s) port %u\n", st.vm_id, name, port);
	start = now_ms();
	for (seq = 0; seq < count; seq++) {
		len = snprintf(out, sizeof(out), "hfctl ping %u %u", getpid(),
			       seq);
		t0 = now_ms();
		if (send(sock, out, len, 0) < 0) {
			msg_error(cmd, &st, "send", errno);
			close(sock);
			return HFCTL_ERROR;
		}
		/* Its answer: the same bytes; older answers are skipped. */
		do {
			n = recv(sock, in, sizeof(in), 0);
		} while (n >= 0 && (n != len || memcmp(in, out, len)));
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				msg_error(cmd, &st, "recv", errno);
				close(sock);
				return HFCTL_ERROR;
			}
			printf("no answer from VM %u: seq=%u (timeout %d s)\n",
			       st.vm_id, seq, PING_TIMEOUT_S);
			continue;
		}
		rtt = now_ms() - t0;
		printf("%zd bytes from VM %u (%s) port %u: seq=%u time=%.3f ms\n",
		       n, st.vm_id, name, port, seq, rtt);
		fflush(stdout);
		if (!received || rtt < min)
			min = rtt;
		if (!received || rtt > max)
			max = rtt;
		sum += rtt;
		received++;
	}
	close(sock);
	printf("\n--- VM %u (%s) ping statistics ---\n", st.vm_id, name);
	printf("%u messages sent, %u received, %u%% loss, time %.0f ms\n",
	       count, received, (count - received) * 100 / count,
	       now_ms() - start);
	if (received)
		printf("rtt min/avg/max = %.3f/%.3f/%.3f ms\n", min,
		       sum / received, max);
	return received == count ? HFCTL_OK : HFCTL_ERROR;
}
