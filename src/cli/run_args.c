/*
 * `popek run` argument parsing and validation (see run_args.h).
 *
 * Options are a table of name -> setter; each setter checks its value and
 * explains a bad one in a single line.  Both "--opt value" and
 * "--opt=value" are accepted.  Defaults for the guest files are resolved
 * after parsing because they depend on whether --kernel was given.
 */
#include "cli/run_args.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "machine/boot.h"

static int usage_error(struct run_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(struct run_args *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->error, sizeof(a->error), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int copy_path(struct run_args *a, char *dst, const char *opt, const char *v)
{
	if (v[0] == '\0')
		return usage_error(a, "run: %s needs a file name", opt);
	if (strlen(v) >= PATH_MAX)
		return usage_error(a, "run: %s: file name too long", opt);
	strcpy(dst, v);
	return 0;
}

static int set_kernel(struct run_args *a, const char *v)
{
	a->default_kernel = false;
	return copy_path(a, a->kernel, "--kernel", v);
}

static int set_initrd(struct run_args *a, const char *v)
{
	a->initrd_given = true;
	if (strcmp(v, "none") == 0) {
		strcpy(a->initrd, "");
		return 0;
	}
	return copy_path(a, a->initrd, "--initrd", v);
}

static int set_bios(struct run_args *a, const char *v)
{
	a->default_bios = false;
	if (strcmp(v, "none") == 0) {
		strcpy(a->bios, "");
		return 0;
	}
	return copy_path(a, a->bios, "--bios", v);
}

static int set_append(struct run_args *a, const char *v)
{
	a->append = v;
	return 0;
}

int run_args_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	unsigned shift = 20;   /* a bare number is MiB */
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	case '\0': break;
	default: return -EINVAL;
	}
	if (strcasecmp(end, "iB") == 0 || strcasecmp(end, "B") == 0)
		end += strlen(end);
	if (*end != '\0' || n > (UINT64_MAX >> shift))
		return -EINVAL;
	*bytes = (uint64_t)n << shift;
	return 0;
}

static uint64_t host_ram(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return UINT64_MAX;   /* cannot tell: let the mmap decide */
	return (uint64_t)si.totalram * si.mem_unit;
}

static int set_mem(struct run_args *a, const char *v)
{
	uint64_t bytes;
	if (run_args_parse_size(v, &bytes))
		return usage_error(a, "run: --mem '%s' is not a size (examples: 256M, 1G)", v);
	if (bytes < RUN_MIN_MEM)
		return usage_error(a, "run: --mem %s is too small (at least 16M)", v);
	if (bytes % 4096)
		return usage_error(a, "run: --mem %s is not a multiple of 4K", v);
	if (bytes > host_ram())
		return usage_error(a, "run: --mem %s is more than the host's %llu MiB of RAM", v,
				   (unsigned long long)(host_ram() >> 20));
	a->mem = bytes;
	return 0;
}

static int set_disk(struct run_args *a, const char *v)
{
	if (a->ndisks == RUN_MAX_DISKS)
		return usage_error(a, "run: at most %d disks", RUN_MAX_DISKS);
	struct run_disk *d = &a->disks[a->ndisks];
	const char *comma = strrchr(v, ',');
	size_t len = strlen(v);
	d->readonly = false;
	if (comma && (strcmp(comma, ",ro") == 0 || strcmp(comma, ",rw") == 0)) {
		d->readonly = comma[2] == 'o';
		len = (size_t)(comma - v);
	}
	if (len == 0)
		return usage_error(a, "run: --disk needs a file name");
	if (len >= PATH_MAX)
		return usage_error(a, "run: --disk: file name too long");
	memcpy(d->path, v, len);
	d->path[len] = '\0';
	a->ndisks++;
	return 0;
}

static int set_net(struct run_args *a, const char *v)
{
	char err[256];
	if (a->nnets == RUN_MAX_NETS)
		return usage_error(a, "run: at most %d --net devices", RUN_MAX_NETS);
	if (net_config_parse(v, &a->nets[a->nnets], err, sizeof(err)) < 0)
		return usage_error(a, "run: %s", err);
	a->nnets++;
	return 0;
}

static int set_console(struct run_args *a, const char *v)
{
	if (strcmp(v, "stdio") == 0)
		a->console = RUN_CONSOLE_STDIO;
	else if (strcmp(v, "none") == 0)
		a->console = RUN_CONSOLE_NONE;
	else
		return usage_error(a, "run: --console must be stdio or none, not '%s'", v);
	return 0;
}

static int set_engine(struct run_args *a, const char *v)
{
	if (strcmp(v, "interp") == 0)
		a->engine = RUN_ENGINE_INTERP;
	else if (strcmp(v, "dbt") == 0)
		a->engine = RUN_ENGINE_DBT;
	else
		return usage_error(a, "run: --engine must be interp or dbt, not '%s'", v);
	return 0;
}

