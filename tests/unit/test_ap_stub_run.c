// SPDX-License-Identifier: MIT
/*
 * Runs the real AP entry stub under KVM (a one-vCPU VM playing AP n, no VMM code involved):
 * each protocol path of docs/abi.md section 3 and the slot validation. Exits 77 without
 * /dev/kvm. The guest RAM holds the AP area image exactly as the VMM would place it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ap/ap_abi.h"
#include "ap/ap_area.h"

#define RAM_SIZE (2u << 20)
#define EXIT_PORT 0xf4
#define TARGET32 0x20000u
#define TARGET64 0x30000u
#define REAL_CS 0x0800u /* real-mode target at 0x8000 */
#define PML4 0x10000u
#define AP_INDEX 3u

struct vm {
	int kvm, fd, vcpu;
	uint8_t *ram;
	struct kvm_run *run;
	uint32_t last_out; /* the data of the last OUT exit, read before the exit is completed */
};

static int kvm_fd = -1;

static void vm_create(struct vm *vm, uint32_t hdr_flags, int user_msr)
{
	char err[128];
	*vm = (struct vm){0};
	vm->kvm = kvm_fd;
	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	assert_true(vm->fd >= 0);
	ioctl(vm->fd, KVM_SET_TSS_ADDR, 0xfffbd000ul); /* VMX needs it; others ignore it */
	vm->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(vm->ram != MAP_FAILED);
	struct kvm_userspace_memory_region mr = {.slot = 0,
	                                         .guest_phys_addr = 0,
	                                         .memory_size = RAM_SIZE,
	                                         .userspace_addr = (uintptr_t)vm->ram};
	assert_int_equal(ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &mr), 0);
	assert_int_equal(ap_area_image(vm->ram + AP_AREA_GPA, 4, hdr_flags, err, sizeof(err)), 0);

	if (user_msr) {
		/* The GHCB MSR exits to us, as the emulated SEV-ES mode sets it up. */
		struct kvm_enable_cap cap = {.cap = KVM_CAP_X86_USER_SPACE_MSR,
		                             .args = {KVM_MSR_EXIT_REASON_FILTER}};
		assert_int_equal(ioctl(vm->fd, KVM_ENABLE_CAP, &cap), 0);
		static uint8_t deny[1];
		struct kvm_msr_filter f = {.flags = KVM_MSR_FILTER_DEFAULT_ALLOW};
		f.ranges[0] = (struct kvm_msr_filter_range){.flags = KVM_MSR_FILTER_READ |
		                                                     KVM_MSR_FILTER_WRITE,
		                                            .nmsrs = 1,
		                                            .base = 0xc0010130,
		                                            .bitmap = deny};
		assert_int_equal(ioctl(vm->fd, KVM_X86_SET_MSR_FILTER, &f), 0);
	}

	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	assert_true(vm->vcpu >= 0);
	int n = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->run = mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	assert_true(vm->run != MAP_FAILED);

	struct kvm_cpuid2 *cpuid = calloc(1, sizeof(*cpuid) + 256 * sizeof(cpuid->entries[0]));
	cpuid->nent = 256;
	assert_int_equal(ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid), 0);
	assert_int_equal(ioctl(vm->vcpu, KVM_SET_CPUID2, cpuid), 0);
	free(cpuid);

	struct cpu_state s;
	struct kvm_sregs cur;
	ap_initial_state(&s, AP_INDEX);
	assert_int_equal(ioctl(vm->vcpu, KVM_GET_SREGS, &cur), 0);
	s.sregs.apic_base = cur.apic_base;
	assert_int_equal(ioctl(vm->vcpu, KVM_SET_SREGS, &s.sregs), 0);
	assert_int_equal(ioctl(vm->vcpu, KVM_SET_REGS, &s.regs), 0);
}

static void vm_destroy(struct vm *vm)
{
	munmap(vm->ram, RAM_SIZE);
	close(vm->vcpu);
	close(vm->fd);
}

