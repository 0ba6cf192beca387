/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hfctl: the command line of the hafnium hypervisor (docs/hfctl.md).
 *
 * Every command is one entry of the table in main.c and one file
 * cmd_<name>.c; each maps to ioctls on /dev/hafnium (dev.c). Errors are
 * one line on stderr, "hfctl: <cause>", and an exit status.
 */
#ifndef HFCTL_H
#define HFCTL_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/hafnium.h>

#include "hf/exception_class.h"

#define HFCTL_VERSION "1.0"
#define HFCTL_DEVICE "/dev/hafnium"

/* Exit statuses. */
#define HFCTL_OK 0
#define HFCTL_ERROR 1
#define HFCTL_USAGE 2

struct hfctl_cmd {
	const char *name;
	const char *synopsis;	/* what follows the name in a usage line */
	const char *summary;	/* one line for hfctl --help */
	const char *help;	/* the rest of hfctl CMD --help */
	/* argv[0] is the command's name; returns an exit status. */
	int (*run)(const struct hfctl_cmd *cmd, int argc, char **argv);
};

/* main.c */
void __attribute__((format(printf, 1, 2))) hfctl_error(const char *fmt, ...);
/* Reports a misuse of cmd (NULL: of hfctl itself); returns HFCTL_USAGE. */
int __attribute__((format(printf, 2, 3)))
usage_error(const struct hfctl_cmd *cmd, const char *fmt, ...);
/*
 * Parses a command's long options ("--name", "--name=value", "--name
 * value"; options before operands; "--" ends them), with getopt_long()'s
 * table and globals: returns the next option's val (its value in optarg),
 * -1 when the options end (optind is then the first operand), or '?' after
 * reporting a usage error. Start with optind = 1.
 */
int cmd_getopt(const struct hfctl_cmd *cmd, int argc, char **argv,
	       const struct option *options);
/* For commands without operands: 0, or HFCTL_USAGE if there are some. */
int cmd_no_operands(const struct hfctl_cmd *cmd, int argc, char **argv);

/* dev.c: the device; each function reports its own errors. */
/* Opens /dev/hafnium; a file descriptor or -1. */
int dev_open(void);
/* 0 or -1. */
int dev_version(int fd, struct hf_ioctl_version *version);
int dev_hyp_info(int fd, struct hf_ioctl_hyp_info *info);
/* Fills *ids (malloc'd) and *count with the VMs' ids; 0 or -1. */
int dev_vm_list(int fd, uint32_t **ids, uint32_t *count);
/* 0, 1 if no VM has this id (not reported: VMs may go away), or -1. */
int dev_vm_info(int fd, uint32_t vm_id, struct hf_ioctl_vm_info *info);
/* The same for HF_IOCTL_VM_STATUS. */
int dev_vm_status(int fd, uint32_t vm_id, struct hf_ioctl_vm_status *st);
/*
 * The VM lifecycle ioctls. They do not report: they return 0 or an errno,
 * which the command explains (vm_error()).
 */
int dev_vm_create(int fd, struct hf_ioctl_vm_create *arg);
int dev_vm_load(int fd, uint32_t vm_id, const void *buf, uint64_t len,
		uint64_t offset);
int dev_vm_start(int fd, uint32_t vm_id, uint64_t entry);
int dev_vm_stop(int fd, uint32_t vm_id);
int dev_vm_destroy(int fd, uint32_t vm_id);
int dev_vm_console(int fd, struct hf_ioctl_vm_console *arg);
int dev_vm_irq(int fd, uint32_t vm_id, uint32_t vcpu, uint32_t intid);

/* vm.c: naming VMs, images, creating and following them. */
/*
 * The VM that `arg` names: an id if it is a number and such a VM exists,
 * else a name. Fills st; 0, or -1 after reporting (as "CMD: ...").
 */
int vm_find(int fd, const struct hfctl_cmd *cmd, const char *arg,
	    struct hf_ioctl_vm_status *st);
/* Opens the device and finds the VM `arg` names (vm_find): the device's
 * fd, or -1 after reporting. */
int vm_open(const struct hfctl_cmd *cmd, const char *arg,
	    struct hf_ioctl_vm_status *st);
/* Reports a failed VM ioctl: "hfctl: CMD: VM ID (NAME): CALL: error (hint)". */
void vm_error(const struct hfctl_cmd *cmd, const struct hf_ioctl_vm_status *st,
	      const char *call, int err);
/* A size: digits with an optional K, M, G or T (binary); 0 or -1. */
int parse_size(const char *s, uint64_t *bytes);
/* A count: decimal digits; 0 or -1. */
int parse_uint(const char *s, uint32_t *value);

/* What create and run make. */
struct vm_spec {
	const char *name;
	const char *image;	/* file */
	uint64_t mem;
	const char *mem_arg;	/* mem as given, for messages */
	uint32_t vcpus;
};
/* Creates and loads a VM (destroyed again on failure); 0 or -1 reported. */
int vm_create(int fd, const struct hfctl_cmd *cmd, const struct vm_spec *spec,
	      struct hf_ioctl_vm_status *st);
/*
 * Copies the VM's console to stdout from *offset; with follow, until the VM
 * has ended and all of it is out. 0, 1 if the VM went away, or -1 after
 * reporting.
 */
int vm_console(int fd, const struct hfctl_cmd *cmd, const struct hf_ioctl_vm_status *st,
	       uint64_t *offset, int follow);

/* output.c */
/* "major.minor" of a version encoded major << 16 | minor. */
void format_version(char *buf, size_t size, uint32_t version);
/* A byte count for people: "1020M", "1.5G", "512K", "100B". */
void format_size(char *buf, size_t size, uint64_t bytes);
/* "created", "running", ... or the number of a state hfctl does not know. */
void format_vm_state(char *buf, size_t size, uint32_t state);
/* How long a VM has run: "850ms", "12.3s", "5m02s", "3h05m", "2d03h". */
void format_uptime(char *buf, size_t size, uint64_t ns);
/* "none", "stopped", "poweroff", "reset", "crashed" or a number. */
void format_exit_reason(char *buf, size_t size, uint32_t reason);
/* "vCPU 0: data abort ... (EC 0x24, ESR 0x...), FAR 0x..., ELR 0x...". */
void format_crash(char *buf, size_t size, const struct hf_ioctl_vm_status *st);
/* A VM name for a terminal: control characters become '?'. */
void format_name(char *buf, size_t size, const char *name);
/* s as a JSON string, quotes included. */
void json_string(FILE *f, const char *s);

/* Columns of text, each as wide as its widest cell. */
struct table {
	size_t cols, rows;
	char **cells;		/* rows * cols strings, the header first */
};
/* 0, or -1 (reported) if out of memory. */
int table_init(struct table *t, size_t cols, const char *const *header);
int table_add_row(struct table *t, const char *const *row);
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

/* The commands, in cmd_<name>.c. */
int cmd_version(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_info(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_list(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_create(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_start(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_stop(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_destroy(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_console(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_run(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_send(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_recv(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_ping(const struct hfctl_cmd *cmd, int argc, char **argv);
int cmd_irq(const struct hfctl_cmd *cmd, int argc, char **argv);

#endif /* HFCTL_H */
