/*
 * MMIO bus: devices register an address range with read/write callbacks;
 * a CPU engine calls bus_read/bus_write when a physical access misses RAM.
 * Devices never learn which engine is running.
 */
#ifndef POPEK_VM_BUS_H
#define POPEK_VM_BUS_H

#include <stdbool.h>
#include <stdint.h>

/* size is 1, 2, 4 or 8; offset is relative to the region base. */
typedef uint64_t (*bus_read_fn)(void *opaque, uint64_t offset, unsigned size);
typedef void (*bus_write_fn)(void *opaque, uint64_t offset, uint64_t value, unsigned size);

struct bus_region {
	uint64_t base, size;
	void *opaque;
	bus_read_fn read;
	bus_write_fn write;
	const char *name;
};

#define BUS_MAX_REGIONS 32

struct bus {
	struct bus_region regions[BUS_MAX_REGIONS];
	int nregions;
};

/* Returns 0, -EEXIST for an overlap, -ENOSPC when full. */
int bus_register(struct bus *bus, uint64_t base, uint64_t size, void *opaque,
		 bus_read_fn read, bus_write_fn write, const char *name);
/* An access to no device: reads return 0 and *hit is false (the engine
 * raises an access fault), writes are dropped likewise. */
uint64_t bus_read(struct bus *bus, uint64_t addr, unsigned size, bool *hit);
void bus_write(struct bus *bus, uint64_t addr, uint64_t value, unsigned size, bool *hit);

#endif
