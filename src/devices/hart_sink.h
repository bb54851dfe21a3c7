/*
 * How the interrupt controllers (CLINT, PLIC) reach the harts.  The
 * machine supplies one hart_irq_sink; the controllers call set_mip with a
 * single mip bit and the new level of the wire feeding it.  The callback may
 * be called from any host thread, with the controller's lock held: it must
 * not call back into the controller (set an atomic bit, kick the hart).
 *
 * Lock order everywhere: device -> PLIC -> hart sink.
 */
#ifndef POPEK_DEVICES_HART_SINK_H
#define POPEK_DEVICES_HART_SINK_H

#include <stdint.h>

/* mip bit numbers */
enum {
	MIP_SSIP = 1, MIP_MSIP = 3,
	MIP_STIP = 5, MIP_MTIP = 7,
	MIP_SEIP = 9, MIP_MEIP = 11,
};

struct hart_irq_sink {
	/* bit is a mip bit mask (1 << MIP_*), level 0 or 1. */
	void (*set_mip)(void *opaque, int hart, uint64_t bit, int level);
	void *opaque;
};

static inline void hart_sink_set(const struct hart_irq_sink *s, int hart, int mip_bit, int level)
{
	if (s && s->set_mip)
		s->set_mip(s->opaque, hart, 1ull << mip_bit, level);
}

#endif
