/*
 * Building and running the virt machine: RAM, boot images and device
 * tree, harts, and the ticker thread.
 *
 * The ticker wakes every millisecond: it advances the CLINT (raising MTIP
 * when a hart's mtimecmp has passed), the RTC alarm and Sstc timers, polls
 * the HTIF mailbox, and kicks running harts so that a guest spinning in a
 * chained loop still notices interrupts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "machine/fdt.h"
#include "machine/virt.h"

#define TICK_NS 1000000L
#define FDT_BUF_SIZE (64 * 1024)

static uint64_t platform_time(void *opaque)
{
	return clint_mtime(opaque);
}

void virt_request_exit(struct virt_machine *vm, int code, const char *message)
{
	pthread_mutex_lock(&vm->exit_lock);
	if (!vm->stop) {
		vm->exit_code = code;
		if (message)
			snprintf(vm->exit_message, sizeof(vm->exit_message), "%s", message);
		__atomic_store_n(&vm->stop, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&vm->exit_lock);
	for (int h = 0; h < vm->cfg.nharts; h++)
		virt_kick_hart(vm, h);
}

static bool sstc_due(struct virt_machine *vm, struct rv_cpu *cpu)
{
	return (cpu->priv.menvcfg & (1ULL << 63)) && clint_mtime(&vm->clint) >= cpu->priv.stimecmp;
}

static void *ticker_main(void *arg)
{
	struct virt_machine *vm = arg;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!vm->stop) {
		next.tv_nsec += TICK_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		clint_update(&vm->clint);
		rtc_goldfish_update(&vm->rtc);
		virt_htif_poll(vm);
		for (int h = 0; h < vm->cfg.nharts; h++) {
			struct rv_cpu *cpu = &vm->harts[h].cpu;
			/* A WFI sleeper only needs waking when something is due. */
			if (!__atomic_load_n(&cpu->priv.wfi, __ATOMIC_ACQUIRE) || sstc_due(vm, cpu))
				virt_kick_hart(vm, h);
		}
	}
	return NULL;
}

/* Interrupt controllers reach harts through here (any thread). */
static void sink_set_mip(void *opaque, int hart, uint64_t bit, int level)
{
	struct virt_machine *vm = opaque;
	if (hart < 0 || hart >= vm->cfg.nharts)
		return;
	rv_mip_set_hw(&vm->harts[hart].cpu, __builtin_ctzll(bit), level);
	if (level)
		virt_kick_hart(vm, hart);
}

static int build_fdt(struct virt_machine *vm, void *buf, size_t size)
{
	struct fdt_virt_config fc = {
		.nharts = vm->cfg.nharts,
		.ram_base = VIRT_RAM_BASE,
		.ram_size = vm->cfg.mem_size,
		.bootargs = vm->cfg.append,
		.initrd_start = vm->boot.initrd_start,
		.initrd_end = vm->boot.initrd_end,
		.nvirtio = VIRTIO_MMIO_SLOTS,
	};
	return fdt_build_virt(buf, size, &fc);
}

static int load_images(struct virt_machine *vm, char *err, size_t errlen)
{
	struct boot_config bc = {
		.firmware = vm->cfg.firmware,
		.kernel = vm->cfg.kernel,
		.initrd = vm->cfg.initrd,
		.hartid = 0,
	};
	int ret = boot_load(&vm->mem, &bc, &vm->boot);
	if (ret < 0) {
		snprintf(err, errlen, "%s", vm->boot.error);
		return ret;
	}
	void *fdt = calloc(1, FDT_BUF_SIZE);
	if (!fdt)
		return -ENOMEM;
	ret = build_fdt(vm, fdt, FDT_BUF_SIZE);
	if (ret < 0) {
		snprintf(err, errlen, "cannot build the device tree (%d)", ret);
		free(fdt);
		return ret;
	}
	ret = boot_place_dtb(&vm->mem, &vm->boot, fdt, (size_t)ret);
	free(fdt);
	if (ret < 0)
		snprintf(err, errlen, "%s", vm->boot.error);
	return ret;
}

static void kick_all_harts(void *opaque)
{
	struct virt_machine *vm = opaque;
	for (int h = 0; h < vm->cfg.nharts; h++)
		virt_kick_hart(vm, h);
}

