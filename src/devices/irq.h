/*
 * An interrupt line: a device raises or lowers it; whoever owns the line
 * (the PLIC for device interrupts, a hart's mip for CLINT/PLIC outputs)
 * gets the callback.  Lines are level-triggered.
 */
#ifndef POPEK_DEVICES_IRQ_H
#define POPEK_DEVICES_IRQ_H

struct irq_line {
	void (*set_level)(void *opaque, int num, int level);
	void *opaque;
	int num;
};

static inline void irq_set(const struct irq_line *line, int level)
{
	if (line->set_level)
		line->set_level(line->opaque, line->num, level);
}

#endif
