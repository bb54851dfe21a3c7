/*
 * SiFive test device ("sifive,test0", used as a syscon) at 0x00100000: the
 * guest powers off, reboots or reports failure by writing one 32-bit word.
 *   0x5555             power off (exit code 0)
 *   0x7777             reboot
 *   (code << 16) | 0x3333   fail with exit code `code`
 * The device only reports the request; the machine decides what to do.
 */
#ifndef POPEK_DEVICES_SYSCON_H
#define POPEK_DEVICES_SYSCON_H

#include <stdint.h>

#define SYSCON_BASE 0x00100000ull
#define SYSCON_SIZE 0x1000ull

#define SYSCON_POWEROFF_VALUE 0x5555u
#define SYSCON_REBOOT_VALUE   0x7777u
#define SYSCON_FAIL_VALUE     0x3333u

enum syscon_event { SYSCON_POWEROFF, SYSCON_REBOOT, SYSCON_FAIL };

struct syscon {
	/* code is the exit code for SYSCON_FAIL, 0 otherwise. */
	void (*event)(void *opaque, enum syscon_event ev, int code);
	void *opaque;
};

void syscon_init(struct syscon *s, void (*event)(void *, enum syscon_event, int), void *opaque);

/* Bus callbacks (opaque = struct syscon *).  Reads return 0. */
uint64_t syscon_mmio_read(void *opaque, uint64_t offset, unsigned size);
void syscon_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);

#endif
