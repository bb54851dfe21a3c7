/*
 * CLINT (SiFive core-local interruptor) at 0x02000000: per-hart software
 * interrupt (msip at +4*hart), timer compare (mtimecmp at +0x4000 + 8*hart)
 * and the shared mtime counter (+0xbff8), which runs at 10 MHz.
 *
 * mtime is derived from a host clock (CLOCK_MONOTONIC unless a test injects
 * one) plus a signed tick offset, so guest writes to mtime, pausing and
 * snapshots only move the offset.  Time moves without any MMIO access, so
 * the hart loop calls clint_update() now and then (or when a WFI sleep
 * computed from clint_deadline_ns() expires) to raise MTIP on time.
 */
#ifndef POPEK_DEVICES_CLINT_H
#define POPEK_DEVICES_CLINT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/hart_sink.h"

#define CLINT_BASE       0x02000000ull
#define CLINT_SIZE       0x10000ull
#define CLINT_MAX_HARTS  64
#define CLINT_FREQ_HZ    10000000ull          /* timebase-frequency */
#define CLINT_NS_PER_TICK (1000000000ull / CLINT_FREQ_HZ)

/* Everything a snapshot needs; plain data. */
struct clint_state {
	uint32_t nharts;
	uint32_t msip[CLINT_MAX_HARTS];
	uint64_t mtimecmp[CLINT_MAX_HARTS];
	uint64_t mtime;      /* value at save time (the clock is paused) */
};

struct clint {
	pthread_mutex_t lock;
	int nharts;
	uint32_t msip[CLINT_MAX_HARTS];
	uint64_t mtimecmp[CLINT_MAX_HARTS];
	bool mtip[CLINT_MAX_HARTS];    /* last level given to the sink */
	int64_t tick_offset;           /* mtime = host_ns / 100 + tick_offset */
	bool paused;
	uint64_t paused_mtime;
	uint64_t (*clock_ns)(void);    /* host clock in ns */
	struct hart_irq_sink sink;
};

/* clock_ns NULL means CLOCK_MONOTONIC.  mtime starts at 0.
 * Returns 0 or -EINVAL (nharts out of range). */
int clint_init(struct clint *c, int nharts, const struct hart_irq_sink *sink,
	       uint64_t (*clock_ns)(void));
void clint_destroy(struct clint *c);

/* Bus callbacks (opaque = struct clint *). */
uint64_t clint_mmio_read(void *opaque, uint64_t offset, unsigned size);
void clint_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);

/* Current mtime: the time CSR and Sstc's stimecmp compare read this. */
uint64_t clint_mtime(struct clint *c);
/* Re-evaluate MTIP for every hart against the current mtime. */
void clint_update(struct clint *c);
/* Host clock (clock_ns units) at which hart's MTIP will rise: 0 when it
 * is already due, UINT64_MAX when never (mtimecmp all ones, or paused). */
uint64_t clint_deadline_ns(struct clint *c, int hart);
/* Convert a guest tick count to the host clock time it is reached
 * (for Sstc's stimecmp, which the CPU keeps itself). */
uint64_t clint_ticks_to_host_ns(struct clint *c, uint64_t ticks);

/* Freeze/unfreeze mtime (for pause and snapshot). */
void clint_pause(struct clint *c);
void clint_resume(struct clint *c);

/* Snapshot: save pauses nothing, it records mtime as of now; load restores
 * mtime so the guest sees no jump, and re-drives MSIP/MTIP. */
void clint_save(struct clint *c, struct clint_state *st);
int clint_load(struct clint *c, const struct clint_state *st);

#endif