/* Runs until an exit other than a retry; fails the test on a shutdown or internal error. */
static unsigned vm_run(struct vm *vm)
{
	for (int i = 0; i < 100; i++) {
		int rc = ioctl(vm->vcpu, KVM_RUN, 0);
		if (rc < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		assert_int_equal(rc, 0);
		unsigned r = vm->run->exit_reason;
		if (r == KVM_EXIT_SHUTDOWN || r == KVM_EXIT_INTERNAL_ERROR ||
		    r == KVM_EXIT_FAIL_ENTRY)
			fail_msg("guest died: exit reason %u", r);
		return r;
	}
	fail_msg("KVM_RUN kept returning EINTR/EAGAIN");
	return 0;
}

static struct ap_slot *slot(struct vm *vm)
{
	return (struct ap_slot *)(vm->ram + ap_slot_gpa(AP_INDEX));
}

/*
 * An OUT that exits to userspace is completed by the next KVM_RUN: on AMD-V (and VMX) KVM
 * leaves RIP at the OUT until then (kvm_fast_pio_out), while machine B's emulator had already
 * moved it. Completing the exit with an immediate-exit run makes the registers read the same
 * on every host: RIP past the OUT.
 */
static void complete_exit(struct vm *vm)
{
	vm->run->immediate_exit = 1;
	int rc = ioctl(vm->vcpu, KVM_RUN, 0);
	assert_true(rc == 0 || errno == EINTR);
	vm->run->immediate_exit = 0;
}

static void expect_port_exit(struct vm *vm)
{
	assert_int_equal(vm_run(vm), KVM_EXIT_IO);
	assert_int_equal(vm->run->io.port, EXIT_PORT);
	assert_int_equal(vm->run->io.direction, KVM_EXIT_IO_OUT);
	memcpy(&vm->last_out, (uint8_t *)vm->run + vm->run->io.data_offset, vm->run->io.size);
	complete_exit(vm);
}

static void expect_idle_hlt(struct vm *vm)
{
	struct kvm_regs r;
	assert_int_equal(vm_run(vm), KVM_EXIT_HLT);
	assert_int_equal(ioctl(vm->vcpu, KVM_GET_REGS, &r), 0);
	assert_true(r.rip > AP_AREA_GPA && r.rip < AP_AREA_GPA + AP_STUB_MAX);
}

static void flat32_context(struct ap_hvm_context *c)
{
	memset(c, 0, sizeof(*c));
	struct ap_hvm_x86_32 *x = &c->cpu_regs.x86_32;
	c->mode = AP_CTX_MODE_32B;
	x->eax = 0xa0a0a0a0;
	x->ecx = 0xc1c1c1c1;
	x->edx = 0xd2d2d2d2;
	x->ebx = 0xb3b3b3b3;
	x->esp = 0x7ff0;
	x->ebp = 0xb5b5b5b5;
	x->esi = 0x5e5e5e5e;
	x->edi = 0xd7d7d7d7;
	x->eip = TARGET32;
	x->eflags = 0x2 | 0x1 | 0x40 | 0x400; /* CF ZF DF: must survive the entry */
	x->cr0 = 0x11;
	x->cs_limit = x->ds_limit = x->ss_limit = x->es_limit = 0xffffffff;
	x->cs_ar = 0xc9b;
	x->ds_ar = x->ss_ar = x->es_ar = 0xc93;
}

static void request(struct vm *vm, const struct ap_hvm_context *c)
{
	slot(vm)->ctx = *c;
	slot(vm)->state = AP_SLOT_UP_REQUESTED;
}

static void idle_without_request_halts_in_off_mode(void **state)
{
	struct vm vm;
	vm_create(&vm, 0, 0);
	expect_idle_hlt(&vm);
	assert_int_equal(slot(&vm)->state, AP_SLOT_STOPPED);
	vm_destroy(&vm);
}

static void bringup_32bit_flat(void **state)
{
	struct vm vm;
	struct ap_hvm_context c;
	vm_create(&vm, 0, 0);
	flat32_context(&c);
	c.cpu_regs.x86_32.tr_ar = 0x8b; /* the initial TR, spelled out: accepted */
	c.cpu_regs.x86_32.tr_limit = 0x67;
	memcpy(vm.ram + TARGET32, "\xe7\xf4", 2); /* out %eax, $0xf4 */
	request(&vm, &c);
	expect_port_exit(&vm);
	assert_int_equal(vm.last_out, 0xa0a0a0a0);

	struct kvm_regs r;
	struct kvm_sregs s;
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_REGS, &r), 0);
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_SREGS, &s), 0);
	assert_int_equal(r.rax, 0xa0a0a0a0);
	assert_int_equal(r.rcx, 0xc1c1c1c1);
	assert_int_equal(r.rdx, 0xd2d2d2d2);
	assert_int_equal(r.rbx, 0xb3b3b3b3);
	assert_int_equal(r.rsp, 0x7ff0);
	assert_int_equal(r.rbp, 0xb5b5b5b5);
	assert_int_equal(r.rsi, 0x5e5e5e5e);
	assert_int_equal(r.rdi, 0xd7d7d7d7);
	assert_int_equal(r.rip, TARGET32 + 2);
	assert_int_equal(r.rflags, 0x443);
	assert_int_equal(s.cs.selector, AP_GDT_CODE32);
	assert_int_equal(s.ss.selector, AP_GDT_DATA32);
	assert_int_equal(s.cr0 & 0x80000001, 1);
	assert_int_equal(slot(&vm)->state, AP_SLOT_RUNNING);
	vm_destroy(&vm);
}

