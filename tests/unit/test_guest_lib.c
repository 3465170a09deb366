/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the example-guest library's pure parts (printf, CRC-32, command-line parsing),
 * built for the host from the same sources the guests use.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "examples/lib/pvh_guest.h"

/* What the guest library's printf wrote through the console, and in how many pieces. */
static char console_out[2048];
static size_t console_len;
static unsigned console_writes;

void pvh_console_write(const char *buf, size_t len)
{
	assert_true(console_len + len < sizeof(console_out));
	memcpy(console_out + console_len, buf, len);
	console_len += len;
	console_out[console_len] = '\0';
	console_writes++;
}

size_t pvh_strnlen(const char *s, size_t max)
{
	return strnlen(s, max);
}

#define assert_format(want, ...)                                                                   \
	do {                                                                                       \
		char buf_[128];                                                                    \
		int n_ = pvh_snprintf(buf_, sizeof(buf_), __VA_ARGS__);                            \
		assert_string_equal(buf_, want);                                                   \
		assert_int_equal(n_, strlen(want));                                                \
	} while (0)

static void test_printf_conversions(void **state)
{
	const char *volatile null_str = NULL; /* hidden from GCC's own %s-with-NULL warning */

	assert_format("-5 0 2147483647 -2147483648", "%d %i %d %d", -5, 0, INT_MAX, INT_MIN);
	assert_format("4294967295 deadbeef DEADBEEF", "%u %x %X", UINT_MAX, 0xdeadbeefu,
		      0xdeadbeefu);
	assert_format("123456789abcdef0 18446744073709551615", "%llx %llu",
		      0x123456789abcdef0ull, ULLONG_MAX);
	assert_format("-9223372036854775808", "%lld", LLONG_MIN);
	assert_format("42 7 x % s", "%zu %lu %c %% %s", (size_t)42, 7ul, 'x', "s");
	assert_format("0x1000", "%p", (void *)0x1000);
	assert_format("(null)", "%s", null_str);
}

static void test_printf_width(void **state)
{
	assert_format("0000001a", "%08x", 0x1au);
	assert_format("      1a", "%8x", 0x1au);
	assert_format("1a      |", "%-8x|", 0x1au);
	assert_format("-0042", "%05d", -42);
	assert_format("  -42", "%5d", -42);
	assert_format("123456", "%3d", 123456);
	assert_format("   ab|ab   |", "%5s|%-5s|", "ab", "ab");
	assert_format("abc|ab", "%.*s|%.2s", 3, "abcdef", "abcdef");
}

static void test_snprintf_truncates(void **state)
{
	char buf[5] = "xxxx";

	assert_int_equal(pvh_snprintf(buf, sizeof(buf), "hello %s", "world"), 11);
	assert_string_equal(buf, "hell");
	assert_int_equal(pvh_snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_printf_long_output_is_complete(void **state)
{
	char want[1100];
	size_t i;

	for (i = 0; i < 1000; i++)
		want[i] = (char)('a' + i % 26);
	want[i] = '\0';
	console_len = 0;
	console_writes = 0;
	assert_int_equal(pvh_printf("[%s]", want), 1002);
	assert_int_equal(console_len, 1002);
	assert_true(console_writes >= 4); /* the 256-byte buffer was flushed on the way */
	assert_int_equal(console_out[0], '[');
	assert_memory_equal(console_out + 1, want, 1000);
	assert_int_equal(console_out[1001], ']');
}

static void test_crc32(void **state)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	uint32_t crc;

	assert_int_equal(pvh_crc32(0, "", 0), 0);
	assert_int_equal(pvh_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(pvh_crc32(0, fox, strlen(fox)), 0x414fa339u);
	crc = pvh_crc32(0, fox, 10);
	assert_int_equal(pvh_crc32(crc, fox + 10, strlen(fox) - 10), 0x414fa339u);
}

static void test_cmdline_find(void **state)
{
	const char *cl = "  console=debugcon exitx=9 xexit=8 exit=0x1f crc=0 exit=2";
	const char *v;
	size_t len = 0;

	v = pvh_cmdline_find(cl, "exit", &len);
	assert_non_null(v);
	assert_int_equal(len, 4);
	assert_memory_equal(v, "0x1f", 4);
	v = pvh_cmdline_find(cl, "console", &len);
	assert_non_null(v);
	assert_int_equal(len, 8);
	assert_memory_equal(v, "debugcon", 8);
	assert_null(pvh_cmdline_find(cl, "missing", &len));
	assert_null(pvh_cmdline_find(cl, "exi", &len));
	assert_null(pvh_cmdline_find(NULL, "exit", &len));
	assert_null(pvh_cmdline_find("", "exit", &len));
	v = pvh_cmdline_find("exit=", "exit", &len);
	assert_non_null(v);
	assert_int_equal(len, 0);
}

static void test_parse_u32(void **state)
{
	uint32_t v = 0;

	assert_int_equal(pvh_parse_u32("42", 2, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(pvh_parse_u32("0x2A", 4, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(pvh_parse_u32("4294967295", 10, &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(pvh_parse_u32("4294967296", 10, &v), -1);
	assert_int_equal(pvh_parse_u32("0x100000000", 11, &v), -1);
	assert_int_equal(pvh_parse_u32("12a", 3, &v), -1);
	assert_int_equal(pvh_parse_u32("0x", 2, &v), -1);
	assert_int_equal(pvh_parse_u32("", 0, &v), -1);
	assert_int_equal(pvh_parse_u32("7 rest", 1, &v), 0); /* length-bounded, as from find */
	assert_int_equal(v, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_conversions),
		cmocka_unit_test(test_printf_width),
		cmocka_unit_test(test_snprintf_truncates),
		cmocka_unit_test(test_printf_long_output_is_complete),
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_cmdline_find),
		cmocka_unit_test(test_parse_u32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
