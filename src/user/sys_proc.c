/*
 * Process and thread system calls: clone/clone3 (threads on new host
 * pthreads, processes with host fork), exit/exit_group, wait4/waitid,
 * set_tid_address, futex, robust lists, gettid.  execve lives in
 * sys_exec.c.
 *
 * Guest threads are host threads and guest tids are host tids, so futex
 * words (including PI futexes holding tids) pass straight to the host
 * futex on the host address of the word.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/syscall.h"
#include "user/uproc_priv.h"

#define THREAD_HOST_STACK (4UL << 20)

struct clone_req {
	uint64_t flags, stack, ptid, tls, ctid;
};

struct uthread *uthread_alloc(struct uproc *p)
{
	struct uthread *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (rv_cpu_init(&t->cpu)) {
		free(t);
		return NULL;
	}
	t->proc = p;
	t->cpu.guest_base = p->window;
	t->cpu.guest_limit = UPROC_WINDOW;
	t->cpu.opaque = t;
	return t;
}

void uthread_link(struct uproc *p, struct uthread *t)
{
	pthread_mutex_lock(&p->threads_lock);
	t->next = p->threads;
	p->threads = t;
	p->live_threads++;
	pthread_mutex_unlock(&p->threads_lock);
}

struct uthread *uthread_find_locked(struct uproc *p, pid_t tid)
{
	for (struct uthread *t = p->threads; t; t = t->next)
		if (t->tid == tid && !t->exiting)
			return t;
	return NULL;
}

bool uthread_exists(struct uproc *p, pid_t tid)
{
	pthread_mutex_lock(&p->threads_lock);
	bool found = uthread_find_locked(p, tid) != NULL;
	pthread_mutex_unlock(&p->threads_lock);
	return found;
}

/* A finished non-leader thread leaves the list and is freed, so programs
 * that create many short threads do not grow.  Everyone else reaches
 * other threads' structures only under threads_lock. */
static void uthread_free(struct uthread *t)
{
	struct uproc *p = t->proc;
	pthread_mutex_lock(&p->threads_lock);
	for (struct uthread **at = &p->threads; *at; at = &(*at)->next) {
		if (*at == t) {
			*at = t->next;
			break;
		}
	}
	pthread_mutex_unlock(&p->threads_lock);
	uthread_self = NULL;
	usig_thread_free(t);
	free(t);
}

static void wake_clear_tid(struct uthread *t)
{
	uint32_t zero = 0;
	if (!t->clear_child_tid || uproc_write(t->proc, t->clear_child_tid, &zero, 4))
		return;
	syscall(SYS_futex, uproc_ptr(t->proc, t->clear_child_tid, 4), FUTEX_WAKE, 1, NULL, NULL, 0);
}

void uthread_exit(struct uthread *t, int code)
{
	struct uproc *p = t->proc;
	wake_clear_tid(t);
	pthread_mutex_lock(&p->threads_lock);
	t->exiting = true;
	t->exit_code = code;
	if (t->tid == getpid())
		p->leader_exit_code = code;
	int live = --p->live_threads;
	int status = p->leader_exit_code;
	pthread_mutex_unlock(&p->threads_lock);
	/* The last thread out ends the process with the leader's status, as
	 * Linux reports it for a group that left through plain exit(). */
	if (live == 0)
		_exit(status & 0xff);
}

static long sys_exit(struct uthread *t, const uint64_t a[6])
{
	uthread_exit(t, (int)a[0] & 0xff);
	return 0;
}

static long sys_exit_group(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	_exit((int)a[0] & 0xff);
}

/* ---- threads ---- */

struct thread_start {
	struct uthread *t;
	struct clone_req req;
	pid_t tid;
	sem_t ready;
};

