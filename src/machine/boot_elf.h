/*
 * Loading a riscv64 ELF (a bare-metal program, an ELF firmware or an ELF
 * kernel) into guest RAM by the physical addresses of its PT_LOAD segments,
 * and finding the HTIF tohost/fromhost symbols in its symbol table.
 * The file is hostile: every offset and size is checked before use.
 */
#ifndef POPEK_MACHINE_BOOT_ELF_H
#define POPEK_MACHINE_BOOT_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm/memory.h"

struct boot_elf {
	uint64_t entry;
	uint64_t low, high;        /* physical span of the loaded segments */
	bool has_htif;
	uint64_t tohost, fromhost;
};

/* True when the buffer starts with the ELF magic (any class or machine). */
bool boot_elf_is_elf(const uint8_t *buf, size_t len);

/* Load a little-endian ELF64 RISC-V executable.  A position-independent
 * one (ET_DYN, like OpenSBI's fw_dynamic.elf, linked at 0) is moved up by
 * pie_base; pie_base 0 refuses them.  Returns 0, -ENOEXEC for a malformed
 * or foreign file, -ERANGE when a segment falls outside RAM; a one-line
 * reason goes to err. */
int boot_elf_load(struct guest_mem *mem, const uint8_t *buf, size_t len, uint64_t pie_base,
		  struct boot_elf *out, char *err, size_t errlen);

#endif
