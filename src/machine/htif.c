/*
 * HTIF, the host-target interface of RISC-V test suites: a bare-metal
 * program writes a command into its `tohost` variable and the host acts on
 * it.  We implement what test programs use: exit (device 0, an odd value:
 * 1 = pass, (n << 1) | 1 = test n failed) and console output (device 1,
 * command 1: one character).  Polled by the ticker thread.
 */
#include <inttypes.h>
#include <stdio.h>

#include "machine/virt.h"

#define HTIF_DEV(v) ((v) >> 56)
#define HTIF_CMD(v) (((v) >> 48) & 0xff)

static void htif_exit(struct virt_machine *vm, uint64_t v)
{
	uint64_t code = v >> 1;
	if (code == 0) {
		virt_request_exit(vm, 0, NULL);
		return;
	}
	char msg[96];
	snprintf(msg, sizeof(msg), "bare-metal test failed: test %" PRIu64, code);
	virt_request_exit(vm, 1, msg);
}

void virt_htif_poll(struct virt_machine *vm)
{
	if (!vm->boot.has_htif)
		return;
	uint64_t *tohost = guest_mem_ptr(&vm->mem, vm->boot.tohost, 8);
	if (!tohost)
		return;
	uint64_t v = __atomic_exchange_n(tohost, 0, __ATOMIC_ACQ_REL);
	if (!v)
		return;
	if (HTIF_DEV(v) == 0 && (v & 1)) {
		htif_exit(vm, v);
		return;
	}
	if (HTIF_DEV(v) == 1 && HTIF_CMD(v) == 1) {
		uint8_t ch = (uint8_t)v;
		if (vm->console)
			console_output(vm->console, &ch, 1);
		uint64_t *fromhost = guest_mem_ptr(&vm->mem, vm->boot.fromhost, 8);
		if (fromhost)
			__atomic_store_n(fromhost, (1ULL << 56) | (1ULL << 48), __ATOMIC_RELEASE);
	}
}
