/* SPDX-License-Identifier: MIT */
/*
 * KVM uAPI constants and structs newer than the installed kernel headers (Debian 12 ships 6.1).
 * Each is guarded so newer headers win; values are from upstream include/uapi/linux/kvm.h and
 * arch/x86/include/uapi/asm/kvm.h (Linux 6.10+). This is the only place such constants live.
 */
#ifndef PVH_KVM_COMPAT_H
#define PVH_KVM_COMPAT_H

#include <linux/kvm.h>
#include <stdint.h>

#ifndef KVM_CAP_VM_TYPES
#define KVM_CAP_VM_TYPES 235 /* Linux 6.10 */
#endif

#ifndef KVM_X86_DEFAULT_VM
#define KVM_X86_DEFAULT_VM 0
#define KVM_X86_SW_PROTECTED_VM 1
#define KVM_X86_SEV_VM 2
#define KVM_X86_SEV_ES_VM 3
#define KVM_X86_SNP_VM 4
#endif

/*
 * SEV INIT2 (Linux 6.10, arch/x86/include/uapi/asm/kvm.h and include/uapi/linux/kvm.h):
 * KVM_X86_SEV_VMSA_FEATURES arrived in the same series as struct kvm_sev_init and the
 * KVM_SEV_INIT2 command id, so it guards all three. The id is 22 by counting enum sev_cmd_id
 * (KVM_SEV_INIT = 0 ... KVM_SEV_SEND_CANCEL = 21).
 */
#ifndef KVM_X86_SEV_VMSA_FEATURES
#define KVM_X86_GRP_SEV 1
#define KVM_X86_SEV_VMSA_FEATURES 0

struct kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};

enum { KVM_SEV_INIT2 = 22 };
#endif

#endif
