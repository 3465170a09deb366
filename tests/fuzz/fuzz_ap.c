// SPDX-License-Identifier: MIT
/*
 * AP bring-up as the VMM handles it: the doorbell port through the real I/O bus (any vCPU,
 * any width, any value: missing, running, parked and starting vCPUs), the events the run
 * loop reports to the state machine (parked, running by INIT-SIPI, start finished or failed),
 * in off mode (the start is a flag for the AP's thread) and emulated SEV-ES (INIT and SIPI
 * MSIs that this KVM-less VM refuses), and the AP area image the guest starts from.
 * The bring-up slots themselves are read only by the guest-side stub (tests/unit/
 * test_ap_stub_run.c runs it under KVM); the VMM never reads guest slots.
 */
#include <stdlib.h>

#include "ap/ap_area.h"
#include "ap/ap_abi.h"
#include "loader/guest_abi.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_vm.h"
#include "vmm/ap_start.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 64

static void check_states(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (ap_sm_state(&vm->ap, i) > AP_VCPU_PARKED_RESET_HOLD)
			abort();
	if (ap_sm_state(&vm->ap, 0) == AP_VCPU_STOPPED)
		abort(); /* the BSP never stops being a running vCPU */
}

static void step(struct fuzz_vm *w, struct fuzz_in *in, uint8_t op)
{
	struct vm *vm = &w->vm;
	unsigned who = fuzz_u8(in) % vm->nvcpus;
	struct vcpu *v = &w->vcpus[who];
	uint8_t buf[4];
	switch (op & 7) {
	case 0:
	case 1: {
		unsigned len = 1u << (fuzz_u8(in) % 3);
		uint32_t val = fuzz_u32(in);
		memcpy(buf, &val, sizeof(buf));
		io_bus_access(&vm->io, v, PVH_SEV_AP_DOORBELL_PORT, buf, len, op & 1);
		break;
	}
	case 2: ap_sm_parked(&vm->ap, who); break;
	case 3: ap_sm_mark_running(&vm->ap, who); break;
	case 4: ap_sm_start_done(&vm->ap, who, (op & 8) ? -5 : 0); break;
	case 5: ap_wakeup(v); break;
	default: {
		uint32_t val = fuzz_u32(in);
		ap_doorbell(&vm->ap, who, val, &(struct ap_action){0});
		break;
	}
	}
	check_states(vm);
}

static void area_image(uint8_t cfg, uint32_t entry)
{
	static uint8_t *img;
	char err[256];
	if (!img && !(img = malloc(AP_AREA_SIZE)))
		abort();
	unsigned n = cfg % (AP_MAX_VCPUS + 2);
	struct region_list l;
	region_list_init(&l);
	if (!ap_area_image(img, n, cfg & 1 ? AP_HDR_F_GHCB_HOLD : 0, err, sizeof(err)))
		ap_area_add_region_entry(&l, n, 0, entry, err, sizeof(err));
	region_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	static struct fuzz_vm *w;
	if (!w)
		w = fuzz_vm_get();
	uint8_t cfg = fuzz_u8(&in);
	fuzz_vm_reset(w, 1 + cfg % FUZZ_VM_MAX_VCPUS, cfg & 8, 51, 2);
	area_image(fuzz_u8(&in), fuzz_u32(&in));
	for (unsigned n = 0; n < MAX_STEPS && in.left; n++)
		step(w, &in, fuzz_u8(&in));
	return 0;
}
