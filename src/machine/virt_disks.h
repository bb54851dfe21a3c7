/*
 * The virt machine's disks: each --disk opens a raw image (with its
 * exclusive lock) and becomes a virtio-blk device in the next virtio-mmio
 * slot, so the guest sees them as /dev/vda, /dev/vdb, ... in order.
 */
#ifndef POPEK_MACHINE_VIRT_DISKS_H
#define POPEK_MACHINE_VIRT_DISKS_H

#include <stddef.h>

struct virt_machine;

int virt_disks_create(struct virt_machine *vm, char *err, size_t errlen);
void virt_disks_destroy(struct virt_machine *vm);

#endif
