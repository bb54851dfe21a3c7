/*
 * Restoring a snapshot (format: snapshot_format.h): read the state file
 * whole, verify it (size, CRC-32, every record's size and values), then
 * rebuild the machine it describes and load RAM, harts and devices into
 * it before any hart runs.
 *
 * Order matters when loading: RAM first (virtio queues are re-validated
 * against it), then harts, then the PLIC before the devices that drive its
 * lines (UART, RTC and virtio re-drive their interrupt lines on load), and
 * the CLINT, which re-drives MSIP/MTIP and sets mtime so the guest's clock
 * continues from the moment of the snapshot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/snapshot.h"
#include "machine/snapshot_format.h"
#include "machine/virt.h"

struct snapshot_image {
	struct snap_header hdr;
	struct snap_machine m;
	struct snap_path mem;
	struct snap_disk disks[VIRT_MAX_DISKS];
	struct net_config nets[VIRT_MAX_NETS];
	struct snap_hart harts[VIRT_MAX_HARTS];
	struct clint_state clint;
	struct plic_state plic;
	struct uart_state uart;
	struct rtc_goldfish_state rtc;
	struct snap_virtio virtio[VIRTIO_MMIO_SLOTS];
	unsigned ndisks, nnets, nharts, nvirtio;
	uint32_t seen;   /* 1 << tag for every record met */
};

static int read_whole(const char *path, uint8_t **data, size_t *len)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int ret = fstat(fd, &sb) < 0 ? -errno : 0;
	if (!ret && (!S_ISREG(sb.st_mode) || sb.st_size > SNAP_MAX_FILE))
		ret = -EFBIG;
	*len = ret ? 0 : (size_t)sb.st_size;
	*data = ret ? NULL : malloc(*len ? *len : 1);
	if (!ret && !*data)
		ret = -ENOMEM;
	if (!ret && *len && pread(fd, *data, *len, 0) != (ssize_t)*len)
		ret = -EIO;
	close(fd);
	return ret;
}

/* Where a record of this tag goes; NULL for an unknown tag or one too many. */
static void *record_slot(struct snapshot_image *img, uint32_t tag, size_t *size)
{
	switch (tag) {
	case SNAP_MACHINE: *size = sizeof(img->m); return &img->m;
	case SNAP_MEMFILE: *size = sizeof(img->mem); return &img->mem;
	case SNAP_CLINT: *size = sizeof(img->clint); return &img->clint;
	case SNAP_PLIC: *size = sizeof(img->plic); return &img->plic;
	case SNAP_UART: *size = sizeof(img->uart); return &img->uart;
	case SNAP_RTC: *size = sizeof(img->rtc); return &img->rtc;
	case SNAP_DISK:
		*size = sizeof(img->disks[0]);
		return img->ndisks < VIRT_MAX_DISKS ? &img->disks[img->ndisks++] : NULL;
	case SNAP_NET:
		*size = sizeof(img->nets[0]);
		return img->nnets < VIRT_MAX_NETS ? &img->nets[img->nnets++] : NULL;
	case SNAP_HART:
		*size = sizeof(img->harts[0]);
		return img->nharts < VIRT_MAX_HARTS ? &img->harts[img->nharts++] : NULL;
	case SNAP_VIRTIO:
		*size = sizeof(img->virtio[0]);
		return img->nvirtio < VIRTIO_MMIO_SLOTS ? &img->virtio[img->nvirtio++] : NULL;
	}
	return NULL;
}

static int parse_records(struct snapshot_image *img, const uint8_t *p, size_t len)
{
	size_t off = sizeof(struct snap_header);
	while (off < len) {
		struct snap_record r;
		size_t size;
		if (len - off < sizeof(r))
			return -EBADMSG;
		memcpy(&r, p + off, sizeof(r));
		off += sizeof(r);
		void *dst = record_slot(img, r.tag, &size);
		bool single = r.tag < SNAP_DISK || (r.tag > SNAP_HART && r.tag < SNAP_VIRTIO);
		if (!dst || r.len != size || len - off < size || (single && (img->seen & (1u << r.tag))))
			return -EBADMSG;
		memcpy(dst, p + off, size);
		img->seen |= 1u << r.tag;
		off += size;
	}
	return 0;
}

