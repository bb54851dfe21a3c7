/*
 * CLINT: software interrupts (MSIP), the 10 MHz mtime counter and the
 * per-hart mtimecmp comparators that drive MTIP.  See clint.h.
 */
#include "devices/clint.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define CLINT_MSIP_BASE     0x0000
#define CLINT_MTIMECMP_BASE 0x4000
#define CLINT_MTIME         0xbff8

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int clint_init(struct clint *c, int nharts, const struct hart_irq_sink *sink,
	       uint64_t (*clock_ns)(void))
{
	if (nharts < 1 || nharts > CLINT_MAX_HARTS)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->nharts = nharts;
	c->clock_ns = clock_ns ? clock_ns : monotonic_ns;
	if (sink)
		c->sink = *sink;
	for (int h = 0; h < nharts; h++)
		c->mtimecmp[h] = UINT64_MAX;   /* no timer until the guest asks */
	c->tick_offset = -(int64_t)(c->clock_ns() / CLINT_NS_PER_TICK);
	return 0;
}

void clint_destroy(struct clint *c)
{
	pthread_mutex_destroy(&c->lock);
}

static uint64_t mtime_locked(struct clint *c)
{
	if (c->paused)
		return c->paused_mtime;
	return c->clock_ns() / CLINT_NS_PER_TICK + (uint64_t)c->tick_offset;
}

static void set_mtime_locked(struct clint *c, uint64_t mtime)
{
	if (c->paused)
		c->paused_mtime = mtime;
	else
		c->tick_offset = (int64_t)(mtime - c->clock_ns() / CLINT_NS_PER_TICK);
}

static void update_hart_locked(struct clint *c, int h, uint64_t now)
{
	bool level = now >= c->mtimecmp[h];
	if (level != c->mtip[h]) {
		c->mtip[h] = level;
		hart_sink_set(&c->sink, h, MIP_MTIP, level);
	}
}

static void update_all_locked(struct clint *c)
{
	uint64_t now = mtime_locked(c);
	for (int h = 0; h < c->nharts; h++)
		update_hart_locked(c, h, now);
}

/* Registers are 32 or 64 bits wide; a guest may access any naturally
 * aligned part of one (RV32 drivers use two 32-bit halves). */
static uint64_t reg_extract(uint64_t reg, unsigned byte_off, unsigned size)
{
	uint64_t v = reg >> (8 * byte_off);
	return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static uint64_t reg_merge(uint64_t reg, unsigned byte_off, unsigned size, uint64_t value)
{
	uint64_t mask = size >= 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
	mask <<= 8 * byte_off;
	return (reg & ~mask) | ((value << (8 * byte_off)) & mask);
}

static bool access_ok(uint64_t offset, unsigned size)
{
	return (size == 1 || size == 2 || size == 4 || size == 8) && (offset & (size - 1)) == 0;
}

uint64_t clint_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct clint *c = opaque;
	uint64_t v = 0;
	if (!access_ok(offset, size))
		return 0;
	pthread_mutex_lock(&c->lock);
	if (offset < CLINT_MSIP_BASE + 4ull * c->nharts) {
		v = reg_extract(c->msip[offset / 4], offset % 4, size);
	} else if (offset >= CLINT_MTIMECMP_BASE &&
		   offset < CLINT_MTIMECMP_BASE + 8ull * c->nharts) {
		uint64_t o = offset - CLINT_MTIMECMP_BASE;
		v = reg_extract(c->mtimecmp[o / 8], o % 8, size);
	} else if (offset >= CLINT_MTIME && offset < CLINT_MTIME + 8) {
		v = reg_extract(mtime_locked(c), offset - CLINT_MTIME, size);
	}
	pthread_mutex_unlock(&c->lock);
	return v;
}

static void write_msip_locked(struct clint *c, int h, unsigned byte_off, unsigned size, uint64_t value)
{
	uint32_t v = (uint32_t)reg_merge(c->msip[h], byte_off, size, value) & 1;
	c->msip[h] = v;
	hart_sink_set(&c->sink, h, MIP_MSIP, (int)v);
}

