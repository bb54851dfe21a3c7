/* Unit test: CLINT (msip, mtime, mtimecmp -> MTIP, deadlines, pause,
 * snapshots) and PLIC (priority, threshold, enables, claim/complete,
 * level-triggered re-pending, context routing to MEIP/SEIP). */
#include <errno.h>

#include "devices/clint.h"
#include "devices/plic.h"
#include "unit.h"

static uint64_t fake_now;
static uint64_t fake_clock(void) { return fake_now; }

#define MTIP (1ull << MIP_MTIP)
#define MSIP (1ull << MIP_MSIP)
#define MEIP (1ull << MIP_MEIP)
#define SEIP (1ull << MIP_SEIP)

static void test_clint(void)
{
	struct fake_harts harts = { 0 };
	struct hart_irq_sink sink = { fake_set_mip, &harts };
	struct clint c;
	fake_now = 5000000000ull;
	CHECK_EQ(clint_init(&c, 0, &sink, fake_clock), -EINVAL);
	CHECK_EQ(clint_init(&c, 2, &sink, fake_clock), 0);
	CHECK_EQ(clint_mtime(&c), 0);
	fake_now += 1000;   /* 1 us = 10 ticks */
	CHECK_EQ(clint_mmio_read(&c, 0xbff8, 8), 10);
	CHECK_EQ(clint_mmio_read(&c, 0xbffc, 4), 0);
	/* msip */
	clint_mmio_write(&c, 4, 1, 4);
	CHECK_EQ(harts.mip[1], MSIP);
	CHECK_EQ(clint_mmio_read(&c, 4, 4), 1);
	clint_mmio_write(&c, 4, 0, 4);
	CHECK_EQ(harts.mip[1], 0);
	/* mtimecmp starts at all ones: no timer */
	CHECK_EQ(clint_mmio_read(&c, 0x4000, 8), UINT64_MAX);
	CHECK_EQ(clint_deadline_ns(&c, 0), UINT64_MAX);
	clint_mmio_write(&c, 0x4000, 100, 8);
	CHECK_EQ(harts.mip[0] & MTIP, 0);
	CHECK_EQ(clint_deadline_ns(&c, 0), fake_now + 90 * 100);
	fake_now += 89 * 100;
	clint_update(&c);
	CHECK_EQ(harts.mip[0] & MTIP, 0);
	fake_now += 100;
	clint_update(&c);
	CHECK_EQ(harts.mip[0] & MTIP, MTIP);
	CHECK_EQ(clint_deadline_ns(&c, 0), 0);
	CHECK_EQ(harts.mip[1] & MTIP, 0);
	/* Writing a later compare value lowers MTIP at once (32-bit halves). */
	clint_mmio_write(&c, 0x4004, 1, 4);
	CHECK_EQ(harts.mip[0] & MTIP, 0);
	CHECK_EQ(clint_mmio_read(&c, 0x4000, 8), (1ull << 32) + 100);
	/* Writing mtime past mtimecmp raises it. */
	clint_mmio_write(&c, 0xbff8, (1ull << 32) + 200, 8);
	CHECK_EQ(harts.mip[0] & MTIP, MTIP);
	CHECK_EQ(clint_mtime(&c), (1ull << 32) + 200);
	/* Pause freezes mtime; resume continues without a jump. */
	clint_pause(&c);
	fake_now += 1000000;
	CHECK_EQ(clint_mtime(&c), (1ull << 32) + 200);
	clint_resume(&c);
	fake_now += 100;
	CHECK_EQ(clint_mtime(&c), (1ull << 32) + 201);
	/* Snapshot round trip into a fresh CLINT. */
	struct clint_state st;
	clint_mmio_write(&c, 0, 1, 4);
	clint_save(&c, &st);
	struct fake_harts harts2 = { 0 };
	struct hart_irq_sink sink2 = { fake_set_mip, &harts2 };
	struct clint c2;
	clint_init(&c2, 2, &sink2, fake_clock);
	CHECK_EQ(clint_load(&c2, &st), 0);
	CHECK_EQ(clint_mtime(&c2), (1ull << 32) + 201);
	CHECK_EQ(harts2.mip[0], MSIP | MTIP);
	/* Out-of-range and misaligned accesses are ignored. */
	CHECK_EQ(clint_mmio_read(&c, 8, 4), 0);
	clint_mmio_write(&c, 0x4010, 5, 8);        /* hart 2 does not exist */
	CHECK_EQ(clint_mmio_read(&c, 0x4010, 8), 0);
	CHECK_EQ(clint_mmio_read(&c, 0xbff9, 4), 0);
	clint_destroy(&c);
	clint_destroy(&c2);
}

#define PRIO(s)      (4u * (s))
#define PENDING(w)   (0x1000u + 4u * (w))
#define ENABLE(c, w) (0x2000u + 0x80u * (c) + 4u * (w))
#define THRESH(c)    (0x200000u + 0x1000u * (c))
#define CLAIM(c)     (0x200004u + 0x1000u * (c))

