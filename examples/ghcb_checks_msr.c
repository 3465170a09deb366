/* SPDX-License-Identifier: MIT */
/* The ghcb guest's checks of the GHCB MSR protocol (reference: docs/ghcb.md, MSR protocol). */
#include "ghcb_guest.h"

static const uint32_t msr_cpuid_leaves[] = {0x0, 0x1, 0x80000000u, 0x80000008u, CPUID_FN_SEV};

static void check_entry_value(const struct ghcb_opts *o)
{
	uint64_t v = ghcb_guest_entry_msr;
	unsigned min = ghcb_msr_sev_info_min(v);

	ghcb_check(min == GHCB_VERSION_MIN && o->max_ver >= min && o->max_ver <= GHCB_VERSION_MAX &&
			   o->cbit >= 32 && o->cbit <= 63 &&
			   pvh_pte_extra_mask == 1ull << o->cbit,
		   "msr_sev_info_at_entry", "entry value 0x%llx, PTE mask 0x%llx",
		   (unsigned long long)v, (unsigned long long)pvh_pte_extra_mask);
	v = ghcb_rdmsr(SEV_STATUS_MSR);
	ghcb_check((v & (SEV_STATUS_SEV | SEV_STATUS_SEV_ES)) == 3 && !(v & SEV_STATUS_SNP),
		   "sev_status_msr", "SEV_STATUS 0x%llx, want bits 0 and 1 without SNP",
		   (unsigned long long)v);
	v = ghcb_msr_proto(GHCB_MSR_SEV_INFO_REQ);
	ghcb_check(v == ghcb_guest_entry_msr, "msr_sev_info_request",
		   "response 0x%llx, entry value 0x%llx", (unsigned long long)v,
		   (unsigned long long)ghcb_guest_entry_msr);
}

/* One leaf, four requests: the response code, the kept bits 31:12, and the value. */
static void check_msr_cpuid_leaf(const struct ghcb_opts *o, uint32_t fn)
{
	uint32_t got[4], insn[4];
	char name[40];
	int ok = 1;

	for (unsigned reg = 0; reg < 4; reg++) {
		uint64_t req = ghcb_msr_cpuid_req(fn, reg);
		uint64_t resp = ghcb_msr_proto(req);

		got[reg] = ghcb_msr_cpuid_value(resp);
		ok &= (uint32_t)resp == (((uint32_t)req & ~0xfffu) | GHCB_MSR_CPUID_RESP);
	}
	pvh_snprintf(name, sizeof(name), "msr_cpuid_0x%x", fn);
	if (!ok) {
		ghcb_check(0, name, "a response lacks code 0x005 or changed bits 31:12");
		return;
	}
	if (fn == CPUID_FN_SEV)
		ok = (got[0] & (CPUID_SEV_EAX_SEV | CPUID_SEV_EAX_SEV_ES)) ==
			     (CPUID_SEV_EAX_SEV | CPUID_SEV_EAX_SEV_ES) &&
		     (got[1] & CPUID_SEV_EBX_CBIT_MASK) == o->cbit;
	if (fn == 0x80000008u)
		ok = (got[0] & 0xff) >= o->cbit + 1;
	if (!o->hw) {
		ghcb_cpuid_insn(fn, 0, insn);
		ok &= ghcb_cpuid_insn_agrees(fn, got, insn);
	}
	ghcb_check(ok, name, "%x %x %x %x, CPUID insn %x %x %x %x", got[0], got[1], got[2], got[3],
		   o->hw ? 0 : insn[0], o->hw ? 0 : insn[1], o->hw ? 0 : insn[2],
		   o->hw ? 0 : insn[3]);
}

void ghcb_checks_msr_protocol(const struct ghcb_opts *o)
{
	uint64_t v, req;

	check_entry_value(o);
	for (unsigned i = 0; i < sizeof(msr_cpuid_leaves) / sizeof(msr_cpuid_leaves[0]); i++)
		check_msr_cpuid_leaf(o, msr_cpuid_leaves[i]);
	v = ghcb_msr_proto(GHCB_MSR_HV_FT_REQ);
	/* GHCB v1: KVM before 6.10 leaves an unknown request as written; later KVM answers. */
	ghcb_check((ghcb_msr_info(v) == GHCB_MSR_HV_FT_RESP && ghcb_msr_hv_ft(v) == GHCB_HV_FT_KVM) ||
			   (o->max_ver < 2 && v == GHCB_MSR_HV_FT_REQ),
		   "msr_hv_features", "response 0x%llx, want 0x%llx", (unsigned long long)v,
		   (unsigned long long)(GHCB_HV_FT_KVM << 12 | GHCB_MSR_HV_FT_RESP));
	/* An unknown request leaves the MSR as written (KVM does the same). */
	req = 0xabcdef000ull | 0x0feu;
	v = ghcb_msr_proto(req);
	ghcb_check(v == req, "msr_unknown_request_unchanged", "response 0x%llx, request 0x%llx",
		   (unsigned long long)v, (unsigned long long)req);
	/* AP reset hold (0x006) is not sent: on the BSP nothing would ever release it. */
}
