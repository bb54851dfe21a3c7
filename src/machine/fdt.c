/*
 * Device tree for the virt machine, written with libfdt's sequential-write
 * API (nodes are emitted in order, so the tree is built in one pass).
 * Phandles are fixed by position: hart h's interrupt controller is 1 + h,
 * then the PLIC, then the test/syscon device.
 */
#include "machine/fdt.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "devices/clint.h"
#include "devices/plic.h"
#include "devices/rtc_goldfish.h"
#include "devices/syscon.h"
#include "devices/uart16550.h"
#include "devices/virtio/virtio.h"

#define ISA_MAX 512

/* Emission context: the first libfdt error sticks and later calls do
 * nothing, so the builders read as plain lists of properties. */
struct fdtw {
	void *fdt;
	int err;
};

static void begin(struct fdtw *w, const char *name)
{
	if (!w->err)
		w->err = fdt_begin_node(w->fdt, name);
}

static void end(struct fdtw *w)
{
	if (!w->err)
		w->err = fdt_end_node(w->fdt);
}

static void prop(struct fdtw *w, const char *name, const void *val, int len)
{
	if (!w->err)
		w->err = fdt_property(w->fdt, name, val, len);
}

static void prop_str(struct fdtw *w, const char *name, const char *s)
{
	prop(w, name, s, (int)strlen(s) + 1);
}

static void prop_u32(struct fdtw *w, const char *name, uint32_t v)
{
	if (!w->err)
		w->err = fdt_property_u32(w->fdt, name, v);
}

static void prop_empty(struct fdtw *w, const char *name)
{
	prop(w, name, NULL, 0);
}

/* A list of 32-bit cells. */
static void prop_cells(struct fdtw *w, const char *name, const uint32_t *cells, int n)
{
	fdt32_t be[2 * 2 * FDT_MAX_HARTS];
	if (n > (int)(sizeof(be) / sizeof(be[0]))) {
		w->err = -FDT_ERR_INTERNAL;
		return;
	}
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	prop(w, name, be, n * (int)sizeof(be[0]));
}

/* reg = <addr size> with #address-cells = #size-cells = 2. */
static void prop_reg(struct fdtw *w, uint64_t addr, uint64_t size)
{
	uint32_t c[4] = { (uint32_t)(addr >> 32), (uint32_t)addr, (uint32_t)(size >> 32), (uint32_t)size };
	prop_cells(w, "reg", c, 4);
}

static void prop_u64(struct fdtw *w, const char *name, uint64_t v)
{
	uint32_t c[2] = { (uint32_t)(v >> 32), (uint32_t)v };
	prop_cells(w, name, c, 2);
}

static uint32_t intc_phandle(unsigned hart) { return 1 + hart; }
static uint32_t plic_phandle(const struct fdt_virt_config *cfg) { return 1 + cfg->nharts; }
static uint32_t syscon_phandle(const struct fdt_virt_config *cfg) { return 2 + cfg->nharts; }

/* Append s to a NUL-separated list unless already there. */
static int list_add(char *list, size_t *len, size_t cap, const char *s, size_t slen)
{
	for (size_t off = 0; off < *len; off += strlen(list + off) + 1)
		if (strlen(list + off) == slen && !memcmp(list + off, s, slen))
			return 0;
	if (*len + slen + 1 > cap)
		return -EINVAL;
	memcpy(list + *len, s, slen);
	list[*len + slen] = 0;
	*len += slen + 1;
	return 0;
}

/* "rv64imafdc_zicsr_sstc" -> "i\0m\0a\0f\0d\0c\0zicsr\0sstc\0".  'g' stands
 * for imafd_zicsr_zifencei. */
static int isa_extensions(const char *isa, char *list, size_t cap, size_t *len)
{
	*len = 0;
	if (strncmp(isa, "rv64", 4) || strlen(isa) >= ISA_MAX)
		return -EINVAL;
	const char *p = isa + 4;
	int err = 0;
	for (; *p && *p != '_' && !err; p++) {
		if (*p < 'a' || *p > 'z')
			return -EINVAL;
		if (*p == 'g') {
			for (const char *g = "imafd"; *g && !err; g++)
				err = list_add(list, len, cap, g, 1);
			err = err ? err : list_add(list, len, cap, "zicsr", 5);
			err = err ? err : list_add(list, len, cap, "zifencei", 8);
		} else {
			err = list_add(list, len, cap, p, 1);
		}
	}
	while (*p == '_' && !err) {
		const char *s = ++p;
		while (*p && *p != '_')
			p++;
		for (const char *q = s; q < p; q++)
			if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
				return -EINVAL;
		if (p > s)
			err = list_add(list, len, cap, s, (size_t)(p - s));
	}
	return *p ? -EINVAL : err;
}

