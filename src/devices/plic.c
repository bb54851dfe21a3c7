/*
 * PLIC: gateways (level -> pending), per-context enables, thresholds and the
 * claim/complete handshake.  See plic.h for the model.
 *
 * Register map (offsets from PLIC_BASE):
 *   0x000000 + 4*src        priority
 *   0x001000 + 4*word       pending bits (read-only)
 *   0x002000 + 0x80*ctx     enable bits
 *   0x200000 + 0x1000*ctx   threshold; +4 claim (read) / complete (write)
 */
#include "devices/plic.h"

#include <errno.h>
#include <string.h>

#define PLIC_PENDING_BASE   0x001000u
#define PLIC_ENABLE_BASE    0x002000u
#define PLIC_ENABLE_STRIDE  0x80u
#define PLIC_CONTEXT_BASE   0x200000u
#define PLIC_CONTEXT_STRIDE 0x1000u

static bool bit_get(const uint32_t *w, int n) { return (w[n / 32] >> (n % 32)) & 1; }
static void bit_set(uint32_t *w, int n, bool v)
{
	if (v)
		w[n / 32] |= 1u << (n % 32);
	else
		w[n / 32] &= ~(1u << (n % 32));
}

int plic_init(struct plic *p, int nharts, const struct hart_irq_sink *sink)
{
	if (nharts < 1 || nharts > PLIC_MAX_HARTS)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->ncontexts = 2 * nharts;
	if (sink)
		p->sink = *sink;
	return 0;
}

void plic_destroy(struct plic *p)
{
	pthread_mutex_destroy(&p->lock);
}

/* The best source for a context: enabled, pending, priority above the
 * threshold; highest priority wins and the lowest id breaks ties. */
static int best_source_locked(struct plic *p, int ctx)
{
	int best = 0;
	uint32_t best_prio = p->threshold[ctx];
	for (int w = 0; w < PLIC_WORDS; w++) {
		uint32_t cand = p->pending[w] & p->enable[ctx][w];
		while (cand) {
			int src = w * 32 + __builtin_ctz(cand);
			cand &= cand - 1;
			if (p->priority[src] > best_prio) {
				best_prio = p->priority[src];
				best = src;
			}
		}
	}
	return best;
}

static void update_outputs_locked(struct plic *p)
{
	for (int ctx = 0; ctx < p->ncontexts; ctx++) {
		bool level = best_source_locked(p, ctx) != 0;
		if (level == p->out[ctx])
			continue;
		p->out[ctx] = level;
		hart_sink_set(&p->sink, ctx / 2, (ctx & 1) ? MIP_SEIP : MIP_MEIP, level);
	}
}

void plic_set_level(struct plic *p, int source, int level)
{
	if (source <= 0 || source >= PLIC_NUM_SOURCES)
		return;
	pthread_mutex_lock(&p->lock);
	bit_set(p->level, source, level);
	bit_set(p->pending, source, level && !bit_get(p->claimed, source));
	update_outputs_locked(p);
	pthread_mutex_unlock(&p->lock);
}

static void irq_line_to_plic(void *opaque, int num, int level)
{
	plic_set_level(opaque, num, level);
}

struct irq_line plic_irq_line(struct plic *p, int source)
{
	return (struct irq_line){ .set_level = irq_line_to_plic, .opaque = p, .num = source };
}

static uint32_t claim_locked(struct plic *p, int ctx)
{
	int src = best_source_locked(p, ctx);
	if (src) {
		bit_set(p->pending, src, false);
		bit_set(p->claimed, src, true);
	}
	update_outputs_locked(p);
	return (uint32_t)src;
}

static void complete_locked(struct plic *p, int ctx, uint32_t src)
{
	/* The spec ignores completions for sources not enabled in the context. */
	if (src == 0 || src >= PLIC_NUM_SOURCES || !bit_get(p->enable[ctx], (int)src))
		return;
	bit_set(p->claimed, (int)src, false);
	if (bit_get(p->level, (int)src))
		bit_set(p->pending, (int)src, true);
	update_outputs_locked(p);
}

/* Which context register an offset in the context area names, or -1. */
static int context_of(struct plic *p, uint64_t offset, uint64_t base, uint64_t stride)
{
	uint64_t ctx = (offset - base) / stride;
	return ctx < (uint64_t)p->ncontexts ? (int)ctx : -1;
}

