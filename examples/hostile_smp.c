/* SPDX-License-Identifier: MIT */
/*
 * Hostile bring-up and vCPU cases: garbage bring-up slots, doorbells for missing, running and
 * parked vCPUs, INIT storms at APs, an exit-port flood from every vCPU, a triple fault from an
 * AP, an endless loop. APs run in 32-bit mode from their slot, each on its own stack.
 */
#include "examples/hostile.h"
#include "examples/smp.h"

#define HOSTILE_MAX_CPUS 8u
#define HOSTILE_STACK 1024u
#define HOSTILE_SPIN (1u << 22)      /* waits that should end early: an AP reporting */
#define HOSTILE_SPIN_SHORT (1u << 18) /* waits that should run out: an AP that must not run */
#define HOSTILE_RINGS (1u << 16)      /* doorbells while an AP is between wake and park */
#define EXIT_FLOOD_VALUE 9u

static uint8_t ap_stacks[HOSTILE_MAX_CPUS][HOSTILE_STACK] __attribute__((aligned(16)));
static volatile uint32_t ap_alive[HOSTILE_MAX_CPUS];
static volatile uint32_t flood_go;

uint32_t hostile_doorbell(uint32_t n)
{
	pvh_outl(PVH_SEV_AP_DOORBELL_PORT, n);
	return hostile_inl(PVH_SEV_AP_DOORBELL_PORT);
}

uint32_t hostile_start_ap(uint32_t n, void (*fn)(uint32_t))
{
	struct ap_slot *s = hostile_slot(n);
	uint32_t *sp = (uint32_t *)(uintptr_t)&ap_stacks[n][HOSTILE_STACK - 8];
	sp[0] = 0; /* no return address: the AP functions never return */
	sp[1] = n; /* fn's argument, as the 32-bit C calling convention passes it */
	smp_slot_fill32(s, (uint32_t)(uintptr_t)fn, (uint32_t)(uintptr_t)sp, n, n);
	__asm__ volatile("" ::: "memory");
	s->state = AP_SLOT_UP_REQUESTED;
	return hostile_doorbell(n);
}

static int wait_u32_for(const volatile uint32_t *p, uint32_t want, uint32_t spins)
{
	for (uint32_t i = 0; i < spins; i++) {
		if (*p >= want)
			return 0;
		hostile_pause();
	}
	return -1;
}

int hostile_wait_u32(const volatile uint32_t *p, uint32_t want)
{
	return wait_u32_for(p, want, HOSTILE_SPIN);
}

/* Starts AP n at fn and says whether it ran: "running", "silent", or the doorbell's refusal. */
static void start_report(const char *name, uint32_t n, void (*fn)(uint32_t))
{
	uint32_t db = hostile_start_ap(n, fn);
	pvh_printf("hostile: %s: start AP %u -> %u, %s\n", name, n, db,
		   db != AP_DB_OK ? "not started" : hostile_wait_u32(&ap_alive[n], 1) ? "silent" : "running");
}

static uint32_t wait_slot_leaves(uint32_t n, uint32_t from)
{
	uint32_t s = from;
	for (uint32_t i = 0; i < HOSTILE_SPIN && s == from; i++) {
		hostile_pause();
		s = hostile_slot(n)->state;
	}
	return s;
}

/* --- what the APs run --------------------------------------------------------------------- */

static void ap_spin(uint32_t n)
{
	__atomic_fetch_add(&ap_alive[n], 1, __ATOMIC_SEQ_CST);
	for (;;)
		hostile_pause();
}