static bool strings_terminated(const struct snapshot_image *img)
{
	if (!memchr(img->mem.path, 0, sizeof(img->mem.path)))
		return false;
	for (unsigned i = 0; i < img->ndisks; i++)
		if (!memchr(img->disks[i].path, 0, sizeof(img->disks[i].path)))
			return false;
	for (unsigned i = 0; i < img->nnets; i++)
		if (!memchr(img->nets[i].ifname, 0, sizeof(img->nets[i].ifname)) ||
		    img->nets[i].nfwd < 0 || img->nets[i].nfwd > NET_MAX_HOSTFWD)
			return false;
	return true;
}

/* Every value the machine is rebuilt from, checked against its limits. */
static bool image_consistent(const struct snapshot_image *img)
{
	const struct snap_machine *m = &img->m;
	uint32_t all = (1u << SNAP_MACHINE) | (1u << SNAP_MEMFILE) | (1u << SNAP_HART) |
		       (1u << SNAP_CLINT) | (1u << SNAP_PLIC) | (1u << SNAP_UART) | (1u << SNAP_RTC);
	if ((img->seen & all) != all || m->nharts < 1 || m->nharts > VIRT_MAX_HARTS ||
	    m->nharts != img->nharts || m->ndisks != img->ndisks || m->nnets != img->nnets ||
	    m->nvdevs != img->nvirtio || m->nvdevs > VIRTIO_MMIO_SLOTS)
		return false;
	if (m->mem_size < (16ull << 20) || m->mem_size > (1ull << 40) || (m->mem_size & 4095))
		return false;
	for (unsigned i = 0; i < img->nvirtio; i++)
		if (img->virtio[i].slot != i || img->virtio[i].device_id != m->device_id[i])
			return false;
	for (unsigned h = 0; h < img->nharts; h++) {
		const struct snap_hart *s = &img->harts[h];
		uint64_t satp_mode = s->satp >> 60;   /* bare, Sv39, Sv48: what csr.c accepts */
		if (s->mhartid != h || (s->mode != RV_MODE_U && s->mode != RV_MODE_S &&
					 s->mode != RV_MODE_M) || s->frm > 7 ||
		    (satp_mode != 0 && satp_mode != 8 && satp_mode != 9))
			return false;
	}
	return strings_terminated(img);
}

static int verify(struct snapshot_image *img, const uint8_t *p, size_t len, char *why, size_t n)
{
	uint32_t crc;
	if (len < sizeof(img->hdr) + sizeof(crc)) {
		snprintf(why, n, "truncated");
		return -EBADMSG;
	}
	memcpy(&img->hdr, p, sizeof(img->hdr));
	if (memcmp(img->hdr.magic, SNAP_MAGIC, 8) != 0) {
		snprintf(why, n, "not a popek snapshot");
		return -EINVAL;
	}
	if (img->hdr.version != SNAP_VERSION || img->hdr.header_size != sizeof(img->hdr)) {
		snprintf(why, n, "snapshot format version %u, this popek reads %d",
			 img->hdr.version, SNAP_VERSION);
		return -EINVAL;
	}
	if (img->hdr.file_size != len) {
		snprintf(why, n, "truncated (%zu of %llu bytes)", len,
			 (unsigned long long)img->hdr.file_size);
		return -EBADMSG;
	}
	memcpy(&crc, p + len - sizeof(crc), sizeof(crc));
	if (crc != snapshot_crc32(0, p, len - sizeof(crc))) {
		snprintf(why, n, "checksum mismatch (corrupt file)");
		return -EBADMSG;
	}
	if (parse_records(img, p, len - sizeof(crc)) < 0 || !image_consistent(img)) {
		snprintf(why, n, "malformed records");
		return -EBADMSG;
	}
	return 0;
}

