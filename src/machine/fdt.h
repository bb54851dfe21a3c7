/*
 * The flattened device tree handed to the guest kernel in a1: the layout
 * of the `virt` machine (RAM, CLINT, PLIC, UART, test/syscon, goldfish RTC,
 * virtio-mmio slots) as QEMU's riscv virt board describes it, so the stock
 * Debian kernel finds everything with its usual drivers.
 */
#ifndef POPEK_MACHINE_FDT_H
#define POPEK_MACHINE_FDT_H

#include <stddef.h>
#include <stdint.h>

/* The default ISA string: what the execution core implements. */
#define FDT_DEFAULT_ISA "rv64imafdc_zicntr_zicsr_zifencei_zba_zbb_zbs_sstc"

struct fdt_virt_config {
	unsigned nharts;             /* 1..FDT_MAX_HARTS */
	uint64_t ram_base, ram_size;
	/* "rv64imafdc_zicsr_...": riscv,isa verbatim, and split into
	 * riscv,isa-extensions (single letters, then the '_' names).
	 * NULL means FDT_DEFAULT_ISA. */
	const char *isa;
	const char *mmu_type;        /* "riscv,sv39" (NULL) or "riscv,sv48" */
	const char *bootargs;        /* NULL: no bootargs */
	uint64_t initrd_start, initrd_end;   /* both 0: no initrd */
	const uint8_t *rng_seed;     /* optional /chosen/rng-seed */
	size_t rng_seed_len;
	unsigned nvirtio;            /* virtio-mmio slots to describe (0..8) */
};

#define FDT_MAX_HARTS 32

/* Build the DTB into buf.  Returns its size, or -EINVAL for a bad config,
 * -ENOSPC when buf is too small. */
int fdt_build_virt(void *buf, size_t size, const struct fdt_virt_config *cfg);

#endif
