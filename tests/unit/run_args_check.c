/*
 * Test driver for src/cli/run_args.c: behaves like the front of `popek run`
 * (same messages, same exit codes: 2 bad usage, 1 unusable file, 0 ok) and
 * on success prints the parsed arguments as key=value lines, so
 * tests/test_run_args.py can check defaults and parsing without a machine.
 *
 * Usage: run_args_check [--bindir DIR] RUN-ARGS...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run_args.h"
#include "machine/boot.h"

static void print_args(const struct run_args *a)
{
	printf("kernel=%s\ninitrd=%s\nbios=%s\nappend=%s\nmem=%llu\n", a->kernel, a->initrd,
	       a->bios, a->append, (unsigned long long)a->mem);
	printf("cpus=%d\nconsole=%s\nengine=%s\nndisks=%d\n", a->cpus,
	       a->console == RUN_CONSOLE_STDIO ? "stdio" : "none",
	       a->engine == RUN_ENGINE_DBT ? "dbt" : "interp", a->ndisks);
	for (int i = 0; i < a->ndisks; i++)
		printf("disk%d=%s%s\n", i, a->disks[i].path, a->disks[i].readonly ? ",ro" : "");
	struct boot_config cfg;
	run_args_boot_config(a, &cfg);
	printf("boot.firmware=%s\nboot.kernel=%s\nboot.initrd=%s\n",
	       cfg.firmware ? cfg.firmware : "(none)", cfg.kernel, cfg.initrd ? cfg.initrd : "(none)");
}

int main(int argc, char **argv)
{
	static struct run_args a;
	const char *bindir = NULL;
	int first = 1;
	if (argc > 2 && strcmp(argv[1], "--bindir") == 0) {
		bindir = argv[2];
		first = 3;
	}
	if (run_args_parse(argc - first, argv + first, bindir, &a)) {
		fprintf(stderr, "popek: %s\n", a.error);
		return 2;
	}
	if (a.help) {
		run_args_usage(stdout);
		return 0;
	}
	if (run_args_validate(&a)) {
		fprintf(stderr, "popek: %s\n", a.error);
		return 1;
	}
	print_args(&a);
	return 0;
}
