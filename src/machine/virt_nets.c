/*
 * Creating the machine's network cards and their backends (see
 * virt_nets.h).  Device and backend are made in that order because the
 * backend's receive callback needs the device; the loop thread starts
 * only once everything is wired.
 */
#include "machine/virt_nets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/net_slirp.h"
#include "backends/net_tap.h"
#include "devices/virtio/net.h"
#include "machine/virt.h"
#include "vm/loop.h"

struct virt_nets {
	struct loop *loop;
	struct virtio_net *devs[VIRT_MAX_NETS];
	int ndevs;
};

/* QEMU's default MAC prefix and numbering, so guests configured for QEMU
 * (udev rules, DHCP reservations) see the same addresses. */
static void default_mac(uint8_t mac[6], int i)
{
	static const uint8_t base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	memcpy(mac, base, 6);
	mac[5] = (uint8_t)(mac[5] + i);
}

static int create_backend(struct virt_nets *nets, struct virtio_net *n, const struct net_config *nc,
			  struct net_backend **be, char *err, size_t errlen)
{
	if (nc->kind == NET_KIND_TAP)
		return net_tap_create(nets->loop, nc, virtio_net_receive, n, be, err, errlen);
	return net_slirp_create(nets->loop, nc, virtio_net_receive, n, be, err, errlen);
}

static int create_one(struct virt_machine *vm, int i, char *err, size_t errlen)
{
	struct virt_nets *nets = vm->nets;
	const struct net_config *nc = &vm->cfg.nets[i];
	uint8_t mac[6];
	struct virtio_net *n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	if (nc->mac_set)
		memcpy(mac, nc->mac, 6);
	else
		default_mac(mac, i);
	int ret = virtio_net_init(n, &vm->mem, mac, nets->loop);
	if (ret < 0) {
		snprintf(err, errlen, "cannot create virtio-net: %s", strerror(-ret));
		free(n);
		return ret;
	}
	nets->devs[nets->ndevs++] = n;   /* destroy cleans up from here on */
	struct net_backend *be = NULL;
	ret = create_backend(nets, n, nc, &be, err, errlen);
	if (ret < 0)
		return ret;
	virtio_net_attach(n, be);
	vm->vdevs[vm->nvdevs++] = &n->vdev;
	return 0;
}

int virt_nets_create(struct virt_machine *vm, char *err, size_t errlen)
{
	int count = vm->cfg.nnets;
	if (count == 0)
		return 0;
	/* One slot stays free for the entropy device that follows. */
	if (count > VIRT_MAX_NETS || vm->nvdevs + count + 1 > VIRTIO_MMIO_SLOTS) {
		snprintf(err, errlen, "too many virtio devices: %d disks and %d network cards "
			 "(with the entropy device at most %d)", vm->nvdevs, count, VIRTIO_MMIO_SLOTS);
		return -ENOSPC;
	}
	vm->nets = calloc(1, sizeof(*vm->nets));
	if (!vm->nets)
		return -ENOMEM;
	int ret = loop_create(&vm->nets->loop);
	if (ret < 0) {
		snprintf(err, errlen, "cannot create the network thread's event loop: %s", strerror(-ret));
		return ret;
	}
	for (int i = 0; i < count; i++) {
		ret = create_one(vm, i, err, errlen);
		if (ret < 0)
			return ret;
	}
	ret = loop_start(vm->nets->loop);
	if (ret < 0)
		snprintf(err, errlen, "cannot start the network thread: %s", strerror(-ret));
	return ret;
}

void virt_nets_destroy(struct virt_machine *vm)
{
	struct virt_nets *nets = vm->nets;
	if (!nets)
		return;
	loop_destroy(nets->loop);   /* joins the thread: nothing runs after this */
	for (int i = 0; i < nets->ndevs; i++) {
		virtio_net_destroy(nets->devs[i]);
		free(nets->devs[i]);
	}
	free(nets);
	vm->nets = NULL;
}
