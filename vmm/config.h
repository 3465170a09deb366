/* SPDX-License-Identifier: MIT */
/* Everything the command line says, in one struct passed explicitly (no globals). */
#ifndef PVH_CONFIG_H
#define PVH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_MODULES 64
#define CONFIG_MAX_VCPUS 255

enum config_cmd { CMD_RUN, CMD_MEASURE, CMD_CHECK, CMD_HELP, CMD_VERSION };
enum debug_exit_mode { DEBUG_EXIT_NATIVE, DEBUG_EXIT_QEMU };
enum sev_mode { SEV_MODE_AUTO, SEV_MODE_ES, SEV_MODE_EMULATED, SEV_MODE_OFF };
enum cfg_sev_init { CFG_SEV_INIT_AUTO, CFG_SEV_INIT_INIT2, CFG_SEV_INIT_LEGACY };

struct config {
	enum config_cmd cmd;
	const char *kernel;
	uint64_t mem_size;
	const char *cmdline;
	const char *initrd;
	const char *modules[CONFIG_MAX_MODULES];
	size_t nmodules;
	unsigned smp;
	unsigned smp_max; /* measure --smp A-B: A in smp, B here */
	double timeout;   /* seconds, 0 = none */
	enum debug_exit_mode debug_exit;
	int verbose;
	bool dump_layout;

	enum sev_mode sev;
	enum cfg_sev_init sev_init;
	bool strict;
	uint32_t policy;
	unsigned cbit;
	uint64_t sev_features;
	/* measure: the host the digest is predicted for (sev/host_profile.h); 0.0 = unknown */
	unsigned host_kernel_major, host_kernel_minor;
	int host_debug_swap; /* enum sev_param: -1 absent (default), 0 N, 1 Y */
	const char *dh_cert;
	const char *session;
	const char *secret;
	uint64_t secret_gpa;
	bool have_secret_gpa;
	const char *expect_ld;
	const char *expect_measure;
	const char *report;
	const char *user; /* --user: drop to this user after the launch */
	bool sandbox;     /* --sandbox on|off: the seccomp filters of the run (default on) */
	const char *dump_launch;
	const char *dump_vmsa;

	/* measure */
	bool json;
	bool explain;
	bool base64;
	const char *tik_hex;
	const char *mnonce_hex;
	unsigned api_major, api_minor, build;
};

/*
 * Parses argv into cfg. Returns 0, or -EINVAL after writing a one-line reason into err.
 * Help and version set cfg->cmd and return 0.
 */
int config_parse(struct config *cfg, int argc, char **argv, char *err, size_t errlen);

void config_print_help(const char *prog);

const char *sev_mode_name(enum sev_mode m);

/*
 * The i-th long option of the table config_parse uses (NULL past the end), and whether it takes a
 * value: the one list that tests hold --help, the man page and the shell completions against.
 */
const char *config_option_name(size_t i, bool *takes_value);

#endif
