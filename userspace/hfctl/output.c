// SPDX-License-Identifier: BSD-3-Clause
/* Formatting shared by the commands: versions, sizes, states, JSON, tables. */
#include <stdlib.h>
#include <string.h>

#include "hfctl.h"

void format_version(char *buf, size_t size, uint32_t version)
{
	snprintf(buf, size, "%u.%u", HF_VERSION_MAJOR(version),
		 HF_VERSION_MINOR(version));
}

void format_size(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	uint64_t scale = 1;
	size_t u = 0;

	while (bytes / scale >= 1024 && u + 1 < sizeof(units) - 1) {
		scale *= 1024;
		u++;
	}
	/* Exact multiples and large values without decimals: 4K, 1020M. */
	if (bytes % scale == 0 || bytes / scale >= 10)
		snprintf(buf, size, "%llu%c",
			 (unsigned long long)(bytes / scale), units[u]);
	else
		snprintf(buf, size, "%.1f%c", (double)bytes / scale, units[u]);
}

void format_vm_state(char *buf, size_t size, uint32_t state)
{
	static const char *const names[] = {
		[HF_IOCTL_VM_CREATED] = "created",
		[HF_IOCTL_VM_RUNNING] = "running",
		[HF_IOCTL_VM_STOPPED] = "stopped",
		[HF_IOCTL_VM_CRASHED] = "crashed",
	};

	if (state < sizeof(names) / sizeof(names[0]))
		snprintf(buf, size, "%s", names[state]);
	else
		snprintf(buf, size, "%u", state);
}

void format_name(char *buf, size_t size, const char *name)
{
	size_t i;

	snprintf(buf, size, "%s", name);
	/* No control characters on a terminal. */
	for (i = 0; buf[i]; i++) {
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	}
}

/* The length of the well-formed UTF-8 sequence at p (no overlong form, no
 * surrogate, at most U+10FFFF), or 0. */
static size_t utf8_sequence(const unsigned char *p)
{
	unsigned int cp;
	size_t len;
	size_t i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * JSON text is UTF-8: a name's UTF-8 characters are written as they are,
 * so that the name read back is the one given (`hfctl destroy "$name"`).
 * Control characters are escaped; a byte that is not part of well-formed
 * UTF-8 (names are bytes) becomes U+FFFD, as any UTF-8 decoder would
 * read it.
 */
void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	fputc('"', f);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((len = utf8_sequence(p)) != 0) {
			fwrite(p, 1, len, f);
			p += len;
		} else {
			fputs("\\ufffd", f);
			p++;
		}
	}
	fputc('"', f);
}

int table_init(struct table *t, size_t cols, const char *const *header)
{
	t->cols = cols;
	t->rows = 0;
	t->cells = NULL;
	return table_add_row(t, header);
}

int table_add_row(struct table *t, const char *const *row)
{
	char **cells;
	size_t c;

	cells = realloc(t->cells, (t->rows + 1) * t->cols * sizeof(*cells));
	if (!cells)
		goto oom;
	t->cells = cells;
	cells += t->rows * t->cols;
	for (c = 0; c < t->cols; c++) {
		cells[c] = strdup(row[c]);
		if (!cells[c]) {
			while (c--)
				free(cells[c]);
			goto oom;
		}
	}
	t->rows++;
	return 0;
oom:
	hfctl_error("out of memory");
	return -1;
}

void table_print(const struct table *t, FILE *f)
{
	size_t r, c, width[t->cols];

	for (c = 0; c < t->cols; c++) {
		width[c] = 0;
		for (r = 0; r < t->rows; r++) {
			size_t len = strlen(t->cells[r * t->cols + c]);

			if (len > width[c])
				width[c] = len;
		}
	}
	for (r = 0; r < t->rows; r++) {
		for (c = 0; c < t->cols; c++) {
			const char *cell = t->cells[r * t->cols + c];

			/* Two spaces between columns, none after the last. */
			if (c + 1 < t->cols)
				fprintf(f, "%-*s  ", (int)width[c], cell);
			else
				fprintf(f, "%s\n", cell);
		}
	}
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->rows * t->cols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->rows = 0;
}

void format_uptime(char *buf, size_t size, uint64_t ns)
{
	uint64_t ms = ns / 1000000, s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, size, "%llums", (unsigned long long)ms);
	else if (s < 60)
		snprintf(buf, size, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ms % 1000 / 100));
	else if (s < 3600)
		snprintf(buf, size, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, size, "%lluh%02llum",
			 (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
	else
		snprintf(buf, size, "%llud%02lluh",
			 (unsigned long long)(s / 86400),
			 (unsigned long long)(s % 86400 / 3600));
}

void format_exit_reason(char *buf, size_t size, uint32_t reason)
{
	static const char *const names[] = {
		[HF_IOCTL_EXIT_NONE] = "none",
		[HF_IOCTL_EXIT_STOPPED] = "stopped",
		[HF_IOCTL_EXIT_POWEROFF] = "poweroff",
		[HF_IOCTL_EXIT_RESET] = "reset",
		[HF_IOCTL_EXIT_CRASHED] = "crashed",
	};

	if (reason < sizeof(names) / sizeof(names[0]))
		snprintf(buf, size, "%s", names[reason]);
	else
		snprintf(buf, size, "%u", reason);
}

void format_crash(char *buf, size_t size, const struct hf_ioctl_vm_status *st)
{
	snprintf(buf, size,
		 "vCPU %u: %s (EC 0x%02llx, ESR 0x%llx), FAR 0x%llx, ELR 0x%llx",
		 st->exit_vcpu, hf_exception_class(st->exit_esr),
		 (unsigned long long)(st->exit_esr >> 26 & 0x3f),
		 (unsigned long long)st->exit_esr,
		 (unsigned long long)st->exit_far,
		 (unsigned long long)st->exit_elr);
}
