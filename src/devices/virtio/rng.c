/*
 * virtio-rng (entropy source): one request queue whose writable buffers we
 * fill from the host's getrandom().  No config space, no features of its own.
 */
#include "devices/virtio/virtio.h"

#include <stdlib.h>
#include <sys/random.h>

/* Fill one chain's writable segments; returns the bytes written. */
static uint32_t fill_random(const struct virtq_chain *c)
{
	uint64_t done = 0;
	for (unsigned i = c->nout; i < c->nout + c->nin; i++) {
		uint8_t *p = c->iov[i].iov_base;
		size_t left = c->iov[i].iov_len;
		while (left) {
			ssize_t n = getrandom(p, left, GRND_NONBLOCK);
			if (n <= 0)
				return (uint32_t)done;   /* pool not ready: give what we have */
			p += n;
			left -= (size_t)n;
			done += (uint64_t)n;
		}
	}
	return done > UINT32_MAX ? UINT32_MAX : (uint32_t)done;
}

static void rng_queue_notify(struct virtio_device *vdev, int q)
{
	struct virtq *vq = &vdev->vq[q];
	struct virtq_chain *c = malloc(sizeof(*c));
	if (!c)
		return;
	int pushed = 0;
	while (virtq_pop(vdev, vq, c) > 0) {
		virtq_push(vdev, vq, c->head, fill_random(c));
		pushed++;
	}
	if (pushed)
		virtq_notify(vdev, vq);
	free(c);
}

static const struct virtio_device_ops rng_ops = {
	.queue_notify = rng_queue_notify,
};

void virtio_rng_init(struct virtio_rng *rng, struct guest_mem *mem)
{
	virtio_device_init(&rng->vdev, VIRTIO_ID_RNG, "rng", mem, 1, 256, &rng_ops, rng);
}

void virtio_rng_destroy(struct virtio_rng *rng)
{
	virtio_device_destroy(&rng->vdev);
}