/* A bad slot is marked FAILED with the reason, and the AP goes back to idling. */
static void expect_failure(void (*spoil)(struct ap_hvm_context *), uint32_t reason)
{
	struct vm vm;
	struct ap_hvm_context c;
	vm_create(&vm, 0, 0);
	flat32_context(&c);
	spoil(&c);
	request(&vm, &c);
	expect_idle_hlt(&vm);
	assert_int_equal(slot(&vm)->state, AP_SLOT_FAILED);
	assert_int_equal(slot(&vm)->reason, reason);
	vm_destroy(&vm);
}

static void bad_mode(struct ap_hvm_context *c) { c->mode = 2; }
static void no_pe(struct ap_hvm_context *c) { c->cpu_regs.x86_32.cr0 = 0x10; }
static void nw_no_cd(struct ap_hvm_context *c) { c->cpu_regs.x86_32.cr0 = 0x20000011; }
static void cr4_smep(struct ap_hvm_context *c) { c->cpu_regs.x86_32.cr4 = 1u << 20; }
static void efer_lme(struct ap_hvm_context *c) { c->cpu_regs.x86_32.efer = 0x100; }
static void flags_if(struct ap_hvm_context *c) { c->cpu_regs.x86_32.eflags = 0x202; }
static void flags_no_bit1(struct ap_hvm_context *c) { c->cpu_regs.x86_32.eflags = 0; }
static void ds_base(struct ap_hvm_context *c) { c->cpu_regs.x86_32.ds_base = 0x1000; }
static void ss_limit(struct ap_hvm_context *c) { c->cpu_regs.x86_32.ss_limit = 0xfffff; }
static void cs_16bit(struct ap_hvm_context *c) { c->cpu_regs.x86_32.cs_ar = 0x09b; }
static void tr_odd(struct ap_hvm_context *c) { c->cpu_regs.x86_32.tr_ar = 0x89; }
static void tr_limit(struct ap_hvm_context *c)
{
	c->cpu_regs.x86_32.tr_ar = 0x8b;
	c->cpu_regs.x86_32.tr_limit = 0x68;
}
static void rip_noncanonical(struct ap_hvm_context *c)
{
	memset(&c->cpu_regs, 0, sizeof(c->cpu_regs));
	c->mode = AP_CTX_MODE_64B;
	struct ap_hvm_x86_64 *x = &c->cpu_regs.x86_64;
	x->cr0 = 0x80000011;
	x->cr3 = PML4;
	x->cr4 = 0x20;
	x->efer = 0x100;
	x->rflags = 2;
	x->rip = 0x0000800000000000ull;
}
static void cr3_high(struct ap_hvm_context *c)
{
	rip_noncanonical(c);
	c->cpu_regs.x86_64.rip = TARGET64;
	c->cpu_regs.x86_64.cr3 = 0x100000000ull;
}
static void no_lme(struct ap_hvm_context *c)
{
	cr3_high(c);
	c->cpu_regs.x86_64.cr3 = PML4;
	c->cpu_regs.x86_64.efer = 0;
}