int snapshot_open(const char *state_path, struct snapshot_image **out, char *err, size_t errlen)
{
	uint8_t *data = NULL;
	size_t len = 0;
	char why[160] = "";
	struct snapshot_image *img = calloc(1, sizeof(*img));
	int ret = img ? read_whole(state_path, &data, &len) : -ENOMEM;
	if (ret == 0)
		ret = verify(img, data, len, why, sizeof(why));
	free(data);
	if (ret < 0) {
		snprintf(err, errlen, "snapshot '%s': %s", state_path,
			 why[0] ? why : ret == -EFBIG ? "not a snapshot (not a regular file or too large)"
						       : strerror(-ret));
		free(img);
		return ret;
	}
	*out = img;
	return 0;
}

void snapshot_close(struct snapshot_image *img)
{
	free(img);
}

const char *snapshot_mem_path(const struct snapshot_image *img)
{
	return img->mem.path;
}

void snapshot_machine_config(const struct snapshot_image *img, struct virt_config *cfg)
{
	cfg->mem_size = img->m.mem_size;
	cfg->nharts = (int)img->m.nharts;
	cfg->firmware = cfg->kernel = cfg->initrd = NULL;
	cfg->no_images = true;
	cfg->ndisks = (int)img->ndisks;
	for (unsigned i = 0; i < img->ndisks; i++) {
		cfg->disks[i].path = img->disks[i].path;
		cfg->disks[i].readonly = img->disks[i].readonly != 0;
	}
	cfg->nnets = (int)img->nnets;
	for (unsigned i = 0; i < img->nnets; i++)
		cfg->nets[i] = img->nets[i];
}

static void load_hart(struct rv_cpu *c, const struct snap_hart *s)
{
	struct rv_priv *p = &c->priv;
	memcpy(c->x, s->x, sizeof(c->x));
	c->x[0] = 0;
	memcpy(c->f, s->f, sizeof(c->f));
	c->pc = s->pc, c->fflags = s->fflags & 0x1f, c->frm = s->frm;
	c->res_addr = s->res_addr, c->res_value = s->res_value, c->res_valid = s->res_valid != 0;
	c->instret = s->instret, p->mode = (int)s->mode;
	p->mstatus = s->mstatus, p->misa = s->misa;
	p->medeleg = s->medeleg, p->mideleg = s->mideleg, p->mie = s->mie;
	p->mip_sw = s->mip_sw;
	__atomic_store_n(&p->mip_hw, s->mip_hw, __ATOMIC_RELEASE);   /* devices re-drive it */
	p->mtvec = s->mtvec, p->mscratch = s->mscratch, p->mepc = s->mepc;
	p->mcause = s->mcause, p->mtval = s->mtval;
	p->mcounteren = s->mcounteren, p->mcountinhibit = s->mcountinhibit, p->menvcfg = s->menvcfg;
	p->stvec = s->stvec, p->sscratch = s->sscratch, p->sepc = s->sepc;
	p->scause = s->scause, p->stval = s->stval, p->satp = s->satp;
	p->scounteren = s->scounteren, p->senvcfg = s->senvcfg, p->stimecmp = s->stimecmp;
	memcpy(p->pmpcfg, s->pmpcfg, sizeof(p->pmpcfg));
	memcpy(p->pmpaddr, s->pmpaddr, sizeof(p->pmpaddr));
	p->mcycle_base = s->mcycle_base, p->minstret_base = s->minstret_base;
	rv_tlb_flush(c);
}

/* Host input that reached the new UART before its state was loaded (the
 * console starts with the machine) is queued again behind the saved one. */
