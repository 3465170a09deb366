// SPDX-License-Identifier: MIT
#include "vmm/run.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "vmm/ap_hw_doorbell.h"
#include "vmm/ap_start.h"
#include "vmm/exit_dispatch.h"
#include "vmm/log.h"
#include "vmm/vcpu_states.h"
#include "vmm/sandbox.h"
#include "vmm/vm.h"

static void kick_handler(int sig)
{
	(void)sig;
}

int run_install_kick_signal(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler; /* no SA_RESTART: KVM_RUN must return EINTR */
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGUSR1, &sa, NULL) ? -errno : 0;
}

/*
 * On hardware SEV-ES, KVM fails KVM_RUN with EINVAL for a GHCB request it will not serve
 * (UNSUPPORTED_EVENT, malformed requests): the guest's doing, mapped to the same status as
 * emulated mode's termination (docs/ghcb.md).
 */
static void vcpu_run_failed(struct vcpu *v, int err)
{
	if (v->vm->sev_hw && err == EINVAL)
		vm_end(v->vm, ENDING_GUEST_TERM, PVH_EXIT_GUEST_TERM,
		       "vCPU %u: KVM_RUN failed with EINVAL: KVM refused the guest's GHCB request",
		       v->index);
	else
		vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR, "vCPU %u: KVM_RUN: %s",
		       v->index, strerror(err));
}

void vcpu_run_loop(struct vcpu *v)
{
	struct vm *vm = v->vm;
	int r;
	while (!vm_ended(vm)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			/* EINTR: kicked; EAGAIN: a waiting AP got INIT or SIPI (host.md). */
			if (errno == EINTR || errno == EAGAIN) {
				v->run->immediate_exit = 0;
				if (vm->sev_hw)
					ap_hw_answer_probe(v);
				if (atomic_load(&v->state) == VCPU_WAITING && (r = ap_wakeup(v)))
					vm_end(vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
					       "vCPU %u: starting: %s", v->index, strerror(-r));
				continue;
			}
			vcpu_run_failed(v, errno);
			break;
		}
		v->exits++;
		if (vcpu_handle_exit(v) == EXIT_STOP)
			break;
	}
	atomic_store(&v->state, VCPU_STOPPED);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	int r = sandbox_enter(SANDBOX_VCPU);
	if (r) /* the loop then only marks the vCPU stopped */
		vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR, "vCPU %u: sandbox: %s",
		       v->index, strerror(-r));
	vcpu_run_loop(v);
	return NULL;
}

static void wait_for_ending(struct vm *vm)
{
	struct timespec deadline;
	double timeout = vm->cfg->timeout;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	if (timeout > 0) {
		double whole = floor(timeout);
		deadline.tv_sec += (time_t)whole;
		deadline.tv_nsec += (long)((timeout - whole) * 1e9);
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&vm->lock);
	while (atomic_load(&vm->ending) == ENDING_NONE) {
		if (timeout <= 0) {
			pthread_cond_wait(&vm->ended_cond, &vm->lock);
		} else if (pthread_cond_timedwait(&vm->ended_cond, &vm->lock, &deadline) ==
			   ETIMEDOUT) {
			pthread_mutex_unlock(&vm->lock);
			char states[400];
			vm_vcpu_states(vm, states, sizeof(states));
			vm_end(vm, ENDING_TIMEOUT, PVH_EXIT_TIMEOUT, "timeout after %g s (vCPUs %s)",
			       timeout, states);
			return;
		}
	}
	pthread_mutex_unlock(&vm->lock);
}

int vm_run(struct vm *vm)
{
	/* The BSP's thread last: a doorbell from it must find every AP's thread_started set,
	 * or vcpu_kick() sends no signal to an AP already blocked in KVM_RUN (a lost start). */
	for (unsigned i = vm->nvcpus; i-- > 0;) {
		struct vcpu *v = &vm->vcpus[i];
		int r = pthread_create(&v->thread, NULL, vcpu_thread, v);
		if (r) {
			vm_end(vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
			       "cannot start the thread of vCPU %u: %s", i, strerror(r));
			break;
		}
		v->thread_started = true;
		if (vm_ended(vm))
			vcpu_kick(v);
	}
	/* Every thread is started: the main thread narrows to what it still does. */
	int r = sandbox_enter(SANDBOX_MAIN);
	if (r)
		vm_end(vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR, "sandbox: %s", strerror(-r));
	wait_for_ending(vm);
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		if (v->thread_started) {
			vcpu_kick(v);
			pthread_join(v->thread, NULL);
			v->thread_started = false;
		}
	}
	vlog(vm, 1, "run ended: %s (%s), status %d", vm_ending_name(vm->ending),
	     vm->ending_detail, vm->exit_status);
	return vm->exit_status;
}