static int set_cpus(struct run_args *a, const char *v)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!isdigit((unsigned char)v[0]) || *end || errno || n < 1 || n > RUN_MAX_CPUS)
		return usage_error(a, "run: --cpus must be a number from 1 to %d, not '%s'",
				   RUN_MAX_CPUS, v);
	a->cpus = (int)n;
	return 0;
}

static int set_api_sock(struct run_args *a, const char *v)
{
	if (v[0] == '\0')
		return usage_error(a, "run: --api-sock needs a socket path");
	a->api_sock = v;
	return 0;
}

static int set_id(struct run_args *a, const char *v)
{
	a->id = v;   /* checked by the API code, which knows the naming rules */
	return 0;
}

static int set_restore(struct run_args *a, const char *v)
{
	if (v[0] == '\0')
		return usage_error(a, "run: --restore needs a snapshot state file");
	a->restore = v;
	return 0;
}

static int set_restore_mem(struct run_args *a, const char *v)
{
	if (v[0] == '\0')
		return usage_error(a, "run: --restore-mem needs a memory file");
	a->restore_mem = v;
	return 0;
}

static const struct {
	const char *name;
	int (*set)(struct run_args *a, const char *value);
} options[] = {
	{ "kernel", set_kernel },   { "initrd", set_initrd },   { "bios", set_bios },
	{ "append", set_append },   { "mem", set_mem },         { "disk", set_disk },
	{ "console", set_console }, { "engine", set_engine },   { "cpus", set_cpus },
	{ "net", set_net },
	{ "api-sock", set_api_sock }, { "id", set_id },
	{ "restore", set_restore }, { "restore-mem", set_restore_mem },
};

/* Handle argv[*i]; consumes its value word too when there is one. */
static int parse_one(int argc, char **argv, int *i, struct run_args *a)
{
	const char *arg = argv[*i];
	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
		a->help = true;
		return 0;
	}
	if (strcmp(arg, "--no-boot") == 0) {
		a->no_boot = true;
		return 0;
	}
	if (strncmp(arg, "--", 2) != 0)
		return usage_error(a, "run: unexpected argument '%s' (see popek run --help)", arg);
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	for (size_t k = 0; k < sizeof(options) / sizeof(options[0]); k++) {
		if (strlen(options[k].name) != len || strncmp(options[k].name, name, len) != 0)
			continue;
		if (eq)
			return options[k].set(a, eq + 1);
		if (*i + 1 >= argc)
			return usage_error(a, "run: option --%s needs a value", options[k].name);
		return options[k].set(a, argv[++*i]);
	}
	return usage_error(a, "run: unknown option '%.*s' (see popek run --help)",
			   (int)(len + 2), arg);
}

static bool is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* dst = dir + suffix; false when it does not fit in PATH_MAX. */
static bool join(char *dst, const char *dir, const char *suffix)
{
	size_t n = strlen(dir), m = strlen(suffix);
	if (n + m >= PATH_MAX)
		return false;
	memcpy(dst, dir, n);
	memcpy(dst + n, suffix, m + 1);
	return true;
}

/* The asset directory: $POPEK_GUEST_DIR, <bindir>/guest, <bindir>/../guest.
 * When none exists the first candidate is kept, so errors name a path. */
static void find_guest_dir(const char *bindir, struct run_args *a)
{
	char self[PATH_MAX], up[PATH_MAX];
	const char *env = getenv("POPEK_GUEST_DIR");
	if (env && env[0] && join(a->guest_dir, env, ""))
		return;
	if (!bindir) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		char *slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		bindir = n > 0 ? self : ".";
	}
	if (!join(a->guest_dir, bindir, "/guest"))
		join(a->guest_dir, ".", "/guest");
	if (!is_dir(a->guest_dir) && join(up, bindir, "/../guest") && is_dir(up))
		strcpy(a->guest_dir, up);
}

static int default_path(struct run_args *a, char *dst, const char *file)
{
	if (!join(dst, a->guest_dir, file))
		return usage_error(a, "run: guest directory name too long");
	return 0;
}

static int apply_defaults(const char *bindir, struct run_args *a)
{
	int ret = 0;
	if (!a->default_kernel && !a->default_bios)
		return 0;
	find_guest_dir(bindir, a);
	if (a->default_kernel) {
		ret = default_path(a, a->kernel, "/Image");
		/* --initrd given alongside the default kernel keeps its value */
		if (!ret && !a->initrd_given)
			ret = default_path(a, a->initrd, "/initramfs.cpio.gz");
	}
	if (!ret && a->default_bios)
		ret = default_path(a, a->bios, "/fw_dynamic.bin");
	return ret;
}

