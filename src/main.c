/*
 * popek: command dispatch.  `popek user` runs one riscv64 Linux program in
 * the user-mode process VM, `popek run` boots the full-system machine.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: popek user [-L SYSROOT] [--strace] [-0 ARGV0] PROGRAM [ARGS...]\n"
		"       popek run [--kernel F] [--initrd F] [--append S] [--mem SIZE] [--disk PATH[,ro]]...\n"
		"                 [--bios F|none] [--console stdio|none]\n"
		"       popek list | popek pause|resume|stop NAME | popek snapshot NAME PATH\n"
		"       popek --help | --version\n"
		"\n"
		"  user  run a riscv64 Linux program (static or dynamic) on this host\n"
		"  run   boot a RV64GC virtual machine\n"
		"  list, pause, resume, stop   control VMs started with run --api-sock\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "user"))
		return cli_user(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return cli_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "list") || !strcmp(cmd, "pause") || !strcmp(cmd, "resume") ||
	    !strcmp(cmd, "stop") || !strcmp(cmd, "snapshot"))
		return cli_ctl(argc - 1, argv + 1);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("popek %s\n", POPEK_VERSION);
		return 0;
	}
	fprintf(stderr, "popek: unknown command '%s' (try popek --help)\n", cmd);
	return 2;
}
