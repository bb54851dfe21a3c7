/* Unit test: MMIO bus dispatch and guest RAM bounds. */
#include <errno.h>

#include "unit.h"
#include "vm/bus.h"
#include "vm/memory.h"

struct dev { uint64_t last_off, last_val; unsigned last_size; };

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
	struct dev *d = opaque;
	d->last_off = off;
	d->last_size = size;
	return 0x1000 + off;
}

static void dev_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct dev *d = opaque;
	d->last_off = off, d->last_val = val, d->last_size = size;
}

static void test_bus(void)
{
	struct bus bus = { 0 };
	struct dev a = { 0 }, b = { 0 };
	bool hit;
	CHECK_EQ(bus_register(&bus, 0x1000, 0x100, &a, dev_read, dev_write, "a"), 0);
	CHECK_EQ(bus_register(&bus, 0x2000, 0x100, &b, dev_read, dev_write, "b"), 0);
	CHECK_EQ(bus_register(&bus, 0x10ff, 0x10, &b, dev_read, dev_write, "overlap"), -EEXIST);
	CHECK_EQ(bus_register(&bus, 0x0f00, 0x101, &b, dev_read, dev_write, "overlap2"), -EEXIST);
	CHECK_EQ(bus_register(&bus, 0x3000, 0, &b, dev_read, dev_write, "empty"), -EINVAL);
	CHECK_EQ(bus_register(&bus, UINT64_MAX - 5, 0x10, &b, dev_read, dev_write, "wrap"), -EINVAL);
	CHECK_EQ(bus_read(&bus, 0x1010, 4, &hit), 0x1010);
	CHECK(hit);
	CHECK_EQ(a.last_off, 0x10);
	bus_write(&bus, 0x2008, 0xabcd, 2, &hit);
	CHECK(hit);
	CHECK_EQ(b.last_off, 8);
	CHECK_EQ(b.last_val, 0xabcd);
	CHECK_EQ(b.last_size, 2);
	CHECK_EQ(bus_read(&bus, 0x1800, 4, &hit), 0);
	CHECK(!hit);
	/* Straddling the end of a region is a miss, not a partial access. */
	bus_read(&bus, 0x10fe, 4, &hit);
	CHECK(!hit);
	bus_write(&bus, 0x5000, 1, 4, &hit);
	CHECK(!hit);
	for (int i = 2; i < BUS_MAX_REGIONS; i++)
		CHECK_EQ(bus_register(&bus, 0x100000 + 0x1000ull * i, 0x100, &a, dev_read, dev_write, "x"), 0);
	CHECK_EQ(bus_register(&bus, 0x900000, 0x100, &a, dev_read, dev_write, "full"), -ENOSPC);
}

static void test_memory(void)
{
	struct guest_mem mem;
	CHECK_EQ(guest_mem_init(&mem, 0x80000000, 1 << 20), 0);
	CHECK(guest_mem_ptr(&mem, 0x80000000, 16) == mem.host);
	CHECK(guest_mem_ptr(&mem, 0x80000000 + (1 << 20) - 16, 16) != NULL);
	CHECK(guest_mem_ptr(&mem, 0x80000000 + (1 << 20) - 16, 17) == NULL);
	CHECK(guest_mem_ptr(&mem, 0x7fffffff, 2) == NULL);
	CHECK(guest_mem_ptr(&mem, 0x80000010, UINT64_MAX) == NULL);
	CHECK(guest_mem_ptr(&mem, UINT64_MAX, 2) == NULL);
	CHECK(guest_mem_ptr(&mem, 0x80000000 + (1 << 20), 0) != NULL);
	CHECK(guest_mem_ptr(&mem, 0x80000000 + (1 << 20) + 1, 0) == NULL);
	guest_mem_destroy(&mem);
	CHECK(mem.host == NULL);
}

int main(void)
{
	test_bus();
	test_memory();
	return unit_exit("bus_memory");
}
