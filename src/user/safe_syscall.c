/*
 * Blocking host system calls that cannot miss a guest signal.
 *
 * The race: a signal arrives after the run loop last looked at the pending
 * sets but before a blocking host call (futex wait, wait4, read...) has
 * started; its host handler only records it, the call then sleeps, and the
 * guest handler runs late or never.  The cure (the same idea as qemu's
 * safe_syscall): the call is made from a tiny assembly routine that checks
 * the thread's exit_request flag immediately before the `syscall`
 * instruction, and the host signal handlers (usig_async_handler) move a
 * thread whose instruction pointer is still between that check and the
 * `syscall` to a path that returns -EINTR.  Once the kernel has entered the
 * call, the signal interrupts it the ordinary way (EINTR, since our host
 * handlers have no SA_RESTART).  The run loop then delivers the signal and
 * restarts the call if the guest's SA_RESTART says so.
 */
#include <errno.h>
#include <ucontext.h>

#include "user/uproc_priv.h"

long safe_syscall_asm(volatile int *flag, long nr, long a1, long a2, long a3, long a4,
		      long a5, long a6);
extern const char safe_syscall_start[], safe_syscall_end[], safe_syscall_eintr[];

/* x86-64 SysV: flag=rdi nr=rsi a1=rdx a2=rcx a3=r8 a4=r9 a5,a6 on the stack;
 * kernel: nr=rax, args rdi rsi rdx r10 r8 r9.  Returns -errno itself. */
__asm__(
	".text\n"
	".globl safe_syscall_asm\n"
	".type safe_syscall_asm, @function\n"
	"safe_syscall_asm:\n"
	"	mov %rsi, %rax\n"
	"	mov %rdi, %r11\n"
	"	mov %rdx, %rdi\n"
	"	mov %rcx, %rsi\n"
	"	mov %r8, %rdx\n"
	"	mov %r9, %r10\n"
	"	mov 8(%rsp), %r8\n"
	"	mov 16(%rsp), %r9\n"
	".globl safe_syscall_start\n"
	"safe_syscall_start:\n"
	"	cmpl $0, (%r11)\n"
	"	jnz safe_syscall_eintr\n"
	"	syscall\n"
	".globl safe_syscall_end\n"
	"safe_syscall_end:\n"
	"	ret\n"
	".globl safe_syscall_eintr\n"
	"safe_syscall_eintr:\n"
	"	mov $-4, %rax\n"   /* -EINTR */
	"	ret\n"
	".size safe_syscall_asm, .-safe_syscall_asm\n");

long uproc_blocking_syscall(struct uthread *t, long nr, long a1, long a2, long a3, long a4,
			    long a5, long a6)
{
	return safe_syscall_asm(&t->cpu.exit_request, nr, a1, a2, a3, a4, a5, a6);
}

void safe_syscall_adjust(void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t ip = uc->uc_mcontext.gregs[REG_RIP];
	if (ip >= (greg_t)safe_syscall_start && ip < (greg_t)safe_syscall_end)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)safe_syscall_eintr;
}
