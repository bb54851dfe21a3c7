/*
 * Guest physical RAM: one host mapping (anonymous, MAP_NORESERVE, so a big
 * guest costs only what it touches) at guest physical address base.
 * Devices doing DMA (virtio) must go through guest_mem_ptr, which checks
 * that the whole range lies inside RAM: guest-supplied addresses are hostile.
 */
#ifndef POPEK_VM_MEMORY_H
#define POPEK_VM_MEMORY_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem {
	uint8_t *host;
	uint64_t base;   /* guest physical address of host[0] */
	uint64_t size;
};

int guest_mem_init(struct guest_mem *mem, uint64_t base, uint64_t size);
void guest_mem_destroy(struct guest_mem *mem);

/* Host pointer for [gpa, gpa+len) or NULL when any byte is outside RAM. */
static inline void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	uint64_t off = gpa - mem->base;
	if (gpa < mem->base || off > mem->size || len > mem->size - off)
		return NULL;
	return mem->host + off;
}

#endif
