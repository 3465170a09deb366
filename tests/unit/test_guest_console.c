/* SPDX-License-Identifier: MIT */
/*
 * Unit test of the example-guest console's writer selection (examples/lib/console.c), on the
 * host: only the custom-writer path runs here, the port paths need a VM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "examples/lib/pvh_guest.h"

static char got[64];
static size_t got_len;

static void capture(const char *buf, size_t len)
{
	assert_true(got_len + len < sizeof(got));
	memcpy(got + got_len, buf, len);
	got_len += len;
}

static void test_custom_writer(void **state)
{
	assert_int_equal(pvh_console_current(), PVH_CONSOLE_COM1);
	pvh_console_set_writer(capture);
	assert_int_equal(pvh_console_current(), PVH_CONSOLE_CUSTOM);
	pvh_puts("ab");
	pvh_putc('c');
	pvh_console_write("de", 2);
	assert_int_equal(got_len, 5);
	assert_memory_equal(got, "abcde", 5);
	pvh_console_set_writer(NULL);
	assert_int_equal(pvh_console_current(), PVH_CONSOLE_COM1);
	pvh_console_select(PVH_CONSOLE_DEBUGCON);
	assert_int_equal(pvh_console_current(), PVH_CONSOLE_DEBUGCON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_custom_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