static void *thread_main(void *arg)
{
	struct thread_start *s = arg;
	struct uthread *t = s->t;
	struct uproc *p = t->proc;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	t->tid = tid;
	if (s->req.flags & CLONE_CHILD_SETTID)
		uproc_write(p, s->req.ctid, &tid, 4);
	if (s->req.flags & CLONE_PARENT_SETTID)
		uproc_write(p, s->req.ptid, &tid, 4);
	s->tid = tid;
	sem_post(&s->ready);   /* s belongs to the parent from here on */
	fault_thread_init(t);
	usig_thread_start(t);
	uthread_run(t);
	usig_rekick_fini();
	rv_cpu_destroy(&t->cpu);
	fault_thread_fini(t);
	uthread_free(t);
	return NULL;
}

static long new_thread(struct uthread *parent, const struct clone_req *req)
{
	struct uproc *p = parent->proc;
	struct uthread *t = uthread_alloc(p);
	if (!t)
		return -ENOMEM;
	memcpy(t->cpu.x, parent->cpu.x, sizeof(t->cpu.x));
	memcpy(t->cpu.f, parent->cpu.f, sizeof(t->cpu.f));
	t->cpu.fflags = parent->cpu.fflags;
	t->cpu.frm = parent->cpu.frm;
	t->cpu.pc = parent->cpu.pc + 4;
	t->cpu.x[10] = 0;
	if (req->stack)
		t->cpu.x[2] = req->stack;
	if (req->flags & CLONE_SETTLS)
		t->cpu.x[4] = req->tls;
	t->sigmask = parent->sigmask;
	if (req->flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = req->ctid;

	struct thread_start s = { .t = t, .req = *req };
	sem_init(&s.ready, 0, 0);
	uthread_link(p, t);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, THREAD_HOST_STACK);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);   /* the child unblocks when ready */
	int err = pthread_create(&t->host_thread, &attr, thread_main, &s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		pthread_mutex_lock(&p->threads_lock);
		t->exiting = true;
		p->live_threads--;
		pthread_mutex_unlock(&p->threads_lock);
		sem_destroy(&s.ready);
		return -err;
	}
	while (sem_wait(&s.ready) && errno == EINTR)
		;
	sem_destroy(&s.ready);
	return s.tid;   /* t may already be gone */
}

/* ---- processes ---- */

