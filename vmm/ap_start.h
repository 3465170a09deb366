/* SPDX-License-Identifier: MIT */
/*
 * Starting an AP, the one way per mode of docs/abi.md 4.2, behind one ap_start():
 *  - off: the AP's registers were preset to the measured AP state; its thread is kicked out of
 *    KVM_RUN and makes itself runnable;
 *  - emulated and es: INIT then SIPI through KVM_SIGNAL_MSI, as if the guest had sent them, so
 *    KVM's first-SIPI bookkeeping is the same for both routes; in emulated mode the AP's thread
 *    then loads the measured AP state (on hardware KVM runs the VMSA).
 */
#ifndef PVH_AP_START_H
#define PVH_AP_START_H

#include <stdbool.h>

struct vm;
struct vcpu;

/* Makes KVM's APIC map know every vCPU, so that MSIs to APs are delivered (host.md). */
int ap_prime_apic_map(struct vm *vm);

/* Starts (or wakes from reset hold) vCPU `index`. Returns 0 or -errno. */
int ap_start(struct vm *vm, unsigned index);

/*
 * Called by a not-yet-started AP's thread each time KVM_RUN returns EINTR or EAGAIN: applies a
 * pending start. Returns 0 or -errno.
 */
int ap_wakeup(struct vcpu *v);

/*
 * Emulated mode, a vCPU waiting for INIT-SIPI after KVM_RUN returned EAGAIN: returns 1 when the
 * SIPI has come (the vCPU is then RUNNABLE and the caller loads its state), 0 to keep waiting,
 * or -errno. An INIT alone re-parks the vCPU as UNINITIALIZED (else KVM would run the SIPI
 * vector in real mode); KVM then drops the SIPI but still wakes KVM_RUN (docs/abi.md 4.1).
 */
int ap_sipi_arrived(struct vcpu *v);

/* Registers the AP doorbell port on the VM's I/O bus. */
int ap_doorbell_register(struct vm *vm);

#endif
