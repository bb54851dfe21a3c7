/*
 * Goldfish RTC: the register file Linux's rtc-goldfish driver programs.
 * See rtc_goldfish.h for the time model.
 */
#include "devices/rtc_goldfish.h"

#include <string.h>
#include <time.h>

enum {
	RTC_TIME_LOW = 0x00, RTC_TIME_HIGH = 0x04,
	RTC_ALARM_LOW = 0x08, RTC_ALARM_HIGH = 0x0c,
	RTC_IRQ_ENABLED = 0x10, RTC_CLEAR_ALARM = 0x14,
	RTC_ALARM_STATUS = 0x18, RTC_CLEAR_INTERRUPT = 0x1c,
};

static uint64_t realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void rtc_goldfish_init(struct rtc_goldfish *r, const struct irq_line *irq, uint64_t (*clock_ns)(void))
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	if (irq)
		r->irq = *irq;
	r->clock_ns = clock_ns ? clock_ns : realtime_ns;
}

void rtc_goldfish_destroy(struct rtc_goldfish *r)
{
	pthread_mutex_destroy(&r->lock);
}

static uint64_t now_locked(struct rtc_goldfish *r)
{
	return r->clock_ns() + (uint64_t)r->s.offset_ns;
}

static void update_locked(struct rtc_goldfish *r)
{
	struct rtc_goldfish_state *s = &r->s;
	if (s->alarm_armed && now_locked(r) >= s->alarm_ns) {
		s->alarm_armed = 0;
		s->alarm_status = 1;
	}
	int level = s->alarm_status && s->irq_enabled;
	if (level != r->irq_level) {
		r->irq_level = level;
		irq_set(&r->irq, level);
	}
}

uint64_t rtc_goldfish_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct rtc_goldfish *r = opaque;
	struct rtc_goldfish_state *s = &r->s;
	uint64_t v = 0;
	if (size != 4)
		return 0;
	pthread_mutex_lock(&r->lock);
	switch (offset) {
	case RTC_TIME_LOW: {
		uint64_t t = now_locked(r);
		s->time_high_latch = (uint32_t)(t >> 32);
		v = (uint32_t)t;
		break;
	}
	case RTC_TIME_HIGH:    v = s->time_high_latch; break;
	case RTC_ALARM_LOW:    v = (uint32_t)s->alarm_ns; break;
	case RTC_ALARM_HIGH:   v = (uint32_t)(s->alarm_ns >> 32); break;
	case RTC_IRQ_ENABLED:  v = s->irq_enabled; break;
	case RTC_ALARM_STATUS: v = s->alarm_armed; break;
	}
	pthread_mutex_unlock(&r->lock);
	return v;
}

void rtc_goldfish_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct rtc_goldfish *r = opaque;
	struct rtc_goldfish_state *s = &r->s;
	uint32_t v = (uint32_t)value;
	if (size != 4)
		return;
	pthread_mutex_lock(&r->lock);
	switch (offset) {
	case RTC_TIME_HIGH: s->set_high_latch = v; break;
	case RTC_TIME_LOW: {
		uint64_t want = ((uint64_t)s->set_high_latch << 32) | v;
		s->offset_ns = (int64_t)(want - r->clock_ns());
		break;
	}
	case RTC_ALARM_HIGH: s->alarm_high_latch = v; break;
	case RTC_ALARM_LOW:
		s->alarm_ns = ((uint64_t)s->alarm_high_latch << 32) | v;
		s->alarm_armed = 1;
		break;
	case RTC_IRQ_ENABLED:     s->irq_enabled = v & 1; break;
	case RTC_CLEAR_ALARM:     s->alarm_armed = 0; break;
	case RTC_CLEAR_INTERRUPT: s->alarm_status = 0; break;
	}
	update_locked(r);
	pthread_mutex_unlock(&r->lock);
}

void rtc_goldfish_update(struct rtc_goldfish *r)
{
	pthread_mutex_lock(&r->lock);
	update_locked(r);
	pthread_mutex_unlock(&r->lock);
}

uint64_t rtc_goldfish_deadline_ns(struct rtc_goldfish *r)
{
	pthread_mutex_lock(&r->lock);
	uint64_t d = UINT64_MAX;
	if (r->s.alarm_armed)
		d = r->s.alarm_ns <= now_locked(r) ? 0 : r->s.alarm_ns - (uint64_t)r->s.offset_ns;
	pthread_mutex_unlock(&r->lock);
	return d;
}

void rtc_goldfish_save(struct rtc_goldfish *r, struct rtc_goldfish_state *st)
{
	pthread_mutex_lock(&r->lock);
	*st = r->s;
	pthread_mutex_unlock(&r->lock);
}

void rtc_goldfish_load(struct rtc_goldfish *r, const struct rtc_goldfish_state *st)
{
	pthread_mutex_lock(&r->lock);
	r->s = *st;
	r->irq_level = 0;
	irq_set(&r->irq, 0);   /* drive the line afresh from the loaded state */
	update_locked(r);
	pthread_mutex_unlock(&r->lock);
}
