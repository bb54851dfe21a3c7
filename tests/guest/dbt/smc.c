/*
 * Self-modifying and generated code, for the binary translator: code is
 * written into memory, run, rewritten and run again, and the new code must
 * be what runs once the program has said so (fence.i, the
 * riscv_flush_icache system call behind __builtin___clear_cache, or an
 * mprotect/munmap of the code).  Ends with a small JIT that emits and
 * calls a fresh function a thousand times at the same address.
 *
 * Prints one line per check and "smc: all ok"; exits 1 on any wrong result.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef long (*fn0)(void);
typedef long (*fn1)(long);

static int failures;

static void expect(const char *what, long got, long want)
{
	printf("%s: %ld%s\n", what, got, got == want ? "" : " WRONG");
	if (got != want)
		failures++;
}

/* addi rd, rs1, imm */
static uint32_t addi(unsigned rd, unsigned rs1, int imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x13;
}

#define RET 0x00008067u     /* jalr x0, 0(ra) */
#define A0 10

/* a0 = v; ret */
static void emit_const(uint32_t *p, int v)
{
	p[0] = addi(A0, 0, v);
	p[1] = RET;
}

static void sync_cache(void *p, size_t len)
{
	__builtin___clear_cache((char *)p, (char *)p + len);
}

static void fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

static void rwx_rewrite(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	emit_const(code, 42);
	sync_cache(code, 8);
	expect("rwx first", ((fn0)(void *)code)(), 42);
	emit_const(code, 7);
	sync_cache(code, 8);
	expect("rwx rewritten, clear_cache", ((fn0)(void *)code)(), 7);
	code[0] = addi(A0, 0, -5);
	fence_i();
	expect("rwx rewritten, fence.i", ((fn0)(void *)code)(), -5);
	munmap(code, 4096);
}

static void mprotect_rewrite(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	emit_const(code, 100);
	mprotect(code, 4096, PROT_READ | PROT_EXEC);
	expect("rw then rx", ((fn0)(void *)code)(), 100);
	mprotect(code, 4096, PROT_READ | PROT_WRITE);
	emit_const(code, 200);
	mprotect(code, 4096, PROT_READ | PROT_EXEC);
	expect("rewritten under mprotect", ((fn0)(void *)code)(), 200);
	munmap(code, 4096);
}

static void remap(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *again;

	emit_const(code, 11);
	sync_cache(code, 8);
	expect("before munmap", ((fn0)(void *)code)(), 11);
	munmap(code, 4096);
	again = mmap(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	emit_const(again, 22);
	sync_cache(again, 8);
	expect("same address after munmap+mmap", ((fn0)(void *)again)(), 22);
	munmap(again, 4096);
}

/* f(x) = x * k + i, emitted as: a0 = a0 * k (slli/add chain) ... kept
 * simple: a loop of n additions of k. */
static void emit_jit(uint32_t *p, int k, int n)
{
	unsigned i = 0;

	p[i++] = addi(5, 0, n);                       /* t0 = n */
	/* loop: a0 += k; t0 -= 1; bnez t0, loop */
	p[i++] = addi(A0, A0, k);
	p[i++] = addi(5, 5, -1);
	p[i++] = 0xfe029ce3u;                         /* bnez t0, -8 */
	p[i++] = RET;
}

static void jit_loop(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long total = 0, want = 0;

	for (int i = 0; i < 1000; i++) {
		int k = i % 97 - 40, n = 1 + i % 13;

		emit_jit(code, k, n);
		sync_cache(code, 5 * 4);
		total += ((fn1)(void *)code)(i);
		want += i + (long)k * n;
	}
	expect("jit 1000 functions", total, want);
	munmap(code, 4096);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	rwx_rewrite();
	mprotect_rewrite();
	remap();
	jit_loop();
	if (failures)
		return 1;
	printf("smc: all ok\n");
	return 0;
}
