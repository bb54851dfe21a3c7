/*
 * Address-space system calls: anonymous and file-backed mmap, MAP_FIXED
 * over an existing mapping, MAP_SHARED writes seen through read(),
 * MAP_PRIVATE copy-on-write, mprotect, mremap growing and moving, munmap of
 * a middle page, brk via sbrk, and large mallocs (which use mmap).  Prints
 * contents and return codes, never addresses.  argv[1] is a scratch directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long page;

static uint32_t sum(const unsigned char *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

static void anonymous(void)
{
	unsigned char *p = mmap(NULL, (size_t)page * 4, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap anon failed\n");
		return;
	}
	printf("anon zeroed: %d aligned: %d\n", sum(p, (size_t)page * 4) == 0,
	       ((uintptr_t)p & (uintptr_t)(page - 1)) == 0);
	memset(p, 0xab, (size_t)page * 4);
	/* MAP_FIXED over the second page replaces it with fresh zeroes */
	void *q = mmap(p + page, (size_t)page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("fixed same address: %d first byte %#x, neighbours %#x %#x\n", q == p + page,
	       p[page], p[page - 1], p[2 * page]);
	/* munmap the third page: a hole between mapped pages */
	printf("munmap middle: %d\n", munmap(p + 2 * page, (size_t)page));
	unsigned char vec[1];
	int mc = mincore(p + 2 * page, (size_t)page, vec);
	printf("mincore hole: %d errno=%s\n", mc, strerrorname_np(errno));
	printf("mprotect read-only: %d\n", mprotect(p, (size_t)page, PROT_READ));
	printf("still readable: %#x\n", p[10]);
	/* mremap: grow in place or move, contents preserved */
	unsigned char *r = mremap(p + 3 * page, (size_t)page, (size_t)page * 8, MREMAP_MAYMOVE);
	if (r == MAP_FAILED) {
		printf("mremap failed: %s\n", strerrorname_np(errno));
	} else {
		printf("mremap kept data: %#x %#x, new tail zero: %d\n", r[0], r[page - 1],
		       sum(r + page, (size_t)page * 7) == 0);
		r[page * 8 - 1] = 7;
		munmap(r, (size_t)page * 8);
	}
	munmap(p, (size_t)page * 2);
	printf("munmap twice is fine: %d\n", munmap(p, (size_t)page * 2));
	errno = 0;
	void *bad = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap length 0: %s errno=%s\n", bad == MAP_FAILED ? "failed" : "mapped",
	       strerrorname_np(errno));
	errno = 0;
	bad = mmap((void *)(uintptr_t)(page + 1), (size_t)page, PROT_READ,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("mmap fixed misaligned: %s errno=%s\n", bad == MAP_FAILED ? "failed" : "mapped",
	       strerrorname_np(errno));
}

static void file_backed(void)
{
	int fd = open("map.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char buf[8192];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		printf("file setup failed\n");
		return;
	}
	char *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *off = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	if (shared == MAP_FAILED || priv == MAP_FAILED || off == MAP_FAILED) {
		printf("file mmap failed\n");
		return;
	}
	printf("file map: %.6s %.6s offset: %.6s\n", shared, priv + 26, off);
	memcpy(shared + 100, "SHARED", 6);
	memcpy(priv + 200, "PRIVATE", 7);
	char check[8] = { 0 };
	pread(fd, check, 6, 100);
	printf("shared write visible via read: %s\n", check);
	pread(fd, check, 7, 200);
	printf("private write not in file: %.7s\n", check);
	printf("msync: %d\n", msync(shared, 8192, MS_SYNC));
	/* a mapping beyond the end of the file: the tail of the last page is zero */
	ftruncate(fd, 5000);
	char *tail = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	printf("past EOF within page: %d %d\n", tail[4999] == 'a' + 4999 % 26, tail[5000] == 0);
	munmap(shared, 8192);
	munmap(priv, 8192);
	munmap(off, 4096);
	munmap(tail, 8192);
	close(fd);
	unlink("map.dat");
}

static void heap(void)
{
	char *b0 = sbrk(0);
	char *b1 = sbrk(page * 3);
	printf("sbrk grows: %d\n", b1 == b0 && sbrk(0) == b0 + page * 3);
	memset(b1, 1, (size_t)page * 3);
	sbrk(-page * 3);
	printf("sbrk shrinks: %d\n", sbrk(0) == b0);
	uint32_t total = 0;
	for (int round = 0; round < 4; round++) {
		size_t n = ((size_t)1 << 20) * (size_t)(round + 1);   /* mmap-sized chunks */
		unsigned char *m = calloc(1, n);   /* every byte defined */
		if (!m) {
			printf("calloc %zu failed\n", n);
			continue;
		}
		for (size_t i = 0; i < n; i += 4096)
			m[i] = (unsigned char)(i >> 12);
		total += sum(m, n);
		m = realloc(m, n * 2);
		total += m ? sum(m, n) : 0;
		free(m);
	}
	printf("malloc/realloc checksum %08x\n", total);
	void *al = NULL;
	int pm = posix_memalign(&al, 65536, 100000);
	printf("posix_memalign 64k: %d aligned: %d\n", pm, ((uintptr_t)al & 65535) == 0);
	free(al);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
	printf("page size %ld\n", page);
	if (argc < 2 || chdir(argv[1]) != 0) {
		printf("usage: mmap_mem SCRATCH_DIR\n");
		return 2;
	}
	anonymous();
	file_backed();
	heap();
	return 0;
}
