/* SPDX-License-Identifier: MIT */
/* Command-line parsing for guests: "key=value" words and numbers. No I/O: host unit-tested. */
#include "pvh_guest.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

const char *pvh_cmdline_find(const char *cmdline, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (p && *p) {
		const char *word;
		size_t wlen = 0;

		while (is_space(*p))
			p++;
		word = p;
		while (p[0] && !is_space(p[0])) {
			p++;
			wlen++;
		}
		if (wlen > klen && word[klen] == '=' && memcmp(word, key, klen) == 0) {
			*len = wlen - klen - 1;
			return word + klen + 1;
		}
	}
	return NULL;
}

static int digit_value(char c, unsigned base)
{
	unsigned v;

	if (c >= '0' && c <= '9')
		v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

int pvh_parse_u32(const char *s, size_t len, uint32_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return -1;
	for (; len; s++, len--) {
		int d = digit_value(*s, base);

		if (d < 0)
			return -1;
		v = v * base + (unsigned)d;
		if (v > 0xffffffffu)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}
