/*
 * MMIO bus: a small table of device regions searched linearly.  A machine
 * has a dozen devices at most, so a sorted array or tree would buy nothing;
 * registration happens before any hart runs, so lookups take no lock.
 */
#include "vm/bus.h"

#include <errno.h>
#include <stddef.h>

static bool region_overlaps(const struct bus_region *r, uint64_t base, uint64_t size)
{
	/* Half-open ranges [base, base+size); compare with subtraction so a
	 * region at the top of the address space cannot wrap. */
	return base - r->base < r->size || r->base - base < size;
}

int bus_register(struct bus *bus, uint64_t base, uint64_t size, void *opaque,
		 bus_read_fn read, bus_write_fn write, const char *name)
{
	if (size == 0 || base + size - 1 < base)
		return -EINVAL;
	for (int i = 0; i < bus->nregions; i++)
		if (region_overlaps(&bus->regions[i], base, size))
			return -EEXIST;
	if (bus->nregions >= BUS_MAX_REGIONS)
		return -ENOSPC;
	bus->regions[bus->nregions++] = (struct bus_region){
		.base = base, .size = size, .opaque = opaque,
		.read = read, .write = write, .name = name,
	};
	return 0;
}

/* The region holding the whole access, or NULL.  An access straddling the
 * end of a region is treated as a miss: no device expects it. */
static struct bus_region *bus_find(struct bus *bus, uint64_t addr, unsigned size)
{
	for (int i = 0; i < bus->nregions; i++) {
		struct bus_region *r = &bus->regions[i];
		uint64_t off = addr - r->base;
		if (addr >= r->base && off < r->size && size <= r->size - off)
			return r;
	}
	return NULL;
}

uint64_t bus_read(struct bus *bus, uint64_t addr, unsigned size, bool *hit)
{
	struct bus_region *r = bus_find(bus, addr, size);
	if (hit)
		*hit = r != NULL;
	if (!r || !r->read)
		return 0;
	return r->read(r->opaque, addr - r->base, size);
}

void bus_write(struct bus *bus, uint64_t addr, uint64_t value, unsigned size, bool *hit)
{
	struct bus_region *r = bus_find(bus, addr, size);
	if (hit)
		*hit = r != NULL;
	if (r && r->write)
		r->write(r->opaque, addr - r->base, value, size);
}