static void validation_failures(void **state)
{
	expect_failure(bad_mode, AP_FAIL_MODE);
	expect_failure(no_pe, AP_FAIL_CR0);
	expect_failure(nw_no_cd, AP_FAIL_CR0);
	expect_failure(cr4_smep, AP_FAIL_CR4);
	expect_failure(efer_lme, AP_FAIL_EFER);
	expect_failure(flags_if, AP_FAIL_FLAGS);
	expect_failure(flags_no_bit1, AP_FAIL_FLAGS);
	expect_failure(ds_base, AP_FAIL_SEGMENT);
	expect_failure(ss_limit, AP_FAIL_SEGMENT);
	expect_failure(cs_16bit, AP_FAIL_SEGMENT);
	expect_failure(tr_odd, AP_FAIL_TR);
	expect_failure(tr_limit, AP_FAIL_TR);
	expect_failure(rip_noncanonical, AP_FAIL_RIP);
	expect_failure(cr3_high, AP_FAIL_CR3);
	expect_failure(no_lme, AP_FAIL_EFER);
}

/* Identity map of the first 2 MiB with one large page: covers the AP area and the target. */
static void identity_map(struct vm *vm)
{
	uint64_t *pml4 = (uint64_t *)(vm->ram + PML4);
	uint64_t *pdpt = (uint64_t *)(vm->ram + PML4 + 0x1000);
	uint64_t *pd = (uint64_t *)(vm->ram + PML4 + 0x2000);
	pml4[0] = (PML4 + 0x1000) | 3;
	pdpt[0] = (PML4 + 0x2000) | 3;
	pd[0] = 0x83; /* 2 MiB, present, writable */
}

static void bringup_64bit(void **state)
{
	struct vm vm;
	struct ap_hvm_context c;
	vm_create(&vm, 0, 0);
	identity_map(&vm);
	memset(&c, 0, sizeof(c));
	c.mode = AP_CTX_MODE_64B;
	struct ap_hvm_x86_64 *x = &c.cpu_regs.x86_64;
	x->rax = 0x1111222233334444ull;
	x->rcx = 0xc1;
	x->rdx = 0xd2d2d2d2d2d2d2d2ull;
	x->rbx = 0xb3;
	x->rsp = 0x7ff8;
	x->rbp = 0xb5b5b5b5b5b5b5b5ull;
	x->rsi = 0x5e5e5e5e00000000ull;
	x->rdi = 0xffffffffffffffffull;
	x->rip = TARGET64;
	x->rflags = 0x2 | 0x80 | 0x4; /* SF PF */
	x->cr0 = 0x80010033;
	x->cr3 = PML4;
	x->cr4 = 0x20;
	x->efer = 0x100;
	memcpy(vm.ram + TARGET64, "\xe7\xf4", 2); /* out %eax, $0xf4 */
	request(&vm, &c);
	expect_port_exit(&vm);

	struct kvm_regs r;
	struct kvm_sregs s;
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_REGS, &r), 0);
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_SREGS, &s), 0);
	assert_true(r.rax == x->rax && r.rcx == x->rcx && r.rdx == x->rdx && r.rbx == x->rbx);
	assert_true(r.rsp == x->rsp && r.rbp == x->rbp && r.rsi == x->rsi && r.rdi == x->rdi);
	assert_int_equal(r.rip, TARGET64 + 2);
	assert_int_equal(r.rflags, 0x86);
	assert_int_equal(s.cs.selector, AP_GDT_CODE64);
	assert_int_equal(s.cs.l, 1);
	assert_true((s.efer & 0x500) == 0x500); /* LME and LMA */
	assert_int_equal(s.cr3, PML4);
	assert_int_equal(s.cr0, 0x80010033);
	assert_int_equal(s.cr4 & 0x20, 0x20);
	assert_int_equal(slot(&vm)->state, AP_SLOT_RUNNING);
	vm_destroy(&vm);
}

