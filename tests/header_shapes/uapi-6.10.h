/* SPDX-License-Identifier: MIT */
/*
 * The KVM uAPI as Linux 6.10+ headers shape it, on top of the installed 6.1 headers: all VM types,
 * the SEV attribute group, and KVM_SEV_INIT2 as an enumerator with struct kvm_sev_init beside it
 * (so a redefinition of either in the project fails to compile).
 */
#include <linux/kvm.h>

#ifndef KVM_CAP_VM_TYPES
#define KVM_CAP_VM_TYPES 235
#endif
#ifndef KVM_X86_DEFAULT_VM
#define KVM_X86_DEFAULT_VM 0
#define KVM_X86_SW_PROTECTED_VM 1
#define KVM_X86_SEV_VM 2
#define KVM_X86_SEV_ES_VM 3
#define KVM_X86_SNP_VM 4
#endif
#ifndef KVM_X86_GRP_SEV
#define KVM_X86_GRP_SEV 1
#define KVM_X86_SEV_VMSA_FEATURES 0
#endif

enum pvh_shape_sev_cmd_id { KVM_SEV_INIT2 = 22 };

struct kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};
