// SPDX-License-Identifier: BSD-3-Clause
/*
 * hfctl's entry point: global options, the command table, usage errors.
 * A new command is a cmd_<name>.c file and one entry in `commands`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hfctl.h"

static const struct hfctl_cmd commands[] = {
	{
		.name = "version",
		.synopsis = "",
		.summary = "versions of hfctl, the driver and the hypervisor",
		.help = "Prints the versions of hfctl, of hafnium.ko's ioctl interface,\n"
			"of FF-A as negotiated with the hypervisor, and of hafnium's own\n"
			"hypercall ABI.\n",
		.run = cmd_version,
	},
	{
		.name = "info",
		.synopsis = "[NAME|ID]",
		.summary = "the hypervisor, or one VM with its crash report",
		.help = "Without an operand, shows the hypervisor's ABI version, its\n"
			"physical CPUs, how many VMs exist and may exist, the most vCPUs a\n"
			"VM may have, the memory available for new VMs and the memory\n"
			"given to VMs.\n"
			"\n"
			"With a VM's name or id, shows that VM: its state, vCPUs, memory,\n"
			"uptime, console size and, once it has ended, why; for a crash,\n"
			"the vCPU, the exception class in words, ESR, FAR and ELR.\n",
		.run = cmd_info,
	},
	{
		.name = "list",
		.synopsis = "[--json]",
		.summary = "the VMs, one per line",
		.help = "Lists every VM, the primary included:\n"
			"ID NAME STATE VCPUS MEMORY UPTIME.\n"
			"\n"
			"Options:\n"
			"  --json   a JSON array instead, one object per VM with the keys\n"
			"           id, name, state, vcpus, memory (in bytes) and\n"
			"           uptime_ns\n",
		.run = cmd_list,
	},
	{
		.name = "create",
		.synopsis = "NAME --image FILE [--mem SIZE] [--vcpus N]",
		.summary = "create a VM from an image, ready to start",
		.help = "Creates the VM NAME (1 to 31 bytes, not a number) with SIZE bytes\n"
			"of the primary's memory, which it no longer has, and N vCPUs, and\n"
			"loads FILE into it: an arm64 Linux Image at its text_offset, its\n"
			"entry there; anything else at the start of the VM's memory, its\n"
			"entry its first byte. The VM exists until it is destroyed.\n"
			"\n"
			"Options:\n"
			"  --image FILE   the image (required)\n"
			"  --mem SIZE     its memory: bytes, or with K, M, G (binary);\n"
			"                 a multiple of 4K, at least 64K (default 16M)\n"
			"  --vcpus N      its vCPUs (default 1)\n",
		.run = cmd_create,
	},
	{
		.name = "start",
		.synopsis = "NAME|ID",
		.summary = "start a created VM",
		.help = "Starts the VM: its vCPU 0 runs from the image's entry, each vCPU\n"
			"on a kernel thread of the primary. A VM runs once.\n",
		.run = cmd_start,
	},
	{
		.name = "stop",
		.synopsis = "NAME|ID",
		.summary = "stop a VM; it stays, with its console",
		.help = "Stops the VM: none of its vCPUs runs again. Its console and\n"
			"state stay until it is destroyed.\n",
		.run = cmd_stop,
	},
	{
		.name = "destroy",
		.synopsis = "NAME|ID",
		.summary = "stop a VM if it runs, and remove it",
		.help = "Stops the VM if it runs and removes it; its memory goes back to\n"
			"the primary, zeroed.\n",
		.run = cmd_destroy,
	},
	{
		.name = "console",
		.synopsis = "[-f | --follow] NAME|ID",
		.summary = "a VM's console output",
		.help = "Prints what the VM has written to its console (the last 64K of\n"
			"it) and exits.\n"
			"\n"
			"Options:\n"
			"  -f, --follow   go on printing as it comes, until the VM ends\n",
		.run = cmd_console,
	},
	{
		.name = "run",
		.synopsis = "NAME --image FILE [--mem SIZE] [--vcpus N] [--rm]",
		.summary = "create and start a VM, follow its console until it ends",
		.help = "Creates NAME as create does, starts it, and prints its console\n"
			"until it ends. Exit status 0 if it powered itself off; 1 if it\n"
			"crashed (the crash report is printed), was stopped or reset\n"
			"itself.\n"
			"\n"
			"Options: those of create, and\n"
			"  --rm   destroy the VM when it has ended\n",
		.run = cmd_run,
	},
	{
		.name = "send",
		.synopsis = "NAME|ID [--port N] [MESSAGE | -]",
		.summary = "send a VM one message",
		.help = "Sends MESSAGE (its bytes, no newline added) or, with - or no\n"
			"MESSAGE, standard input to port N of the VM, through an AF_HF\n"
			"socket: at most 4056 bytes. Waits while the VM has not taken\n"
			"its previous message.\n"
			"\n"
			"Options:\n"
			"  --port N   the VM's port (default 1)\n",
		.run = cmd_send,
	},
	{
		.name = "recv",
		.synopsis = "NAME|ID [--port N] [--timeout S]",
		.summary = "wait for a message from a VM, print it",
		.help = "Waits on port N of the primary for a message from the VM and\n"
			"writes it to standard output as it is (messages from other VMs\n"
			"are ignored). Exit status 1 if none came within the timeout.\n"
			"\n"
			"Options:\n"
			"  --port N      the primary's port (default 1)\n"
			"  --timeout S   give up after S seconds (a fraction allowed;\n"
			"                default: wait indefinitely)\n",
		.run = cmd_recv,
	},
	{
		.name = "ping",
		.synopsis = "NAME|ID [--port N] [-c COUNT]",
		.summary = "round trips to a VM that echoes messages",
		.help = "Sends COUNT messages, one at a time, to port N of the VM and waits\n"
			"up to 2 s for each to come back unchanged (the echo guest does\n"
			"that), printing each round-trip time, then a summary like ping's.\n"
			"Exit status 0 if every message came back.\n"
			"\n"
			"Options:\n"
			"  --port N               the VM's port (default 1)\n"
			"  -c, --count COUNT      messages (default 4)\n",
		.run = cmd_ping,
	},
	{
		.name = "irq",
		.synopsis = "NAME|ID [--vcpu N] INTID",
		.summary = "inject a software interrupt into a VM",
		.help = "Injects interrupt INTID, a software interrupt (16 to 63), into\n"
			"vCPU N of the running VM, and wakes that vCPU or makes it leave\n"
			"its CPU, so that it takes the interrupt at once. The guest sees\n"
			"it once it has enabled that id; one already pending is merged\n"
			"with it, as a GIC does. Prints nothing.\n"
			"\n"
			"Options:\n"
			"  --vcpu N   the vCPU (default 0)\n",
		.run = cmd_irq,
	},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

void hfctl_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hfctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const struct hfctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("hfctl: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see hfctl %s%s--help)\n", cmd ? cmd->name : "",
		cmd ? " " : "");
	return HFCTL_USAGE;
}

/* The option of the table that arg ("--name" or "--name=value") names. */
static const struct option *find_option(const struct option *options,
					const char *arg)
{
	const char *value = strchr(arg, '=');
	size_t len = value ? (size_t)(value - arg - 2) : strlen(arg + 2);
	const struct option *o;

	for (o = options; o->name; o++) {
		if (strlen(o->name) == len && !strncmp(o->name, arg + 2, len))
			return o;
	}
	return NULL;
}

