/* Unit test: the virt machine's device tree, read back with libfdt.
 * With a path argument it also writes the DTB there, for the pytest side
 * to decompile with dtc. */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "machine/fdt.h"
#include "unit.h"

static uint8_t dtb[65536];

static const void *getprop(const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(dtb, path);
	if (node < 0) {
		fprintf(stderr, "no node %s\n", path);
		return NULL;
	}
	return fdt_getprop(dtb, node, name, len);
}

static bool prop_is_str(const char *path, const char *name, const char *want)
{
	int len;
	const char *v = getprop(path, name, &len);
	return v && len == (int)strlen(want) + 1 && !memcmp(v, want, (size_t)len);
}

static uint32_t cell(const char *path, const char *name, int i)
{
	int len;
	const fdt32_t *v = getprop(path, name, &len);
	if (!v || len < 4 * (i + 1))
		return 0xdeadbeef;
	return fdt32_to_cpu(v[i]);
}

/* Does the string list contain s? */
static bool list_has(const char *path, const char *name, const char *s)
{
	int node = fdt_path_offset(dtb, path);
	return node >= 0 && fdt_stringlist_search(dtb, node, name, s) >= 0;
}

static uint32_t phandle_of(const char *path)
{
	int node = fdt_path_offset(dtb, path);
	return node < 0 ? 0 : fdt_get_phandle(dtb, node);
}

