/* SPDX-License-Identifier: BSD-3-Clause */
/* printf over HF_DEBUG_LOG, a line at a time per vCPU (guest/console.h). */
#include "guest/runtime.h"

struct line {
	char buf[CONSOLE_LINE_MAX];
	size_t len;
};

static struct line lines[GUEST_MAX_CPUS];
static struct spinlock console_lock = SPINLOCK_INIT;
/* The vCPU holding console_lock + 1, 0 if none (for console_panic). */
static volatile unsigned int console_owner;

static void line_send(struct line *l)
{
	unsigned int me = cpu_index();

	if (l->len == 0) {
		return;
	}
	spin_lock(&console_lock);
	console_owner = me + 1;
	hf_debug_log(l->buf, l->len);
	console_owner = 0;
	spin_unlock(&console_lock);
	l->len = 0;
}

static struct line *my_line(void)
{
	unsigned int me = cpu_index();

	return &lines[me < GUEST_MAX_CPUS ? me : 0];
}

void console_flush(void)
{
	line_send(my_line());
}

void console_panic(void)
{
	struct line *l = my_line();

	if (console_owner == cpu_index() + 1) {
		console_owner = 0;
		spin_unlock(&console_lock);
	}
	if (l->len > 0 && l->buf[l->len - 1] != '\n') {
		if (l->len == CONSOLE_LINE_MAX) {
			line_send(l);
		}
		l->buf[l->len++] = '\n';
	}
	line_send(l);
}

/* Where formatted characters go. */
struct sink {
	void (*put)(struct sink *s, char c);
	char *buf;   /* vsnprintf */
	size_t size; /* vsnprintf */
	size_t count; /* characters produced */
};

static void put_console(struct sink *s, char c)
{
	struct line *l = my_line();

	(void)s;
	l->buf[l->len++] = c;
	if (c == '\n' || l->len == CONSOLE_LINE_MAX) {
		line_send(l);
	}
}

static void put_buffer(struct sink *s, char c)
{
	if (s->count + 1 < s->size) {
		s->buf[s->count] = c;
	}
}

static void emit(struct sink *s, char c)
{
	s->put(s, c);
	s->count++;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0) {
		emit(s, c);
	}
}

struct spec {
	bool left;  /* '-' */
	bool zero;  /* '0' */
	int width;
	int prec;   /* -1: none */
};

static void emit_str(struct sink *s, const struct spec *sp, const char *str)
{
	size_t n;
	int fill;

	if (str == NULL) {
		str = "(null)";
	}
	n = sp->prec >= 0 ? strnlen(str, (size_t)sp->prec) : strlen(str);
	fill = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left) {
		pad(s, ' ', fill);
	}
	for (size_t i = 0; i < n; i++) {
		emit(s, str[i]);
	}
	if (sp->left) {
		pad(s, ' ', fill);
	}
}

static void emit_num(struct sink *s, const struct spec *sp, uint64_t v,
		     unsigned int base, bool neg, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	int len;
	int fill;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	len = n + (neg ? 1 : 0) + (int)strlen(prefix);
	fill = sp->width > len ? sp->width - len : 0;
	if (!sp->left && !sp->zero) {
		pad(s, ' ', fill);
	}
	if (neg) {
		emit(s, '-');
	}
	while (*prefix != '\0') {
		emit(s, *prefix++);
	}
	if (!sp->left && sp->zero) {
		pad(s, '0', fill);
	}
	while (n > 0) {
		emit(s, tmp[--n]);
	}
	if (sp->left) {
		pad(s, ' ', fill);
	}
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	while (*fmt != '\0') {
		struct spec sp = {false, false, 0, -1};
		int size = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
		char c = *fmt++;
		uint64_t u;

		if (c != '%') {
			emit(s, c);
			continue;
		}
		for (;; fmt++) {
			if (*fmt == '-') {
				sp.left = true;
			} else if (*fmt == '0') {
				sp.zero = true;
			} else {
				break;
			}
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9') {
				sp.width = sp.width * 10 + (*fmt++ - '0');
			}
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9') {
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
				}
			}
		}
		if (*fmt == 'l') {
			size = 1;
			if (*++fmt == 'l') {
				size = 2;
				fmt++;
			}
		} else if (*fmt == 'z') {
			size = 3;
			fmt++;
		}
		c = *fmt;
		if (c == '\0') {
			break;
		}
		fmt++;
		switch (c) {
		case 'c':
			emit(s, (char)va_arg(ap, int));
			break;
		case 's':
			emit_str(s, &sp, va_arg(ap, const char *));
			break;
		case 'd':
		case 'i': {
			int64_t v = size == 0   ? va_arg(ap, int)
				    : size == 1 ? va_arg(ap, long)
				    : size == 2 ? va_arg(ap, long long)
						: (int64_t)va_arg(ap, size_t);

			u = v < 0 ? -(uint64_t)v : (uint64_t)v;
			emit_num(s, &sp, u, 10, v < 0, false, "");
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			u = size == 0	? va_arg(ap, unsigned int)
			    : size == 1 ? va_arg(ap, unsigned long)
			    : size == 2 ? va_arg(ap, unsigned long long)
					: va_arg(ap, size_t);
			emit_num(s, &sp, u, c == 'u' ? 10 : 16, false, c == 'X',
				 "");
			break;
		case 'p':
			emit_num(s, &sp, (uintptr_t)va_arg(ap, void *), 16,
				 false, false, "0x");
			break;
		case '%':
			emit(s, '%');
			break;
		default: /* unknown: shown as is */
			emit(s, '%');
			emit(s, c);
			break;
		}
	}
}

int vprintf(const char *fmt, va_list ap)
{
	struct sink s = {put_console, NULL, 0, 0};

	format(&s, fmt, ap);
	return (int)s.count;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = {put_buffer, buf, size, 0};

	format(&s, fmt, ap);
	if (size > 0) {
		buf[s.count < size ? s.count : size - 1] = '\0';
	}
	return (int)s.count;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