static int load_uart(struct virt_machine *vm, const struct uart_state *saved)
{
	struct uart_state *early = malloc(sizeof(*early));
	if (!early)
		return -ENOMEM;
	uart_save(&vm->uart, early);
	int ret = uart_load(&vm->uart, saved);
	for (uint32_t i = 0; ret == 0 && i < early->host_count; i++) {
		uint8_t byte = early->host[(early->host_head + i) % UART_HOST_QUEUE];
		uart_receive(&vm->uart, &byte, 1);
	}
	free(early);
	return ret;
}

static int load_virtio(struct virt_machine *vm, const struct snapshot_image *img)
{
	if (vm->nvdevs != (int)img->nvirtio)
		return -EINVAL;
	for (int i = 0; i < vm->nvdevs; i++) {
		const struct snap_virtio *v = &img->virtio[i];
		struct virtio_device *d = vm->vdevs[i];
		if (d->device_id != v->device_id)
			return -EINVAL;
		for (int q = 0; q < VIRTIO_MAX_QUEUES; q++)
			if (q < d->nqueues ? v->st.dev.vq[q].num > d->vq[q].num_max : v->st.dev.vq[q].num)
				return -EINVAL;
		int ret = virtio_mmio_load(&vm->mmio[i], &v->st);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int load_devices(struct virt_machine *vm, const struct snapshot_image *img)
{
	int ret = plic_load(&vm->plic, &img->plic);
	if (ret == 0)
		ret = load_uart(vm, &img->uart);
	if (ret == 0) {
		rtc_goldfish_load(&vm->rtc, &img->rtc);
		ret = load_virtio(vm, img);
	}
	return ret ? ret : clint_load(&vm->clint, &img->clint);
}

int snapshot_restore(struct virt_machine *vm, const struct snapshot_image *img,
		     const char *mem_path, char *err, size_t errlen)
{
	if (vm->cfg.mem_size != img->m.mem_size || vm->cfg.nharts != (int)img->m.nharts) {
		snprintf(err, errlen, "the machine does not match the snapshot");
		return -EINVAL;
	}
	int ret = snapshot_ram_load(&vm->mem, mem_path ? mem_path : img->mem.path, img->hdr.id,
				    err, errlen);
	if (ret < 0)
		return ret;
	for (int h = 0; h < vm->cfg.nharts; h++)
		load_hart(&vm->harts[h].cpu, &img->harts[h]);
	ret = load_devices(vm, img);
	if (ret < 0)
		snprintf(err, errlen, "snapshot device state does not fit this machine");
	return ret;
}

int snapshot_build_machine(struct virt_machine *vm, const struct virt_config *cfg,
			   const char *state_path, const char *mem_path, char *err, size_t errlen)
{
	struct snapshot_image *img;
	int ret = snapshot_open(state_path, &img, err, errlen);
	if (ret < 0)
		return ret;
	/* The machine keeps pointers to its disk paths for its whole life
	 * (a later snapshot records them); a process runs one machine. */
	static struct snap_disk disks[VIRT_MAX_DISKS];
	struct virt_config vc = *cfg;
	memcpy(disks, img->disks, sizeof(disks));
	snapshot_machine_config(img, &vc);
	for (int i = 0; i < vc.ndisks; i++)
		vc.disks[i].path = disks[i].path;
	ret = virt_create(vm, &vc, err, errlen);
	if (ret == 0)
		ret = snapshot_restore(vm, img, mem_path, err, errlen);
	if (ret < 0)
		virt_destroy(vm);
	snapshot_close(img);
	return ret;
}

void snapshot_start_paused(struct virt_machine *vm)
{
	struct virt_control *c = &vm->ctl;
	pthread_mutex_lock(&c->lock);
	/* The harts park at their first pause point, as after virt_pause(). */
	__atomic_store_n(&c->pause_req, 1, __ATOMIC_RELEASE);
	clint_pause(&vm->clint);
	c->state = VIRT_STATE_PAUSED;
	pthread_mutex_unlock(&c->lock);
}
