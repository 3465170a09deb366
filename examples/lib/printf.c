/* SPDX-License-Identifier: MIT */
/*
 * A small printf: %s %c %d %i %u %x %X %p %%, flags '0' and '-', width, precision for %s,
 * length modifiers l, ll, z. No floating point (the guests have no FPU/SSE code at all).
 */
#include "pvh_guest.h"

#define PRINTF_BUF 256

/* Output goes to a buffer; when flush is set a full buffer is flushed, else the rest is cut. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t pos;
	size_t total;
	void (*flush)(const char *buf, size_t len);
};

struct fmt_spec {
	int left;      /* '-' */
	int zero;      /* '0' */
	size_t width;
	size_t prec;   /* %s only; SIZE_MAX when absent */
	int lmod;      /* 0 int, 1 long, 2 long long, 3 size_t */
};

static void out_char(struct fmt_out *o, char c)
{
	o->total++;
	if (o->pos + 1 >= o->size) {
		if (!o->flush)
			return;
		o->flush(o->buf, o->pos);
		o->pos = 0;
	}
	o->buf[o->pos++] = c;
}

static void out_repeat(struct fmt_out *o, char c, size_t n)
{
	while (n--)
		out_char(o, c);
}

static void out_padded(struct fmt_out *o, const struct fmt_spec *sp, const char *s, size_t len)
{
	size_t pad = sp->width > len ? sp->width - len : 0;

	if (!sp->left)
		out_repeat(o, ' ', pad);
	while (len--)
		out_char(o, *s++);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static void out_number(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v, unsigned base,
		       int negative, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0, len, pad;

	do {
		/* base is 10 or 16: GCC turns both into multiplies or shifts, no libgcc call */
		uint64_t q = base == 16 ? v >> 4 : v / 10;

		tmp[n++] = digits[v - q * base];
		v = q;
	} while (v);
	len = n + (negative ? 1 : 0);
	pad = sp->width > len ? sp->width - len : 0;
	if (!sp->left && !sp->zero)
		out_repeat(o, ' ', pad);
	if (negative)
		out_char(o, '-');
	if (!sp->left && sp->zero)
		out_repeat(o, '0', pad);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static const char *parse_spec(const char *f, struct fmt_spec *sp, va_list *ap)
{
	*sp = (struct fmt_spec){.prec = SIZE_MAX};
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (size_t)(*f - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			int p = va_arg(*ap, int);

			sp->prec = p < 0 ? 0 : (size_t)p;
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (size_t)(*f - '0');
	}
	if (*f == 'z') {
		sp->lmod = 3;
		f++;
	}
	for (; *f == 'l' && sp->lmod < 2; f++)
		sp->lmod++;
	return f;
}

static uint64_t fetch_unsigned(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->lmod) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->lmod) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static void format_one(struct fmt_out *o, char conv, struct fmt_spec *sp, va_list *ap)
{
	const char *s;
	int64_t sv;
	char c;

	switch (conv) {
	case 'd':
	case 'i':
		sv = fetch_signed(sp, ap);
		out_number(o, sp, sv < 0 ? 0 - (uint64_t)sv : (uint64_t)sv, 10, sv < 0, 0);
		break;
	case 'u':
		out_number(o, sp, fetch_unsigned(sp, ap), 10, 0, 0);
		break;
	case 'x':
	case 'X':
		out_number(o, sp, fetch_unsigned(sp, ap), 16, 0, conv == 'X');
		break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		out_number(o, sp, (uintptr_t)va_arg(*ap, void *), 16, 0, 0);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		out_padded(o, sp, s, pvh_strnlen(s, sp->prec));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		out_padded(o, sp, &c, 1);
		break;
	default: /* '%' and anything unknown is printed as it stands */
		out_char(o, conv);
		break;
	}
}

static void format(struct fmt_out *o, const char *fmt, va_list ap_in)
{
	struct fmt_spec sp;
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &ap);
		if (!*fmt)
			break;
		format_one(o, *fmt++, &sp, &ap);
	}
	va_end(ap);
}

int pvh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {.buf = buf, .size = size};

	format(&o, fmt, ap);
	if (size)
		buf[o.pos] = '\0';
	return (int)o.total;
}

int pvh_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pvh_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int pvh_printf(const char *fmt, ...)
{
	char buf[PRINTF_BUF];
	struct fmt_out o = {.buf = buf, .size = sizeof(buf), .flush = pvh_console_write};
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	pvh_console_write(buf, o.pos);
	return (int)o.total;
}
