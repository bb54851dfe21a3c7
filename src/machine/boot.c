/*
 * Boot loading: firmware, kernel, initrd and DTB into guest RAM, and the
 * registers the boot hart starts with (see boot.h for the layout).
 *
 * The firmware goes at the start of RAM, where OpenSBI's fw_dynamic is
 * linked to run; the Linux Image at RAM base + its header's text_offset;
 * the DTB into a slot 2 MiB aligned near the top of RAM, as QEMU's virt
 * machine does, so neither the kernel's early allocations nor the
 * decompressing initramfs land on it; the initrd directly below the DTB.
 * OpenSBI grows the DTB in place when it adds its reserved-memory node,
 * which is why the slot is larger than the tree.
 */
#include "machine/boot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/boot_elf.h"

/* Linux RISC-V Image header (Documentation/arch/riscv/boot-image-header.rst) */
#define IMAGE_HEADER_SIZE   64
#define IMAGE_TEXT_OFFSET   0x08
#define IMAGE_SIZE          0x10
#define IMAGE_MAGIC         0x30   /* "RISCV\0\0\0", deprecated but present */
#define IMAGE_MAGIC2        0x38   /* "RSC\x05" */

struct file_buf {
	uint8_t *data;
	size_t len;
};

static int fail(struct boot_state *st, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct boot_state *st, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->error, sizeof(st->error), fmt, ap);
	va_end(ap);
	return err;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static int read_fd(int fd, uint8_t *dst, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = read(fd, dst + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;   /* the file shrank under us */
		done += (size_t)n;
	}
	return 0;
}

/* Read a whole file of at most limit bytes; what names it in messages. */
static int read_file(struct boot_state *st, const char *what, const char *path,
		     uint64_t limit, struct file_buf *fb)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(st, -errno, "cannot open %s '%s': %s", what, path, strerror(errno));
	int ret = 0;
	if (fstat(fd, &sb) < 0)
		ret = fail(st, -errno, "cannot stat %s '%s': %s", what, path, strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		ret = fail(st, -EINVAL, "%s '%s' is not a regular file", what, path);
	else if (sb.st_size == 0)
		ret = fail(st, -EINVAL, "%s '%s' is empty", what, path);
	else if ((uint64_t)sb.st_size > limit)
		ret = fail(st, -EFBIG, "%s '%s' (%lld bytes) does not fit in guest RAM",
			   what, path, (long long)sb.st_size);
	else if (!(fb->data = malloc((size_t)sb.st_size)))
		ret = fail(st, -ENOMEM, "out of memory reading %s '%s'", what, path);
	if (!ret) {
		fb->len = (size_t)sb.st_size;
		ret = read_fd(fd, fb->data, fb->len);
		if (ret) {
			free(fb->data);
			fb->data = NULL;
			fail(st, ret, "cannot read %s '%s': %s", what, path, strerror(-ret));
		}
	}
	close(fd);
	return ret;
}

int boot_parse_image_header(const uint8_t *hdr, size_t len,
			    uint64_t *text_offset, uint64_t *image_size)
{
	if (len < IMAGE_HEADER_SIZE || memcmp(hdr + IMAGE_MAGIC2, "RSC\x05", 4) != 0 ||
	    memcmp(hdr + IMAGE_MAGIC, "RISCV\0\0\0", 8) != 0)
		return -ENOEXEC;
	*text_offset = get64(hdr + IMAGE_TEXT_OFFSET);
	*image_size = get64(hdr + IMAGE_SIZE);
	/* The kernel maps itself with 2 MiB pages on RV64: text_offset must
	 * keep it 2 MiB aligned, and cannot be absurd. */
	if (*text_offset % BOOT_DTB_ALIGN != 0 || *text_offset > (1ull << 32))
		return -ENOEXEC;
	return 0;
}

static int load_firmware_elf(struct guest_mem *mem, const struct boot_config *cfg,
			     struct boot_state *st, const struct file_buf *fb, uint64_t *entry)
{
	struct boot_elf elf;
	char why[160];
	int ret = boot_elf_load(mem, fb->data, fb->len, mem->base, &elf, why, sizeof(why));
	if (ret)
		return fail(st, ret, "firmware '%s': %s", cfg->firmware, why);
	st->fw_addr = elf.low;
	st->fw_size = elf.high - elf.low;
	*entry = elf.entry;
	return 0;
}