static void test_plic(void)
{
	struct fake_harts harts = { 0 };
	struct hart_irq_sink sink = { fake_set_mip, &harts };
	struct plic p;
	CHECK_EQ(plic_init(&p, 2, &sink), 0);
	struct irq_line uart = plic_irq_line(&p, 10), blk = plic_irq_line(&p, 1);

	/* A source with priority 0 never interrupts. */
	plic_mmio_write(&p, ENABLE(0, 0), (1u << 10) | (1u << 1), 4);
	irq_set(&uart, 1);
	CHECK_EQ(plic_mmio_read(&p, PENDING(0), 4), 1u << 10);
	CHECK_EQ(harts.mip[0], 0);
	plic_mmio_write(&p, PRIO(10), 0xff, 4);
	CHECK_EQ(plic_mmio_read(&p, PRIO(10), 4), 7);     /* 3-bit priorities */
	CHECK_EQ(harts.mip[0], MEIP);
	CHECK_EQ(harts.mip[1], 0);
	/* Threshold masks priorities at or below it. */
	plic_mmio_write(&p, THRESH(0), 7, 4);
	CHECK_EQ(harts.mip[0], 0);
	CHECK_EQ(plic_mmio_read(&p, CLAIM(0), 4), 0);
	plic_mmio_write(&p, THRESH(0), 2, 4);
	CHECK_EQ(harts.mip[0], MEIP);
	/* Highest priority first; equal priorities go to the lower id. */
	plic_mmio_write(&p, PRIO(1), 3, 4);
	irq_set(&blk, 1);
	CHECK_EQ(plic_mmio_read(&p, CLAIM(0), 4), 10);
	CHECK_EQ(plic_mmio_read(&p, PENDING(0), 4), 1u << 1);
	CHECK_EQ(plic_mmio_read(&p, CLAIM(0), 4), 1);
	CHECK_EQ(harts.mip[0], 0);
	CHECK_EQ(plic_mmio_read(&p, CLAIM(0), 4), 0);
	/* Complete while the line is still high: pending again. */
	plic_mmio_write(&p, CLAIM(0), 10, 4);
	CHECK_EQ(harts.mip[0], MEIP);
	CHECK_EQ(plic_mmio_read(&p, CLAIM(0), 4), 10);
	irq_set(&uart, 0);
	plic_mmio_write(&p, CLAIM(0), 10, 4);
	CHECK_EQ(harts.mip[0], 0);
	irq_set(&blk, 0);
	plic_mmio_write(&p, CLAIM(0), 1, 4);
	CHECK_EQ(plic_mmio_read(&p, PENDING(0), 4), 0);
	/* Lowering a line before the claim withdraws the request. */
	irq_set(&uart, 1);
	CHECK_EQ(harts.mip[0], MEIP);
	irq_set(&uart, 0);
	CHECK_EQ(harts.mip[0], 0);
	/* Context 3 = hart 1 S-mode -> SEIP. */
	plic_mmio_write(&p, ENABLE(3, 1), 1u << (40 - 32), 4);
	plic_mmio_write(&p, PRIO(40), 1, 4);
	plic_set_level(&p, 40, 1);
	CHECK_EQ(harts.mip[1], SEIP);
	CHECK_EQ(harts.mip[0], 0);
	CHECK_EQ(plic_mmio_read(&p, CLAIM(2), 4), 0);    /* not enabled for M */
	/* Completing a source not enabled for the context is ignored. */
	CHECK_EQ(plic_mmio_read(&p, CLAIM(3), 4), 40);
	plic_mmio_write(&p, CLAIM(2), 40, 4);
	plic_set_level(&p, 40, 1);
	CHECK_EQ(harts.mip[1], 0);
	/* Snapshot round trip. */
	struct plic_state st;
	plic_save(&p, &st);
	struct fake_harts harts2 = { 0 };
	struct hart_irq_sink sink2 = { fake_set_mip, &harts2 };
	struct plic p2;
	plic_init(&p2, 2, &sink2);
	CHECK_EQ(plic_load(&p2, &st), 0);
	plic_mmio_write(&p2, CLAIM(3), 40, 4);
	CHECK_EQ(harts2.mip[1], SEIP);
	/* Hostile accesses: source 0, out-of-range sources and contexts. */
	plic_mmio_write(&p, PRIO(0), 7, 4);
	CHECK_EQ(plic_mmio_read(&p, PRIO(0), 4), 0);
	plic_mmio_write(&p, ENABLE(0, 0), 1, 4);
	CHECK_EQ(plic_mmio_read(&p, ENABLE(0, 0), 4), 0);
	plic_mmio_write(&p, ENABLE(4, 0), ~0u, 4);   /* context 4: no hart 2 */
	CHECK_EQ(plic_mmio_read(&p, ENABLE(4, 0), 4), 0);
	CHECK_EQ(plic_mmio_read(&p, CLAIM(200), 4), 0);
	plic_mmio_write(&p, CLAIM(0), 5000, 4);
	plic_set_level(&p, 96, 1);
	plic_set_level(&p, -1, 1);
	plic_mmio_write(&p, PRIO(500), 7, 4);
	CHECK_EQ(plic_mmio_read(&p, 0x5ffffc, 4), 0);
	CHECK_EQ(plic_mmio_read(&p, PRIO(10), 2), 0);
	plic_destroy(&p);
	plic_destroy(&p2);
}

int main(void)
{
	test_clint();
	test_plic();
	return unit_exit("clint_plic");
}