static void build_cpu(struct fdtw *w, const struct fdt_virt_config *cfg, unsigned h,
		      const char *isa, const char *exts, size_t exts_len)
{
	char name[32];
	snprintf(name, sizeof(name), "cpu@%u", h);
	begin(w, name);
	prop_str(w, "device_type", "cpu");
	prop_u32(w, "reg", h);
	prop_str(w, "status", "okay");
	prop_str(w, "compatible", "riscv");
	prop_str(w, "riscv,isa", isa);
	prop_str(w, "riscv,isa-base", "rv64i");
	prop(w, "riscv,isa-extensions", exts, (int)exts_len);
	prop_str(w, "mmu-type", cfg->mmu_type ? cfg->mmu_type : "riscv,sv39");
	begin(w, "interrupt-controller");
	prop_u32(w, "#address-cells", 0);
	prop_u32(w, "#interrupt-cells", 1);
	prop_empty(w, "interrupt-controller");
	prop_str(w, "compatible", "riscv,cpu-intc");
	prop_u32(w, "phandle", intc_phandle(h));
	end(w);
	end(w);
}

static int build_cpus(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	const char *isa = cfg->isa ? cfg->isa : FDT_DEFAULT_ISA;
	char exts[ISA_MAX + 64];
	size_t exts_len;
	if (isa_extensions(isa, exts, sizeof(exts), &exts_len) < 0)
		return -EINVAL;
	begin(w, "cpus");
	prop_u32(w, "#address-cells", 1);
	prop_u32(w, "#size-cells", 0);
	prop_u32(w, "timebase-frequency", (uint32_t)CLINT_FREQ_HZ);
	for (unsigned h = 0; h < cfg->nharts; h++)
		build_cpu(w, cfg, h, isa, exts, exts_len);
	end(w);
	return 0;
}

static void build_memory(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	char name[40];
	snprintf(name, sizeof(name), "memory@%" PRIx64, cfg->ram_base);
	begin(w, name);
	prop_str(w, "device_type", "memory");
	prop_reg(w, cfg->ram_base, cfg->ram_size);
	end(w);
}

static void build_clint(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	static const char compat[] = "sifive,clint0\0riscv,clint0";
	uint32_t ie[4 * FDT_MAX_HARTS];
	for (unsigned h = 0; h < cfg->nharts; h++) {
		ie[4 * h + 0] = intc_phandle(h), ie[4 * h + 1] = MIP_MSIP;
		ie[4 * h + 2] = intc_phandle(h), ie[4 * h + 3] = MIP_MTIP;
	}
	begin(w, "clint@2000000");
	prop(w, "compatible", compat, sizeof(compat));
	prop_reg(w, CLINT_BASE, CLINT_SIZE);
	prop_cells(w, "interrupts-extended", ie, 4 * (int)cfg->nharts);
	end(w);
}

static void build_plic(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	uint32_t ie[4 * FDT_MAX_HARTS];
	for (unsigned h = 0; h < cfg->nharts; h++) {
		ie[4 * h + 0] = intc_phandle(h), ie[4 * h + 1] = MIP_MEIP;
		ie[4 * h + 2] = intc_phandle(h), ie[4 * h + 3] = MIP_SEIP;
	}
	begin(w, "plic@c000000");
	prop_u32(w, "phandle", plic_phandle(cfg));
	prop_u32(w, "riscv,ndev", PLIC_NDEV);
	prop_reg(w, PLIC_BASE, PLIC_SIZE);
	prop_cells(w, "interrupts-extended", ie, 4 * (int)cfg->nharts);
	prop_empty(w, "interrupt-controller");
	prop(w, "compatible", compat, sizeof(compat));
	prop_u32(w, "#address-cells", 0);
	prop_u32(w, "#interrupt-cells", 1);
	end(w);
}

/* A device with one PLIC interrupt. */
static void build_plic_device(struct fdtw *w, const struct fdt_virt_config *cfg, const char *node,
			      const char *compat, uint64_t base, uint64_t size, uint32_t irq)
{
	begin(w, node);
	prop_str(w, "compatible", compat);
	prop_reg(w, base, size);
	prop_u32(w, "interrupt-parent", plic_phandle(cfg));
	prop_u32(w, "interrupts", irq);
}

