/*
 * Taking a snapshot of the full-system machine (format: snapshot_format.h,
 * memory file: snapshot_ram.c).
 *
 * The machine must be paused: harts are parked at block boundaries and the
 * CLINT clock is frozen, so hart state and mtime stand still.  The one
 * thing that still moves is the network loop thread, which may copy a
 * received frame into guest RAM at any time; every virtio device's lock is
 * therefore held from the first device state saved until RAM is on disk,
 * so queue indices and ring contents agree.  The memory file is written
 * first and the state file last: a state file on disk names a complete
 * memory file.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "machine/snapshot.h"
#include "machine/snapshot_format.h"
#include "machine/virt.h"

/* A growing buffer for the state file; the first failure sticks. */
struct snap_buf {
	uint8_t *p;
	size_t len, cap;
	int error;
};

static void buf_put(struct snap_buf *b, const void *src, size_t len)
{
	if (b->error)
		return;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64 * 1024;
		while (cap < b->len + len)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			b->error = -ENOMEM;
			return;
		}
		b->p = p, b->cap = cap;
	}
	memcpy(b->p + b->len, src, len);
	b->len += len;
}

static void put_record(struct snap_buf *b, uint32_t tag, const void *payload, size_t len)
{
	struct snap_record r = { .tag = tag, .len = (uint32_t)len };
	buf_put(b, &r, sizeof(r));
	buf_put(b, payload, len);
}

static void save_hart(const struct rv_cpu *c, struct snap_hart *s)
{
	const struct rv_priv *p = &c->priv;
	memset(s, 0, sizeof(*s));
	memcpy(s->x, c->x, sizeof(s->x));
	memcpy(s->f, c->f, sizeof(s->f));
	s->pc = c->pc, s->fflags = c->fflags, s->frm = c->frm;
	s->res_addr = c->res_addr, s->res_value = c->res_value, s->res_valid = c->res_valid;
	s->instret = c->instret, s->mode = (uint32_t)p->mode;
	s->mhartid = p->mhartid, s->mstatus = p->mstatus, s->misa = p->misa;
	s->medeleg = p->medeleg, s->mideleg = p->mideleg, s->mie = p->mie;
	s->mip_sw = p->mip_sw, s->mip_hw = __atomic_load_n(&p->mip_hw, __ATOMIC_ACQUIRE);
	s->mtvec = p->mtvec, s->mscratch = p->mscratch, s->mepc = p->mepc;
	s->mcause = p->mcause, s->mtval = p->mtval;
	s->mcounteren = p->mcounteren, s->mcountinhibit = p->mcountinhibit, s->menvcfg = p->menvcfg;
	s->stvec = p->stvec, s->sscratch = p->sscratch, s->sepc = p->sepc;
	s->scause = p->scause, s->stval = p->stval, s->satp = p->satp;
	s->scounteren = p->scounteren, s->senvcfg = p->senvcfg, s->stimecmp = p->stimecmp;
	memcpy(s->pmpcfg, p->pmpcfg, sizeof(s->pmpcfg));
	memcpy(s->pmpaddr, p->pmpaddr, sizeof(s->pmpaddr));
	s->mcycle_base = p->mcycle_base, s->minstret_base = p->minstret_base;
}

/* An absolute path when it can be had, so a restore works from any cwd. */
static void put_path(struct snap_buf *b, uint32_t tag, const char *path, bool readonly)
{
	char abs[PATH_MAX];
	const char *use = realpath(path, abs) ? abs : path;
	if (tag == SNAP_DISK) {
		struct snap_disk d = { .readonly = readonly };
		snprintf(d.path, sizeof(d.path), "%s", use);
		put_record(b, tag, &d, sizeof(d));
	} else {
		struct snap_path p = { .path = "" };
		snprintf(p.path, sizeof(p.path), "%s", use);
		put_record(b, tag, &p, sizeof(p));
	}
}

static void save_config(struct virt_machine *vm, struct snap_buf *b, const char *mem_path)
{
	struct snap_machine m = {
		.mem_size = vm->cfg.mem_size, .nharts = (uint32_t)vm->cfg.nharts,
		.ndisks = (uint32_t)vm->cfg.ndisks, .nnets = (uint32_t)vm->cfg.nnets,
		.nvdevs = (uint32_t)vm->nvdevs,
	};
	for (int i = 0; i < vm->nvdevs; i++)
		m.device_id[i] = vm->vdevs[i]->device_id;
	put_record(b, SNAP_MACHINE, &m, sizeof(m));
	put_path(b, SNAP_MEMFILE, mem_path, false);
	for (int i = 0; i < vm->cfg.ndisks; i++)
		put_path(b, SNAP_DISK, vm->cfg.disks[i].path, vm->cfg.disks[i].readonly);
	for (int i = 0; i < vm->cfg.nnets; i++)
		put_record(b, SNAP_NET, &vm->cfg.nets[i], sizeof(vm->cfg.nets[i]));
}