/* Raw firmware (fw_dynamic.bin) runs from the start of RAM; an ELF
 * firmware where its program headers say, or from the start of RAM when it
 * is position-independent (OpenSBI's fw_dynamic.elf relocates itself). */
static int load_firmware(struct guest_mem *mem, const struct boot_config *cfg,
			 struct boot_state *st, uint64_t *entry)
{
	struct file_buf fb = {0};
	int ret = read_file(st, "firmware", cfg->firmware, mem->size, &fb);
	if (ret)
		return ret;
	if (boot_elf_is_elf(fb.data, fb.len)) {
		ret = load_firmware_elf(mem, cfg, st, &fb, entry);
	} else {
		/* read_file limited the size to RAM, so this cannot miss */
		memcpy(guest_mem_ptr(mem, mem->base, fb.len), fb.data, fb.len);
		st->fw_addr = *entry = mem->base;
		st->fw_size = fb.len;
	}
	free(fb.data);
	return ret;
}

static int load_kernel_image(struct guest_mem *mem, const struct boot_config *cfg,
			     struct boot_state *st, const struct file_buf *fb)
{
	uint64_t text_offset, image_size;
	if (!st->fw_size)
		return fail(st, -ENOEXEC, "%s: with --bios none the kernel must be an ELF program",
			    cfg->kernel);
	if (boot_parse_image_header(fb->data, fb->len, &text_offset, &image_size))
		return fail(st, -ENOEXEC, "%s is not a RISC-V Linux kernel Image", cfg->kernel);
	if (text_offset == 0)
		text_offset = BOOT_KERNEL_OFFSET;   /* pre-4.x headers left it 0 */
	uint64_t footprint = image_size > fb->len ? image_size : fb->len;
	uint8_t *dst = guest_mem_ptr(mem, mem->base + text_offset, footprint);
	if (!dst)
		return fail(st, -EFBIG, "kernel '%s' (%llu MiB in memory) does not fit in guest RAM",
			    cfg->kernel, (unsigned long long)(footprint >> 20));
	if (mem->base + text_offset < st->fw_addr + st->fw_size)
		return fail(st, -EINVAL, "kernel '%s' would overlap the firmware", cfg->kernel);
	memcpy(dst, fb->data, fb->len);
	memset(dst + fb->len, 0, footprint - fb->len);
	st->kernel_addr = st->kernel_entry = mem->base + text_offset;
	st->kernel_end = st->kernel_addr + footprint;
	return 0;
}

static int load_kernel_elf(struct guest_mem *mem, const struct boot_config *cfg,
			   struct boot_state *st, const struct file_buf *fb)
{
	struct boot_elf elf;
	char why[160];
	int ret = boot_elf_load(mem, fb->data, fb->len, 0, &elf, why, sizeof(why));
	if (ret)
		return fail(st, ret, "kernel '%s': %s", cfg->kernel, why);
	if (st->fw_size && elf.low < st->fw_addr + st->fw_size && st->fw_addr < elf.high)
		return fail(st, -EINVAL, "kernel '%s' would overlap the firmware", cfg->kernel);
	st->kernel_addr = elf.low;
	st->kernel_end = elf.high;
	st->kernel_entry = elf.entry;
	st->has_htif = elf.has_htif;
	st->tohost = elf.tohost;
	st->fromhost = elf.fromhost;
	return 0;
}

static int load_kernel(struct guest_mem *mem, const struct boot_config *cfg,
		       struct boot_state *st)
{
	struct file_buf fb = {0};
	int ret = read_file(st, "kernel", cfg->kernel, mem->size, &fb);
	if (ret)
		return ret;
	if (boot_elf_is_elf(fb.data, fb.len))
		ret = load_kernel_elf(mem, cfg, st, &fb);
	else
		ret = load_kernel_image(mem, cfg, st, &fb);
	free(fb.data);
	return ret;
}

