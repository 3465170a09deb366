// SPDX-License-Identifier: MIT
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/guest_mem.h"
#include "vmm/config.h"

enum opt_id {
	OPT_MEM = 256, OPT_CMDLINE, OPT_INITRD, OPT_MODULE, OPT_SMP, OPT_TIMEOUT, OPT_DEBUG_EXIT,
	OPT_DUMP_LAYOUT, OPT_SEV, OPT_SEV_INIT, OPT_STRICT, OPT_POLICY, OPT_CBIT, OPT_SEV_FEATURES,
	OPT_DH_CERT, OPT_SESSION, OPT_SECRET, OPT_REPORT, OPT_DUMP_LAUNCH, OPT_DUMP_VMSA, OPT_JSON,
	OPT_EXPLAIN, OPT_OUTPUT_FORMAT, OPT_TIK, OPT_MNONCE, OPT_API, OPT_BUILD, OPT_SECRET_GPA,
	OPT_EXPECT_LD, OPT_EXPECT_MEASURE, OPT_USER, OPT_HOST_KERNEL, OPT_HOST_DEBUG_SWAP,
	OPT_SANDBOX,
};

static const struct option long_opts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"verbose", no_argument, NULL, 'v'},
	{"mem", required_argument, NULL, OPT_MEM},
	{"cmdline", required_argument, NULL, OPT_CMDLINE},
	{"initrd", required_argument, NULL, OPT_INITRD},
	{"module", required_argument, NULL, OPT_MODULE},
	{"smp", required_argument, NULL, OPT_SMP},
	{"vcpus", required_argument, NULL, OPT_SMP}, /* sev-snp-measure's name for it */
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"debug-exit", required_argument, NULL, OPT_DEBUG_EXIT},
	{"dump-layout", no_argument, NULL, OPT_DUMP_LAYOUT},
	{"sev", required_argument, NULL, OPT_SEV},
	{"sev-init", required_argument, NULL, OPT_SEV_INIT},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"cbit", required_argument, NULL, OPT_CBIT},
	{"sev-features", required_argument, NULL, OPT_SEV_FEATURES},
	{"dh-cert", required_argument, NULL, OPT_DH_CERT},
	{"session", required_argument, NULL, OPT_SESSION},
	{"secret", required_argument, NULL, OPT_SECRET},
	{"secret-gpa", required_argument, NULL, OPT_SECRET_GPA},
	{"expect-ld", required_argument, NULL, OPT_EXPECT_LD},
	{"expect-measure", required_argument, NULL, OPT_EXPECT_MEASURE},
	{"report", required_argument, NULL, OPT_REPORT},
	{"user", required_argument, NULL, OPT_USER},
	{"sandbox", required_argument, NULL, OPT_SANDBOX},
	{"dump-launch", required_argument, NULL, OPT_DUMP_LAUNCH},
	{"dump-vmsa", required_argument, NULL, OPT_DUMP_VMSA},
	{"json", no_argument, NULL, OPT_JSON},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"output-format", required_argument, NULL, OPT_OUTPUT_FORMAT},
	{"tik", required_argument, NULL, OPT_TIK},
	{"mnonce", required_argument, NULL, OPT_MNONCE},
	{"api", required_argument, NULL, OPT_API},
	{"build", required_argument, NULL, OPT_BUILD},
	{"host-kernel", required_argument, NULL, OPT_HOST_KERNEL},
	{"host-debug-swap", required_argument, NULL, OPT_HOST_DEBUG_SWAP},
	{NULL, 0, NULL, 0},
};

const char *sev_mode_name(enum sev_mode m)
{
	static const char *const names[] = {"auto", "es", "emulated", "off"};
	return names[m];
}

