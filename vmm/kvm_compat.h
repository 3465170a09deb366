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

#endif
