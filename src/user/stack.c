/*
 * The initial stack of a new guest program, laid out the way Linux's
 * binfmt_elf (create_elf_tables) does it, from the top down:
 *
 *   [8 zero bytes] execfn string, envp strings, argv strings,
 *   16 AT_RANDOM bytes, padding to 16,
 *   argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL   <- sp (16-aligned)
 *
 * glibc's start code and ld.so read everything from here, so the order and
 * the auxv contents matter (AT_PHDR/AT_ENTRY/AT_BASE for ld.so, AT_RANDOM
 * for the stack protector, AT_HWCAP for ifuncs, AT_EXECFN for $ORIGIN).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "user/uproc_priv.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

/* I M A F D C: bit (letter - 'A'). */
#define RV_HWCAP ((1UL << ('I' - 'A')) | (1UL << ('M' - 'A')) | (1UL << ('A' - 'A')) | \
		  (1UL << ('F' - 'A')) | (1UL << ('D' - 'A')) | (1UL << ('C' - 'A')))
/* sizeof(struct rt_sigframe) on riscv64 without vector state. */
#define RV_MINSIGSTKSZ 1088

#define NAUX 17

static uint64_t stack_size_limit(void)
{
	struct rlimit rl;
	uint64_t sz = 8ULL << 20;
	if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > sz)
		sz = rl.rlim_cur;
	if (sz > (256ULL << 20))
		sz = 256ULL << 20;
	return UPROC_PAGE_UP(sz);
}

/* Copy a string below *at; returns its guest address. */
static uint64_t push_string(struct uproc *p, uint64_t *at, const char *s)
{
	size_t n = strlen(s) + 1;
	*at -= n;
	uproc_write(p, *at, s, n);
	return *at;
}

/* Copy n strings below *at so that they end up in order, v[0] lowest. */
static void push_strings(struct uproc *p, uint64_t *at, int n, char **v, uint64_t *out)
{
	for (int i = n - 1; i >= 0; i--)
		out[i] = push_string(p, at, v[i]);
}

static int count(char **v)
{
	int n = 0;
	while (v && v[n])
		n++;
	return n;
}

static size_t strings_size(int n, char **v)
{
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += strlen(v[i]) + 1;
	return total;
}

static void fill_auxv(uint64_t *aux, const struct uproc_image *img, uint64_t random, uint64_t execfn)
{
	uint64_t pairs[NAUX][2] = {
		{ AT_HWCAP, RV_HWCAP },        { AT_PAGESZ, UPROC_PAGE },
		{ AT_CLKTCK, (uint64_t)sysconf(_SC_CLK_TCK) },
		{ AT_PHDR, img->phdr },        { AT_PHENT, img->phent },
		{ AT_PHNUM, img->phnum },      { AT_BASE, img->interp_base },
		{ AT_FLAGS, 0 },               { AT_ENTRY, img->entry },
		{ AT_UID, getuid() },          { AT_EUID, geteuid() },
		{ AT_GID, getgid() },          { AT_EGID, getegid() },
		{ AT_SECURE, 0 },              { AT_RANDOM, random },
		{ AT_EXECFN, execfn },         { AT_MINSIGSTKSZ, RV_MINSIGSTKSZ },
	};
	memcpy(aux, pairs, sizeof(pairs));
	aux[2 * NAUX] = AT_NULL;
	aux[2 * NAUX + 1] = 0;
}

int stack_build(struct uproc *p, const struct uproc_image *img, int argc, char **argv,
		char **envp, const char *execfn, uint64_t *sp, char *err, size_t errlen)
{
	int envc = count(envp);
	size_t strings = strings_size(argc, argv) + strings_size(envc, envp) + strlen(execfn) + 1;
	size_t table = (size_t)(argc + envc + 3 + 2 * (NAUX + 1)) * 8;
	if (strings + table + 64 > p->stack_size / 4) {
		snprintf(err, errlen, "argument list too long");
		return -E2BIG;
	}
	uint64_t at = p->stack_top - 8;
	uint64_t execfn_addr = push_string(p, &at, execfn);
	uint64_t vec[argc + envc + 3];
	memset(vec, 0, sizeof(vec));
	vec[0] = (uint64_t)argc;
	push_strings(p, &at, envc, envp, &vec[argc + 2]);
	push_strings(p, &at, argc, argv, &vec[1]);
	uint8_t rnd[16];
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		memset(rnd, 0x5a, sizeof(rnd));
	at = (at - sizeof(rnd)) & ~15ULL;
	uproc_write(p, at, rnd, sizeof(rnd));
	uint64_t aux[2 * (NAUX + 1)];
	fill_auxv(aux, img, at, execfn_addr);
	at = (at - sizeof(vec) - sizeof(aux)) & ~15ULL;
	if (uproc_write(p, at, vec, sizeof(vec)) || uproc_write(p, at + sizeof(vec), aux, sizeof(aux))) {
		snprintf(err, errlen, "cannot write the initial stack");
		return -EFAULT;
	}
	*sp = at;
	return 0;
}

int stack_map(struct uproc *p)
{
	p->stack_top = UPROC_WINDOW;
	p->stack_size = stack_size_limit();
	/* mmap allocations go top-down from below the stack and a gap, like
	 * Linux's mmap_base. */
	p->mmap_base = p->stack_top - p->stack_size - (128ULL << 20);
	long r = mm_map(p, p->stack_top - p->stack_size, p->stack_size, PROT_READ | PROT_WRITE,
			MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return r < 0 ? (int)r : 0;
}
