/*
 * SiFive test / syscon power device: decodes the magic words a guest writes
 * to offset 0 and hands them to the machine.  No state, so no snapshot.
 */
#include "devices/syscon.h"

void syscon_init(struct syscon *s, void (*event)(void *, enum syscon_event, int), void *opaque)
{
	s->event = event;
	s->opaque = opaque;
}

uint64_t syscon_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	(void)opaque; (void)offset; (void)size;
	return 0;
}

void syscon_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct syscon *s = opaque;
	/* Linux's syscon-poweroff writes a 32-bit word; smaller writes cannot
	 * carry a fail code, so only 4-byte (or wider) stores at 0 count. */
	if (offset != 0 || size < 4 || !s->event)
		return;
	uint32_t v = (uint32_t)value;
	switch (v & 0xffff) {
	case SYSCON_POWEROFF_VALUE: s->event(s->opaque, SYSCON_POWEROFF, 0); break;
	case SYSCON_REBOOT_VALUE:   s->event(s->opaque, SYSCON_REBOOT, 0); break;
	case SYSCON_FAIL_VALUE:     s->event(s->opaque, SYSCON_FAIL, (int)(v >> 16)); break;
	default: break;
	}
}
