/*
 * Guest physical RAM: one anonymous host mapping.  MAP_NORESERVE lets a
 * guest be given more RAM than the host could commit at once; pages cost
 * host memory only when touched.
 */
#include "vm/memory.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int guest_mem_init(struct guest_mem *mem, uint64_t base, uint64_t size)
{
	memset(mem, 0, sizeof(*mem));
	if (size == 0 || base + size - 1 < base)
		return -EINVAL;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	mem->host = p;
	mem->base = base;
	mem->size = size;
	return 0;
}

void guest_mem_destroy(struct guest_mem *mem)
{
	if (mem->host)
		munmap(mem->host, mem->size);
	memset(mem, 0, sizeof(*mem));
}
