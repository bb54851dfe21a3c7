/*
 * The riscv64 signal frame: what the kernel's setup_rt_frame writes on the
 * guest stack before entering a handler, and what rt_sigreturn reads back.
 *
 *   frame:        struct siginfo (128 bytes)
 *   frame + 128:  struct ucontext { uc_flags, uc_link, uc_stack,
 *                 uc_sigmask (8 bytes + padding to 1024 bits),
 *                 uc_mcontext at +176 = struct sigcontext {
 *                   pc, x1..x31 (256 bytes),
 *                   union __riscv_fp_state: f[32] then fcsr (D layout) } }
 *
 * The frame is 16-byte aligned below the interrupted sp (or at the top of
 * the alternate stack for SA_ONSTACK), ra points at our sigreturn
 * trampoline, a0/a1/a2 = signo, &siginfo, &ucontext.  Offsets were checked
 * against riscv64 glibc's ucontext_t (size 960, uc_mcontext at 176).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "user/uproc_priv.h"

#define FRAME_UC 128
#define UC_STACK 16
#define UC_SIGMASK 40
#define UC_MCONTEXT 176
#define MC_FP 256
#define UC_SIZE 960
#define FRAME_SIZE (FRAME_UC + UC_SIZE)

static bool on_altstack(const struct uthread *t, uint64_t sp)
{
	return t->sigaltstack_size && sp > t->sigaltstack_sp &&
	       sp - t->sigaltstack_sp <= t->sigaltstack_size;
}

static void fill_ucontext(struct uthread *t, uint8_t *uc, uint64_t mask, uint64_t sp)
{
	const struct rv_cpu *c = &t->cpu;
	uint64_t ss[3] = { t->sigaltstack_sp,
			   on_altstack(t, sp) ? SS_ONSTACK : (t->sigaltstack_size ? 0 : SS_DISABLE),
			   t->sigaltstack_size };
	memcpy(uc + UC_STACK, ss, sizeof(ss));
	memcpy(uc + UC_SIGMASK, &mask, 8);
	uint64_t *regs = (uint64_t *)(uc + UC_MCONTEXT);
	regs[0] = c->pc;
	memcpy(&regs[1], &c->x[1], 31 * 8);
	memcpy(uc + UC_MCONTEXT + MC_FP, c->f, 32 * 8);
	uint32_t fcsr = (c->fflags & 0x1f) | (c->frm & 7) << 5;
	memcpy(uc + UC_MCONTEXT + MC_FP + 256, &fcsr, 4);
}

/* Build the frame and enter the handler; false if the stack is unusable. */
bool usig_frame_push(struct uthread *t, int sig, const struct uproc_sigaction *act,
		     const uint64_t info[16], uint64_t saved_mask)
{
	struct rv_cpu *c = &t->cpu;
	uint64_t sp = c->x[2];
	if ((act->flags & SA_ONSTACK) && t->sigaltstack_size && !on_altstack(t, sp))
		sp = t->sigaltstack_sp + t->sigaltstack_size;
	uint64_t frame = (sp - FRAME_SIZE) & ~15ULL;
	uint8_t *buf = calloc(1, FRAME_SIZE);
	if (!buf)
		return false;
	memcpy(buf, info, 128);
	fill_ucontext(t, buf + FRAME_UC, saved_mask, c->x[2]);
	bool ok = sp >= FRAME_SIZE && uproc_write(t->proc, frame, buf, FRAME_SIZE) == 0;
	free(buf);
	if (!ok)
		return false;
	c->x[1] = t->proc->sigreturn_tramp;
	c->x[2] = frame;
	c->x[10] = (uint64_t)sig;
	c->x[11] = frame;
	c->x[12] = frame + FRAME_UC;
	c->pc = act->handler;
	c->res_valid = false;
	if ((t->sigaltstack_flags & USIG_SS_AUTODISARM) && on_altstack(t, frame + 1)) {
		t->sigaltstack_sp = 0;
		t->sigaltstack_size = 0;
	}
	return true;
}

long usig_sigreturn(struct uthread *t)
{
	struct rv_cpu *c = &t->cpu;
	uint8_t uc[UC_SIZE];
	if (uproc_read(t->proc, uc, c->x[2] + FRAME_UC, sizeof(uc)))
		usig_die(SIGSEGV);
	const uint64_t *regs = (const uint64_t *)(uc + UC_MCONTEXT);
	c->pc = regs[0];
	memcpy(&c->x[1], &regs[1], 31 * 8);
	c->x[0] = 0;
	memcpy(c->f, uc + UC_MCONTEXT + MC_FP, 32 * 8);
	uint32_t fcsr;
	memcpy(&fcsr, uc + UC_MCONTEXT + MC_FP + 256, 4);
	c->fflags = fcsr & 0x1f;
	c->frm = (fcsr >> 5) & 7;
	c->res_valid = false;
	uint64_t mask;
	memcpy(&mask, uc + UC_SIGMASK, 8);
	pthread_mutex_lock(&t->proc->sig_lock);
	t->sigmask = mask & ~USIG_UNBLOCKABLE;
	pthread_mutex_unlock(&t->proc->sig_lock);
	t->regs_set = true;
	return (long)c->x[10];
}