void clint_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct clint *c = opaque;
	if (!access_ok(offset, size))
		return;
	pthread_mutex_lock(&c->lock);
	if (offset < CLINT_MSIP_BASE + 4ull * c->nharts) {
		write_msip_locked(c, (int)(offset / 4), offset % 4, size, value);
	} else if (offset >= CLINT_MTIMECMP_BASE &&
		   offset < CLINT_MTIMECMP_BASE + 8ull * c->nharts) {
		uint64_t o = offset - CLINT_MTIMECMP_BASE;
		int h = (int)(o / 8);
		c->mtimecmp[h] = reg_merge(c->mtimecmp[h], o % 8, size, value);
		update_hart_locked(c, h, mtime_locked(c));
	} else if (offset >= CLINT_MTIME && offset < CLINT_MTIME + 8) {
		set_mtime_locked(c, reg_merge(mtime_locked(c), offset - CLINT_MTIME, size, value));
		update_all_locked(c);
	}
	pthread_mutex_unlock(&c->lock);
}

uint64_t clint_mtime(struct clint *c)
{
	pthread_mutex_lock(&c->lock);
	uint64_t v = mtime_locked(c);
	pthread_mutex_unlock(&c->lock);
	return v;
}

void clint_update(struct clint *c)
{
	pthread_mutex_lock(&c->lock);
	update_all_locked(c);
	pthread_mutex_unlock(&c->lock);
}

static uint64_t ticks_to_host_ns_locked(struct clint *c, uint64_t ticks)
{
	uint64_t now = mtime_locked(c);
	if (ticks <= now)
		return 0;
	if (c->paused)
		return UINT64_MAX;
	uint64_t delta = ticks - now;
	if (delta > (UINT64_MAX - c->clock_ns()) / CLINT_NS_PER_TICK)
		return UINT64_MAX;
	return c->clock_ns() + delta * CLINT_NS_PER_TICK;
}

uint64_t clint_ticks_to_host_ns(struct clint *c, uint64_t ticks)
{
	pthread_mutex_lock(&c->lock);
	uint64_t v = ticks_to_host_ns_locked(c, ticks);
	pthread_mutex_unlock(&c->lock);
	return v;
}

uint64_t clint_deadline_ns(struct clint *c, int hart)
{
	if (hart < 0 || hart >= c->nharts)
		return UINT64_MAX;
	pthread_mutex_lock(&c->lock);
	uint64_t v = ticks_to_host_ns_locked(c, c->mtimecmp[hart]);
	pthread_mutex_unlock(&c->lock);
	return v;
}

void clint_pause(struct clint *c)
{
	pthread_mutex_lock(&c->lock);
	if (!c->paused) {
		c->paused_mtime = mtime_locked(c);
		c->paused = true;
	}
	pthread_mutex_unlock(&c->lock);
}

void clint_resume(struct clint *c)
{
	pthread_mutex_lock(&c->lock);
	if (c->paused) {
		c->paused = false;
		set_mtime_locked(c, c->paused_mtime);
	}
	pthread_mutex_unlock(&c->lock);
}

void clint_save(struct clint *c, struct clint_state *st)
{
	pthread_mutex_lock(&c->lock);
	memset(st, 0, sizeof(*st));
	st->nharts = (uint32_t)c->nharts;
	memcpy(st->msip, c->msip, sizeof(st->msip));
	memcpy(st->mtimecmp, c->mtimecmp, sizeof(st->mtimecmp));
	st->mtime = mtime_locked(c);
	pthread_mutex_unlock(&c->lock);
}

int clint_load(struct clint *c, const struct clint_state *st)
{
	if (st->nharts != (uint32_t)c->nharts)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	for (int h = 0; h < c->nharts; h++) {
		c->msip[h] = st->msip[h] & 1;
		hart_sink_set(&c->sink, h, MIP_MSIP, (int)c->msip[h]);
		c->mtimecmp[h] = st->mtimecmp[h];
		c->mtip[h] = false;
		hart_sink_set(&c->sink, h, MIP_MTIP, 0);
	}
	set_mtime_locked(c, st->mtime);
	update_all_locked(c);
	pthread_mutex_unlock(&c->lock);
	return 0;
}
