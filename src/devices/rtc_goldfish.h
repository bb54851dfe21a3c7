/*
 * Goldfish RTC at 0x00101000 (PLIC source 11): wall-clock time in
 * nanoseconds since the Unix epoch, plus one alarm.
 *
 * Time is the host's CLOCK_REALTIME plus an offset the guest sets by
 * writing TIME_HIGH then TIME_LOW.  Reading TIME_LOW latches the high half
 * for the following TIME_HIGH read, so a 64-bit value is read consistently.
 * The alarm fires when the clock passes it: the machine polls
 * rtc_goldfish_update() (or sleeps until rtc_goldfish_deadline_ns()).
 */
#ifndef POPEK_DEVICES_RTC_GOLDFISH_H
#define POPEK_DEVICES_RTC_GOLDFISH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/irq.h"

#define RTC_GOLDFISH_BASE 0x00101000ull
#define RTC_GOLDFISH_SIZE 0x1000ull
#define RTC_GOLDFISH_IRQ  11

/* Plain data for snapshots. */
struct rtc_goldfish_state {
	int64_t offset_ns;        /* guest time = host realtime + offset */
	uint64_t alarm_ns;
	uint32_t alarm_armed, irq_enabled, alarm_status;
	uint32_t time_high_latch, alarm_high_latch, set_high_latch;
};

struct rtc_goldfish {
	pthread_mutex_t lock;
	struct rtc_goldfish_state s;
	int irq_level;
	struct irq_line irq;
	uint64_t (*clock_ns)(void);   /* host realtime, injectable for tests */
};

/* clock_ns NULL means CLOCK_REALTIME. */
void rtc_goldfish_init(struct rtc_goldfish *r, const struct irq_line *irq, uint64_t (*clock_ns)(void));
void rtc_goldfish_destroy(struct rtc_goldfish *r);

uint64_t rtc_goldfish_mmio_read(void *opaque, uint64_t offset, unsigned size);
void rtc_goldfish_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);

/* Fire the alarm if its time has come. */
void rtc_goldfish_update(struct rtc_goldfish *r);
/* Host clock time the armed alarm fires, UINT64_MAX when none. */
uint64_t rtc_goldfish_deadline_ns(struct rtc_goldfish *r);

void rtc_goldfish_save(struct rtc_goldfish *r, struct rtc_goldfish_state *st);
void rtc_goldfish_load(struct rtc_goldfish *r, const struct rtc_goldfish_state *st);

#endif