void config_print_help(const char *prog)
{
	printf("Usage: %s run KERNEL [options]     boot a PVH ELF kernel\n"
	       "       %s measure KERNEL [options] predict the SEV-ES launch digest offline\n"
	       "       %s check [--json]           can this host run SEV-ES guests? what to do\n"
	       "       %s --help | --version\n\n"
	       "Boot options (run and measure):\n"
	       "  --mem SIZE            guest RAM, e.g. 256M, 2G (default 256M; 2M..64G)\n"
	       "  --cmdline STRING      kernel command line (at most 4095 bytes)\n"
	       "  --initrd FILE         initial ramdisk, module 0\n"
	       "  --module FILE         further module (repeatable, in order)\n"
	       "  --smp N, --vcpus N    vCPUs, 1..255 (measure: N or A-B)\n"
	       "  --sev MODE            auto|es|emulated|off (default auto)\n"
	       "  --sev-init PATH       init2|legacy (default: init2 where KVM has it)\n"
	       "  --policy P            SEV guest policy (default 0x5 = NODBG|ES)\n"
	       "  --cbit N              emulated C-bit position, 32..51 (default 38)\n"
	       "  --sev-features MASK   VMSA sev_features the model assumes (default 0)\n"
	       "  --dump-layout         print the guest memory regions and memory map, and exit\n"
	       "  --dump-launch DIR     write every measured blob in order to DIR\n"
	       "  --dump-vmsa DIR       write each vCPU's VMSA page to DIR (SEV-ES modes)\n\n"
	       "Run options:\n"
	       "  --timeout SECS        end the run after SECS seconds (status 124)\n"
	       "  --debug-exit MODE     native|qemu encoding of the 0xf4 exit port\n"
	       "  --strict              emulated mode: end where hardware would raise #VC\n"
	       "  --report FILE         write the launch report as JSON (- for stdout, after\n"
	       "                        the guest's output)\n"
	       "  --user NAME           started as root: run the guest as user NAME\n"
	       "  --sandbox on|off      the seccomp filter of the run (default on)\n"
	       "  --dh-cert F --session F   LAUNCH_START blobs from the guest owner\n"
	       "  --secret F --secret-gpa A   LAUNCH_SECRET packet (52-byte header + secret) for A\n"
	       "  -v, --verbose         log VMM events to stderr (repeat for more)\n\n"
	       "Measure options:\n"
	       "  --json --explain --output-format hex|base64\n"
	       "  --tik HEX --mnonce HEX --api MAJ.MIN --build B   also compute MEASURE\n"
	       "  --expect-ld HEX --expect-measure HEX   exit 1 unless they match\n"
	       "  --host-kernel X.Y --host-debug-swap y|n|absent   the host a legacy-init digest\n"
	       "                        is predicted for (KVM's own sev_features, docs/sev.md)\n\n"
	       "Exit status of run: the guest's debug-exit value, or 119 would-#VC (--strict),\n"
	       "120 emulation failure, 121 guest termination request, 122 reboot, 123 shutdown or\n"
	       "triple fault, 124 timeout, 125 VMM error or bad input, 126 a system call the\n"
	       "sandbox forbids. See docs/usage.md.\n",
	       prog, prog, prog, prog);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_smp(struct config *cfg, const char *s)
{
	uint64_t a, b;
	char buf[32];
	const char *dash = strchr(s, '-');
	if (dash && dash != s && (size_t)(dash - s) < sizeof(buf)) {
		memcpy(buf, s, dash - s);
		buf[dash - s] = 0;
		if (parse_u64(buf, CONFIG_MAX_VCPUS, &a) || parse_u64(dash + 1, CONFIG_MAX_VCPUS, &b))
			return -EINVAL;
	} else {
		if (parse_u64(s, CONFIG_MAX_VCPUS, &a))
			return -EINVAL;
		b = a;
	}
	if (a < 1 || b < a)
		return -EINVAL;
	cfg->smp = a;
	cfg->smp_max = b;
	return 0;
}

static int parse_enum(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int parse_api(struct config *cfg, const char *s)
{
	unsigned maj, min;
	char tail;
	if (sscanf(s, "%u.%u%c", &maj, &min, &tail) != 2 || maj > 255 || min > 255)
		return -EINVAL;
	cfg->api_major = maj;
	cfg->api_minor = min;
	return 0;
}

#define BAD(...) (snprintf(err, errlen, __VA_ARGS__), -EINVAL)

static int handle_value_opt(struct config *cfg, int id, const char *arg, char *err, size_t errlen)
{
	static const char *const sev_names[] = {"auto", "es", "emulated", "off"};
	static const char *const init_names[] = {"auto", "init2", "legacy"};
	static const char *const exit_names[] = {"native", "qemu"};
	static const char *const fmt_names[] = {"hex", "base64"};
	static const char *const swap_names[] = {"y", "n", "absent"};
	static const char *const onoff_names[] = {"off", "on"};
	uint64_t v;
	int e;

	switch (id) {
	case OPT_MEM:
		if (parse_mem_size(arg, &cfg->mem_size) || cfg->mem_size < GUEST_MEM_MIN ||
		    cfg->mem_size > GUEST_MEM_MAX || cfg->mem_size % PAGE_SIZE)
			return BAD("--mem '%s': expected a page-multiple size from 2M to 64G", arg);
		return 0;
	case OPT_SMP:
		if (parse_smp(cfg, arg))
			return BAD("--smp '%s': expected 1..%d (or A-B for measure)", arg,
				   CONFIG_MAX_VCPUS);
		return 0;
	case OPT_TIMEOUT: {
		char *end;
		errno = 0;
		double t = strtod(arg, &end);
		if (errno || *end || end == arg || !isfinite(t) || t <= 0 || t > 1e6)
			return BAD("--timeout '%s': expected seconds > 0", arg);
		cfg->timeout = t;
		return 0;
	}
	case OPT_DEBUG_EXIT:
		if ((e = parse_enum(arg, exit_names, 2)) < 0)
			return BAD("--debug-exit '%s': expected native or qemu", arg);
		cfg->debug_exit = e;
		return 0;
	case OPT_SEV:
		if ((e = parse_enum(arg, sev_names, 4)) < 0)
			return BAD("--sev '%s': expected auto, es, emulated or off", arg);
		cfg->sev = e;
		return 0;
	case OPT_SEV_INIT:
		if ((e = parse_enum(arg, init_names, 3)) < 0)
			return BAD("--sev-init '%s': expected init2 or legacy", arg);
		cfg->sev_init = e;
		return 0;
	case OPT_POLICY:
		if (parse_u64(arg, UINT32_MAX, &v))
			return BAD("--policy '%s': expected a 32-bit number", arg);
		cfg->policy = v;
		return 0;
	case OPT_CBIT:
		if (parse_u64(arg, 51, &v) || v < 32)
			return BAD("--cbit '%s': expected a bit position from 32 to 51", arg);
		cfg->cbit = v;
		return 0;
	case OPT_SEV_FEATURES:
		if (parse_u64(arg, UINT64_MAX, &v))
			return BAD("--sev-features '%s': expected a number", arg);
		cfg->sev_features = v;
		return 0;
	case OPT_OUTPUT_FORMAT:
		if ((e = parse_enum(arg, fmt_names, 2)) < 0)
			return BAD("--output-format '%s': expected hex or base64", arg);
		cfg->base64 = e == 1;
		return 0;
	case OPT_API:
		if (parse_api(cfg, arg))
			return BAD("--api '%s': expected MAJOR.MINOR", arg);
		return 0;
	case OPT_SECRET_GPA:
		if (parse_u64(arg, UINT64_MAX, &v))
			return BAD("--secret-gpa '%s': expected an address", arg);
		cfg->secret_gpa = v;
		cfg->have_secret_gpa = true;
		return 0;
	case OPT_HOST_KERNEL: {
		unsigned maj, min;
		char tail;
		if (sscanf(arg, "%u.%u%c", &maj, &min, &tail) != 2 || maj == 0 || maj > 99 ||
		    min > 999)
			return BAD("--host-kernel '%s': expected a kernel version MAJOR.MINOR", arg);
		cfg->host_kernel_major = maj;
		cfg->host_kernel_minor = min;
		return 0;
	}
	case OPT_HOST_DEBUG_SWAP:
		if ((e = parse_enum(arg, swap_names, 3)) < 0)
			return BAD("--host-debug-swap '%s': expected y, n or absent", arg);
		cfg->host_debug_swap = e == 2 ? -1 : e == 0;
		return 0;
	case OPT_SANDBOX:
		if ((e = parse_enum(arg, onoff_names, 2)) < 0)
			return BAD("--sandbox '%s': expected on or off", arg);
		cfg->sandbox = e == 1;
		return 0;
	case OPT_BUILD:
		if (parse_u64(arg, 255, &v))
			return BAD("--build '%s': expected 0..255", arg);
		cfg->build = v;
		return 0;
	}
	return BAD("internal: unhandled option %d", id);
}

static int handle_opt(struct config *cfg, int id, const char *arg, char *err, size_t errlen)
{
	switch (id) {
	case 'h': cfg->cmd = CMD_HELP; return 0;
	case 'V': cfg->cmd = CMD_VERSION; return 0;
	case 'v': cfg->verbose++; return 0;
	case OPT_CMDLINE: cfg->cmdline = arg; return 0;
	case OPT_INITRD: cfg->initrd = arg; return 0;
	case OPT_MODULE:
		if (cfg->nmodules == CONFIG_MAX_MODULES)
			return BAD("too many --module options (at most %d)", CONFIG_MAX_MODULES);
		cfg->modules[cfg->nmodules++] = arg;
		return 0;
	case OPT_DUMP_LAYOUT: cfg->dump_layout = true; return 0;
	case OPT_STRICT: cfg->strict = true; return 0;
	case OPT_DH_CERT: cfg->dh_cert = arg; return 0;
	case OPT_SESSION: cfg->session = arg; return 0;
	case OPT_SECRET: cfg->secret = arg; return 0;
	case OPT_REPORT: cfg->report = arg; return 0;
	case OPT_USER: cfg->user = arg; return 0;
	case OPT_DUMP_LAUNCH: cfg->dump_launch = arg; return 0;
	case OPT_DUMP_VMSA: cfg->dump_vmsa = arg; return 0;
	case OPT_JSON: cfg->json = true; return 0;
	case OPT_EXPLAIN: cfg->explain = true; return 0;
	case OPT_TIK: cfg->tik_hex = arg; return 0;
	case OPT_MNONCE: cfg->mnonce_hex = arg; return 0;
	case OPT_EXPECT_LD: cfg->expect_ld = arg; return 0;
	case OPT_EXPECT_MEASURE: cfg->expect_measure = arg; return 0;
	}
	return handle_value_opt(cfg, id, arg, err, errlen);
}

static void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = 256ull << 20;
	cfg->smp = cfg->smp_max = 1;
	cfg->policy = 0x5;
	cfg->api_major = 1;
	cfg->api_minor = 55;
	cfg->build = 21;
	cfg->host_debug_swap = -1;
	cfg->sandbox = true;
}

static int check_positionals(struct config *cfg, int n, char **pos, char *err, size_t errlen)
{
	if (cfg->cmd == CMD_HELP || cfg->cmd == CMD_VERSION)
		return 0;
	if (n == 0)
		return BAD("missing command: expected 'run KERNEL', 'measure KERNEL' or 'check' "
			   "(see --help)");
	if (!strcmp(pos[0], "check")) {
		cfg->cmd = CMD_CHECK;
		return n > 1 ? BAD("check: unexpected argument '%s'", pos[1]) : 0;
	}
	if (!strcmp(pos[0], "run"))
		cfg->cmd = CMD_RUN;
	else if (!strcmp(pos[0], "measure"))
		cfg->cmd = CMD_MEASURE;
	else
		return BAD("unknown command '%s': expected run, measure or check", pos[0]);
	if (n < 2)
		return BAD("%s: missing KERNEL argument", pos[0]);
	if (n > 2)
		return BAD("%s: unexpected argument '%s'", pos[0], pos[2]);
	cfg->kernel = pos[1];
	if (cfg->cmd == CMD_RUN && cfg->smp_max != cfg->smp)
		return BAD("run: --smp takes one number, not a range");
	return 0;
}

int config_parse(struct config *cfg, int argc, char **argv, char *err, size_t errlen)
{
	int id, r;
	config_defaults(cfg);
	/* 0, not 1: glibc then also resets its own state (a half-parsed cluster of short options
	 * from an earlier parse), so that parsing twice in one process starts clean. */
	optind = 0;
	opterr = 0;
	while ((id = getopt_long(argc, argv, ":hVv", long_opts, NULL)) != -1) {
		/* An unknown short option may sit inside a cluster (-Xv), where optind does not
		 * point past it yet: name the letter itself. Unknown long options set optopt 0. */
		if (id == '?' && optopt > ' ' && optopt < 0x7f)
			return BAD("unknown option '-%c' (see --help)", optopt);
		if (id == '?' && optopt)
			return BAD("unknown option byte 0x%02x (see --help)", optopt & 0xff);
		if (id == '?')
			return BAD("unknown option '%s' (see --help)", argv[optind - 1]);
		if (id == ':')
			return BAD("option '%s' needs a value", argv[optind - 1]);
		if ((r = handle_opt(cfg, id, optarg, err, errlen)))
			return r;
	}
	return check_positionals(cfg, argc - optind, argv + optind, err, errlen);
}

const char *config_option_name(size_t i, bool *takes_value)
{
	if (i >= sizeof(long_opts) / sizeof(long_opts[0]) - 1)
		return NULL;
	*takes_value = long_opts[i].has_arg == required_argument;
	return long_opts[i].name;
}
