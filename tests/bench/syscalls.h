/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's own round trips, timed the same way by every bench that reports
 * them (calls and msg under hafnium, kvm without it), so that the figures
 * of two boots divide. Under -icount shift=0 CNTVCT_EL0 advances one tick
 * per 16 instructions executed.
 */
#ifndef BENCH_SYSCALLS_H
#define BENCH_SYSCALLS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest/hf_util.h"

#define GETPPID_CALLS 100000
#define PIPE_MSGS 2000
#define PIPE_WARMUP 20
#define PIPE_BYTES 16

/* GETPPID_CALLS getppid() calls: prints "getppid calls=N ticks=T". */
static inline void bench_getppid(void)
{
	uint64_t start = cntvct();
	int i;

	for (i = 0; i < GETPPID_CALLS; i++)
		getppid();
	printf("getppid calls=%d ticks=%llu\n", GETPPID_CALLS,
	       (unsigned long long)(cntvct() - start));
}

/*
 * PIPE_MSGS round trips of PIPE_BYTES between this process and a child:
 * write to one pipe, the child reads and writes them back on another, read
 * (checked); after PIPE_WARMUP untimed ones. Prints
 * "pipe_rtt msgs=N ticks=T bytes=B". 0, or -1 on failure.
 */
static inline int bench_pipe(void)
{
	unsigned char msg[PIPE_BYTES] = "round trip 0123", reply[PIPE_BYTES];
	int to[2], from[2], status, i;
	uint64_t start = 0, end;
	pid_t pid;

	if (pipe(to) || pipe(from))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], reply, PIPE_BYTES) == PIPE_BYTES)
			if (write(from[1], reply, PIPE_BYTES) != PIPE_BYTES)
				_exit(1);
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	for (i = -PIPE_WARMUP; i < PIPE_MSGS; i++) {
		if (i == 0)
			start = cntvct();
		if (write(to[1], msg, PIPE_BYTES) != PIPE_BYTES ||
		    read(from[0], reply, PIPE_BYTES) != PIPE_BYTES ||
		    memcmp(msg, reply, PIPE_BYTES)) {
			fprintf(stderr, "pipe round trip %d failed\n", i);
			return -1;
		}
		msg[0]++;
	}
	end = cntvct();
	close(to[1]);
	close(from[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	printf("pipe_rtt msgs=%d ticks=%llu bytes=%d\n", PIPE_MSGS,
	       (unsigned long long)(end - start), PIPE_BYTES);
	return 0;
}

#endif