/* After fork, only the calling thread exists in the child. */
static void child_after_fork(struct uthread *t, const struct clone_req *req)
{
	struct uproc *p = t->proc;
	t->tid = (pid_t)syscall(SYS_gettid);
	t->next = NULL;
	p->threads = t;
	p->live_threads = 1;
	p->sig_pending = 0;
	t->sig_pending = 0;
	p->rt_queue = NULL;   /* the parent's queued signals are not the child's */
	t->rt_queue = NULL;
	if (req->stack)
		t->cpu.x[2] = req->stack;
	if (req->flags & CLONE_SETTLS)
		t->cpu.x[4] = req->tls;
	if (req->flags & CLONE_CHILD_SETTID)
		uproc_write(p, req->ctid, &t->tid, 4);
	if (req->flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = req->ctid;
	usig_rekick_init();   /* timers are not inherited by fork() */
	/* new_process took these before fork(); this thread still owns them. */
	pthread_mutex_unlock(&p->sig_lock);
	pthread_mutex_unlock(&p->threads_lock);
	pthread_mutex_unlock(&p->mm_lock);
}

/* vfork: the parent waits until the child execs or exits, which closes the
 * child's copy of a close-on-exec pipe. */
static void vfork_wait(int fd)
{
	char c;
	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	close(fd);
}

static long new_process(struct uthread *t, const struct clone_req *req)
{
	struct uproc *p = t->proc;
	int vp[2] = { -1, -1 };
	if ((req->flags & CLONE_VFORK) && pipe2(vp, O_CLOEXEC))
		return -errno;
	pthread_mutex_lock(&p->mm_lock);
	pthread_mutex_lock(&p->threads_lock);
	pthread_mutex_lock(&p->sig_lock);
	pid_t pid = fork();
	int err = errno;
	if (pid == 0) {
		child_after_fork(t, req);
		if (vp[0] >= 0) {
			close(vp[0]);
			int high = fcntl(vp[1], F_DUPFD_CLOEXEC, 900);
			if (high >= 0) {
				close(vp[1]);
				vp[1] = high;
			}
		}
		return 0;
	}
	pthread_mutex_unlock(&p->sig_lock);
	pthread_mutex_unlock(&p->threads_lock);
	pthread_mutex_unlock(&p->mm_lock);
	if (vp[1] >= 0)
		close(vp[1]);
	if (pid < 0) {
		if (vp[0] >= 0)
			close(vp[0]);
		return -err;
	}
	if (req->flags & CLONE_PARENT_SETTID)
		uproc_write(p, req->ptid, &pid, 4);
	if (vp[0] >= 0)
		vfork_wait(vp[0]);
	return pid;
}

static long do_clone(struct uthread *t, const struct clone_req *req)
{
	const uint64_t unsupported = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
				     CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_PIDFD;
	if (req->flags & unsupported)
		return -EINVAL;
	if ((req->flags & CLONE_THREAD) && !(req->flags & CLONE_VM && req->flags & CLONE_SIGHAND))
		return -EINVAL;
	if (req->flags & CLONE_THREAD)
		return new_thread(t, req);
	/* CLONE_VM without CLONE_THREAD (posix_spawn's vfork) runs as a copy. */
	return new_process(t, req);
}

/* riscv64 clone(flags, stack, parent_tid, tls, child_tid). */
static long sys_clone(struct uthread *t, const uint64_t a[6])
{
	struct clone_req req = { .flags = a[0], .stack = a[1], .ptid = a[2], .tls = a[3], .ctid = a[4] };
	return do_clone(t, &req);
}

static long sys_clone3(struct uthread *t, const uint64_t a[6])
{
	uint64_t args[11] = { 0 };   /* struct clone_args, up to cgroup */
	if (a[1] < 64 || a[1] > 4096)
		return -EINVAL;
	if (uproc_read(t->proc, args, a[0], a[1] < sizeof(args) ? a[1] : sizeof(args)))
		return -EFAULT;
	if (args[8] || args[9] || (args[4] & ~0xffULL))   /* set_tid, bad exit_signal */
		return -EINVAL;
	if (args[5] && !args[6])
		return -EINVAL;
	struct clone_req req = { .flags = args[0] | (args[4] & 0xff), .ctid = args[2], .ptid = args[3],
				 .stack = args[5] ? args[5] + args[6] : 0, .tls = args[7] };
	return do_clone(t, &req);
}

/* ---- waiting ---- */

static int opt_ptr(struct uthread *t, uint64_t addr, uint64_t len, void **out)
{
	*out = addr ? uproc_ptr(t->proc, addr, len) : NULL;
	return addr && !*out ? -EFAULT : 0;
}

static long sys_wait4(struct uthread *t, const uint64_t a[6])
{
	void *status, *ru;
	if (opt_ptr(t, a[1], 4, &status) || opt_ptr(t, a[3], sizeof(struct rusage), &ru))
		return -EFAULT;
	return uproc_blocking_syscall(t, SYS_wait4, (pid_t)a[0], (long)status, (int)a[2], (long)ru, 0, 0);
}

static long sys_waitid(struct uthread *t, const uint64_t a[6])
{
	void *info, *ru;
	if (opt_ptr(t, a[2], 128, &info) || opt_ptr(t, a[4], sizeof(struct rusage), &ru))
		return -EFAULT;
	return uproc_blocking_syscall(t, SYS_waitid, (int)a[0], (pid_t)a[1], (long)info, (int)a[3],
				      (long)ru, 0);
}

/* ---- thread ids, futex, robust lists ---- */

static long sys_set_tid_address(struct uthread *t, const uint64_t a[6])
{
	t->clear_child_tid = a[0];
	return t->tid;
}

static long sys_gettid(struct uthread *t, const uint64_t a[6])
{
	(void)a;
	return t->tid;
}

static bool futex_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI;
}

