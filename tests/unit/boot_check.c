/*
 * Test driver for src/machine/boot.c: loads firmware, kernel and initrd into
 * a private mmap'd guest RAM at 0x80000000, places a dummy device tree, and
 * prints the resulting layout and entry registers as key=value lines.  It
 * then reads guest RAM back: every raw file must sit byte for byte where
 * the layout says, and the fw_dynamic_info words are printed from RAM.
 * Errors print one "popek: ..." line and exit 1.
 *
 * Usage: boot_check [--fdt DTB] [--dump RAM-FILE] MEM-BYTES FIRMWARE|none
 *                   KERNEL INITRD|none [FDT-BYTES]
 * --fdt places a real device tree instead of the dummy; --dump writes the
 * loaded guest RAM to a file, so the layout can be tried on another
 * emulator during development (scripts/guest/try-layout-in-qemu.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "machine/boot.h"
#include "machine/boot_elf.h"

#define RAM_BASE 0x80000000ull

static const char *opt_file(const char *s)
{
	return strcmp(s, "none") == 0 ? NULL : s;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	*len = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
	fclose(f);
	return buf;
}

/* True when guest RAM at gpa holds exactly the raw (non-ELF) file. */
static const char *verify_raw(struct guest_mem *mem, const char *path, uint64_t gpa)
{
	size_t len;
	uint8_t *buf = slurp(path, &len);
	const char *res = "skip";
	if (buf && !boot_elf_is_elf(buf, len)) {
		const uint8_t *p = guest_mem_ptr(mem, gpa, len);
		res = p && memcmp(p, buf, len) == 0 ? "ok" : "MISMATCH";
	}
	free(buf);
	return res;
}

static void print_state(struct guest_mem *mem, const struct boot_state *s)
{
	printf("fw_addr=0x%llx\nfw_size=0x%llx\n", (unsigned long long)s->fw_addr,
	       (unsigned long long)s->fw_size);
	printf("kernel_addr=0x%llx\nkernel_end=0x%llx\nkernel_entry=0x%llx\n",
	       (unsigned long long)s->kernel_addr, (unsigned long long)s->kernel_end,
	       (unsigned long long)s->kernel_entry);
	printf("initrd_start=0x%llx\ninitrd_end=0x%llx\n", (unsigned long long)s->initrd_start,
	       (unsigned long long)s->initrd_end);
	printf("dtb_addr=0x%llx\ndtb_max=0x%llx\ninfo_addr=0x%llx\n", (unsigned long long)s->dtb_addr,
	       (unsigned long long)s->dtb_max, (unsigned long long)s->info_addr);
	printf("pc=0x%llx\na0=0x%llx\na1=0x%llx\na2=0x%llx\npriv=%d\n", (unsigned long long)s->pc,
	       (unsigned long long)s->a0, (unsigned long long)s->a1, (unsigned long long)s->a2, s->priv);
	printf("has_htif=%d\ntohost=0x%llx\nfromhost=0x%llx\n", s->has_htif,
	       (unsigned long long)s->tohost, (unsigned long long)s->fromhost);
	if (s->info_addr) {
		const uint8_t *p = guest_mem_ptr(mem, s->info_addr, 48);
		uint64_t w[6];
		memcpy(w, p, sizeof(w));
		printf("info=0x%llx,%llu,0x%llx,%llu,%llu,0x%llx\n", (unsigned long long)w[0],
		       (unsigned long long)w[1], (unsigned long long)w[2], (unsigned long long)w[3],
		       (unsigned long long)w[4], (unsigned long long)w[5]);
	}
}

static int dump_ram(const struct guest_mem *mem, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(mem->host, 1, mem->size, f) != mem->size) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

static uint8_t *make_fdt(const char *dtb_file, size_t *size)
{
	if (dtb_file)
		return slurp(dtb_file, size);
	uint8_t *fdt = calloc(1, *size ? *size : 1);
	memcpy(fdt, "\xd0\x0d\xfe\xed", *size >= 4 ? 4 : *size);
	return fdt;
}

int main(int argc, char **argv)
{
	const char *dtb_file = NULL, *dump = NULL;
	while (argc > 2 && (strcmp(argv[1], "--fdt") == 0 || strcmp(argv[1], "--dump") == 0)) {
		*(argv[1][2] == 'f' ? &dtb_file : &dump) = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: boot_check [--fdt DTB] [--dump FILE] MEM-BYTES FIRMWARE|none KERNEL INITRD|none [FDT-BYTES]\n");
		return 2;
	}
	struct guest_mem mem = { .base = RAM_BASE, .size = strtoull(argv[1], NULL, 0) };
	mem.host = mmap(NULL, mem.size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem.host == MAP_FAILED)
		return perror("mmap"), 2;
	struct boot_config cfg = { .firmware = opt_file(argv[2]), .kernel = argv[3],
				   .initrd = opt_file(argv[4]) };
	static struct boot_state st;
	size_t fdt_size = argc > 5 ? strtoull(argv[5], NULL, 0) : 4096;
	uint8_t *fdt = make_fdt(dtb_file, &fdt_size);
	if (!fdt)
		return perror(dtb_file), 2;
	if (boot_load(&mem, &cfg, &st) || boot_place_dtb(&mem, &st, fdt, fdt_size)) {
		fprintf(stderr, "popek: %s\n", st.error);
		free(fdt);
		munmap(mem.host, mem.size);
		return 1;
	}
	print_state(&mem, &st);
	if (cfg.firmware)
		printf("verify_firmware=%s\n", verify_raw(&mem, cfg.firmware, st.fw_addr));
	printf("verify_kernel=%s\n", verify_raw(&mem, cfg.kernel, st.kernel_addr));
	if (cfg.initrd)
		printf("verify_initrd=%s\n", verify_raw(&mem, cfg.initrd, st.initrd_start));
	const uint8_t *d = guest_mem_ptr(&mem, st.dtb_addr, fdt_size);
	printf("verify_dtb=%s\n", d && memcmp(d, fdt, fdt_size) == 0 ? "ok" : "MISMATCH");
	free(fdt);
	int ret = dump && dump_ram(&mem, dump) ? 2 : 0;
	munmap(mem.host, mem.size);
	return ret;
}
