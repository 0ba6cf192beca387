/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the kselftests of hafnium.ko and hfctl: where things are,
 * loading and unloading the driver, running a program as some user.
 */
#ifndef HF_DRIVER_H
#define HF_DRIVER_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hf_util.h"

#define HF_DRIVER "/lib/hafnium/hafnium.ko"
#define HF_DEV "/dev/hafnium"
#define HF_SYSFS "/sys/kernel/hafnium"
#define HF_MODULE_SYSFS "/sys/module/hafnium"
#define HF_DT_COMPATIBLE "/sys/firmware/devicetree/base/hypervisor/compatible"
#define HFCTL "/usr/bin/hfctl"
#define NOBODY 65534

/* Whether the kernel runs under hafnium: its node is in the device tree. */
static inline bool under_hafnium(void)
{
	static const char want[] = "hafnium,hafnium";
	size_t size;
	char *compat = read_all(HF_DT_COMPATIBLE, &size);
	bool found;

	found = compat && size >= sizeof(want) && !memcmp(compat, want,
							   sizeof(want));
	free(compat);
	return found;
}

/* Loads hafnium.ko (already loaded is fine); 0 or -errno. */
static inline int driver_load(void)
{
	return load_module(HF_DRIVER);
}

/* Unloads hafnium.ko (not loaded is fine); 0 or -errno. */
static inline int driver_unload(void)
{
	if (syscall(SYS_delete_module, "hafnium", O_NONBLOCK) &&
	    errno != ENOENT)
		return -errno;
	return 0;
}

static inline bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Drops root for good: the current process becomes nobody. */
static inline int become_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -errno;
	return 0;
}

struct run_result {
	int status;		/* exit status; -1 if it did not exit */
	char out[16384];	/* stdout, NUL-terminated */
	char err[4096];		/* stderr, NUL-terminated */
};

static inline void read_pipe(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
}

/*
 * Runs argv[0] with argv, as nobody if as_nobody, and collects its exit
 * status and output. Outputs are small: reading stdout to its end before
 * stderr cannot block on a full pipe. 0, or -errno if it could not run.
 */
static inline int run(char *const argv[], bool as_nobody,
		      struct run_result *r)
{
	int out[2], err[2], status;
	pid_t pid;

	if (pipe(out) || pipe(err))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		if (as_nobody && become_nobody())
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	read_pipe(out[0], r->out, sizeof(r->out));
	read_pipe(err[0], r->err, sizeof(r->err));
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return 0;
}

/* An hfctl command line (NULL-terminated) and the line it must print. */
struct hfctl_error_case {
	char *argv[8];
	const char *err;
};

/* Runs each case: exit status `status`, nothing on stdout, exactly the
 * case's line on stderr. */
static inline void expect_hfctl_errors(struct __test_metadata *_metadata,
				       const struct hfctl_error_case *cases,
				       size_t count, int status)
{
	struct run_result r;
	size_t i;

	for (i = 0; i < count; i++) {
		ASSERT_EQ(0, run(cases[i].argv, false, &r));
		EXPECT_EQ(status, r.status) TH_LOG("case %zu", i);
		EXPECT_STREQ("", r.out) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].err, r.err) TH_LOG("case %zu", i);
	}
}

/* Skips the case without hafnium; otherwise loads the driver, opens it. */
#define OPEN_DEV(fd)							\
	do {								\
		if (!under_hafnium())					\
			SKIP(return, "not running under hafnium");	\
		ASSERT_EQ(0, driver_load());				\
		fd = open(HF_DEV, O_RDWR);				\
		ASSERT_LE(0, fd)					\
			TH_LOG("open %s: %s", HF_DEV, strerror(errno)); \
	} while (0)

#endif /* HF_DRIVER_H */