/* Called with every virtio device lock held (virtio_mmio_save would take
 * it again), so the transport registers are copied here. */
static void save_virtio(struct virt_machine *vm, struct snap_buf *b)
{
	for (int i = 0; i < vm->nvdevs; i++) {
		struct virtio_mmio *m = &vm->mmio[i];
		struct snap_virtio *v = calloc(1, sizeof(*v));
		if (!v) {
			b->error = -ENOMEM;
			return;
		}
		v->slot = (uint32_t)i, v->device_id = m->vdev->device_id;
		v->st.device_features_sel = m->device_features_sel;
		v->st.driver_features_sel = m->driver_features_sel;
		v->st.queue_sel = m->queue_sel;
		virtio_device_save(m->vdev, &v->st.dev);
		put_record(b, SNAP_VIRTIO, v, sizeof(*v));
		free(v);
	}
}

static void save_state(struct virt_machine *vm, struct snap_buf *b)
{
	struct snap_hart hs;
	for (int h = 0; h < vm->cfg.nharts; h++) {
		save_hart(&vm->harts[h].cpu, &hs);
		put_record(b, SNAP_HART, &hs, sizeof(hs));
	}
	struct clint_state cs;
	struct plic_state ps;
	struct rtc_goldfish_state rs;
	struct uart_state *us = malloc(sizeof(*us));
	if (!us) {
		b->error = -ENOMEM;
		return;
	}
	clint_save(&vm->clint, &cs);
	put_record(b, SNAP_CLINT, &cs, sizeof(cs));
	plic_save(&vm->plic, &ps);
	put_record(b, SNAP_PLIC, &ps, sizeof(ps));
	uart_save(&vm->uart, us);
	put_record(b, SNAP_UART, us, sizeof(*us));
	free(us);
	rtc_goldfish_save(&vm->rtc, &rs);
	put_record(b, SNAP_RTC, &rs, sizeof(rs));
	save_virtio(vm, b);
}

static void lock_virtio(struct virt_machine *vm, bool lock)
{
	for (int i = 0; i < vm->nvdevs; i++) {
		if (lock)
			pthread_mutex_lock(&vm->vdevs[i]->lock);
		else
			pthread_mutex_unlock(&vm->vdevs[vm->nvdevs - 1 - i]->lock);
	}
}

static uint64_t new_id(void)
{
	uint64_t id;
	if (getrandom(&id, sizeof(id), 0) == (ssize_t)sizeof(id))
		return id;
	return (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
}

static int write_file(const char *path, const struct snap_buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int ret = snap_write_all(fd, b->p, b->len);
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void finish(struct snap_buf *b)
{
	struct snap_header *h = (struct snap_header *)b->p;
	uint32_t crc;
	h->file_size = b->len + sizeof(crc);
	crc = snapshot_crc32(0, b->p, b->len);
	buf_put(b, &crc, sizeof(crc));
}

int snapshot_create(struct virt_machine *vm, const char *state_path, const char *mem_path,
		    char *err, size_t errlen)
{
	if (virt_state(vm) != VIRT_STATE_PAUSED) {
		snprintf(err, errlen, "the machine must be paused to take a snapshot");
		return -EINVAL;
	}
	if (strlen(state_path) >= PATH_MAX || strlen(mem_path) >= PATH_MAX) {
		snprintf(err, errlen, "snapshot file name too long");
		return -ENAMETOOLONG;
	}
	struct snap_buf b = { 0 };
	struct snap_header h = { .magic = SNAP_MAGIC, .version = SNAP_VERSION,
				 .header_size = sizeof(h), .id = new_id() };
	buf_put(&b, &h, sizeof(h));
	lock_virtio(vm, true);
	save_state(vm, &b);
	int ret = b.error;
	if (ret == 0)
		ret = snapshot_ram_save(&vm->mem, mem_path, h.id, err, errlen);
	lock_virtio(vm, false);
	if (ret == 0) {
		save_config(vm, &b, mem_path);   /* after the memory file exists: realpath */
		finish(&b);
		ret = b.error ? b.error : write_file(state_path, &b);
		if (ret < 0)
			snprintf(err, errlen, "cannot write state file '%s': %s", state_path, strerror(-ret));
	} else if (b.error) {
		snprintf(err, errlen, "out of memory");
	}
	free(b.p);
	return ret;
}
/* ---- CRC-32 (reflected polynomial 0xEDB88320), table built on first use ---- */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t snapshot_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
