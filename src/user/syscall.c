/*
 * The system-call dispatcher: one table indexed by the riscv64 number,
 * filled once by the family files (syscall.h), and the --strace printer.
 *
 * The families owned by the system-call translation work are declared weak
 * so the process VM links and runs on its own while they are being written;
 * a missing family simply leaves its numbers returning -ENOSYS.  Ours are
 * registered last, so process-VM semantics win if two files claim a number.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/syscall.h"
#include "user/uproc_priv.h"

__attribute__((weak)) void sys_fs_register(struct sys_entry *tbl);
__attribute__((weak)) void sys_stat_register(struct sys_entry *tbl);
__attribute__((weak)) void sys_time_register(struct sys_entry *tbl);
__attribute__((weak)) void sys_misc_register(struct sys_entry *tbl);

static struct sys_entry table[SYS_TABLE_SIZE];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
/* Unknown numbers already reported (numbers past the end share a bit). */
#define REPORT_BITS 4096
static uint64_t reported_unknown[REPORT_BITS / 64 + 1];

static void fill_table(void)
{
	void (*families[])(struct sys_entry *) = {
		sys_fs_register, sys_stat_register, sys_time_register, sys_misc_register,
		sys_mm_register, sys_signal_register, sys_proc_register,
	};
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i])
			families[i](table);
}

void syscall_init(void)
{
	pthread_once(&table_once, fill_table);
}

const char *syscall_name(unsigned nr)
{
	if (nr >= SYS_TABLE_SIZE || !table[nr].name)
		return NULL;
	const char *n = table[nr].name;
	/* Handlers are called sys_NAME or do_NAME; print NAME. */
	if (!strncmp(n, "sys_", 4) || !strncmp(n, "do_", 3))
		n = strchr(n, '_') + 1;
	return n;
}

static void strace_line(struct uthread *t, uint64_t nr, const uint64_t a[6], const char *result)
{
	char line[320];
	const char *name = syscall_name((unsigned)nr);
	char num[24];
	if (!name) {
		snprintf(num, sizeof(num), "syscall_%llu", (unsigned long long)nr);
		name = num;
	}
	int n = snprintf(line, sizeof(line), "[%d] %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) = %s\n",
			 (int)t->tid, name, (unsigned long long)a[0], (unsigned long long)a[1],
			 (unsigned long long)a[2], (unsigned long long)a[3], (unsigned long long)a[4],
			 (unsigned long long)a[5], result);
	if (n > 0)
		(void)!write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* Calls that do not come back to the dispatcher when they succeed. */
static bool never_returns(uint64_t nr)
{
	return nr == 93 || nr == 94 || nr == 221 || nr == 281;
}

static void report_unknown(struct uthread *t, uint64_t nr)
{
	uint64_t slot = nr < REPORT_BITS ? nr : REPORT_BITS;
	uint64_t bit = 1ULL << (slot % 64);
	if (__atomic_fetch_or(&reported_unknown[slot / 64], bit, __ATOMIC_RELAXED) & bit)
		return;
	char line[96];
	int n = snprintf(line, sizeof(line), "popek: unknown syscall %llu (tid %d), returning ENOSYS\n",
			 (unsigned long long)nr, (int)t->tid);
	if (n > 0)
		(void)!write(2, line, (size_t)n);
}

long uproc_syscall(struct uthread *t)
{
	uint64_t nr = t->cpu.x[17];
	const uint64_t a[6] = { t->cpu.x[10], t->cpu.x[11], t->cpu.x[12],
				t->cpu.x[13], t->cpu.x[14], t->cpu.x[15] };
	bool strace = t->proc->strace;
	if (nr >= SYS_TABLE_SIZE || !table[nr].fn) {
		if (strace) {
			report_unknown(t, nr);
			strace_line(t, nr, a, "-ENOSYS");
		}
		return -ENOSYS;
	}
	if (strace && never_returns(nr))
		strace_line(t, nr, a, "?");
	long r = table[nr].fn(t, a);
	if (strace) {
		char res[48];
		if (r < 0 && r > -4096)
			snprintf(res, sizeof(res), "-%s (%ld)", strerrorname_np((int)-r) ? strerrorname_np((int)-r) : "E?", r);
		else
			snprintf(res, sizeof(res), "%#lx", (unsigned long)r);
		strace_line(t, nr, a, res);
	}
	return r;
}
