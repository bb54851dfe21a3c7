/*
 * The state file of a snapshot, shared by the writer (snapshot.c) and the
 * reader (snapshot_load.c).  Little-endian, as the host.
 *
 *   header   struct snap_header (magic, version, header size, file size,
 *            snapshot id that the memory file repeats)
 *   records  u32 tag, u32 length, payload, in any order except that
 *            repeated ones (disks, nets, harts, virtio slots) are in
 *            their machine order; each payload has exactly the
 *            size of its struct below, so a layout change without a
 *            version bump is refused rather than misread
 *   trailer  u32 CRC-32 of every byte before it
 *
 * Device payloads are the devices' own plain state structs (clint_state,
 * plic_state, uart_state incl. both FIFOs, rtc_goldfish_state,
 * virtio_mmio_state with the queues).  virtio-blk completes every request
 * in the notify path of the vCPU that kicked, so a paused machine has none
 * in flight; virtio-net frames queued on the host side (not yet in guest
 * buffers) are not saved, as a real NIC would drop them.
 */
#ifndef POPEK_MACHINE_SNAPSHOT_FORMAT_H
#define POPEK_MACHINE_SNAPSHOT_FORMAT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/virt.h"

#define SNAP_MAGIC "POPEKSNP"
#define SNAP_VERSION 1
#define SNAP_MAX_FILE (4u << 20)   /* far more than any state file needs */

struct snap_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint64_t file_size;
	uint64_t id;
};

enum snap_tag {
	SNAP_MACHINE = 1,   /* struct snap_machine */
	SNAP_MEMFILE,       /* struct snap_path */
	SNAP_DISK,          /* struct snap_disk, one per disk in order */
	SNAP_NET,           /* struct net_config, one per card in order */
	SNAP_HART,          /* struct snap_hart, one per hart in order */
	SNAP_CLINT,         /* struct clint_state */
	SNAP_PLIC,          /* struct plic_state */
	SNAP_UART,          /* struct uart_state */
	SNAP_RTC,           /* struct rtc_goldfish_state */
	SNAP_VIRTIO,        /* struct snap_virtio, one per used slot in order */
};

struct snap_record {
	uint32_t tag;
	uint32_t len;
};

struct snap_machine {
	uint64_t mem_size;
	uint32_t nharts, ndisks, nnets, nvdevs;
	uint32_t device_id[VIRTIO_MMIO_SLOTS];   /* what sits in each used slot */
};

struct snap_path {
	char path[PATH_MAX];   /* NUL-terminated */
};

struct snap_disk {
	uint32_t readonly;
	uint32_t reserved;
	char path[PATH_MAX];
};

/* A hart: the architectural state only (no TLB, no code cache). */
struct snap_hart {
	uint64_t x[32], f[32], pc;
	uint32_t fflags, frm;
	uint64_t res_addr, res_value;
	uint32_t res_valid, mode;
	uint64_t instret;
	uint64_t mhartid, mstatus, misa, medeleg, mideleg, mie, mip_sw, mip_hw;
	uint64_t mtvec, mscratch, mepc, mcause, mtval;
	uint64_t mcounteren, mcountinhibit, menvcfg;
	uint64_t stvec, sscratch, sepc, scause, stval, satp, scounteren, senvcfg;
	uint64_t stimecmp;
	uint64_t pmpcfg[16], pmpaddr[64];
	uint64_t mcycle_base, minstret_base;
};

struct snap_virtio {
	uint32_t slot;
	uint32_t device_id;
	struct virtio_mmio_state st;
};

/* write(2) all of buf, retrying short writes; 0 or -errno (snapshot_ram.c). */
int snap_write_all(int fd, const void *buf, size_t len);

#endif