static void build_uart_rtc_virtio(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	char name[40];
	build_plic_device(w, cfg, "serial@10000000", "ns16550a", UART_BASE, UART_SIZE, UART_IRQ);
	prop_u32(w, "clock-frequency", UART_CLOCK_HZ);
	end(w);
	build_plic_device(w, cfg, "rtc@101000", "google,goldfish-rtc", RTC_GOLDFISH_BASE,
			  RTC_GOLDFISH_SIZE, RTC_GOLDFISH_IRQ);
	end(w);
	for (unsigned i = 0; i < cfg->nvirtio; i++) {
		uint64_t base = VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * i;
		snprintf(name, sizeof(name), "virtio_mmio@%" PRIx64, base);
		build_plic_device(w, cfg, name, "virtio,mmio", base, VIRTIO_MMIO_STRIDE,
				  VIRTIO_MMIO_IRQ0 + i);
		end(w);
	}
}

static void build_syscon(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	static const char compat[] = "sifive,test1\0sifive,test0\0syscon";
	begin(w, "test@100000");
	prop_u32(w, "phandle", syscon_phandle(cfg));
	prop_reg(w, SYSCON_BASE, SYSCON_SIZE);
	prop(w, "compatible", compat, sizeof(compat));
	end(w);
}

static void build_soc(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	begin(w, "soc");
	prop_u32(w, "#address-cells", 2);
	prop_u32(w, "#size-cells", 2);
	prop_str(w, "compatible", "simple-bus");
	prop_empty(w, "ranges");
	build_syscon(w, cfg);
	build_uart_rtc_virtio(w, cfg);
	build_plic(w, cfg);
	build_clint(w, cfg);
	end(w);
}

/* syscon-poweroff / syscon-reboot: Linux writes `value` to the regmap. */
static void build_power_node(struct fdtw *w, const struct fdt_virt_config *cfg,
			     const char *node, const char *compat, uint32_t value)
{
	begin(w, node);
	prop_u32(w, "value", value);
	prop_u32(w, "offset", 0);
	prop_u32(w, "regmap", syscon_phandle(cfg));
	prop_str(w, "compatible", compat);
	end(w);
}

static void build_chosen(struct fdtw *w, const struct fdt_virt_config *cfg)
{
	begin(w, "chosen");
	if (cfg->bootargs)
		prop_str(w, "bootargs", cfg->bootargs);
	prop_str(w, "stdout-path", "/soc/serial@10000000");
	if (cfg->initrd_end > cfg->initrd_start) {
		prop_u64(w, "linux,initrd-start", cfg->initrd_start);
		prop_u64(w, "linux,initrd-end", cfg->initrd_end);
	}
	if (cfg->rng_seed && cfg->rng_seed_len)
		prop(w, "rng-seed", cfg->rng_seed, (int)cfg->rng_seed_len);
	end(w);
}

static int config_ok(const struct fdt_virt_config *cfg)
{
	return cfg->nharts >= 1 && cfg->nharts <= FDT_MAX_HARTS && cfg->ram_size &&
	       cfg->nvirtio <= VIRTIO_MMIO_SLOTS && cfg->rng_seed_len <= 4096 &&
	       cfg->initrd_end >= cfg->initrd_start;
}

int fdt_build_virt(void *buf, size_t size, const struct fdt_virt_config *cfg)
{
	if (!config_ok(cfg) || size > INT32_MAX)
		return -EINVAL;
	struct fdtw w = { .fdt = buf };
	w.err = fdt_create(buf, (int)size);
	if (!w.err)
		w.err = fdt_finish_reservemap(buf);
	begin(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	static const char compat[] = "popek,virt\0riscv-virtio";
	prop(&w, "compatible", compat, sizeof(compat));
	prop_str(&w, "model", "popek,virt");
	build_chosen(&w, cfg);
	build_power_node(&w, cfg, "poweroff", "syscon-poweroff", SYSCON_POWEROFF_VALUE);
	build_power_node(&w, cfg, "reboot", "syscon-reboot", SYSCON_REBOOT_VALUE);
	build_memory(&w, cfg);
	if (!w.err && build_cpus(&w, cfg) < 0)
		return -EINVAL;
	build_soc(&w, cfg);
	end(&w);
	if (!w.err)
		w.err = fdt_finish(buf);
	if (w.err)
		return w.err == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
	return (int)fdt_totalsize(buf);
}
