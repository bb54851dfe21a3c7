/*
 * ELF loader for riscv64 Linux executables (ET_EXEC and ET_DYN/PIE) and
 * their PT_INTERP dynamic linker.
 *
 * The file is hostile: every header field is checked before use (program
 * header table inside the file, segment offsets and sizes, p_filesz <=
 * p_memsz, no overflow, every segment inside the guest window) and every
 * problem becomes one readable sentence for the user.  Segments are mapped
 * from the file with mm_map(MAP_FIXED) inside the window; bss is zeroed and
 * backed by anonymous pages like the kernel's binfmt_elf does.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/uproc_priv.h"

#define MAX_PHNUM 512

struct elf_file {
	const char *path;
	int fd;
	uint64_t size;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHNUM];
	uint64_t lo, hi;         /* page-aligned span of the PT_LOAD segments */
};

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static int check_ident(struct elf_file *f, const unsigned char *buf, size_t got,
		       char *err, size_t errlen)
{
	const char *path = f->path;
	if (got < SELFMAG || memcmp(buf, ELFMAG, SELFMAG))
		return fail(err, errlen, -ENOEXEC, "%s: not an ELF file", path);
	if (got < EI_NIDENT)
		return fail(err, errlen, -ENOEXEC, "%s: truncated ELF (%zu bytes)", path, got);
	if (buf[EI_CLASS] == ELFCLASS32) {
		uint16_t machine = got >= 20 ? (uint16_t)(buf[18] | buf[19] << 8) : 0;
		if (machine == EM_RISCV)
			return fail(err, errlen, -ENOEXEC, "%s: 32-bit RISC-V ELF is not supported", path);
		return fail(err, errlen, -ENOEXEC, "%s: not a RISC-V ELF (32-bit, machine %u)", path, machine);
	}
	if (buf[EI_CLASS] != ELFCLASS64)
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF class %u", path, buf[EI_CLASS]);
	if (got < sizeof(Elf64_Ehdr))
		return fail(err, errlen, -ENOEXEC, "%s: truncated ELF (%zu bytes)", path, got);
	memcpy(&f->eh, buf, sizeof(f->eh));
	if (f->eh.e_machine != EM_RISCV)
		return fail(err, errlen, -ENOEXEC, "%s: not a RISC-V ELF (machine %u)", path, f->eh.e_machine);
	if (buf[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, -ENOEXEC, "%s: big-endian ELF is not supported", path);
	if (f->eh.e_type != ET_EXEC && f->eh.e_type != ET_DYN)
		return fail(err, errlen, -ENOEXEC, "%s: not an executable (ELF type %u)", path, f->eh.e_type);
	return 0;
}

static int check_segment(const struct elf_file *f, const Elf64_Phdr *ph, char *err, size_t errlen)
{
	if (ph->p_offset > f->size || ph->p_filesz > f->size - ph->p_offset)
		return fail(err, errlen, -ENOEXEC, "%s: truncated ELF: segment extends past end of file", f->path);
	if (ph->p_type != PT_LOAD)
		return 0;
	if (ph->p_filesz > ph->p_memsz)
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF: segment file size exceeds memory size", f->path);
	if (ph->p_vaddr >= UPROC_WINDOW || ph->p_memsz > UPROC_WINDOW - ph->p_vaddr)
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF: segment outside the guest address space", f->path);
	if ((ph->p_vaddr - ph->p_offset) & (UPROC_PAGE - 1))
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF: segment offset and address are not page-congruent", f->path);
	return 0;
}

static int read_phdrs(struct elf_file *f, char *err, size_t errlen)
{
	const Elf64_Ehdr *e = &f->eh;
	if (e->e_phentsize != sizeof(Elf64_Phdr))
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF: program header size %u", f->path, e->e_phentsize);
	if (e->e_phnum == 0 || e->e_phnum > MAX_PHNUM)
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF: %u program headers", f->path, e->e_phnum);
	uint64_t bytes = (uint64_t)e->e_phnum * sizeof(Elf64_Phdr);
	if (e->e_phoff > f->size || bytes > f->size - e->e_phoff)
		return fail(err, errlen, -ENOEXEC, "%s: truncated ELF: program headers past end of file", f->path);
	if (pread(f->fd, f->ph, bytes, (off_t)e->e_phoff) != (ssize_t)bytes)
		return fail(err, errlen, -EIO, "%s: cannot read program headers", f->path);
	f->lo = UINT64_MAX;
	f->hi = 0;
	for (unsigned i = 0; i < e->e_phnum; i++) {
		int r = check_segment(f, &f->ph[i], err, errlen);
		if (r)
			return r;
		if (f->ph[i].p_type != PT_LOAD || f->ph[i].p_memsz == 0)
			continue;
		uint64_t lo = UPROC_PAGE_DOWN(f->ph[i].p_vaddr);
		uint64_t hi = UPROC_PAGE_UP(f->ph[i].p_vaddr + f->ph[i].p_memsz);
		f->lo = lo < f->lo ? lo : f->lo;
		f->hi = hi > f->hi ? hi : f->hi;
	}
	if (f->hi == 0)
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF: no loadable segments", f->path);
	return 0;
}

static int elf_open(struct elf_file *f, const char *path, char *err, size_t errlen)
{
	f->path = path;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(f->fd, &st) || !S_ISREG(st.st_mode)) {
		close(f->fd);
		return fail(err, errlen, -EACCES, "%s: not a regular file", path);
	}
	f->size = (uint64_t)st.st_size;
	unsigned char buf[sizeof(Elf64_Ehdr)];
	ssize_t got = pread(f->fd, buf, sizeof(buf), 0);
	int r = got < 0 ? fail(err, errlen, -errno, "%s: %s", path, strerror(errno))
			: check_ident(f, buf, (size_t)got, err, errlen);
	if (!r)
		r = read_phdrs(f, err, errlen);
	if (r)
		close(f->fd);
	return r;
}

