/*
 * The virt machine's network cards: each --net becomes a virtio-net device
 * in the next virtio-mmio slot (after the disks), joined to its backend
 * (libslirp user-mode NAT or a host tap device).  All backends share one
 * event-loop thread (src/vm/loop.h), started here and stopped first on
 * destroy.
 */
#ifndef POPEK_MACHINE_VIRT_NETS_H
#define POPEK_MACHINE_VIRT_NETS_H

#include <stddef.h>

struct virt_machine;

/* Returns 0, or -errno with a one-line message in err. */
int virt_nets_create(struct virt_machine *vm, char *err, size_t errlen);
void virt_nets_destroy(struct virt_machine *vm);

#endif