int run_args_parse(int argc, char **argv, const char *bindir, struct run_args *a)
{
	memset(a, 0, sizeof(*a));
	a->append = RUN_DEFAULT_APPEND;
	a->mem = RUN_DEFAULT_MEM;
	a->cpus = 1;
	a->console = RUN_CONSOLE_STDIO;
	a->engine = RUN_ENGINE_INTERP;
	a->default_kernel = a->default_bios = true;
	for (int i = 0; i < argc; i++) {
		int ret = parse_one(argc, argv, &i, a);
		if (ret)
			return ret;
	}
	if (a->help)
		return 0;
	return apply_defaults(bindir, a);
}

/* Open path the way the machine will, to report problems before boot. */
static int check_file(struct run_args *a, const char *what, const char *path,
		      int flags, bool allow_blockdev, bool is_default)
{
	struct stat sb;
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		snprintf(a->error, sizeof(a->error), "cannot open %s '%s': %s%s", what, path,
			 strerror(err), is_default ? " (run `make assets` to build the default guest)" : "");
		return -err;
	}
	int ret = fstat(fd, &sb) < 0 ? -errno : 0;
	close(fd);
	if (ret) {
		snprintf(a->error, sizeof(a->error), "cannot stat %s '%s': %s", what, path, strerror(-ret));
		return ret;
	}
	if (!S_ISREG(sb.st_mode) && !(allow_blockdev && S_ISBLK(sb.st_mode))) {
		snprintf(a->error, sizeof(a->error), "%s '%s' is not a regular file", what, path);
		return -EINVAL;
	}
	return 0;
}

int run_args_validate(struct run_args *a)
{
	int ret = check_file(a, "kernel", a->kernel, O_RDONLY, false, a->default_kernel);
	if (!ret && a->initrd[0])
		ret = check_file(a, "initrd", a->initrd, O_RDONLY, false, a->default_kernel && !a->initrd_given);
	if (!ret && a->bios[0])
		ret = check_file(a, "firmware", a->bios, O_RDONLY, false, a->default_bios);
	for (int i = 0; !ret && i < a->ndisks; i++)
		ret = check_file(a, "disk", a->disks[i].path,
				 a->disks[i].readonly ? O_RDONLY : O_RDWR, true, false);
	return ret;
}

void run_args_usage(FILE *out)
{
	fputs("usage: popek run [options]\n"
	      "Boot a RISC-V (RV64GC) machine; without options, the default guest\n"
	      "(Debian's kernel and a busybox initramfs from build/guest).\n"
	      "  --kernel FILE        Linux Image, or an ELF (bare metal with --bios none)\n"
	      "  --initrd FILE|none   initial ramdisk (default guest's initramfs with the default kernel)\n"
	      "  --append STRING      kernel command line (default \"" RUN_DEFAULT_APPEND "\")\n"
	      "  --mem SIZE           guest RAM, e.g. 256M, 1G (default 256M; bare number = MiB)\n"
	      "  --disk PATH[,ro]     virtio block device backed by PATH (up to 8)\n"
	      "  --bios FILE|none     M-mode firmware (default OpenSBI fw_dynamic.bin)\n"
	      "  --console stdio|none where the serial console goes (default stdio)\n"
	      "  --cpus N             harts, 1 to 8 (default 1)\n"
	      "  --engine interp|dbt  CPU engine (default interp)\n"
	      "  --net user[,hostfwd=tcp:[HOSTADDR]:HOSTPORT-:GUESTPORT]...[,mac=MAC]\n"
	      "                       virtio-net with user-mode NAT (guest 10.0.2.15 by DHCP,\n"
	      "                       host loopback at 10.0.2.2, DNS 10.0.2.3); repeatable\n"
	      "  --net tap,ifname=NAME[,mac=MAC]\n"
	      "                       virtio-net on host tap device NAME (created if absent)\n"
	      "  --api-sock PATH      serve the control API (docs/api.md) on Unix socket PATH\n"
	      "  --id NAME            VM name for popek list/pause/resume/stop (default: PATH's name)\n"
	      "  --no-boot            with --api-sock: wait for PUT /actions InstanceStart\n"
	      "  --restore FILE       resume the machine saved in snapshot state FILE\n"
	      "  --restore-mem FILE   its memory file (default: the one FILE records)\n"
	      "  --help               this text\n", out);
}

void run_args_boot_config(const struct run_args *a, struct boot_config *cfg)
{
	*cfg = (struct boot_config){
		.firmware = a->bios[0] ? a->bios : NULL,
		.kernel = a->kernel,
		.initrd = a->initrd[0] ? a->initrd : NULL,
		.hartid = 0,
	};
}
