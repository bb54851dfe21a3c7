/* Guest memory management: mmap/munmap/mprotect/mremap/madvise/brk and
 * file mappings, with faults checked through a SIGSEGV handler. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "check.h"

static sigjmp_buf env;
static volatile int faults;

static volatile int last_fault_sig;

static void on_segv(int sig)
{
	last_fault_sig = sig;
	faults++;
	siglongjmp(env, 1);
}

static int try_write(volatile char *p)
{
	if (sigsetjmp(env, 1))
		return 0;
	*p = 1;
	return 1;
}

static int try_read(volatile char *p)
{
	if (sigsetjmp(env, 1))
		return 0;
	(void)*p;
	return 1;
}

int main(int argc, char **argv)
{
	(void)argc;
	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGSEGV, on_segv);
	long pg = sysconf(_SC_PAGESIZE);

	char *a = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a != MAP_FAILED && ((uintptr_t)a & (pg - 1)) == 0);
	for (int i = 0; i < 4 * pg; i++)
		CHECK(a[i] == 0);
	memset(a, 0x5a, 4 * pg);
	CHECK(munmap(a + pg, pg) == 0);
	CHECK(!try_read(a + pg) && try_write(a) && try_write(a + 2 * pg));
	printf("munmap hole ok\n");

	CHECK(mprotect(a, pg, PROT_READ) == 0);
	CHECK(!try_write(a) && try_read(a));
	CHECK(mprotect(a, pg, PROT_READ | PROT_WRITE) == 0 && try_write(a));
	CHECK(mprotect(a + pg, pg, PROT_READ) == -1 && errno == ENOMEM);
	printf("mprotect ok\n");

	char *fixed = mmap(a + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(fixed == a + pg);
	CHECK(mmap(a, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED && errno == EEXIST);
	printf("fixed_noreplace ok\n");

	char *m4 = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m4 != MAP_FAILED);
	memset(m4, 0x5a, 4 * pg);
	/* Block the pages above so that growing in place is impossible. */
	mmap(m4 + 4 * pg, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(mremap(m4, 4 * pg, 64 * pg, 0) == MAP_FAILED && errno == ENOMEM);
	char *r = mremap(m4, 4 * pg, 64 * pg, MREMAP_MAYMOVE);
	CHECK(r != MAP_FAILED && r[3 * pg] == 0x5a && r[0] == 0x5a && r[4 * pg] == 0);
	CHECK(r == m4 || !try_read(m4));
	char *sh = mremap(r, 64 * pg, 2 * pg, 0);
	CHECK(sh == r && !try_read(r + 2 * pg));
	CHECK(munmap(a, 4 * pg) == 0);
	CHECK(munmap(r, 2 * pg) == 0);
	printf("mremap ok\n");

	char *d = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	d[0] = 9;
	CHECK(madvise(d, pg, MADV_DONTNEED) == 0 && d[0] == 0);
	printf("madvise ok\n");

	char path[] = "/tmp/popek-mmap-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, "file-contents", 13) == 13);
	char *f = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(f != MAP_FAILED && !memcmp(f, "file-contents", 13));
	char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	s[0] = 'F';
	CHECK(msync(s, pg, MS_SYNC) == 0);
	char b;
	CHECK(pread(fd, &b, 1, 0) == 1 && b == 'F');
	/* Past the end of the file: SIGBUS, not SIGSEGV. */
	signal(SIGBUS, on_segv);
	char *two = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(two != MAP_FAILED && try_read(two) && !try_read(two + pg));
	CHECK(last_fault_sig == SIGBUS);
	close(fd);
	unlink(path);
	printf("file mmap ok\n");

	char *brk0 = sbrk(0);
	CHECK(brk0 != (void *)-1);
	char *grown = sbrk(1 << 20);
	CHECK(grown == brk0);
	memset(grown, 1, 1 << 20);
	CHECK(sbrk(0) == brk0 + (1 << 20));
	CHECK(brk(brk0) == 0 && sbrk(0) == brk0);
	printf("brk ok\n");

	/* malloc of many sizes exercises brk and mmap together */
	for (int i = 1; i < 200; i++) {
		char *m = malloc((size_t)i * 4099);
		CHECK(m);
		memset(m, i, (size_t)i * 4099);
		free(m);
	}
	printf("malloc ok\n");
	printf("faults=%d\n", faults);
	(void)argv;
	return 0;
}
