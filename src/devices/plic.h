/*
 * PLIC (SiFive platform-level interrupt controller) at 0x0c000000, laid out
 * like QEMU's virt machine: 96 sources (0 is reserved, so 1..95 are usable
 * and the device tree says riscv,ndev = 95), 3-bit priorities, and two
 * contexts per hart: context 2h drives hart h's MEIP, 2h+1 its SEIP.
 *
 * Sources are level-triggered: a device holds its irq_line (made with
 * plic_irq_line) high while it wants service.  A source is pending while its
 * level is high and it is not claimed; after the guest completes it, it
 * becomes pending again if the level is still high.
 */
#ifndef POPEK_DEVICES_PLIC_H
#define POPEK_DEVICES_PLIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/hart_sink.h"
#include "devices/irq.h"

#define PLIC_BASE          0x0c000000ull
#define PLIC_SIZE          0x600000ull
#define PLIC_NUM_SOURCES   96
#define PLIC_NDEV          (PLIC_NUM_SOURCES - 1)
#define PLIC_MAX_HARTS     32
#define PLIC_MAX_CONTEXTS  (2 * PLIC_MAX_HARTS)
#define PLIC_PRIORITY_MASK 7u
#define PLIC_WORDS         ((PLIC_NUM_SOURCES + 31) / 32)

/* Everything a snapshot needs; plain data. */
struct plic_state {
	uint32_t ncontexts;
	uint32_t priority[PLIC_NUM_SOURCES];
	uint32_t level[PLIC_WORDS];       /* input wire levels */
	uint32_t pending[PLIC_WORDS];
	uint32_t claimed[PLIC_WORDS];
	uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
	uint32_t threshold[PLIC_MAX_CONTEXTS];
};

struct plic {
	pthread_mutex_t lock;
	int ncontexts;
	uint32_t priority[PLIC_NUM_SOURCES];
	uint32_t level[PLIC_WORDS];
	uint32_t pending[PLIC_WORDS];
	uint32_t claimed[PLIC_WORDS];
	uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
	uint32_t threshold[PLIC_MAX_CONTEXTS];
	bool out[PLIC_MAX_CONTEXTS];      /* last level given to the sink */
	struct hart_irq_sink sink;
};

/* Returns 0 or -EINVAL (nharts out of range). */
int plic_init(struct plic *p, int nharts, const struct hart_irq_sink *sink);
void plic_destroy(struct plic *p);

/* Bus callbacks (opaque = struct plic *).  Registers are 32-bit. */
uint64_t plic_mmio_read(void *opaque, uint64_t offset, unsigned size);
void plic_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);

/* Drive source `source` (1..95) to level 0/1. */
void plic_set_level(struct plic *p, int source, int level);
/* An irq_line a device can hold: raising it drives `source`. */
struct irq_line plic_irq_line(struct plic *p, int source);

void plic_save(struct plic *p, struct plic_state *st);
int plic_load(struct plic *p, const struct plic_state *st);

#endif
