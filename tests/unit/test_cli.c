// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vmm/config.h"

static int parse(struct config *cfg, char *err, const char *const *args)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = "pvh-sev";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return config_parse(cfg, argc, argv, err, 256);
}

#define PARSE(...) parse(&cfg, err, (const char *const[]){__VA_ARGS__, NULL})

static void run_with_every_option(void **state)
{
	struct config cfg;
	char err[256];
	assert_int_equal(PARSE("run", "k.elf", "--mem", "512M", "--cmdline", "a b", "--initrd",
			       "i", "--module", "m1", "--module", "m2", "--smp", "4", "--timeout",
			       "2.5", "--debug-exit", "qemu", "-v", "--sev", "emulated", "--strict",
			       "--policy", "0x7", "--cbit", "47", "--report", "r.json"),
			 0);
	assert_int_equal(cfg.cmd, CMD_RUN);
	assert_string_equal(cfg.kernel, "k.elf");
	assert_int_equal(cfg.mem_size, 512ull << 20);
	assert_string_equal(cfg.cmdline, "a b");
	assert_int_equal(cfg.nmodules, 2);
	assert_string_equal(cfg.modules[1], "m2");
	assert_int_equal(cfg.smp, 4);
	assert_true(cfg.timeout > 2.4 && cfg.timeout < 2.6);
	assert_int_equal(cfg.debug_exit, DEBUG_EXIT_QEMU);
	assert_int_equal(cfg.verbose, 1);
	assert_int_equal(cfg.sev, SEV_MODE_EMULATED);
	assert_true(cfg.strict);
	assert_int_equal(cfg.policy, 7);
	assert_int_equal(cfg.cbit, 47);
}

static void defaults(void **state)
{
	struct config cfg;
	char err[256];
	assert_int_equal(PARSE("run", "k.elf"), 0);
	assert_int_equal(cfg.mem_size, 256ull << 20);
	assert_int_equal(cfg.smp, 1);
	assert_int_equal(cfg.sev, SEV_MODE_AUTO);
	assert_int_equal(cfg.policy, 5);
	assert_int_equal(cfg.cbit, 0); /* chosen when the VM exists */
	assert_int_equal(cfg.debug_exit, DEBUG_EXIT_NATIVE);
}

static void measure_takes_an_smp_range(void **state)
{
	struct config cfg;
	char err[256];
	assert_int_equal(PARSE("measure", "k.elf", "--smp", "1-8", "--json"), 0);
	assert_int_equal(cfg.cmd, CMD_MEASURE);
	assert_int_equal(cfg.smp, 1);
	assert_int_equal(cfg.smp_max, 8);
	assert_int_not_equal(PARSE("run", "k.elf", "--smp", "1-8"), 0);
}

static void bad_input_is_named(void **state)
{
	struct config cfg;
	char err[256];
	static const struct {
		const char *args[6];
		const char *msg;
	} cases[] = {
		{{"run", "k", "--mem", "1M"}, "--mem"},
		{{"run", "k", "--mem", "lots"}, "--mem"},
		{{"run", "k", "--mem", "65G"}, "--mem"},
		{{"run", "k", "--smp", "0"}, "--smp"},
		{{"run", "k", "--smp", "256"}, "--smp"},
		{{"run", "k", "--smp", "4x"}, "--smp"},
		{{"run", "k", "--timeout", "-1"}, "--timeout"},
		{{"run", "k", "--timeout", "nan"}, "--timeout"},
		{{"run", "k", "--debug-exit", "xen"}, "--debug-exit"},
		{{"run", "k", "--sev", "snp"}, "--sev"},
		{{"run", "k", "--cbit", "60"}, "--cbit"},
		{{"run", "k", "--bogus"}, "unknown option"},
		{{"run", "k", "--mem"}, "needs a value"},
		{{"run"}, "missing KERNEL"},
		{{"boot", "k"}, "unknown command"},
		{{"run", "k", "extra"}, "unexpected argument"},
		{{"--mem", "4M"}, "missing command"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[8] = {NULL};
		memcpy(argv, cases[i].args, sizeof(cases[i].args));
		err[0] = 0;
		assert_int_not_equal(parse(&cfg, err, argv), 0);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: '%s' does not mention '%s'", i, err, cases[i].msg);
	}
}

static void help_and_version(void **state)
{
	struct config cfg;
	char err[256];
	assert_int_equal(PARSE("--help"), 0);
	assert_int_equal(cfg.cmd, CMD_HELP);
	assert_int_equal(PARSE("--version"), 0);
	assert_int_equal(cfg.cmd, CMD_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_with_every_option),
		cmocka_unit_test(defaults),
		cmocka_unit_test(measure_takes_an_smp_range),
		cmocka_unit_test(bad_input_is_named),
		cmocka_unit_test(help_and_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