static void ap_hlt(uint32_t n)
{
	__atomic_fetch_add(&ap_alive[n], 1, __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Parks in the GHCB AP reset hold; every wake (a doorbell) counts once and parks again. */
static void ap_hold(uint32_t n)
{
	for (;;) {
		__atomic_fetch_add(&ap_alive[n], 1, __ATOMIC_SEQ_CST);
		hostile_wrmsr_vmgexit(0x006);
	}
}

static void ap_exit_flood(uint32_t n)
{
	__atomic_fetch_add(&ap_alive[n], 1, __ATOMIC_SEQ_CST);
	while (!flood_go)
		hostile_pause();
	for (;;)
		pvh_outl(PVH_SEV_DEBUG_EXIT_PORT, EXIT_FLOOD_VALUE);
}

struct idt_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static void ap_triple(uint32_t n)
{
	static const struct idt_ptr empty = {0, 0};
	__atomic_fetch_add(&ap_alive[n], 1, __ATOMIC_SEQ_CST);
	/* With no IDT, #UD escalates to #DF and then to a shutdown. */
	__asm__ volatile("lidt %0\n\tud2" : : "m"(empty));
	for (;;)
		;
}

static int need_vcpus(const struct hostile_env *e, const char *name, uint32_t want)
{
	if (e->nr_vcpus >= want && e->nr_vcpus <= HOSTILE_MAX_CPUS)
		return 0;
	pvh_printf("hostile: %s: needs %u to %u vCPUs (--smp), has %u\n", name, want,
		   HOSTILE_MAX_CPUS, e->nr_vcpus);
	return 2;
}

/* --- the cases ---------------------------------------------------------------------------- */

int hostile_slots(const struct hostile_env *e)
{
	if (need_vcpus(e, "slots", 5))
		return 2;
	struct ap_slot *s1 = hostile_slot(1), *s2 = hostile_slot(2), *s3 = hostile_slot(3);
	memset(&s1->ctx, 0xff, sizeof(s1->ctx));
	s1->reason = 0xffffffffu;
	s1->state = AP_SLOT_UP_REQUESTED;
	uint32_t db = hostile_doorbell(1);
	uint32_t st = wait_slot_leaves(1, AP_SLOT_UP_REQUESTED);
	pvh_printf("hostile: slots: all-ones context -> doorbell %u, state %u, reason %u\n", db, st,
		   s1->reason);
	memset(&s2->ctx, 0, sizeof(s2->ctx));
	s2->state = AP_SLOT_UP_REQUESTED;
	db = hostile_doorbell(2);
	st = wait_slot_leaves(2, AP_SLOT_UP_REQUESTED);
	pvh_printf("hostile: slots: all-zero context -> doorbell %u, state %u, reason %u\n", db, st,
		   s2->reason);
	/* A good context under a state word that is no request: the stub must not take it. */
	uint32_t *sp = (uint32_t *)(uintptr_t)&ap_stacks[3][HOSTILE_STACK - 8];
	sp[0] = 0;
	sp[1] = 3;
	smp_slot_fill32(s3, (uint32_t)(uintptr_t)ap_spin, (uint32_t)(uintptr_t)sp, 3, 3);
	s3->state = 0x5a5a5a5au;
	db = hostile_doorbell(3);
	int silent = wait_u32_for(&ap_alive[3], 1, HOSTILE_SPIN_SHORT);
	pvh_printf("hostile: slots: state 0x5a5a5a5a -> doorbell %u, AP 3 %s, state 0x%x\n", db,
		   silent ? "never ran" : "ran", s3->state);
	start_report("slots", 4, ap_spin);
	return 0;
}

static void ring_many(const char *what, uint32_t n, unsigned times)
{
	uint32_t first = hostile_doorbell(n), same = 1;
	for (unsigned i = 1; i < times; i++)
		same += hostile_doorbell(n) == first;
	pvh_printf("hostile: doorbells: %s -> %u (%u of %u the same)\n", what, first, same, times);
}

static void wake_parked(uint32_t n, unsigned times)
{
	unsigned woken = 0, busy = 0;
	for (unsigned i = 0; i < times; i++) {
		uint32_t a;
		/* Until it parks again, the AP is running: already started. */
		while ((a = hostile_doorbell(n)) == AP_DB_ALREADY_STARTED && busy < HOSTILE_RINGS)
			busy++;
		if (a != AP_DB_OK || hostile_wait_u32(&ap_alive[n], i + 2))
			break;
		woken++;
	}
	pvh_printf("hostile: doorbells: parked AP %u woken %u of %u times\n", n, woken, times);
}

int hostile_doorbells(const struct hostile_env *e)
{
	if (need_vcpus(e, "doorbells", 4))
		return 2;
	static const uint32_t missing[] = {0, 0, 255, 256, 0x80000000u, 0xffffffffu};
	for (unsigned i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		uint32_t n = i == 0 ? e->nr_vcpus : i == 1 ? e->nr_vcpus + 1 : missing[i];
		pvh_printf("hostile: doorbells: missing vCPU %u -> %u\n", n, hostile_doorbell(n));
	}
	ring_many("BSP", 0, 100);
	start_report("doorbells", 1, ap_spin);
	ring_many("running AP 1", 1, 1000);
	__asm__ volatile("outw %w0, %w1" : : "a"(2), "Nd"(PVH_SEV_AP_DOORBELL_PORT));
	pvh_printf("hostile: doorbells: 2-byte OUT -> %u\n", hostile_inl(PVH_SEV_AP_DOORBELL_PORT));
	if (e->sev) {
		start_report("doorbells", 2, ap_hold);
		wake_parked(2, 50);
	} else {
		start_report("doorbells", 2, ap_hlt);
		ring_many("halted AP 2", 2, 100);
	}
	/* AP 3 was never started: the doorbell starts it, the stub finds no request and idles. */
	hostile_slot(3)->state = AP_SLOT_STOPPED;
	pvh_printf("hostile: doorbells: stopped AP 3, slot not requested -> %u\n",
		   hostile_doorbell(3));
	return 0;
}

#define LAPIC_BASE 0xfee00000u
#define LAPIC_SVR 0xf0u
#define LAPIC_ICR_LO 0x300u
#define LAPIC_ICR_HI 0x310u
#define ICR_INIT_ASSERT 0x4500u
#define ICR_ALL_BUT_SELF (3u << 18)

static void lapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = v;
}

static void init_storm(uint32_t apic_id, unsigned times)
{
	for (unsigned i = 0; i < times; i++) {
		lapic_write(LAPIC_ICR_HI, apic_id << 24);
		lapic_write(LAPIC_ICR_LO, ICR_INIT_ASSERT);
	}
}

/* The all-excluding-self shorthand: every AP at once, never the BSP itself. */
static void init_storm_others(unsigned times)
{
	for (unsigned i = 0; i < times; i++)
		lapic_write(LAPIC_ICR_LO, ICR_INIT_ASSERT | ICR_ALL_BUT_SELF);
}

int hostile_init_storm(const struct hostile_env *e)
{
	if (need_vcpus(e, "init-storm", 5))
		return 2;
	lapic_write(LAPIC_SVR, 0x1ff); /* software-enable the BSP's xAPIC */
	start_report("init-storm", 1, ap_spin);
	start_report("init-storm", 2, e->sev ? ap_hold : ap_hlt);
	init_storm(1, 1000);
	init_storm(2, 1000);
	init_storm(3, 1000); /* never started */
	init_storm_others(100);
	pvh_printf("hostile: init-storm: 3100 INITs sent\n");
	pvh_printf("hostile: init-storm: doorbell AP 1 -> %u, AP 2 -> %u\n", hostile_doorbell(1),
		   hostile_doorbell(2));
	start_report("init-storm", 3, ap_spin);
	start_report("init-storm", 4, ap_spin);
	return 0;
}

int hostile_exit_flood(const struct hostile_env *e)
{
	if (need_vcpus(e, "exit-flood", 2))
		return 2;
	for (uint32_t n = 1; n < e->nr_vcpus; n++) {
		hostile_start_ap(n, ap_exit_flood);
		if (hostile_wait_u32(&ap_alive[n], 1))
			pvh_printf("hostile: exit-flood: AP %u silent\n", n);
	}
	pvh_printf("hostile: exit-flood: %u vCPUs write %u to port 0x%x\n", e->nr_vcpus,
		   EXIT_FLOOD_VALUE, PVH_SEV_DEBUG_EXIT_PORT);
	flood_go = 1;
	/* The BSP too: a string OUT of one page of the value, then single OUTs. */
	static uint8_t page[4096];
	memset(page, EXIT_FLOOD_VALUE, sizeof(page));
	uint32_t si = (uint32_t)(uintptr_t)page, cx = sizeof(page);
	__asm__ volatile("rep outsb" : "+S"(si), "+c"(cx) : "d"(PVH_SEV_DEBUG_EXIT_PORT) : "memory");
	for (;;)
		pvh_outl(PVH_SEV_DEBUG_EXIT_PORT, EXIT_FLOOD_VALUE);
}

int hostile_ap_triple(const struct hostile_env *e)
{
	if (need_vcpus(e, "ap-triple", 2))
		return 2;
	pvh_printf("hostile: ap-triple: AP 1 faults with no IDT\n");
	hostile_start_ap(1, ap_triple);
	for (;;) /* only the VMM can end this run */
		hostile_pause();
}

int hostile_spin(const struct hostile_env *e)
{
	for (uint32_t n = 1; n < e->nr_vcpus && n < HOSTILE_MAX_CPUS; n++)
		hostile_start_ap(n, n & 1 ? ap_spin : ap_hlt);
	pvh_printf("hostile: spin: %u vCPUs loop for ever\n", e->nr_vcpus);
	__asm__ volatile("cli");
	for (;;)
		;
}