static uint32_t read_locked(struct plic *p, uint64_t off)
{
	if (off < PLIC_PENDING_BASE)
		return off / 4 < PLIC_NUM_SOURCES ? p->priority[off / 4] : 0;
	if (off < PLIC_ENABLE_BASE)
		return (off - PLIC_PENDING_BASE) / 4 < PLIC_WORDS ? p->pending[(off - PLIC_PENDING_BASE) / 4] : 0;
	if (off < PLIC_CONTEXT_BASE) {
		int ctx = context_of(p, off, PLIC_ENABLE_BASE, PLIC_ENABLE_STRIDE);
		uint64_t w = (off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;
		return ctx >= 0 && w < PLIC_WORDS ? p->enable[ctx][w] : 0;
	}
	int ctx = context_of(p, off, PLIC_CONTEXT_BASE, PLIC_CONTEXT_STRIDE);
	uint64_t reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
	if (ctx < 0)
		return 0;
	if (reg == 0)
		return p->threshold[ctx];
	if (reg == 4)
		return claim_locked(p, ctx);
	return 0;
}

static void write_locked(struct plic *p, uint64_t off, uint32_t v)
{
	if (off < PLIC_PENDING_BASE) {
		/* Source 0 does not exist: its priority stays hard-wired to 0. */
		if (off / 4 >= 1 && off / 4 < PLIC_NUM_SOURCES)
			p->priority[off / 4] = v & PLIC_PRIORITY_MASK;
	} else if (off < PLIC_ENABLE_BASE) {
		return;   /* pending bits are read-only */
	} else if (off < PLIC_CONTEXT_BASE) {
		int ctx = context_of(p, off, PLIC_ENABLE_BASE, PLIC_ENABLE_STRIDE);
		uint64_t w = (off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;
		if (ctx < 0 || w >= PLIC_WORDS)
			return;
		p->enable[ctx][w] = w == 0 ? v & ~1u : v;   /* source 0 never enabled */
	} else {
		int ctx = context_of(p, off, PLIC_CONTEXT_BASE, PLIC_CONTEXT_STRIDE);
		uint64_t reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
		if (ctx < 0)
			return;
		if (reg == 0)
			p->threshold[ctx] = v & PLIC_PRIORITY_MASK;
		else if (reg == 4)
			complete_locked(p, ctx, v);
	}
	update_outputs_locked(p);
}

uint64_t plic_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct plic *p = opaque;
	if (size != 4 || (offset & 3))
		return 0;
	pthread_mutex_lock(&p->lock);
	uint32_t v = read_locked(p, offset);
	pthread_mutex_unlock(&p->lock);
	return v;
}

void plic_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct plic *p = opaque;
	if (size != 4 || (offset & 3))
		return;
	pthread_mutex_lock(&p->lock);
	write_locked(p, offset, (uint32_t)value);
	pthread_mutex_unlock(&p->lock);
}

void plic_save(struct plic *p, struct plic_state *st)
{
	pthread_mutex_lock(&p->lock);
	memset(st, 0, sizeof(*st));
	st->ncontexts = (uint32_t)p->ncontexts;
	memcpy(st->priority, p->priority, sizeof(st->priority));
	memcpy(st->level, p->level, sizeof(st->level));
	memcpy(st->pending, p->pending, sizeof(st->pending));
	memcpy(st->claimed, p->claimed, sizeof(st->claimed));
	memcpy(st->enable, p->enable, sizeof(st->enable));
	memcpy(st->threshold, p->threshold, sizeof(st->threshold));
	pthread_mutex_unlock(&p->lock);
}

int plic_load(struct plic *p, const struct plic_state *st)
{
	if (st->ncontexts != (uint32_t)p->ncontexts)
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	for (int i = 0; i < PLIC_NUM_SOURCES; i++)
		p->priority[i] = i ? st->priority[i] & PLIC_PRIORITY_MASK : 0;
	memcpy(p->level, st->level, sizeof(p->level));
	memcpy(p->pending, st->pending, sizeof(p->pending));
	memcpy(p->claimed, st->claimed, sizeof(p->claimed));
	memcpy(p->enable, st->enable, sizeof(p->enable));
	for (int c = 0; c < PLIC_MAX_CONTEXTS; c++) {
		p->enable[c][0] &= ~1u;
		p->threshold[c] = st->threshold[c] & PLIC_PRIORITY_MASK;
	}
	/* The harts' wires may hold anything: drive every output afresh. */
	for (int ctx = 0; ctx < p->ncontexts; ctx++) {
		p->out[ctx] = false;
		hart_sink_set(&p->sink, ctx / 2, (ctx & 1) ? MIP_SEIP : MIP_MEIP, 0);
	}
	update_outputs_locked(p);
	pthread_mutex_unlock(&p->lock);
	return 0;
}