static int create_harts(struct virt_machine *vm)
{
	vm->plat.harts = vm->hart_cpus;
	vm->plat.nharts = vm->cfg.nharts;
	vm->plat.kick_all = kick_all_harts;
	vm->plat.kick_opaque = vm;
	for (int h = 0; h < vm->cfg.nharts; h++) {
		struct virt_hart *hart = &vm->harts[h];
		hart->vm = vm;
		hart->id = h;
		int ret = rv_cpu_init(&hart->cpu);
		if (ret < 0)
			return ret;
		rv_priv_reset(&hart->cpu, (uint64_t)h, &vm->plat);
		hart->cpu.opaque = hart;
		vm->hart_cpus[h] = &hart->cpu;
		hart->cpu.pc = vm->boot.pc;
		hart->cpu.x[10] = (uint64_t)h;
		hart->cpu.x[11] = vm->boot.a1;
		hart->cpu.x[12] = vm->boot.a2;
	}
	return 0;
}

int virt_create(struct virt_machine *vm, const struct virt_config *cfg, char *err, size_t errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = *cfg;
	pthread_mutex_init(&vm->exit_lock, NULL);
	int ret = guest_mem_init(&vm->mem, VIRT_RAM_BASE, cfg->mem_size);
	if (ret < 0) {
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(cfg->mem_size >> 20), strerror(-ret));
		return ret;
	}
	vm->plat = (struct rv_platform){
		.ram_host = vm->mem.host, .ram_base = vm->mem.base, .ram_size = vm->mem.size,
		.bus = &vm->bus, .read_time = platform_time, .time_opaque = &vm->clint,
		.code_pages = calloc(cfg->mem_size >> 12, 1),
	};
	if (!vm->plat.code_pages)
		return -ENOMEM;
	struct hart_irq_sink sink = { .set_mip = sink_set_mip, .opaque = vm };
	ret = clint_init(&vm->clint, cfg->nharts, &sink, NULL);
	if (ret == 0)
		ret = plic_init(&vm->plic, cfg->nharts, &sink);
	if (ret < 0) {
		snprintf(err, errlen, "cannot create interrupt controllers for %d harts", cfg->nharts);
		return ret;
	}
	ret = virt_devices_create(vm, err, errlen);
	if (ret < 0)
		return ret;
	ret = cfg->no_images ? 0 : load_images(vm, err, errlen);
	if (ret < 0)
		return ret;
	ret = create_harts(vm);
	if (ret < 0)
		snprintf(err, errlen, "cannot create harts: %s", strerror(-ret));
	return ret;
}

int virt_run(struct virt_machine *vm)
{
	int started = 0;
	if (pthread_create(&vm->ticker, NULL, ticker_main, vm) != 0) {
		fprintf(stderr, "popek: cannot start the timer thread\n");
		return 1;
	}
	/* Only hart 0 starts: secondary harts are parked in the firmware's
	 * HSM protocol, which they reach by running too (OpenSBI's lottery). */
	for (int h = 0; h < vm->cfg.nharts; h++) {
		if (pthread_create(&vm->harts[h].thread, NULL, virt_hart_main, &vm->harts[h]) != 0)
			break;
		started++;
	}
	if (started < vm->cfg.nharts)
		virt_request_exit(vm, 1, "cannot start hart threads");
	for (int h = 0; h < started; h++)
		pthread_join(vm->harts[h].thread, NULL);
	pthread_join(vm->ticker, NULL);
	if (vm->exit_message[0]) {
		console_stop(vm->console);
		vm->console = NULL;
		fprintf(stderr, "popek: %s\n", vm->exit_message);
	}
	return vm->exit_code;
}

void virt_destroy(struct virt_machine *vm)
{
	console_stop(vm->console);
	vm->console = NULL;
	for (int h = 0; h < vm->cfg.nharts; h++)
		rv_cpu_destroy(&vm->harts[h].cpu);
	virt_devices_destroy(vm);
	plic_destroy(&vm->plic);
	clint_destroy(&vm->clint);
	guest_mem_destroy(&vm->mem);
	free(vm->plat.code_pages);
}
