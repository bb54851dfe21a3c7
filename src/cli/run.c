/*
 * `popek run`: boot the full-system machine.  Arguments are parsed and
 * every named file checked before anything is built (run_args.c), so a
 * mistake costs one line on stderr and no guest state.
 *
 * Exit status: the guest's power-off is 0, a reboot request is
 * VIRT_EXIT_REBOOT (3), a guest-reported failure its code, usage errors 2,
 * anything else that stops the machine 1 (with a one-line reason).
 */
#include <stdio.h>
#include <string.h>

#include "api/run_api.h"
#include "cli/cli.h"
#include "cli/run_args.h"
#include "machine/snapshot.h"
#include "machine/virt.h"

static void machine_config(const struct run_args *a, struct virt_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mem_size = a->mem;
	c->nharts = a->cpus;
	c->firmware = a->bios[0] ? a->bios : NULL;
	c->kernel = a->kernel;
	c->initrd = a->initrd[0] ? a->initrd : NULL;
	c->append = a->append;
	c->console_stdio = a->console == RUN_CONSOLE_STDIO;
	for (int i = 0; i < a->ndisks; i++) {
		c->disks[i].path = a->disks[i].path;
		c->disks[i].readonly = a->disks[i].readonly;
	}
	c->ndisks = a->ndisks;
	for (int i = 0; i < a->nnets; i++)
		c->nets[i] = a->nets[i];
	c->nnets = a->nnets;
}

/* --restore without the API: rebuild the saved machine and resume it. */
static int run_restored(const struct run_args *a)
{
	static struct virt_machine vm;
	struct virt_config cfg;
	char err[512];
	machine_config(a, &cfg);
	if (snapshot_build_machine(&vm, &cfg, a->restore, a->restore_mem, err, sizeof(err)) < 0) {
		fprintf(stderr, "popek: %s\n", err);
		return 1;
	}
	int code = virt_run(&vm);
	virt_destroy(&vm);
	return code;
}

int cli_run(int argc, char **argv)
{
	static struct run_args a;
	static struct virt_machine vm;
	if (run_args_parse(argc - 1, argv + 1, NULL, &a) < 0) {
		fprintf(stderr, "popek: %s\n", a.error);
		return 2;
	}
	if (a.help) {
		run_args_usage(stdout);
		return 0;
	}
	if (a.restore_mem && !a.restore) {
		fprintf(stderr, "popek: run: --restore-mem needs --restore\n");
		return 2;
	}
	if (a.restore && a.no_boot) {
		fprintf(stderr, "popek: run: --restore and --no-boot exclude each other "
			"(a --no-boot VM restores with PUT /snapshot/load)\n");
		return 2;
	}
	if (a.api_sock) {
		struct virt_config base;   /* what the API does not configure comes from here */
		machine_config(&a, &base);
		return api_run_machine(&a, &base);
	}
	if (a.no_boot) {
		fprintf(stderr, "popek: run: --no-boot needs --api-sock\n");
		return 2;
	}
	if (a.restore)
		return run_restored(&a);
	if (run_args_validate(&a) < 0) {
		fprintf(stderr, "popek: %s\n", a.error);
		return 1;
	}
	struct virt_config cfg;
	char err[512];
	machine_config(&a, &cfg);
	if (virt_create(&vm, &cfg, err, sizeof(err)) < 0) {
		virt_destroy(&vm);
		fprintf(stderr, "popek: %s\n", err);
		return 1;
	}
	int code = virt_run(&vm);
	virt_destroy(&vm);
	return code;
}
