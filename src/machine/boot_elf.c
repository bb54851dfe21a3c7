/*
 * ELF loading for the machine's boot path.  Bare-metal test programs
 * (--bios none), ELF firmware and ELF kernels are all loaded the same way:
 * each PT_LOAD segment is copied to its physical address (p_paddr) and the
 * rest of its memory size zeroed.  The HTIF mailbox of riscv-tests style
 * programs is found through the `tohost` and `fromhost` symbols.
 *
 * Headers are copied out with memcpy rather than cast in place: the file's
 * offsets are guest-controlled and need not be aligned.
 */
#include "machine/boot_elf.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

bool boot_elf_is_elf(const uint8_t *buf, size_t len)
{
	return len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

/* True when [off, off + n * each) lies inside a buffer of len bytes. */
static bool in_file(size_t len, uint64_t off, uint64_t n, uint64_t each)
{
	if (each != 0 && n > UINT64_MAX / each)
		return false;
	return off <= len && n * each <= len - off;
}

static int check_header(const Elf64_Ehdr *eh, size_t len, uint64_t pie_base,
			char *err, size_t errlen)
{
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_RISCV) {
		snprintf(err, errlen, "not a little-endian riscv64 ELF");
		return -ENOEXEC;
	}
	if (eh->e_type != ET_EXEC && !(eh->e_type == ET_DYN && pie_base)) {
		snprintf(err, errlen, "not an executable ELF (type %u)", eh->e_type);
		return -ENOEXEC;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    !in_file(len, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr))) {
		snprintf(err, errlen, "ELF program headers are malformed");
		return -ENOEXEC;
	}
	return 0;
}

static int load_segment(struct guest_mem *mem, const uint8_t *buf, size_t len,
			const Elf64_Phdr *ph, char *err, size_t errlen)
{
	if (ph->p_filesz > ph->p_memsz || !in_file(len, ph->p_offset, 1, ph->p_filesz)) {
		snprintf(err, errlen, "ELF segment at 0x%llx is malformed",
			 (unsigned long long)ph->p_paddr);
		return -ENOEXEC;
	}
	uint8_t *dst = guest_mem_ptr(mem, ph->p_paddr, ph->p_memsz);
	if (!dst) {
		snprintf(err, errlen, "ELF segment 0x%llx-0x%llx is outside guest RAM",
			 (unsigned long long)ph->p_paddr,
			 (unsigned long long)(ph->p_paddr + ph->p_memsz));
		return -ERANGE;
	}
	memcpy(dst, buf + ph->p_offset, ph->p_filesz);
	memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return 0;
}

static int load_segments(struct guest_mem *mem, const uint8_t *buf, size_t len,
			 const Elf64_Ehdr *eh, uint64_t bias, struct boot_elf *out,
			 char *err, size_t errlen)
{
	out->low = UINT64_MAX;
	out->high = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, buf + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		ph.p_paddr += bias;   /* wraps to a huge address if hostile: refused below */
		int ret = load_segment(mem, buf, len, &ph, err, errlen);
		if (ret)
			return ret;
		if (ph.p_paddr < out->low)
			out->low = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > out->high)
			out->high = ph.p_paddr + ph.p_memsz;
	}
	if (out->high == 0) {
		snprintf(err, errlen, "ELF has nothing to load");
		return -ENOEXEC;
	}
	return 0;
}

/* Look for name in the symbol table section sym (strings in section link). */
static bool find_symbol_in(const uint8_t *buf, size_t len, const Elf64_Shdr *sym,
			   const Elf64_Shdr *str, const char *name, uint64_t *value)
{
	size_t want = strlen(name) + 1;
	uint64_t n = sym->sh_entsize ? sym->sh_size / sym->sh_entsize : 0;
	if (sym->sh_entsize != sizeof(Elf64_Sym) || !in_file(len, sym->sh_offset, n, sizeof(Elf64_Sym)) ||
	    !in_file(len, str->sh_offset, 1, str->sh_size))
		return false;
	for (uint64_t i = 0; i < n; i++) {
		Elf64_Sym s;
		memcpy(&s, buf + sym->sh_offset + i * sizeof(s), sizeof(s));
		if (s.st_name >= str->sh_size || str->sh_size - s.st_name < want)
			continue;
		if (memcmp(buf + str->sh_offset + s.st_name, name, want) == 0) {
			*value = s.st_value;
			return true;
		}
	}
	return false;
}

static bool find_symbol(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
			const char *name, uint64_t *value)
{
	if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(len, eh->e_shoff, eh->e_shnum, sizeof(Elf64_Shdr)))
		return false;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		Elf64_Shdr sym, str;
		memcpy(&sym, buf + eh->e_shoff + (uint64_t)i * sizeof(sym), sizeof(sym));
		if (sym.sh_type != SHT_SYMTAB || sym.sh_link >= eh->e_shnum)
			continue;
		memcpy(&str, buf + eh->e_shoff + (uint64_t)sym.sh_link * sizeof(str), sizeof(str));
		if (find_symbol_in(buf, len, &sym, &str, name, value))
			return true;
	}
	return false;
}

int boot_elf_load(struct guest_mem *mem, const uint8_t *buf, size_t len, uint64_t pie_base,
		  struct boot_elf *out, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	memset(out, 0, sizeof(*out));
	if (!boot_elf_is_elf(buf, len) || len < sizeof(eh)) {
		snprintf(err, errlen, "not an ELF file");
		return -ENOEXEC;
	}
	memcpy(&eh, buf, sizeof(eh));
	int ret = check_header(&eh, len, pie_base, err, errlen);
	uint64_t bias = eh.e_type == ET_DYN ? pie_base : 0;
	if (!ret)
		ret = load_segments(mem, buf, len, &eh, bias, out, err, errlen);
	if (ret)
		return ret;
	out->entry = eh.e_entry + bias;
	out->has_htif = find_symbol(buf, len, &eh, "tohost", &out->tohost);
	if (out->has_htif && !find_symbol(buf, len, &eh, "fromhost", &out->fromhost))
		out->fromhost = 0;   /* programs that never read input may lack it */
	if (out->has_htif) {
		out->tohost += bias;
		out->fromhost += out->fromhost ? bias : 0;
	}
	return 0;
}
