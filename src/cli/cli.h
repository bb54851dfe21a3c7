/*
 * Subcommands of the popek binary.  main.c only dispatches; each
 * subcommand parses its own arguments and returns the process exit status.
 */
#ifndef POPEK_CLI_CLI_H
#define POPEK_CLI_CLI_H

#define POPEK_VERSION "0.1.0"

/* popek user [-L SYSROOT] [--strace] [-0 ARGV0] PROGRAM [ARGS...] */
int cli_user(int argc, char **argv);
/* popek run ...: the full-system machine. */
int cli_run(int argc, char **argv);
/* popek list | pause|resume|stop NAME | snapshot NAME PATH (argv[0] is the command word). */
int cli_ctl(int argc, char **argv);

#endif