/*
 * Moves the options of argv[1..] before its operands, keeping the order of
 * each, with "--" between them if any operand came after a "--", so that
 * "create NAME --image FILE" parses like "create --image FILE NAME".
 * Returns an option that needs a value but is the last argument, which
 * would otherwise take an operand as its value; NULL if there is none.
 */
static const struct option *permute_options(int argc, char **argv,
					    const struct option *options)
{
	char **opts = calloc(argc + 1, sizeof(*opts));
	char **opnds = calloc(argc + 1, sizeof(*opnds));
	const struct option *missing = NULL;
	int nopts = 0, nopnds = 0, i;
	int dashdash = 0;

	if (!opts || !opnds)
		goto out;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct option *o;

		if (dashdash || arg[0] != '-' || !arg[1]) {
			opnds[nopnds++] = argv[i];
			continue;
		}
		if (!strcmp(arg, "--")) {
			dashdash = 1;
			continue;
		}
		opts[nopts++] = argv[i];
		o = arg[1] == '-' ? find_option(options, arg) : NULL;
		/* "--name value": the value goes with it. */
		if (o && o->has_arg != no_argument && !strchr(arg, '=')) {
			if (i + 1 < argc)
				opts[nopts++] = argv[++i];
			else
				missing = o;
		}
	}
	if (missing)
		goto out;
	for (i = 0; i < nopts; i++)
		argv[1 + i] = opts[i];
	/* The "--" taken out has left room for one. */
	if (dashdash)
		argv[1 + nopts++] = "--";
	for (i = 0; i < nopnds; i++)
		argv[1 + nopts + i] = opnds[i];
