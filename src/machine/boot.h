/*
 * Boot loading for the full-system machine: put the firmware, the kernel,
 * the initrd and the device tree into guest RAM and decide the registers
 * the first hart starts with.
 *
 * Two ways to boot:
 *   - with firmware (OpenSBI fw_dynamic.bin, a raw binary at the start of
 *     RAM, or an ELF): the kernel is a RISC-V Linux Image at RAM base +
 *     text_offset (0x80200000) or an ELF at its physical addresses; the hart
 *     enters the firmware in M-mode with a0 = hartid, a1 = DTB, a2 = a
 *     struct fw_dynamic_info telling OpenSBI to continue to the kernel in
 *     S-mode;
 *   - without firmware (--bios none): the kernel is a bare-metal ELF loaded
 *     at its physical addresses and entered in M-mode; its tohost/fromhost
 *     symbols, if any, locate the HTIF mailbox.
 *
 * The layout is decided in boot_load() before the device tree exists,
 * because the tree must name the initrd's addresses; the caller then
 * builds the tree and hands it to boot_place_dtb().  RAM top-down:
 *
 *   [ ... kernel ... | free | initrd | DTB slot (2 MiB aligned) | info page ]
 *
 * Files are untrusted input: every size and address read from a header is
 * checked against the file and against RAM.  Errors return -errno and leave
 * a one-line message (without the "popek: " prefix) in state->error.
 */
#ifndef POPEK_MACHINE_BOOT_H
#define POPEK_MACHINE_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm/memory.h"

#define BOOT_KERNEL_OFFSET    0x200000ull    /* RV64 Image text_offset default */
#define BOOT_DTB_ALIGN        0x200000ull    /* DTB slot alignment, as QEMU virt */
#define BOOT_FDT_MAX          0x100000ull    /* largest DTB we place (1 MiB) */
#define BOOT_PAGE             0x1000ull

#define FW_DYNAMIC_MAGIC      0x4942534full  /* "OSBI" */
#define FW_DYNAMIC_VERSION    2
#define FW_DYNAMIC_NEXT_MODE_S 1
#define FW_DYNAMIC_NEXT_MODE_M 3

/* Layout of OpenSBI's struct fw_dynamic_info for RV64 (six XLEN words,
 * little-endian), written into guest RAM. */
struct fw_dynamic_info {
	uint64_t magic;
	uint64_t version;
	uint64_t next_addr;
	uint64_t next_mode;
	uint64_t options;
	uint64_t boot_hart;   /* UINT64_MAX: any hart (relocation lottery) */
};

struct boot_config {
	const char *firmware;  /* NULL: no firmware (--bios none) */
	const char *kernel;    /* required */
	const char *initrd;    /* NULL: none */
	uint64_t hartid;       /* boot hart, passed in a0 */
};

struct boot_state {
	uint64_t fw_addr, fw_size;            /* fw_size 0: no firmware */
	uint64_t kernel_addr, kernel_end;     /* kernel footprint incl. bss */
	uint64_t kernel_entry;
	uint64_t initrd_start, initrd_end;    /* both 0 without initrd */
	uint64_t dtb_addr, dtb_max;           /* slot for the DTB */
	uint64_t info_addr;                   /* fw_dynamic_info, 0 without firmware */

	/* Where the first hart starts (valid after boot_place_dtb). */
	uint64_t pc, a0, a1, a2;
	int priv;                             /* 3 = M-mode: always, for now */

	/* HTIF mailbox of a bare-metal ELF (test programs), if it has one. */
	bool has_htif;
	uint64_t tohost, fromhost;

	char error[256];
};

/* Load firmware, kernel and initrd into mem and plan the DTB slot. */
int boot_load(struct guest_mem *mem, const struct boot_config *cfg,
	      struct boot_state *state);

/* Copy the DTB into its slot, write the fw_dynamic_info and set the entry
 * registers.  fdt may be NULL (bare-metal programs that need none: a1 = 0). */
int boot_place_dtb(struct guest_mem *mem, struct boot_state *state,
		   const void *fdt, size_t fdt_size);

/* Check a Linux RISC-V Image header (the first 64 bytes of the file).
 * On success returns 0 and sets *text_offset and *image_size (0 when the
 * header leaves it unspecified). */
int boot_parse_image_header(const uint8_t *hdr, size_t len,
			    uint64_t *text_offset, uint64_t *image_size);

#endif