static void jump_table_enters_real_mode(void **state)
{
	struct vm vm;
	vm_create(&vm, 0, 0);
	uint16_t far[2] = {0x0010, REAL_CS}; /* IP then CS */
	memcpy(vm.ram + AP_AREA_GPA + AP_JUMP_TABLE_OFFSET, far, 4);
	memcpy(vm.ram + (REAL_CS << 4) + 0x10, "\xe6\xf4", 2); /* out %al, $0xf4 */
	expect_port_exit(&vm);
	struct kvm_regs r;
	struct kvm_sregs s;
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_REGS, &r), 0);
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_SREGS, &s), 0);
	assert_int_equal(s.cr0 & 1, 0);
	assert_int_equal(s.cs.selector, REAL_CS);
	assert_int_equal(s.cs.base, REAL_CS << 4);
	assert_int_equal(s.ds.base, AP_AREA_GPA);
	assert_int_equal(s.ds.limit, 0xffff);
	assert_int_equal(r.rip, 0x12);
	vm_destroy(&vm);
}

/* The stub's first idle RDMSR of the GHCB MSR: answered with a SEV_INFO value. */
static void answer_ghcb_rdmsr(struct vm *vm, uint64_t value)
{
	assert_int_equal(vm_run(vm), KVM_EXIT_X86_RDMSR);
	assert_int_equal(vm->run->msr.index, 0xc0010130);
	vm->run->msr.data = value;
	vm->run->msr.error = 0;
}

/*
 * The stub's WRMSR of the GHCB MSR with `value`, completed (host.md: an immediate-exit run),
 * leaving RIP at the VMGEXIT that follows it; returns the registers there.
 */
static struct kvm_regs expect_ghcb_wrmsr_then_vmgexit(struct vm *vm, uint64_t value)
{
	struct kvm_regs r;

	assert_int_equal(vm_run(vm), KVM_EXIT_X86_WRMSR);
	assert_int_equal(vm->run->msr.index, 0xc0010130);
	assert_int_equal(vm->run->msr.data, value);
	vm->run->msr.error = 0;
	complete_exit(vm);
	assert_int_equal(ioctl(vm->vcpu, KVM_GET_REGS, &r), 0);
	assert_memory_equal(vm->ram + r.rip, "\xf3\x0f\x01\xd9", 4);
	return r;
}

/* Released from its hold at the VMGEXIT in `r`: the stub looks at its slot again and enters
 * a flat 32-bit request that writes the exit port. */
static void release_into_bringup(struct vm *vm, struct kvm_regs r)
{
	struct ap_hvm_context c;

	flat32_context(&c);
	memcpy(vm->ram + TARGET32, "\xe7\xf4", 2);
	request(vm, &c);
	r.rip += 4;
	assert_int_equal(ioctl(vm->vcpu, KVM_SET_REGS, &r), 0);
	expect_port_exit(vm);
}

/* SEV-ES paths: the GHCB MSR AP reset hold (version 2), handled the way emulated mode does it. */
static void ghcb_reset_hold_then_bringup(void **state)
{
	struct vm vm;
	vm_create(&vm, AP_HDR_F_GHCB_HOLD, 1);
	answer_ghcb_rdmsr(&vm, 0x0002000133000001ull); /* SEV_INFO: max 2, min 1, C-bit 51 */
	struct kvm_regs r = expect_ghcb_wrmsr_then_vmgexit(&vm, 0x006);

	/* Released from the hold (result ignored): the stub must look at the slot again. */
	release_into_bringup(&vm, r);
	assert_int_equal(slot(&vm)->state, AP_SLOT_RUNNING);
	vm_destroy(&vm);
}

/*
 * GHCB version 1 (KVM before 6.10): the AP_HLT_LOOP event through this vCPU's GHCB page, with
 * paging on (compatibility mode) and the page mapped without the C-bit. C-bit 32 here: RAM is
 * aliased at 4 GiB, as emulated mode aliases it at 1 << cbit.
 */
