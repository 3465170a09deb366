/* SPDX-License-Identifier: MIT */
/*
 * The KVM uAPI as Linux 6.8/6.9 headers (Ubuntu 24.04) shape it, on top of the installed 6.1
 * headers: VM types DEFAULT and SW_PROTECTED and KVM_CAP_VM_TYPES, but no SEV VM types, no
 * KVM_X86_GRP_SEV and no KVM_SEV_INIT2. header_shapes.sh -includes it before each source file.
 */
#include <linux/kvm.h>

#ifndef KVM_CAP_VM_TYPES
#define KVM_CAP_VM_TYPES 235
#endif
#ifndef KVM_X86_DEFAULT_VM
#define KVM_X86_DEFAULT_VM 0
#endif
#ifndef KVM_X86_SW_PROTECTED_VM
#define KVM_X86_SW_PROTECTED_VM 1
#endif
#ifdef KVM_X86_SEV_ES_VM
#error "uapi-6.8.h: the installed headers already have KVM_X86_SEV_ES_VM; this shape tests nothing"
#endif
