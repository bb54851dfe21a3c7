/*
 * The riscv `virt` machine: guest RAM, the MMIO bus and its devices, the
 * harts on host threads, the console, and the ticker thread that drives
 * time-based events.  Laid out like QEMU's virt so standard firmware and
 * kernels find everything where they expect it.
 *
 * Threads: one per hart (runs guest code), one ticker (timers, HTIF
 * polling), one console reader.  Devices are called from hart threads and
 * protect themselves with their own locks.
 */
#ifndef POPEK_MACHINE_VIRT_H
#define POPEK_MACHINE_VIRT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backends/net_config.h"
#include "devices/clint.h"
#include "devices/plic.h"
#include "devices/rtc_goldfish.h"
#include "devices/syscon.h"
#include "devices/uart16550.h"
#include "devices/virtio/virtio.h"
#include "machine/boot.h"
#include "machine/console.h"
#include "machine/virt_control.h"
#include "rv64/cpu.h"
#include "vm/bus.h"
#include "vm/memory.h"

#define VIRT_RAM_BASE 0x80000000ULL
#define VIRT_MAX_HARTS 8
#define VIRT_MAX_DISKS 8
#define VIRT_MAX_NETS 4

/* Exit status of `popek run` when the guest asks for a reboot. */
#define VIRT_EXIT_REBOOT 3

struct virt_machine;

struct virt_hart {
	struct rv_cpu cpu;
	struct virt_machine *vm;
	pthread_t thread;
	int id;
};

struct virt_disk_config {
	const char *path;
	bool readonly;
};

struct virt_config {
	uint64_t mem_size;
	int nharts;
	const char *firmware;      /* NULL: --bios none */
	const char *kernel;
	const char *initrd;        /* NULL: none */
	const char *append;
	struct virt_disk_config disks[VIRT_MAX_DISKS];
	int ndisks;
	struct net_config nets[VIRT_MAX_NETS];   /* one virtio-net each */
	int nnets;
	bool console_stdio;
	bool no_images;            /* snapshot restore: RAM comes from the memory file */
};

struct virt_disk;
struct virt_nets;

struct virt_machine {
	struct virt_config cfg;
	struct guest_mem mem;
	struct bus bus;
	struct rv_platform plat;
	struct clint clint;
	struct plic plic;
	struct uart16550 uart;
	struct syscon syscon;
	struct rtc_goldfish rtc;
	struct virtio_mmio mmio[VIRTIO_MMIO_SLOTS];
	struct virtio_device *vdevs[VIRTIO_MMIO_SLOTS];
	int nvdevs;
	struct virt_disk *disks[VIRT_MAX_DISKS];   /* virt_disks.c */
	int ndisks_open;
	struct virt_nets *nets;                   /* virt_nets.c */
	struct virtio_rng *rng;
	struct virt_hart harts[VIRT_MAX_HARTS];
	struct rv_cpu *hart_cpus[VIRT_MAX_HARTS];   /* for the platform (SMP) */
	struct console *console;
	struct boot_state boot;
	struct virt_control ctl;   /* pause/resume, run state (virt_control.c) */

	pthread_t ticker;
	volatile int stop;          /* set once: the machine is shutting down */
	int exit_code;
	char exit_message[256];     /* printed (one line) when non-empty */
	pthread_mutex_t exit_lock;
};

/* Build the whole machine from cfg: returns 0, or -errno with a one-line
 * message in err. */
int virt_create(struct virt_machine *vm, const struct virt_config *cfg, char *err, size_t errlen);
/* Run until the guest powers off, reboots, fails, or the user quits;
 * returns the process exit status. */
int virt_run(struct virt_machine *vm);
void virt_destroy(struct virt_machine *vm);

/* Stop the machine with an exit status (first caller wins). */
void virt_request_exit(struct virt_machine *vm, int code, const char *message);
/* Make hart h look at its interrupts / the stop flag now. */
void virt_kick_hart(struct virt_machine *vm, int h);

/* hart.c */
void *virt_hart_main(void *arg);
/* htif.c: poll the tohost mailbox of a bare-metal test program. */
void virt_htif_poll(struct virt_machine *vm);
/* devices.c: create the platform and virtio devices on the bus. */
int virt_devices_create(struct virt_machine *vm, char *err, size_t errlen);
void virt_devices_destroy(struct virt_machine *vm);

#endif
