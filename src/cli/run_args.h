/*
 * Arguments of `popek run` (the full-system machine): parsing, defaults and
 * validation, all before any guest starts, so every mistake is one line on
 * stderr and a non-zero exit instead of a half-built machine.
 *
 *   popek run [--kernel F] [--initrd F|none] [--append S] [--mem SIZE]
 *             [--disk PATH[,ro]]... [--bios F|none] [--console stdio|none]
 *             [--cpus N] [--engine interp|dbt] [--net user|tap,...]...
 *             [--api-sock PATH [--id NAME] [--no-boot]]   (control API, docs/api.md)
 *             [--restore STATEFILE [--restore-mem FILE]]  (snapshots, docs/api.md)
 *
 * Without --kernel the default guest is used: Image, initramfs.cpio.gz and
 * fw_dynamic.bin from the guest asset directory ($POPEK_GUEST_DIR, else
 * <bindir>/guest or <bindir>/../guest next to the popek binary).  --initrd
 * defaults only together with the kernel; --bios defaults to the OpenSBI
 * fw_dynamic.bin of the asset directory.
 *
 * Caller pattern (src/cli/run.c):
 *   ret = run_args_parse(argc, argv, NULL, &a);    -> exit 2 on error
 *   if (a.help) { run_args_usage(stdout); exit 0 }
 *   ret = run_args_validate(&a);                   -> exit 1 on error
 * and errors are printed as "popek: <a.error>".
 */
#ifndef POPEK_CLI_RUN_ARGS_H
#define POPEK_CLI_RUN_ARGS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "backends/net_config.h"

#define RUN_MAX_DISKS   8
#define RUN_MAX_CPUS    8
#define RUN_MAX_NETS    4
#define RUN_MIN_MEM     (16ull << 20)
#define RUN_DEFAULT_MEM (256ull << 20)
#define RUN_DEFAULT_APPEND "console=ttyS0"

enum run_console { RUN_CONSOLE_STDIO, RUN_CONSOLE_NONE };
enum run_engine { RUN_ENGINE_INTERP, RUN_ENGINE_DBT };

struct run_disk {
	char path[PATH_MAX];
	bool readonly;
};

struct run_args {
	char kernel[PATH_MAX];
	char initrd[PATH_MAX];     /* "" when none */
	char bios[PATH_MAX];       /* "" for --bios none */
	const char *append;        /* points into argv (or a constant) */
	uint64_t mem;              /* bytes, a multiple of 4 KiB */
	struct run_disk disks[RUN_MAX_DISKS];
	int ndisks;
	struct net_config nets[RUN_MAX_NETS];   /* --net, in order */
	int nnets;
	enum run_console console;
	enum run_engine engine;
	int cpus;
	bool help;
	const char *api_sock;      /* --api-sock: control API socket (NULL: none) */
	const char *id;            /* --id: VM name for popek list (NULL: from the socket) */
	bool no_boot;              /* --no-boot: wait for InstanceStart on the API */
	const char *restore;       /* --restore: snapshot state file (NULL: boot) */
	const char *restore_mem;   /* --restore-mem: memory file (NULL: the recorded one) */

	bool default_kernel;       /* kernel/initrd/bios came from the asset dir */
	bool default_bios;
	bool initrd_given;         /* --initrd appeared (even as "none") */
	char guest_dir[PATH_MAX];  /* asset directory the defaults came from */
	char error[PATH_MAX + 128];
};

/* Parse argv (the words after "run"; argv[0] is the first option).  bindir
 * is where to look for the default guest; NULL means next to the running
 * binary.  Returns 0 or -EINVAL (bad usage, message in a->error). */
int run_args_parse(int argc, char **argv, const char *bindir, struct run_args *a);

/* Check that every file named exists and can be opened as needed (disks
 * read-write unless ,ro).  Returns 0 or -errno with a->error set. */
int run_args_validate(struct run_args *a);

/* Parse a memory size: a number with an optional K, M, G or T suffix
 * (optionally followed by "iB" or "B"), binary units; a bare number means
 * MiB, as with QEMU's -m.  Returns 0 or -EINVAL. */
int run_args_parse_size(const char *s, uint64_t *bytes);

void run_args_usage(FILE *out);

/* The boot loader's inputs (src/machine/boot.h) from validated arguments;
 * the strings stay owned by a. */
struct boot_config;
void run_args_boot_config(const struct run_args *a, struct boot_config *cfg);

#endif