static bool futex_has_uaddr2(int cmd)
{
	return cmd == FUTEX_REQUEUE || cmd == FUTEX_CMP_REQUEUE || cmd == FUTEX_WAKE_OP ||
	       cmd == FUTEX_CMP_REQUEUE_PI || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/* Only operations whose pointer arguments we know (and translate) reach
 * the host: an unknown one might make the kernel use a guest value as a
 * host pointer. */
static bool futex_known(int cmd)
{
	switch (cmd) {
	case FUTEX_WAIT: case FUTEX_WAKE: case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE:
	case FUTEX_WAKE_OP: case FUTEX_LOCK_PI: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI:
	case FUTEX_WAIT_BITSET: case FUTEX_WAKE_BITSET: case FUTEX_WAIT_REQUEUE_PI:
	case FUTEX_CMP_REQUEUE_PI: case FUTEX_LOCK_PI2:
		return true;
	default:
		return false;
	}
}

static long sys_futex(struct uthread *t, const uint64_t a[6])
{
	int op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
	if (!futex_known(cmd))
		return -ENOSYS;
	void *uaddr = uproc_ptr(t->proc, a[0], 4), *uaddr2 = NULL;
	if (!uaddr)
		return -EFAULT;
	uint64_t arg4 = a[3];
	if (futex_has_timeout(cmd) && a[3]) {
		void *ts = uproc_ptr(t->proc, a[3], 16);
		if (!ts)
			return -EFAULT;
		arg4 = (uint64_t)(uintptr_t)ts;
	}
	if (futex_has_uaddr2(cmd) && !(uaddr2 = uproc_ptr(t->proc, a[4], 4)))
		return -EFAULT;
	if (futex_has_timeout(cmd))   /* the ones that sleep */
		return uproc_blocking_syscall(t, SYS_futex, (long)uaddr, op, (uint32_t)a[2],
					      (long)arg4, (long)uaddr2, (uint32_t)a[5]);
	long r = syscall(SYS_futex, uaddr, op, (uint32_t)a[2], (void *)(uintptr_t)arg4, uaddr2,
			 (uint32_t)a[5]);
	return r < 0 ? -errno : r;
}

/* The host kernel cannot walk a guest robust list (its pointers are guest
 * addresses), so the list is only remembered for get_robust_list. */
static long sys_set_robust_list(struct uthread *t, const uint64_t a[6])
{
	if (a[1] != 24)
		return -EINVAL;
	t->robust_list = a[0];
	t->robust_len = a[1];
	return 0;
}

static long sys_get_robust_list(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	uint64_t head = t->robust_list, len = t->robust_len;
	if (a[0] && (pid_t)a[0] != t->tid) {
		pthread_mutex_lock(&p->threads_lock);
		struct uthread *target = uthread_find_locked(p, (pid_t)a[0]);
		if (target) {
			head = target->robust_list;
			len = target->robust_len;
		}
		pthread_mutex_unlock(&p->threads_lock);
		if (!target)
			return -ESRCH;
	}
	if (uproc_write(p, a[1], &head, 8) || uproc_write(p, a[2], &len, 8))
		return -EFAULT;
	return 0;
}

static long sys_rseq(struct uthread *t, const uint64_t a[6])
{
	(void)t; (void)a;
	return -ENOSYS;
}

void sys_proc_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, 93, sys_exit);
	SYS_SET(tbl, 94, sys_exit_group);
	SYS_SET(tbl, 95, sys_waitid);
	SYS_SET(tbl, 96, sys_set_tid_address);
	SYS_SET(tbl, 98, sys_futex);
	SYS_SET(tbl, 99, sys_set_robust_list);
	SYS_SET(tbl, 100, sys_get_robust_list);
	SYS_SET(tbl, 178, sys_gettid);
	SYS_SET(tbl, 220, sys_clone);
	SYS_SET(tbl, 260, sys_wait4);
	SYS_SET(tbl, 293, sys_rseq);
	SYS_SET(tbl, 435, sys_clone3);
	sys_exec_register(tbl);
}
