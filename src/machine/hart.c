/*
 * A hart's host thread: run guest code, and when the core comes back
 * (a kick, or WFI) look at the machine's state and sleep until an
 * interrupt can be due.  Sleeping uses a futex on the hart's irq_kick word,
 * which every interrupt source sets before waking it, so no wake-up is lost
 * between "nothing pending" and going to sleep.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "machine/virt.h"

/* Longest WFI sleep without a deadline: the ticker kicks sooner anyway. */
#define WFI_MAX_NS 10000000ULL

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void futex_wait_ns(volatile int *word, int expect, uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ULL),
			       .tv_nsec = (long)(ns % 1000000000ULL) };
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expect, &ts, NULL, 0);
}

void virt_kick_hart(struct virt_machine *vm, int h)
{
	struct rv_cpu *cpu = &vm->harts[h].cpu;
	cpu->exit_request = 1;
	__atomic_store_n(&cpu->priv.irq_kick, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &cpu->priv.irq_kick, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* The host time at which this hart's next timer interrupt is due. */
static uint64_t next_deadline(struct virt_hart *h)
{
	struct virt_machine *vm = h->vm;
	uint64_t d = clint_deadline_ns(&vm->clint, h->id);
	const struct rv_priv *p = &h->cpu.priv;
	if (p->menvcfg & (1ULL << 63)) {
		uint64_t s = clint_ticks_to_host_ns(&vm->clint, p->stimecmp);
		if (s < d)
			d = s;
	}
	return d;
}

static void wait_for_interrupt(struct virt_hart *h)
{
	struct rv_cpu *cpu = &h->cpu;
	__atomic_store_n(&cpu->priv.irq_kick, 0, __ATOMIC_SEQ_CST);
	/* Anything that became pending before the store above is seen here;
	 * anything after sets irq_kick and the futex wait returns at once. */
	clint_update(&h->vm->clint);
	if ((rv_mip_read(cpu) & cpu->priv.mie) || h->vm->stop)
		return;
	uint64_t now = now_ns(), deadline = next_deadline(h);
	if (deadline <= now)
		return;
	uint64_t ns = deadline - now;
	if (ns > WFI_MAX_NS)
		ns = WFI_MAX_NS;
	__atomic_store_n(&cpu->priv.wfi, true, __ATOMIC_RELEASE);
	futex_wait_ns(&cpu->priv.irq_kick, 0, ns);
	__atomic_store_n(&cpu->priv.wfi, false, __ATOMIC_RELEASE);
}

void *virt_hart_main(void *arg)
{
	struct virt_hart *h = arg;
	struct virt_machine *vm = h->vm;
	struct rv_cpu *cpu = &h->cpu;
	while (!vm->stop) {
		if (!virt_control_pause_point(h))   /* parks here while paused */
			break;
		cpu->exit_request = 0;
		enum rv_exit r = rv_run_system(cpu);
		if (r == RV_EXIT_WFI)
			wait_for_interrupt(h);
		else if (r != RV_EXIT_INTERRUPT) {
			char msg[128];
			snprintf(msg, sizeof(msg), "hart %d: emulator fault at pc 0x%" PRIx64
				 " (exit %d, tval 0x%" PRIx64 ")", h->id, cpu->pc, (int)r, cpu->tval);
			virt_request_exit(vm, 1, msg);
		}
	}
	return NULL;
}
