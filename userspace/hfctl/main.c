// SPDX-License-Identifier: GPL-2.0
/*
 * hfctl's entry point: global options, the command table, usage errors.
 * A new command is a cmd_<name>.c file and one entry in `commands`.
 */
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
		.synopsis = "",
		.summary = "the hypervisor: CPUs, VMs, memory available for VMs",
		.help = "Shows the hypervisor's ABI version, its physical CPUs, how many\n"
			"VMs exist and may exist, the most vCPUs a VM may have, and the\n"
			"memory available for new VMs.\n",
		.run = cmd_info,
	},
	{
		.name = "list",
		.synopsis = "[--json]",
		.summary = "the VMs, one per line",
		.help = "Lists every VM, the primary included: ID NAME STATE VCPUS MEMORY.\n"
			"\n"
			"Options:\n"
			"  --json   a JSON array instead, one object per VM with the keys\n"
			"           id, name, state, vcpus and memory (in bytes)\n",
		.run = cmd_list,
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

int cmd_getopt(const struct hfctl_cmd *cmd, int argc, char **argv,
	       const struct option *options)
{
	const struct option *o;
	const char *arg, *value;
	size_t len;

	optarg = NULL;
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

int main(int argc, char **argv)
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
