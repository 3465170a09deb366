// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sev/measure.h"
#include "vmm/config.h"
#include "vmm/measure_cmd.h"

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

/* -Xv: getopt has not moved optind past the cluster yet; the letter itself is named. */
static void unknown_short_option_in_a_cluster(void **state)
{
	struct config cfg;
	char err[256];
	assert_int_not_equal(PARSE("run", "k", "-Xv"), 0);
	assert_string_equal(err, "unknown option '-X' (see --help)");
	assert_int_not_equal(PARSE("run", "k", "-vX"), 0);
	assert_string_equal(err, "unknown option '-X' (see --help)");
	assert_int_not_equal(PARSE("-v", "run", "k", "--bogus"), 0);
	assert_string_equal(err, "unknown option '--bogus' (see --help)");
}

/* A parse that stopped inside a cluster must not leak into the next one (optind = 0 resets
 * glibc's own state; optind = 1 left it pointing into the old argv). */
static void parsing_twice_starts_clean(void **state)
{
	struct config cfg;
	char err[256];
	char cluster[] = "-vXv";
	const char *args1[] = {"run", "k", cluster, NULL};
	assert_int_not_equal(parse(&cfg, err, args1), 0);
	memset(cluster, 'Z', sizeof(cluster) - 1); /* the old argv changes under glibc's feet */
	assert_int_equal(PARSE("run", "k2.elf", "-v"), 0);
	assert_string_equal(cfg.kernel, "k2.elf");
	assert_int_equal(PARSE("run", "k3.elf", "--smp", "2"), 0);
	assert_string_equal(cfg.kernel, "k3.elf");
	assert_int_equal(cfg.smp, 2);
}

/* measure's hex inputs: exactly 2n hex digits, nothing else; refused before any file is read. */
static void measure_hex_is_strict(void **state)
{
	struct config cfg;
	char err[256];
	static const char *const bad[][2] = {
	    {"--tik", "-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1"},
	    {"--tik", " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"},
	    {"--tik", "+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1"},
	    {"--tik", "000102030405060708090a0b0c0d0e0"},
	    {"--tik", "000102030405060708090a0b0c0d0e0f0"},
	    {"--tik", "000102030405060708090a0b0c0d0eXY"},
	    {"--mnonce", "0x0x0102030405060708090a0b0c0d0e"},
	    {"--mnonce", ""},
	    {"--expect-ld", "00"},
	    {"--expect-measure", "g000000000000000000000000000000000000000000000000000000000000000"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(PARSE("measure", "/nonexistent/k.elf", bad[i][0], bad[i][1]), 0);
		if (measure_main(&cfg) != SEV_MEASURE_EXIT_USAGE)
			fail_msg("case %zu: %s '%s' was accepted", i, bad[i][0], bad[i][1]);
	}
	/* Good hex gets past the option check to the missing kernel (an I/O error). */
	assert_int_equal(PARSE("measure", "/nonexistent/k.elf", "--tik",
			       "0x000102030405060708090A0B0C0D0E0F", "--mnonce",
			       "101112131415161718191a1b1c1d1e1f"), 0);
	assert_int_equal(measure_main(&cfg), SEV_MEASURE_EXIT_IO);
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
		cmocka_unit_test(unknown_short_option_in_a_cluster),
		cmocka_unit_test(parsing_twice_starts_clean),
		cmocka_unit_test(measure_hex_is_strict),
		cmocka_unit_test(help_and_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
