/* SPDX-License-Identifier: MIT */
/*
 * KVM uAPI names newer than some kernel headers this project builds against: Debian 12 ships 6.1,
 * Ubuntu 24.04 6.8, newer distributions 6.10 and later. Values are from upstream
 * include/uapi/linux/kvm.h and arch/x86/include/uapi/asm/kvm.h.
 *
 * Every macro is guarded alone: the uAPI added them in different releases (KVM_X86_DEFAULT_VM and
 * KVM_X86_SW_PROTECTED_VM in 6.8, KVM_X86_SEV_VM and KVM_X86_SEV_ES_VM in 6.10), so a guard on one
 * name that defines several leaves the later ones undefined on the in-between headers. The test
 * header_shapes compiles sev/ and vmm/ against 6.1-, 6.8- and 6.10-shaped definitions.
 *
 * KVM_SEV_INIT2 is an enumerator and struct kvm_sev_init a struct tag in the 6.10 headers: neither
 * can be tested by the preprocessor, so this project uses its own names with the same values
 * (PVH_KVM_SEV_INIT2, struct pvh_kvm_sev_init) whatever the headers hold.
 * This is the only place such names live; sev/ and vmm/ both include it.
 */
#ifndef PVH_KVM_COMPAT_H
#define PVH_KVM_COMPAT_H

#include <linux/kvm.h>
#include <stdint.h>

/* include/uapi/linux/kvm.h */
#ifndef KVM_CAP_DISABLE_QUIRKS2
#define KVM_CAP_DISABLE_QUIRKS2 213 /* Linux 5.19 */
#endif
#ifndef KVM_CAP_SYS_ATTRIBUTES
#define KVM_CAP_SYS_ATTRIBUTES 209 /* Linux 5.16 */
#endif
#ifndef KVM_CAP_VM_TYPES
#define KVM_CAP_VM_TYPES 235 /* Linux 6.8 */
#endif
#ifndef KVM_MP_STATE_AP_RESET_HOLD
#define KVM_MP_STATE_AP_RESET_HOLD 9 /* Linux 5.11 */
#endif

/* arch/x86/include/uapi/asm/kvm.h */
#ifndef KVM_X86_QUIRK_FIX_HYPERCALL_INSN
#define KVM_X86_QUIRK_FIX_HYPERCALL_INSN (1 << 5) /* Linux 5.19 */
#endif
#ifndef KVM_X86_DEFAULT_VM
#define KVM_X86_DEFAULT_VM 0 /* Linux 6.8 */
#endif
#ifndef KVM_X86_SW_PROTECTED_VM
#define KVM_X86_SW_PROTECTED_VM 1 /* Linux 6.8 */
#endif
#ifndef KVM_X86_SEV_VM
#define KVM_X86_SEV_VM 2 /* Linux 6.10 */
#endif
#ifndef KVM_X86_SEV_ES_VM
#define KVM_X86_SEV_ES_VM 3 /* Linux 6.10 */
#endif
#ifndef KVM_X86_SNP_VM
#define KVM_X86_SNP_VM 4 /* Linux 6.11 */
#endif
#ifndef KVM_X86_GRP_SEV
#define KVM_X86_GRP_SEV 1 /* Linux 6.10: attribute group of the /dev/kvm fd */
#endif
#ifndef KVM_X86_SEV_VMSA_FEATURES
#define KVM_X86_SEV_VMSA_FEATURES 0 /* Linux 6.10: vmsa_features bits KVM_SEV_INIT2 accepts */
#endif

/*
 * KVM_SEV_INIT2 (Linux 6.10): 22 by counting enum sev_cmd_id (KVM_SEV_INIT = 0 ...
 * KVM_SEV_SEND_CANCEL = 21), and its argument struct kvm_sev_init.
 */
#define PVH_KVM_SEV_INIT2 22

struct pvh_kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};

#endif
