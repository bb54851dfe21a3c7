/*
 * Opening the machine's disk images and attaching them as virtio-blk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/blk.h"
#include "machine/virt.h"
#include "machine/virt_disks.h"

struct virt_disk {
	struct disk_raw raw;
	struct virtio_blk blk;
};

static int open_disk(struct virt_machine *vm, int i, char *err, size_t errlen)
{
	const struct virt_disk_config *dc = &vm->cfg.disks[i];
	/* One virtio-mmio slot stays free for the entropy device. */
	if (vm->nvdevs >= VIRTIO_MMIO_SLOTS - 1) {
		snprintf(err, errlen, "too many virtio devices: at most %d disks and network cards",
			 VIRTIO_MMIO_SLOTS - 1);
		return -ENOSPC;
	}
	struct virt_disk *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	int ret = disk_raw_open(&d->raw, dc->path, dc->readonly);
	if (ret < 0) {
		snprintf(err, errlen, ret == -EBUSY ?
			 "disk image '%s' is in use by another VM (locked)" :
			 "cannot open disk image '%s': %s", dc->path, strerror(-ret));
		free(d);
		return ret;
	}
	char serial[VIRTIO_BLK_ID_BYTES + 1] = "popek-disk";
	serial[10] = (char)('0' + i);   /* at most VIRT_MAX_DISKS (8) disks */
	ret = virtio_blk_init(&d->blk, &vm->mem, &d->raw, serial);
	if (ret < 0) {
		snprintf(err, errlen, "cannot create virtio-blk for '%s': %s", dc->path, strerror(-ret));
		disk_raw_close(&d->raw);
		free(d);
		return ret;
	}
	vm->disks[vm->ndisks_open++] = d;
	vm->vdevs[vm->nvdevs++] = &d->blk.vdev;
	return 0;
}

int virt_disks_create(struct virt_machine *vm, char *err, size_t errlen)
{
	for (int i = 0; i < vm->cfg.ndisks; i++) {
		int ret = open_disk(vm, i, err, errlen);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void virt_disks_destroy(struct virt_machine *vm)
{
	for (int i = 0; i < vm->ndisks_open; i++) {
		virtio_blk_destroy(&vm->disks[i]->blk);
		disk_raw_close(&vm->disks[i]->raw);
		free(vm->disks[i]);
	}
	vm->ndisks_open = 0;
}
