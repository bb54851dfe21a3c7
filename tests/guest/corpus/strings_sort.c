/*
 * String, memory and sorting routines of the guest libc: they are
 * loop-heavy, unaligned and branchy, so they exercise loads/stores of every
 * width at every alignment.  Sorts use total orders (no ties) so the output
 * does not depend on the libc's sort algorithm.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng_next(void)
{
	/* xorshift64*: deterministic, identical on every host */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	while (n--)
		h = (h ^ *s++) * 0x100000001b3ULL;
	return h;
}

static void sort_numbers(void)
{
	enum { N = 5000 };
	static uint64_t v[N];
	static int32_t w[N];
	for (int i = 0; i < N; i++) {
		v[i] = rng_next() ^ (uint64_t)i;   /* distinct with overwhelming odds */
		w[i] = (int32_t)(uint32_t)(v[i] >> 17);
	}
	qsort(v, N, sizeof(v[0]), cmp_u64);
	qsort(w, N, sizeof(w[0]), cmp_i32);
	int ok = 1;
	for (int i = 1; i < N; i++)
		ok &= v[i - 1] <= v[i] && w[i - 1] <= w[i];
	printf("sort u64 ok=%d first=%016" PRIx64 " last=%016" PRIx64 " hash=%016" PRIx64 "\n",
	       ok, v[0], v[N - 1], fnv1a(v, sizeof(v)));
	printf("sort i32 first=%" PRId32 " mid=%" PRId32 " last=%" PRId32 " hash=%016" PRIx64 "\n",
	       w[0], w[N / 2], w[N - 1], fnv1a(w, sizeof(w)));
	uint64_t key = v[1234];
	uint64_t *hit = bsearch(&key, v, N, sizeof(v[0]), cmp_u64);
	printf("bsearch %td\n", hit ? hit - v : (ptrdiff_t)-1);
}

static void sort_strings(void)
{
	enum { N = 600 };
	static char buf[N][24];
	static char *p[N];
	for (int i = 0; i < N; i++) {
		int len = 1 + (int)(rng_next() % 20);
		for (int k = 0; k < len; k++)
			buf[i][k] = (char)(' ' + rng_next() % 95);
		snprintf(buf[i] + len, sizeof(buf[i]) - len, "%03d", i);  /* distinct */
		p[i] = buf[i];
	}
	qsort(p, N, sizeof(p[0]), cmp_str);
	for (int i = 0; i < N; i += 37)
		printf("str %3d [%s] len=%zu\n", i, p[i], strlen(p[i]));
}

static void memory_routines(void)
{
	static unsigned char a[4096 + 64], b[4096 + 64];
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)(i * 7 + (i >> 8));
	/* memmove both directions at every small alignment and length */
	uint64_t h = 0;
	for (int src = 0; src < 9; src++) {
		for (int dst = 0; dst < 9; dst++) {
			for (int len = 0; len < 70; len += 3) {
				memcpy(b, a, sizeof(b));
				memmove(b + dst, b + src, (size_t)len);
				h = h * 31 + fnv1a(b, 96);
				memset(b + src, dst, (size_t)len);
				h = h * 31 + fnv1a(b, 96);
			}
		}
	}
	printf("memmove/memset hash %016" PRIx64 "\n", h);
	memcpy(b, a, sizeof(b));
	b[4000] ^= 1;
	printf("memcmp %d %d %d\n", memcmp(a, b, 4000) == 0, memcmp(a, b, 4001) < 0 ? -1 : 1,
	       memcmp(a + 1, b + 1, 4096) != 0);
	unsigned char *z = memchr(a + 3, a[3000], 4000);
	printf("memchr %td\n", z ? z - a : (ptrdiff_t)-1);
}

static void string_routines(void)
{
	char s[200];
	static const char text[] = "the quick brown fox jumps over the lazy dog";
	for (int off = 0; off < 8; off++) {
		strcpy(s + off, text);
		printf("str off=%d len=%zu chr=%td rchr=%td str=%td spn=%zu cspn=%zu\n", off,
		       strlen(s + off), strchr(s + off, 'o') - (s + off),
		       strrchr(s + off, 'o') - (s + off), strstr(s + off, "lazy") - (s + off),
		       strspn(s + off, "the qu"), strcspn(s + off, "xyz"));
	}
	printf("strcmp %d %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("abc", "ab") > 0,
	       strcmp("a\xff", "a\x01") > 0, strncmp("abcdef", "abcxyz", 3) == 0);
	char cat[64] = "alpha";
	strcat(cat, "-beta");
	const char *volatile more = "-gamma-delta";  /* hide the truncation from gcc */
	strncat(cat, more, 6);
	printf("cat %s\n", cat);
	char *tok, *save, line[] = "a,b,,c;d";
	for (tok = strtok_r(line, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save))
		printf("tok %s\n", tok);
}

static void conversions(void)
{
	static const char *nums[] = {
		"0", "-1", "9223372036854775807", "-9223372036854775808", "0x7fffffff",
		"0777", "  +42xyz", "18446744073709551615", "99999999999999999999", "-0x10",
	};
	for (unsigned i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		char *end;
		long long v = strtoll(nums[i], &end, 0);
		unsigned long long u = strtoull(nums[i], NULL, 0);
		printf("strtoll [%s] = %lld rest=[%s] u=%llu\n", nums[i], v, end, u);
	}
	static const long long ints[] = { 0, 1, -1, 42, -42, 1234567, INT64_MIN, INT64_MAX };
	for (unsigned i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		printf("fmt [%d] [%5lld] [%-8lld|] [%+lld] [%llx] [%#llo] [%020lld] [%'lld]\n",
		       (int)ints[i], ints[i], ints[i], ints[i], (unsigned long long)ints[i],
		       (unsigned long long)ints[i], ints[i], ints[i]);
	static const char *dbl[] = { "0.1", "1e-310", "2.2250738585072014e-308", "1.7976931348623157e308",
				     "3.14159265358979323846", "-0", "inf", "1e400", "0x1.8p3" };
	for (unsigned i = 0; i < sizeof(dbl) / sizeof(dbl[0]); i++) {
		double d = strtod(dbl[i], NULL);
		printf("strtod [%s] %a %.17g %g %.0f\n", dbl[i], d, d, d, d < 1e30 ? d : 0.0);
	}
	char buf[8];
	const char *volatile longer = "truncated output";
	int n = snprintf(buf, sizeof(buf), "%s", longer);
	printf("snprintf %d [%s]\n", n, buf);
}

int main(void)
{
	sort_numbers();
	sort_strings();
	memory_routines();
	string_routines();
	conversions();
	return 0;
}
