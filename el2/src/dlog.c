/* SPDX-License-Identifier: BSD-3-Clause */
/* printf-style formatting for the console and for error messages. Supports
 * %s %c %d %i %u %x %X %p %% with l/ll/z length, width and '0'/'-' flags:
 * what el2 itself uses. */
#include "hf/dlog.h"

#include "hf/plat/console.h"
#include "hf/spinlock.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
	bool console;
};

static struct spinlock console_lock = SPINLOCK_INIT(LOCK_RANK_CONSOLE);

static void put(struct out *o, char c)
{
	if (o->console) {
		if (c == '\n') {
			plat_console_putchar('\r');
		}
		plat_console_putchar(c);
	} else if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t len, int width,
		       bool left, char pad)
{
	size_t i;

	if (!left) {
		for (; width > (int)len; width--) {
			put(o, pad);
		}
	}
	for (i = 0; i < len; i++) {
		put(o, s[i]);
	}
	for (; width > (int)len; width--) {
		put(o, ' ');
	}
}

static size_t format_unsigned(char *tmp, unsigned long long v, unsigned base,
			      bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0;
	size_t i;

	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	for (i = 0; i < n; i++) {
		tmp[i] = rev[n - 1 - i];
	}
	return n;
}

static void format(struct out *o, const char *fmt, va_list args)
{
	for (; *fmt != '\0'; fmt++) {
		char tmp[26];
		bool left = false;
		char pad = ' ';
		int width = 0;
		int longs = 0;
		unsigned long long u;
		long long s;
		size_t n;
		const char *str;

		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-') {
				left = true;
			} else if (*fmt == '0') {
				pad = '0';
			} else {
				break;
			}
		}
		while (*fmt >= '0' && *fmt <= '9') {
			width = width * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l') {
				longs++;
			} else if (*fmt == 'z') {
				longs = 2;
			} else {
				break;
			}
		}
		switch (*fmt) {
		case 's':
			str = va_arg(args, const char *);
			if (str == NULL) {
				str = "(null)";
			}
			put_padded(o, str, strlen(str), width, left, ' ');
			break;
		case 'c':
			tmp[0] = (char)va_arg(args, int);
			put_padded(o, tmp, 1, width, left, ' ');
			break;
		case 'd':
		case 'i':
			s = longs == 0 ? va_arg(args, int)
			    : longs == 1 ? va_arg(args, long)
					 : va_arg(args, long long);
			n = 0;
			if (s < 0) {
				tmp[n++] = '-';
				u = 0ull - (unsigned long long)s;
			} else {
				u = (unsigned long long)s;
			}
			n += format_unsigned(tmp + n, u, 10, false);
			put_padded(o, tmp, n, width, left, pad);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = longs == 0 ? va_arg(args, unsigned int)
			    : longs == 1 ? va_arg(args, unsigned long)
					 : va_arg(args, unsigned long long);
			n = format_unsigned(tmp, u, *fmt == 'u' ? 10 : 16,
					    *fmt == 'X');
			put_padded(o, tmp, n, width, left, pad);
			break;
		case 'p':
			u = (uintptr_t)va_arg(args, void *);
			tmp[0] = '0';
			tmp[1] = 'x';
			n = 2 + format_unsigned(tmp + 2, u, 16, false);
			put_padded(o, tmp, n, width, left, ' ');
			break;
		case '%':
			put(o, '%');
			break;
		default:
			/* Unknown conversion: show it rather than guess. */
			put(o, '%');
			if (*fmt == '\0') {
				return;
			}
			put(o, *fmt);
			break;
		}
	}
}

size_t vsnprint(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { .buf = buf, .size = size, .len = 0, .console = false };

	format(&o, fmt, args);
	if (size > 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return o.len;
}

size_t snprint(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	size_t n;

	va_start(args, fmt);
	n = vsnprint(buf, size, fmt, args);
	va_end(args);
	return n;
}

void vdlog(const char *fmt, va_list args)
{
	struct out o = { .console = true };

	sl_lock(&console_lock);
	format(&o, fmt, args);
	sl_unlock(&console_lock);
}

void dlog(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vdlog(fmt, args);
	va_end(args);
}
