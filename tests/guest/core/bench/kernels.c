/*
 * CPU-bound kernels for measuring the execution core against native
 * speed.  Freestanding on riscv64 (no libc: runs under core_harness or
 * popek user); built with the host's libc for the native reference.
 * Build with -DKERNEL=<name>; the program prints a checksum so both builds
 * can be compared, and the work sizes make each run take ~0.1-0.5 s native.
 */
#include <stdint.h>

/* Only KERNEL is called; the other kernels are unused in each build. */
#pragma GCC diagnostic ignored "-Wunused-function"

#ifdef __riscv
static long sys3(long n, long a, long b, long c)
{
	register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = n;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}
#define WRITE(buf, len) sys3(64, 1, (long)(buf), (long)(len))
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}
void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}
#else
#include <string.h>
#include <unistd.h>
#define WRITE(buf, len) write(1, buf, len)
#endif

static void print_hex(uint64_t v)
{
	char buf[17];
	for (int i = 15; i >= 0; i--, v >>= 4)
		buf[i] = "0123456789abcdef"[v & 15];
	buf[16] = '\n';
	WRITE(buf, 17);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define N_SIEVE 2000000
static uint8_t sieve_buf[N_SIEVE];
static uint64_t k_sieve(void)
{
	uint64_t count = 0;
	for (int rep = 0; rep < 40; rep++) {
		memset(sieve_buf, 1, sizeof(sieve_buf));
		count = 0;
		for (long i = 2; i < N_SIEVE; i++) {
			if (!sieve_buf[i])
				continue;
			count++;
			for (long j = i * 2; j < N_SIEVE; j += i)
				sieve_buf[j] = 0;
		}
	}
	return count;
}

#define N_MAT 160
static int32_t ma[N_MAT][N_MAT], mb[N_MAT][N_MAT], mc[N_MAT][N_MAT];
static uint64_t k_matmul(void)
{
	uint64_t sum = 0;
	for (int i = 0; i < N_MAT; i++)
		for (int j = 0; j < N_MAT; j++) {
			ma[i][j] = (int32_t)(xorshift() & 0xff);
			mb[i][j] = (int32_t)(xorshift() & 0xff);
		}
	for (int rep = 0; rep < 40; rep++) {
		for (int i = 0; i < N_MAT; i++)
			for (int j = 0; j < N_MAT; j++) {
				int32_t s = 0;
				for (int k = 0; k < N_MAT; k++)
					s += ma[i][k] * mb[k][j];
				mc[i][j] = s;
			}
		for (int i = 0; i < N_MAT; i++)
			sum += (uint64_t)mc[i][(i * 7) % N_MAT];
		ma[rep % N_MAT][rep % N_MAT]++;
	}
	return sum;
}

#define N_CRC (1 << 20)
static uint8_t crc_buf[N_CRC];
static uint64_t k_crc(void)
{
	uint32_t table[256];
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	for (int i = 0; i < N_CRC; i++)
		crc_buf[i] = (uint8_t)xorshift();
	uint32_t crc = 0;
	for (int rep = 0; rep < 100; rep++) {
		crc = ~crc;
		for (int i = 0; i < N_CRC; i++)
			crc = table[(crc ^ crc_buf[i]) & 0xff] ^ (crc >> 8);
		crc = ~crc;
	}
	return crc;
}

/* open-addressing hash table: loads, stores, multiplies, unpredictable branches */
#define N_HASH (1 << 16)
static uint64_t keys[N_HASH * 2];
static uint64_t k_hash(void)
{
	uint64_t found = 0;
	for (int rep = 0; rep < 150; rep++) {
		memset(keys, 0, sizeof(keys));
		for (int i = 0; i < N_HASH; i++) {
			uint64_t k = xorshift() | 1;
			uint64_t h = (k * 0x9e3779b97f4a7c15ull) >> 47;
			while (keys[h] && keys[h] != k)
				h = (h + 1) & (N_HASH * 2 - 1);
			keys[h] = k;
		}
		for (int i = 0; i < N_HASH; i++) {
			uint64_t k = (xorshift() & 0xffff) | 1;
			uint64_t h = (k * 0x9e3779b97f4a7c15ull) >> 47;
			while (keys[h]) {
				if (keys[h] == k) {
					found++;
					break;
				}
				h = (h + 1) & (N_HASH * 2 - 1);
			}
			found += keys[(i * 31) & (N_HASH * 2 - 1)] & 1;
		}
	}
	return found;
}

/* recursion and calls: function call/return and indirect jumps */
static uint64_t fib(uint64_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static uint64_t k_fib(void) { return fib(37); }

/* sorting: compares, swaps, data-dependent branches */
#define N_SORT 200000
static uint32_t sort_buf[N_SORT];
static void shell_sort(uint32_t *a, int n)
{
	for (int gap = n / 2; gap > 0; gap /= 2)
		for (int i = gap; i < n; i++) {
			uint32_t t = a[i];
			int j = i;
			for (; j >= gap && a[j - gap] > t; j -= gap)
				a[j] = a[j - gap];
			a[j] = t;
		}
}
static uint64_t k_sort(void)
{
	uint64_t sum = 0;
	for (int rep = 0; rep < 10; rep++) {
		for (int i = 0; i < N_SORT; i++)
			sort_buf[i] = (uint32_t)xorshift();
		shell_sort(sort_buf, N_SORT);
		for (int i = 0; i < N_SORT; i += 1000)
			sum += sort_buf[i];
	}
	return sum;
}

#define CAT(a, b) a##b
#define K(name) CAT(k_, name)

int main(void)
{
	print_hex(K(KERNEL)());
	return 0;
}

#ifdef __riscv
__asm__(".globl _start\n_start:\n"
	".option push\n.option norelax\n"
	"la gp, __global_pointer$\n"
	".option pop\n"
	"call main\n"
	"li a7, 93\n"
	"ecall\n");
#endif