/* Top of RAM: the info page, below it the DTB slot. */
static int plan_top(struct guest_mem *mem, struct boot_state *st)
{
	uint64_t end = mem->base + mem->size;
	uint64_t top = st->fw_size ? end - BOOT_PAGE : end;
	if (mem->size < 2 * BOOT_DTB_ALIGN)
		return fail(st, -EINVAL, "guest RAM is too small to boot");
	st->info_addr = st->fw_size ? top : 0;
	st->dtb_addr = align_down(top - BOOT_FDT_MAX, BOOT_DTB_ALIGN);
	st->dtb_max = top - st->dtb_addr;
	if (st->dtb_max > BOOT_FDT_MAX)
		st->dtb_max = BOOT_FDT_MAX;
	uint64_t low = st->kernel_end > st->fw_addr + st->fw_size ? st->kernel_end
								   : st->fw_addr + st->fw_size;
	if (st->dtb_addr < low)
		return fail(st, -EFBIG, "guest RAM is too small for the kernel and the device tree");
	return 0;
}

static int load_initrd(struct guest_mem *mem, const struct boot_config *cfg,
		       struct boot_state *st)
{
	struct file_buf fb = {0};
	int ret = read_file(st, "initrd", cfg->initrd, mem->size, &fb);
	if (ret)
		return ret;
	uint64_t start = st->dtb_addr >= fb.len ? align_down(st->dtb_addr - fb.len, BOOT_PAGE) : 0;
	uint8_t *dst = guest_mem_ptr(mem, start, fb.len);
	if (!dst || start < st->kernel_end || start < st->fw_addr + st->fw_size) {
		ret = fail(st, -EFBIG, "initrd '%s' (%zu KiB) does not fit in guest RAM above the kernel",
			   cfg->initrd, fb.len >> 10);
	} else {
		memcpy(dst, fb.data, fb.len);
		st->initrd_start = start;
		st->initrd_end = start + fb.len;
	}
	free(fb.data);
	return ret;
}

int boot_load(struct guest_mem *mem, const struct boot_config *cfg,
	      struct boot_state *st)
{
	uint64_t fw_entry = 0;
	int ret = 0;
	memset(st, 0, sizeof(*st));
	st->priv = 3;
	if (!cfg->kernel)
		return fail(st, -EINVAL, "no kernel given");
	if (cfg->firmware)
		ret = load_firmware(mem, cfg, st, &fw_entry);
	if (!ret)
		ret = load_kernel(mem, cfg, st);
	if (!ret)
		ret = plan_top(mem, st);
	if (!ret && cfg->initrd)
		ret = load_initrd(mem, cfg, st);
	st->pc = st->fw_size ? fw_entry : st->kernel_entry;
	st->a0 = cfg->hartid;
	return ret;
}

static void write_fw_dynamic_info(struct guest_mem *mem, const struct boot_state *st)
{
	const uint64_t words[] = {
		FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, st->kernel_entry,
		FW_DYNAMIC_NEXT_MODE_S, 0 /* options */, UINT64_MAX /* any boot hart */,
	};
	uint8_t *p = guest_mem_ptr(mem, st->info_addr, sizeof(struct fw_dynamic_info));
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		put64(p + 8 * i, words[i]);
}

int boot_place_dtb(struct guest_mem *mem, struct boot_state *st,
		   const void *fdt, size_t fdt_size)
{
	st->a1 = 0;
	if (fdt) {
		uint8_t *dst = guest_mem_ptr(mem, st->dtb_addr, st->dtb_max);
		if (!dst || st->dtb_max == 0)
			return fail(st, -EINVAL, "boot_load has not planned a DTB slot");
		if (fdt_size > st->dtb_max)
			return fail(st, -EFBIG, "device tree (%zu bytes) is larger than %llu bytes",
				    fdt_size, (unsigned long long)st->dtb_max);
		memset(dst, 0, st->dtb_max);
		memcpy(dst, fdt, fdt_size);
		st->a1 = st->dtb_addr;
	}
	st->a2 = 0;
	if (st->fw_size && st->info_addr) {
		write_fw_dynamic_info(mem, st);
		st->a2 = st->info_addr;
	}
	return 0;
}
