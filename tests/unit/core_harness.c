/*
 * A minimal host for the execution core alone, for tests that must not
 * depend on the process VM: loads a static riscv64 ELF (no dynamic linking,
 * no libc needed) into a private guest window, runs it with rv_run_user()
 * (or one rv_step_user() at a time with --step) and serves three system
 * calls: write (64), exit (93) and exit_group (94), plus two test hooks:
 * 0x7000 rv_code_flush(a0, a1) and 0x7001 returning how many times the
 * code cache dropped everything.
 *
 * Trap protocol for self-checking guest tests: when the core returns
 * anything but ECALL and the guest's tp (x4) is non-zero, the harness
 * "delivers" it: a0 = rv_exit code, a1 = tval, a2 = pc of the trapping
 * instruction, pc = tp, tp = 0.  With tp = 0 it prints the exit and stops
 * with status 100 + code.
 *
 * --interrupt: a 1 ms interval timer sets exit_request; after 3
 * RV_EXIT_INTERRUPTs the harness prints "INTERRUPTED" and exits 0 (for a
 * guest that loops forever).
 *
 * Usage: core_harness [--step] [--count] [--regs] [--interrupt] program.elf
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "rv64/code_cache.h"
#include "rv64/cpu.h"

#define WINDOW (1ull << 32)
#define STACK_TOP 0xf0000000ull
#define STACK_SIZE (1ull << 20)
#define PAGE 4096ull

static uint8_t *window;
static struct rv_cpu *the_cpu;

static void on_alarm(int sig)
{
	(void)sig;
	the_cpu->exit_request = 1;
}

static void start_interrupts(void)
{
	struct itimerval it = { .it_interval = { 0, 1000 }, .it_value = { 0, 1000 } };

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	uint8_t *addr = si->si_addr;

	if (rv_in_guest && rv_current_cpu && addr >= window && addr < window + WINDOW) {
		bool is_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
		rv_cpu_host_fault(rv_current_cpu, (uint64_t)(addr - window), is_write);
	}
	signal(sig, SIG_DFL);   /* a bug in the host itself: crash loudly */
}

static int map_rw(uint64_t start, uint64_t end)
{
	start &= ~(PAGE - 1);
	end = (end + PAGE - 1) & ~(PAGE - 1);
	if (end > WINDOW || start >= end)
		return -1;
	return mprotect(window + start, end - start, PROT_READ | PROT_WRITE);
}

static int load_elf(const char *path, uint64_t *entry)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint8_t *img;
	Elf64_Ehdr *eh;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED || (size_t)st.st_size < sizeof(*eh))
		return -1;
	eh = (Elf64_Ehdr *)img;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_machine != EM_RISCV)
		return -1;
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff + (uint64_t)i * eh->e_phentsize);

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_offset + ph->p_filesz > (uint64_t)st.st_size ||
		    map_rw(ph->p_vaddr, ph->p_vaddr + ph->p_memsz))
			return -1;
		memcpy(window + ph->p_vaddr, img + ph->p_offset, ph->p_filesz);
	}
	*entry = eh->e_entry;
	munmap(img, (size_t)st.st_size);
	return 0;
}

static long sys_write(struct rv_cpu *cpu)
{
	uint64_t buf = cpu->x[11], len = cpu->x[12];

	if (buf > WINDOW || len > WINDOW - buf)
		return -EFAULT;
	long r = write((int)cpu->x[10], window + buf, len);
	return r < 0 ? -errno : r;
}

/* Returns -1 to continue, else the process exit status. */
static int do_ecall(struct rv_cpu *cpu)
{
	cpu->pc += 4;
	switch (cpu->x[17]) {
	case 64: cpu->x[10] = (uint64_t)sys_write(cpu); return -1;
	case 93: case 94: return (int)(cpu->x[10] & 0xff);
	case 0x7000: rv_code_flush(cpu, cpu->x[10], cpu->x[11]); cpu->x[10] = 0; return -1;
	case 0x7001: cpu->x[10] = cpu->cache->flushes; return -1;
	default: cpu->x[10] = (uint64_t)-ENOSYS; return -1;
	}
}

static void dump_regs(const struct rv_cpu *cpu)
{
	for (int i = 0; i < 32; i++)
		printf("x%d=%016llx%s", i, (unsigned long long)cpu->x[i], i % 4 == 3 ? "\n" : " ");
	printf("pc=%016llx instret=%llu\n", (unsigned long long)cpu->pc,
	       (unsigned long long)cpu->instret);
}

int main(int argc, char **argv)
{
	bool step = false, regs = false, count = false, interrupt = false;
	int interrupts = 0;
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	struct rv_cpu cpu;
	uint64_t entry, steps = 0;
	int i, status = -1;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		step |= !strcmp(argv[i], "--step");
		regs |= !strcmp(argv[i], "--regs");
		count |= !strcmp(argv[i], "--count");
		interrupt |= !strcmp(argv[i], "--interrupt");
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: %s [--step] [--count] [--regs] [--interrupt] program.elf\n", argv[0]);
		return 2;
	}
	window = mmap(NULL, WINDOW, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (window == MAP_FAILED || rv_cpu_init(&cpu) || load_elf(argv[i], &entry) ||
	    map_rw(STACK_TOP - STACK_SIZE, STACK_TOP)) {
		fprintf(stderr, "core_harness: cannot set up %s\n", argv[i]);
		return 2;
	}
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	cpu.guest_base = window;
	cpu.guest_limit = WINDOW;
	cpu.pc = entry;
	cpu.x[2] = STACK_TOP - 64;
	the_cpu = &cpu;
	if (interrupt)
		start_interrupts();
	while (status < 0) {
		enum rv_exit e = step ? rv_step_user(&cpu) : rv_run_user(&cpu);

		steps++;
		if (e == RV_EXIT_NONE)
			continue;
		if (e == RV_EXIT_INTERRUPT) {
			cpu.exit_request = 0;
			if (++interrupts == 3) {
				printf("INTERRUPTED\n");
				status = 0;
			}
		} else if (e == RV_EXIT_ECALL) {
			status = do_ecall(&cpu);
		} else if (cpu.x[4]) {
			cpu.x[10] = e;
			cpu.x[11] = cpu.tval;
			cpu.x[12] = cpu.pc;
			cpu.pc = cpu.x[4];
			cpu.x[4] = 0;
		} else {
			printf("EXIT %d pc=%llx tval=%llx\n", e, (unsigned long long)cpu.pc,
			       (unsigned long long)cpu.tval);
			status = 100 + e;
		}
	}
	if (regs)
		dump_regs(&cpu);
	if (count)
		fprintf(stderr, "runs=%llu instret=%llu\n", (unsigned long long)steps,
			(unsigned long long)cpu.instret);
	fflush(stdout);
	rv_cpu_destroy(&cpu);
	return status;
}
