/*
 * A minimal unit-test harness for the device tests: CHECK records a
 * failure with its location and carries on, so one run reports every
 * broken expectation; unit_exit() turns the tally into the exit status.
 */
#ifndef POPEK_TESTS_UNIT_H
#define POPEK_TESTS_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int unit_failures;
static int unit_checks;

#define CHECK(cond) do { \
	unit_checks++; \
	if (!(cond)) { \
		unit_failures++; \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b); \
	unit_checks++; \
	if (a_ != b_) { \
		unit_failures++; \
		fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (0x%" PRIx64 " != 0x%" PRIx64 ")\n", \
			__FILE__, __LINE__, #a, #b, a_, b_); \
	} \
} while (0)

static inline int unit_exit(const char *name)
{
	printf("%s: %d checks, %d failures\n", name, unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}

/* A hart sink that records each hart's mip bits. */
struct fake_harts {
	uint64_t mip[64];
	int calls;
};

static inline void fake_set_mip(void *opaque, int hart, uint64_t bit, int level)
{
	struct fake_harts *h = opaque;
	h->calls++;
	if (level)
		h->mip[hart] |= bit;
	else
		h->mip[hart] &= ~bit;
}

/* An irq_line target that records levels per source number. */
struct fake_irqs {
	int level[128];
	int edges;
};

static inline void fake_irq_set(void *opaque, int num, int level)
{
	struct fake_irqs *f = opaque;
	if (f->level[num] != level)
		f->edges++;
	f->level[num] = level;
}

#endif