static void test_tree(void)
{
	static const uint8_t seed[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct fdt_virt_config cfg = {
		.nharts = 2, .ram_base = 0x80000000, .ram_size = 512ull << 20,
		.bootargs = "console=ttyS0 root=/dev/vda rw",
		.initrd_start = 0x88000000, .initrd_end = 0x88400000,
		.rng_seed = seed, .rng_seed_len = sizeof(seed), .nvirtio = 8,
	};
	int size = fdt_build_virt(dtb, sizeof(dtb), &cfg);
	CHECK(size > 0);
	CHECK_EQ(fdt_check_header(dtb), 0);
	CHECK_EQ(cell("/", "#address-cells", 0), 2);
	CHECK_EQ(cell("/cpus", "timebase-frequency", 0), 10000000);
	CHECK(prop_is_str("/cpus/cpu@1", "riscv,isa", FDT_DEFAULT_ISA));
	CHECK(prop_is_str("/cpus/cpu@1", "riscv,isa-base", "rv64i"));
	CHECK(prop_is_str("/cpus/cpu@0", "mmu-type", "riscv,sv39"));
	CHECK(prop_is_str("/cpus/cpu@0", "device_type", "cpu"));
	CHECK_EQ(cell("/cpus/cpu@1", "reg", 0), 1);
	CHECK(list_has("/cpus/cpu@0", "riscv,isa-extensions", "i"));
	CHECK(list_has("/cpus/cpu@0", "riscv,isa-extensions", "c"));
	CHECK(list_has("/cpus/cpu@0", "riscv,isa-extensions", "zicsr"));
	CHECK(list_has("/cpus/cpu@0", "riscv,isa-extensions", "sstc"));
	CHECK(!list_has("/cpus/cpu@0", "riscv,isa-extensions", "v"));
	CHECK(prop_is_str("/cpus/cpu@0/interrupt-controller", "compatible", "riscv,cpu-intc"));
	uint32_t intc0 = phandle_of("/cpus/cpu@0/interrupt-controller");
	uint32_t intc1 = phandle_of("/cpus/cpu@1/interrupt-controller");
	CHECK(intc0 && intc1 && intc0 != intc1);
	CHECK_EQ(cell("/memory@80000000", "reg", 1), 0x80000000);
	CHECK_EQ(cell("/memory@80000000", "reg", 3), 512u << 20);
	/* CLINT: msip (3) and mtip (7) per hart. */
	CHECK(list_has("/soc/clint@2000000", "compatible", "riscv,clint0"));
	CHECK_EQ(cell("/soc/clint@2000000", "interrupts-extended", 0), intc0);
	CHECK_EQ(cell("/soc/clint@2000000", "interrupts-extended", 3), 7);
	CHECK_EQ(cell("/soc/clint@2000000", "interrupts-extended", 4), intc1);
	/* PLIC: M external (11) and S external (9) per hart. */
	CHECK(list_has("/soc/plic@c000000", "compatible", "sifive,plic-1.0.0"));
	CHECK(list_has("/soc/plic@c000000", "compatible", "riscv,plic0"));
	CHECK_EQ(cell("/soc/plic@c000000", "riscv,ndev", 0), 95);
	CHECK_EQ(cell("/soc/plic@c000000", "reg", 3), 0x600000);
	CHECK_EQ(cell("/soc/plic@c000000", "interrupts-extended", 1), 11);
	CHECK_EQ(cell("/soc/plic@c000000", "interrupts-extended", 3), 9);
	CHECK_EQ(cell("/soc/plic@c000000", "interrupts-extended", 6), intc1);
	uint32_t plic = phandle_of("/soc/plic@c000000");
	CHECK(plic != 0);
	/* UART, RTC, virtio */
	CHECK(prop_is_str("/soc/serial@10000000", "compatible", "ns16550a"));
	CHECK_EQ(cell("/soc/serial@10000000", "clock-frequency", 0), 0x384000);
	CHECK_EQ(cell("/soc/serial@10000000", "interrupts", 0), 10);
	CHECK_EQ(cell("/soc/serial@10000000", "interrupt-parent", 0), plic);
	CHECK(prop_is_str("/soc/rtc@101000", "compatible", "google,goldfish-rtc"));
	CHECK_EQ(cell("/soc/rtc@101000", "interrupts", 0), 11);
	CHECK_EQ(cell("/soc/virtio_mmio@10001000", "interrupts", 0), 1);
	CHECK_EQ(cell("/soc/virtio_mmio@10008000", "interrupts", 0), 8);
	CHECK_EQ(cell("/soc/virtio_mmio@10008000", "reg", 1), 0x10008000);
	CHECK(fdt_path_offset(dtb, "/soc/virtio_mmio@10009000") < 0);
	/* Power: syscon with poweroff/reboot. */
	CHECK(list_has("/soc/test@100000", "compatible", "syscon"));
	CHECK(list_has("/soc/test@100000", "compatible", "sifive,test0"));
	uint32_t sys = phandle_of("/soc/test@100000");
	CHECK(sys != 0);
	CHECK_EQ(cell("/poweroff", "regmap", 0), sys);
	CHECK_EQ(cell("/poweroff", "value", 0), 0x5555);
	CHECK_EQ(cell("/reboot", "value", 0), 0x7777);
	CHECK(prop_is_str("/reboot", "compatible", "syscon-reboot"));
	/* chosen */
	CHECK(prop_is_str("/chosen", "bootargs", cfg.bootargs));
	CHECK(prop_is_str("/chosen", "stdout-path", "/soc/serial@10000000"));
	CHECK_EQ(cell("/chosen", "linux,initrd-start", 1), 0x88000000);
	CHECK_EQ(cell("/chosen", "linux,initrd-end", 1), 0x88400000);
	int len;
	const void *rs = getprop("/chosen", "rng-seed", &len);
	CHECK(rs && len == 8 && !memcmp(rs, seed, 8));
}

static void test_options_and_errors(void)
{
	struct fdt_virt_config cfg = {
		.nharts = 1, .ram_base = 0x80000000, .ram_size = 1 << 26,
		.isa = "rv64gc_zba_zbb", .mmu_type = "riscv,sv48",
	};
	CHECK(fdt_build_virt(dtb, sizeof(dtb), &cfg) > 0);
	CHECK(prop_is_str("/cpus/cpu@0", "mmu-type", "riscv,sv48"));
	CHECK(list_has("/cpus/cpu@0", "riscv,isa-extensions", "zifencei"));
	CHECK(list_has("/cpus/cpu@0", "riscv,isa-extensions", "d"));
	CHECK(list_has("/cpus/cpu@0", "riscv,isa-extensions", "zbb"));
	CHECK(fdt_path_offset(dtb, "/chosen") >= 0);
	int len;
	CHECK(getprop("/chosen", "linux,initrd-start", &len) == NULL);
	CHECK(fdt_path_offset(dtb, "/soc/virtio_mmio@10001000") < 0);
	CHECK(fdt_path_offset(dtb, "/cpus/cpu@1") < 0);
	CHECK_EQ(fdt_build_virt(dtb, 200, &cfg), -ENOSPC);
	cfg.isa = "rv32imac";
	CHECK_EQ(fdt_build_virt(dtb, sizeof(dtb), &cfg), -EINVAL);
	cfg.isa = "rv64im_Zicsr";
	CHECK_EQ(fdt_build_virt(dtb, sizeof(dtb), &cfg), -EINVAL);
	cfg.isa = NULL;
	cfg.nharts = 0;
	CHECK_EQ(fdt_build_virt(dtb, sizeof(dtb), &cfg), -EINVAL);
	cfg.nharts = FDT_MAX_HARTS + 1;
	CHECK_EQ(fdt_build_virt(dtb, sizeof(dtb), &cfg), -EINVAL);
	cfg.nharts = FDT_MAX_HARTS;
	CHECK(fdt_build_virt(dtb, sizeof(dtb), &cfg) > 0);
	CHECK(fdt_path_offset(dtb, "/cpus/cpu@31") >= 0);
}

int main(int argc, char **argv)
{
	test_options_and_errors();
	test_tree();
	if (argc > 1) {
		FILE *f = fopen(argv[1], "wb");
		CHECK(f != NULL);
		if (f) {
			CHECK_EQ(fwrite(dtb, 1, fdt_totalsize(dtb), f), fdt_totalsize(dtb));
			fclose(f);
		}
	}
	return unit_exit("fdt");
}