#define CBIT32_ALIAS (1ull << 32)
static void ghcb_v1_hlt_loop_then_bringup(void **state)
{
	struct vm vm;
	vm_create(&vm, AP_HDR_F_GHCB_HOLD, 1);
	struct kvm_userspace_memory_region alias = {.slot = 1,
	                                            .guest_phys_addr = CBIT32_ALIAS,
	                                            .memory_size = RAM_SIZE,
	                                            .userspace_addr = (uintptr_t)vm.ram};
	assert_int_equal(ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &alias), 0);
	answer_ghcb_rdmsr(&vm, 0x0001000120000001ull); /* SEV_INFO: max 1, min 1, C-bit 32 */

	const uint64_t ghcb = AP_IDLE_GHCB_GPA(AP_INDEX);
	/* The page's GPA, C-bit clear. */
	struct kvm_regs r = expect_ghcb_wrmsr_then_vmgexit(&vm, ghcb);
	struct kvm_sregs s;
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_SREGS, &s), 0);
	assert_true(s.cr0 & 0x80000000u);
	assert_true((s.efer & 0x500) == 0x500); /* LME and LMA */
	assert_int_equal(s.cs.l, 0);            /* compatibility mode */
	assert_int_equal(s.cr3, AP_IDLE_GPA + AP_IDLE_PML4_OFFSET);

	/* The request, as KVM's sev_es_validate_vmgexit wants it. */
	uint64_t code, info1, info2;
	const uint8_t *g = vm.ram + ghcb;
	memcpy(&code, g + 0x390, 8);
	memcpy(&info1, g + 0x398, 8);
	memcpy(&info2, g + 0x3a0, 8);
	assert_int_equal(code, 0x80000004u);
	assert_int_equal(info1, 0);
	assert_int_equal(info2, 0);
	assert_int_equal(g[0x3f0 + 14], 0x1c);
	assert_int_equal(g[0xffa] | g[0xffb] << 8, 1);
	/* The tables: the AP area private (C-bit 32 = bit 0 of the high dword), GHCBs shared. */
	const uint32_t *pt = (const uint32_t *)(vm.ram + AP_IDLE_GPA + AP_IDLE_PT_OFFSET);
	assert_int_equal(pt[(AP_AREA_GPA >> 12) * 2] & ~0x60u, AP_AREA_GPA | 3); /* A/D aside */
	assert_int_equal(pt[(AP_AREA_GPA >> 12) * 2 + 1], 1);
	assert_int_equal(pt[(ghcb >> 12) * 2] & ~0x60u, ghcb | 3);
	assert_int_equal(pt[(ghcb >> 12) * 2 + 1], 0);
	assert_int_equal(pt[(PVH_SEV_MPTABLE_GPA >> 12) * 2], 0);

	/* A SIPI releases the hold (sw_exit_info_2 = 1): paging off, then the slot's request. */
	info2 = 1;
	memcpy(vm.ram + ghcb + 0x3a0, &info2, 8);
	release_into_bringup(&vm, r);
	assert_int_equal(ioctl(vm.vcpu, KVM_GET_SREGS, &s), 0);
	assert_int_equal(s.efer & 0x500, 0);
	assert_int_equal(s.cr0 & 0x80000000u, 0);
	assert_int_equal(slot(&vm)->state, AP_SLOT_RUNNING);
	vm_destroy(&vm);
}

/* Version 1 without the SEV_INFO value in the MSR: the stub asks with the MSR protocol. */
static void ghcb_v1_asks_sev_info(void **state)
{
	struct vm vm;
	vm_create(&vm, AP_HDR_F_GHCB_HOLD, 1);
	answer_ghcb_rdmsr(&vm, 0x1007); /* what an earlier MSR hold left */
	assert_int_equal(vm_run(&vm), KVM_EXIT_X86_WRMSR);
	assert_int_equal(vm.run->msr.data, 0x002); /* SEV_INFO request */
	vm_destroy(&vm);
}

int main(void)
{
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		return 77;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(idle_without_request_halts_in_off_mode),
	    cmocka_unit_test(bringup_32bit_flat),
	    cmocka_unit_test(validation_failures),
	    cmocka_unit_test(bringup_64bit),
	    cmocka_unit_test(jump_table_enters_real_mode),
	    cmocka_unit_test(ghcb_reset_hold_then_bringup),
	    cmocka_unit_test(ghcb_v1_hlt_loop_then_bringup),
	    cmocka_unit_test(ghcb_v1_asks_sev_info),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	close(kvm_fd);
	return rc;
}