out:
	free(opts);
	free(opnds);
	return missing;
}

int cmd_getopt(const struct hfctl_cmd *cmd, int argc, char **argv,
	       const struct option *options)
{
	const struct option *o;
	const char *arg, *value;
	size_t len;

	optarg = NULL;
	if (optind == 1) {
		o = permute_options(argc, argv, options);
		if (o) {
			usage_error(cmd, "option '--%s' needs a value", o->name);
			return '?';
		}
	}
	if (optind >= argc)
		return -1;
	arg = argv[optind];
	if (!strcmp(arg, "--")) {
		optind++;
		return -1;
	}
	/* Options come first; "-" alone is an operand. */
	if (arg[0] != '-' || !arg[1])
		return -1;
	if (arg[1] != '-') {
		/* Short options: "-x" for an option whose val is 'x'. */
		for (o = options; o->name; o++) {
			if (o->has_arg == no_argument && o->val == arg[1] &&
			    !arg[2]) {
				optind++;
				return o->val;
			}
		}
		usage_error(cmd, "unknown option '%s'", arg);
		return '?';
	}

	value = strchr(arg, '=');
	len = value ? (size_t)(value - arg - 2) : strlen(arg + 2);
	for (o = options; o->name; o++) {
		if (strlen(o->name) == len && !strncmp(o->name, arg + 2, len))
			break;
	}
	if (!o->name) {
		usage_error(cmd, "unknown option '%.*s'", (int)len + 2, arg);
		return '?';
	}
	optind++;
	if (o->has_arg == no_argument) {
		if (value) {
			usage_error(cmd, "option '--%s' takes no value",
				    o->name);
			return '?';
		}
		return o->val;
	}
	/* --name=value or --name value. */
	if (value) {
		optarg = (char *)value + 1;
	} else if (optind < argc) {
		optarg = argv[optind++];
	} else {
		usage_error(cmd, "option '--%s' needs a value", o->name);
		return '?';
	}
	return o->val;
}

int cmd_no_operands(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind]);
	return 0;
}

static void print_help(void)
{
	size_t i;

	printf("Usage: hfctl [--help | --version] COMMAND [ARGUMENTS]\n"
	       "\n"
	       "Controls the hafnium hypervisor through " HFCTL_DEVICE ", which\n"
	       "hafnium.ko provides (insmod /lib/hafnium/hafnium.ko); root only.\n"
	       "\n"
	       "Commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n"
	       "hfctl COMMAND --help describes a command.\n"
	       "Exit status: 0 success, 1 error, 2 usage error.\n");
}

static void print_cmd_help(const struct hfctl_cmd *cmd)
{
	printf("Usage: hfctl %s%s%s\n\n%s", cmd->name,
	       cmd->synopsis[0] ? " " : "", cmd->synopsis, cmd->help);
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

static int dispatch(int argc, char **argv)
{
	const struct hfctl_cmd *cmd = NULL;
	size_t i;
	int a;

	if (argc < 2)
		return usage_error(NULL, "no command given");
	if (is_help(argv[1])) {
		print_help();
		return HFCTL_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("hfctl %s\n", HFCTL_VERSION);
		return HFCTL_OK;
	}
	if (argv[1][0] == '-')
		return usage_error(NULL, "unknown option '%s'", argv[1]);

	for (i = 0; i < N_COMMANDS; i++) {
		if (!strcmp(argv[1], commands[i].name))
			cmd = &commands[i];
	}
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", argv[1]);

	/* --help wins over whatever else the command line says. */
	for (a = 2; a < argc && strcmp(argv[a], "--"); a++) {
		if (is_help(argv[a])) {
			print_cmd_help(cmd);
			return HFCTL_OK;
		}
	}
	return cmd->run(cmd, argc - 1, argv + 1);
}

/*
 * What was printed must have reached stdout: `hfctl list --json >/dev/full`
 * exits 1 with one line, like the tools around it, instead of 0 with
 * nothing written.
 */
int main(int argc, char **argv)
{
	int status = dispatch(argc, argv);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "hfctl: cannot write to standard output: %s\n",
			strerror(errno));
		return status == HFCTL_OK ? HFCTL_ERROR : status;
	}
	return status;
}