static int seg_prot(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

/* Map one PT_LOAD at bias: file pages, zeroed tail of the last file page,
 * anonymous pages for the rest of bss. */
static int map_segment(struct uproc *p, const struct elf_file *f, const Elf64_Phdr *ph, uint64_t bias)
{
	uint64_t start = bias + ph->p_vaddr, page = UPROC_PAGE_DOWN(start);
	uint64_t file_end = start + ph->p_filesz, mem_end = start + ph->p_memsz;
	int prot = seg_prot(ph->p_flags);
	bool bss = ph->p_memsz > ph->p_filesz;
	long r;
	if (ph->p_filesz) {
		uint64_t len = UPROC_PAGE_UP(file_end) - page;
		r = mm_map(p, page, len, prot | (bss ? PROT_WRITE : 0), MAP_FIXED | MAP_PRIVATE,
			   f->fd, ph->p_offset - (start - page));
		if (r < 0)
			return (int)r;
		/* Like Linux, clear the whole rest of the page: ld.so's early
		 * allocator hands out the memory past _end assuming it is zero. */
		if (bss && (file_end & (UPROC_PAGE - 1)))
			memset(p->window + file_end, 0, UPROC_PAGE_UP(file_end) - file_end);
		if (bss && !(prot & PROT_WRITE) && (r = mm_protect(p, page, len, prot)) < 0)
			return (int)r;
	}
	uint64_t anon = ph->p_filesz ? UPROC_PAGE_UP(file_end) : page;
	if (UPROC_PAGE_UP(mem_end) > anon) {
		r = mm_map(p, anon, UPROC_PAGE_UP(mem_end) - anon, prot,
			   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

/* Choose the load bias and map every segment. */
static int map_image(struct uproc *p, struct elf_file *f, bool is_interp, uint64_t *bias_out,
		     char *err, size_t errlen)
{
	uint64_t span = f->hi - f->lo, bias = 0;
	if (f->eh.e_type == ET_DYN) {
		uint64_t at = is_interp ? vma_find_free_topdown(p, span, p->mmap_base)
					: (f->lo < UPROC_ET_DYN_BASE ? UPROC_ET_DYN_BASE : f->lo);
		if (!at)
			return fail(err, errlen, -ENOMEM, "%s: no room in the guest address space", f->path);
		bias = at - f->lo;
	}
	if (f->lo + bias < UPROC_MIN_ADDR || f->hi + bias > p->mmap_base ||
	    !vma_range_free(p, f->lo + bias, f->hi + bias))
		return fail(err, errlen, -ENOEXEC, "%s: segments [0x%llx, 0x%llx) do not fit in the guest address space",
			    f->path, (unsigned long long)(f->lo + bias), (unsigned long long)(f->hi + bias));
	if (f->eh.e_entry < f->lo || f->eh.e_entry >= f->hi)
		return fail(err, errlen, -ENOEXEC, "%s: bad ELF: entry point outside the loaded segments", f->path);
	for (unsigned i = 0; i < f->eh.e_phnum; i++) {
		if (f->ph[i].p_type != PT_LOAD || f->ph[i].p_memsz == 0)
			continue;
		int r = map_segment(p, f, &f->ph[i], bias);
		if (r)
			return fail(err, errlen, r, "%s: cannot map segment: %s", f->path, strerror(-r));
	}
	*bias_out = bias;
	return 0;
}

static uint64_t phdr_addr(const struct elf_file *f, uint64_t bias)
{
	for (unsigned i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];
		if (ph->p_type == PT_LOAD && f->eh.e_phoff >= ph->p_offset &&
		    f->eh.e_phoff - ph->p_offset < ph->p_filesz)
			return f->eh.e_phoff - ph->p_offset + ph->p_vaddr + bias;
	}
	for (unsigned i = 0; i < f->eh.e_phnum; i++)
		if (f->ph[i].p_type == PT_PHDR)
			return f->ph[i].p_vaddr + bias;
	return 0;
}

/* Read PT_INTERP (if any) and resolve it inside the sysroot. */
static int find_interp(struct uproc *p, const struct elf_file *f, char *out, size_t outlen,
		       char *err, size_t errlen)
{
	out[0] = 0;
	for (unsigned i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];
		if (ph->p_type != PT_INTERP)
			continue;
		char name[4096];
		if (ph->p_filesz < 2 || ph->p_filesz > sizeof(name) ||
		    pread(f->fd, name, ph->p_filesz, (off_t)ph->p_offset) != (ssize_t)ph->p_filesz ||
		    name[ph->p_filesz - 1] != 0 || strlen(name) != ph->p_filesz - 1)
			return fail(err, errlen, -ENOEXEC, "%s: bad ELF: malformed PT_INTERP", f->path);
		/* The sysroot is authoritative for the interpreter: a host
		 * x86-64 ld.so of the same name is never what we want. */
		const char *root = name[0] == '/' ? p->sysroot : "";
		int n = snprintf(out, outlen, "%s%s", root, name);
		if (n < 0 || (size_t)n >= outlen)
			return fail(err, errlen, -ENAMETOOLONG, "%s: interpreter path too long", f->path);
		if (access(out, F_OK))
			return fail(err, errlen, -ENOENT, "%s: interpreter %s not found", f->path, out);
		return 0;
	}
	return 0;
}

void elf_resolve(const struct uproc *p, const char *name, char *out, size_t outlen)
{
	if (name[0] == '/' && p->sysroot[0]) {
		snprintf(out, outlen, "%s%s", p->sysroot, name);
		if (!access(out, F_OK))
			return;
		/* PT_INTERP must come from the sysroot; other absolute paths
		 * may fall back to the host's. */
	}
	snprintf(out, outlen, "%s", name);
}

static int load_interp(struct uproc *p, struct uproc_image *img, char *err, size_t errlen)
{
	struct elf_file *f = malloc(sizeof(*f));
	if (!f)
		return fail(err, errlen, -ENOMEM, "out of memory");
	int r = elf_open(f, img->interp, err, errlen);
	if (!r) {
		uint64_t bias;
		r = map_image(p, f, true, &bias, err, errlen);
		if (!r) {
			img->interp_base = bias;
			img->start_pc = f->eh.e_entry + bias;
		}
		close(f->fd);
	}
	free(f);
	return r;
}

int elf_load_program(struct uproc *p, const char *path, struct uproc_image *img,
		     char *err, size_t errlen)
{
	memset(img, 0, sizeof(*img));
	struct elf_file *f = malloc(sizeof(*f));
	if (!f)
		return fail(err, errlen, -ENOMEM, "out of memory");
	int r = elf_open(f, path, err, errlen);
	if (r) {
		free(f);
		return r;
	}
	r = find_interp(p, f, img->interp, sizeof(img->interp), err, errlen);
	uint64_t bias = 0;
	if (!r)
		r = map_image(p, f, false, &bias, err, errlen);
	if (!r) {
		img->bias = bias;
		img->entry = f->eh.e_entry + bias;
		img->start_pc = img->entry;
		img->phdr = phdr_addr(f, bias);
		img->phnum = f->eh.e_phnum;
		img->phent = sizeof(Elf64_Phdr);
		img->end = f->hi + bias;
	}
	close(f->fd);
	free(f);
	if (!r && img->interp[0])
		r = load_interp(p, img, err, errlen);
	return r;
}

int elf_read_shebang(const char *path, char *interp, size_t ilen, char *arg, size_t alen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 2 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[n] = 0;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	char *s = buf + 2;
	s += strspn(s, " \t");
	size_t len = strcspn(s, " \t");
	if (len == 0 || len >= ilen)
		return -ENOEXEC;
	memcpy(interp, s, len);
	interp[len] = 0;
	s += len;
	s += strspn(s, " \t");
	size_t alen_used = strlen(s);
	while (alen_used && (s[alen_used - 1] == ' ' || s[alen_used - 1] == '\t' || s[alen_used - 1] == '\r'))
		s[--alen_used] = 0;
	snprintf(arg, alen, "%s", s);
	return 1;
}

int elf_check_exec(const struct uproc *p, const char *path)
{
	char interp[4096], arg[256], resolved[4096];
	snprintf(resolved, sizeof(resolved), "%s", path);
	for (int depth = 0; depth < 4; depth++) {
		int r = elf_read_shebang(resolved, interp, sizeof(interp), arg, sizeof(arg));
		if (r < 0)
			return r;
		if (r == 0)
			break;
		elf_resolve(p, interp, resolved, sizeof(resolved));
	}
	int fd = open(resolved, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unsigned char b[20];
	ssize_t n = pread(fd, b, sizeof(b), 0);
	close(fd);
	if (n < 20 || memcmp(b, ELFMAG, SELFMAG) || b[EI_CLASS] != ELFCLASS64 ||
	    (b[18] | b[19] << 8) != EM_RISCV)
		return -ENOEXEC;
	return 0;
}
