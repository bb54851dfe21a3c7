/*
 * Snapshots of the full-system machine, split the way Firecracker splits
 * them: a small state file (every hart's registers and CSRs, every
 * device's state, the configuration needed to rebuild the same machine)
 * and a memory file holding guest RAM (sparse and zstd-compressed,
 * snapshot_ram.c).  Taking one is snapshot.c, restoring snapshot_load.c,
 * the state file's layout snapshot_format.h.
 *
 * A snapshot is taken only while the machine is paused (harts parked at
 * block boundaries, the CLINT clock frozen), so the saved mtime is the
 * guest's time and a restored guest sees no jump.  Nothing engine-specific
 * is saved (no soft TLB, no decoded or translated code), so a snapshot
 * taken under one engine restores under the other.
 *
 * Both files are as hostile as the guest that produced them: the state
 * file is read whole, its size and CRC32 checked, and every record parsed
 * and bounds-checked before any machine state is touched.
 */
#ifndef POPEK_MACHINE_SNAPSHOT_H
#define POPEK_MACHINE_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem;
struct virt_config;
struct virt_machine;
struct snapshot_image;

/* Write state_path and mem_path from a paused machine.  mem_path is
 * recorded in the state file.  Returns 0, or -errno with a one-line reason
 * in err (-EINVAL when the machine is not paused). */
int snapshot_create(struct virt_machine *vm, const char *state_path, const char *mem_path,
		    char *err, size_t errlen);

/* Read and verify a state file (magic, version, size, CRC32, every
 * record).  Returns 0 with *img set (free with snapshot_close), or -errno
 * with a one-line reason in err. */
int snapshot_open(const char *state_path, struct snapshot_image **img, char *err, size_t errlen);
void snapshot_close(struct snapshot_image *img);

/* The machine the snapshot was taken of (RAM size, harts, disks, network
 * cards) on top of cfg's other settings (console); strings stay owned by
 * img.  No boot images are loaded: RAM holds everything. */
void snapshot_machine_config(const struct snapshot_image *img, struct virt_config *cfg);
/* The memory file recorded in the state file. */
const char *snapshot_mem_path(const struct snapshot_image *img);

/* Load RAM from mem_path (NULL: the recorded one) and every hart and
 * device state into vm, which virt_create() built from
 * snapshot_machine_config() and which has not run yet.  Returns 0 or
 * -errno with a one-line reason in err; on failure vm must be destroyed. */
int snapshot_restore(struct virt_machine *vm, const struct snapshot_image *img,
		     const char *mem_path, char *err, size_t errlen);

/* Open, build and restore in one step (CLI and API): cfg holds the
 * settings the snapshot does not (console).  On success the machine is
 * ready for virt_run(); on failure vm is destroyed again. */
int snapshot_build_machine(struct virt_machine *vm, const struct virt_config *cfg,
			   const char *state_path, const char *mem_path, char *err, size_t errlen);

/* Make a machine that has not run yet start paused: its harts park at
 * their first block boundary until virt_resume().  After
 * virt_control_init(). */
void snapshot_start_paused(struct virt_machine *vm);

/* CRC-32 (IEEE 802.3, the zlib/PNG one) of buf, continuing from crc
 * (start with 0); snapshot.c. */
uint32_t snapshot_crc32(uint32_t crc, const void *buf, size_t len);

/* ---- snapshot_ram.c: the memory file ---- */

/* Write guest RAM: pages that are all zero are left out (a bitmap records
 * which pages are present) and the rest go through zstd with its frame
 * checksum.  id ties the file to its state file. */
int snapshot_ram_save(const struct guest_mem *mem, const char *path, uint64_t id,
		      char *err, size_t errlen);
/* Fill guest RAM from path (pages the file leaves out become zero);
 * refuses a file of another RAM size or snapshot id, and a corrupt one. */
int snapshot_ram_load(struct guest_mem *mem, const char *path, uint64_t id,
		      char *err, size_t errlen);

#endif
