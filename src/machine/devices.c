/*
 * The virt machine's devices: platform devices at QEMU virt's addresses
 * and the virtio-mmio slots (disks first, then network cards, then the
 * entropy device), wired to the PLIC and the console.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/virt.h"
#include "machine/virt_disks.h"
#include "machine/virt_nets.h"

static void uart_tx(void *opaque, const uint8_t *buf, size_t len)
{
	struct virt_machine *vm = opaque;
	if (vm->console)
		console_output(vm->console, buf, len);
}

static void uart_has_room(void *opaque)
{
	struct virt_machine *vm = opaque;
	if (vm->console)
		console_kick(vm->console);
}

static size_t console_accept(void *opaque, const uint8_t *buf, size_t len)
{
	struct virt_machine *vm = opaque;
	return uart_receive(&vm->uart, buf, len);
}

static void console_quit(void *opaque)
{
	virt_request_exit(opaque, 0, NULL);
}

static void syscon_event(void *opaque, enum syscon_event ev, int code)
{
	struct virt_machine *vm = opaque;
	if (ev == SYSCON_POWEROFF)
		virt_request_exit(vm, 0, NULL);
	else if (ev == SYSCON_REBOOT)
		virt_request_exit(vm, VIRT_EXIT_REBOOT, "guest requested a reboot");
	else
		virt_request_exit(vm, code ? code : 1, "guest reported failure");
}

static int add_region(struct virt_machine *vm, uint64_t base, uint64_t size, void *opaque,
		      bus_read_fn rd, bus_write_fn wr, const char *name)
{
	int ret = bus_register(&vm->bus, base, size, opaque, rd, wr, name);
	if (ret < 0)
		fprintf(stderr, "popek: cannot map %s: %s\n", name, strerror(-ret));
	return ret;
}

static int platform_devices(struct virt_machine *vm)
{
	struct irq_line uart_irq = plic_irq_line(&vm->plic, UART_IRQ);
	struct irq_line rtc_irq = plic_irq_line(&vm->plic, RTC_GOLDFISH_IRQ);
	struct uart_ops ops = { .tx = uart_tx, .rx_space = uart_has_room, .opaque = vm };
	uart_init(&vm->uart, &uart_irq, &ops);
	syscon_init(&vm->syscon, syscon_event, vm);
	rtc_goldfish_init(&vm->rtc, &rtc_irq, NULL);
	int ret = add_region(vm, CLINT_BASE, CLINT_SIZE, &vm->clint, clint_mmio_read, clint_mmio_write, "clint");
	ret = ret ? ret : add_region(vm, PLIC_BASE, PLIC_SIZE, &vm->plic, plic_mmio_read, plic_mmio_write, "plic");
	ret = ret ? ret : add_region(vm, UART_BASE, UART_SIZE, &vm->uart, uart_mmio_read, uart_mmio_write, "uart");
	ret = ret ? ret : add_region(vm, SYSCON_BASE, SYSCON_SIZE, &vm->syscon, syscon_mmio_read,
				     syscon_mmio_write, "syscon");
	ret = ret ? ret : add_region(vm, RTC_GOLDFISH_BASE, RTC_GOLDFISH_SIZE, &vm->rtc,
				     rtc_goldfish_mmio_read, rtc_goldfish_mmio_write, "rtc");
	return ret;
}

/* Put every virtio device on a slot; unused slots answer DeviceID 0. */
static int virtio_slots(struct virt_machine *vm)
{
	for (int i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
		struct irq_line irq = plic_irq_line(&vm->plic, VIRTIO_MMIO_IRQ0 + i);
		virtio_mmio_init(&vm->mmio[i], i < vm->nvdevs ? vm->vdevs[i] : NULL, &irq);
		char name[32];
		snprintf(name, sizeof(name), "virtio-mmio%d", i);
		int ret = add_region(vm, VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * (uint64_t)i,
				     VIRTIO_MMIO_STRIDE, &vm->mmio[i], virtio_mmio_read,
				     virtio_mmio_write, strdup(name));
		if (ret < 0)
			return ret;
	}
	return 0;
}

int virt_devices_create(struct virt_machine *vm, char *err, size_t errlen)
{
	int ret = platform_devices(vm);
	if (ret < 0) {
		snprintf(err, errlen, "cannot create platform devices");
		return ret;
	}
	ret = virt_disks_create(vm, err, errlen);
	if (ret < 0)
		return ret;
	ret = virt_nets_create(vm, err, errlen);
	if (ret < 0)
		return ret;
	vm->rng = calloc(1, sizeof(*vm->rng));
	if (!vm->rng)
		return -ENOMEM;
	virtio_rng_init(vm->rng, &vm->mem);
	vm->vdevs[vm->nvdevs++] = &vm->rng->vdev;
	ret = virtio_slots(vm);
	if (ret < 0) {
		snprintf(err, errlen, "cannot map the virtio slots");
		return ret;
	}
	if (vm->cfg.console_stdio) {
		struct console_sink sink = { .accept = console_accept, .quit = console_quit, .opaque = vm };
		vm->console = console_start(STDIN_FILENO, STDOUT_FILENO, &sink);
		if (!vm->console) {
			snprintf(err, errlen, "cannot start the console: %s", strerror(errno));
			return -errno;
		}
	}
	return 0;
}

void virt_devices_destroy(struct virt_machine *vm)
{
	virt_nets_destroy(vm);   /* first: stops the network thread */
	virt_disks_destroy(vm);
	if (vm->rng) {
		virtio_rng_destroy(vm->rng);
		free(vm->rng);
		vm->rng = NULL;
	}
	uart_destroy(&vm->uart);
	rtc_goldfish_destroy(&vm->rtc);
}
