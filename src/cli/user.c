/*
 * `popek user [-L SYSROOT] [--strace] [-0 ARGV0] [--engine interp|dbt] [--]
 *  PROGRAM [ARGS...]`:
 * set up the process VM (window, signals, fault handler), load PROGRAM
 * (following #! lines), build the initial stack and run the first thread on
 * this host thread.  Every problem with the input is one `popek: ...` line
 * on stderr and exit status 1 (2 for usage errors); once the guest runs,
 * the exit status is the guest's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "rv64/dbt/dbt.h"
#include "user/uproc_priv.h"

#define DEFAULT_SYSROOT "/usr/riscv64-linux-gnu"
#define MAX_SHEBANG_DEPTH 4

extern char **environ;

struct user_opts {
	const char *sysroot;
	const char *argv0;
	bool strace;
	int prog;          /* index of PROGRAM in argv */
};

static void user_usage(FILE *f)
{
	fprintf(f, "usage: popek user [-L SYSROOT] [--strace] [-0 ARGV0] [--] PROGRAM [ARGS...]\n"
		   "  -L SYSROOT  where PT_INTERP and absolute library paths resolve\n"
		   "              (default " DEFAULT_SYSROOT " when present)\n"
		   "  --strace    print every system call on stderr\n"
		   "  -0 ARGV0    argv[0] for the program (default: PROGRAM)\n"
		   "  --engine interp|dbt  execution engine: interpreter or binary\n"
		   "              translator (default: $POPEK_ENGINE, else dbt)\n");
}

/* Returns -1 to continue, else an exit status. */
static int parse_opts(int argc, char **argv, struct user_opts *o)
{
	int i = 1;
	/* The environment gives the default, so that programs the guest
	 * executes (popek re-executes itself) keep the engine. */
	const char *engine = getenv("POPEK_ENGINE");
	if (engine && engine[0] && rv_user_engine_select(engine)) {
		fprintf(stderr, "popek: POPEK_ENGINE must be interp or dbt, not '%s'\n", engine);
		return 2;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "-L") || !strcmp(a, "-0")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "popek: user: %s needs an argument\n", a);
				return 2;
			}
			*(a[1] == 'L' ? &o->sysroot : &o->argv0) = argv[++i];
		} else if (!strcmp(a, "--engine")) {
			if (i + 1 >= argc || rv_user_engine_select(argv[i + 1])) {
				fprintf(stderr, "popek: user: --engine must be interp or dbt\n");
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--strace")) {
			o->strace = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			user_usage(stdout);
			return 0;
		} else if (a[0] == '-') {
			fprintf(stderr, "popek: user: unknown option '%s'\n", a);
			return 2;
		} else {
			break;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "popek: user: missing PROGRAM (try popek user --help)\n");
		return 2;
	}
	o->prog = i;
	return -1;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int init_proc(struct uproc *p, const struct user_opts *o)
{
	pthread_mutex_init(&p->mm_lock, NULL);
	pthread_mutex_init(&p->threads_lock, NULL);
	pthread_mutex_init(&p->sig_lock, NULL);
	p->strace = o->strace;
	if (o->sysroot)
		snprintf(p->sysroot, sizeof(p->sysroot), "%s", o->sysroot);
	else if (is_dir(DEFAULT_SYSROOT))
		snprintf(p->sysroot, sizeof(p->sysroot), "%s", DEFAULT_SYSROOT);
	if (p->sysroot[0] && !is_dir(p->sysroot)) {
		fprintf(stderr, "popek: sysroot %s is not a directory\n", p->sysroot);
		return 1;
	}
	/* Absolute, so that lookups still work after the guest changes
	 * directory. */
	char abs[PATH_MAX];
	if (p->sysroot[0] && realpath(p->sysroot, abs))
		snprintf(p->sysroot, sizeof(p->sysroot), "%s", abs);
	if (!strcmp(p->sysroot, "/"))
		p->sysroot[0] = 0;   /* "/" + "/lib/x" would be "//lib/x": same thing */
	ssize_t n = readlink("/proc/self/exe", p->popek_path, sizeof(p->popek_path) - 1);
	if (n <= 0) {
		fprintf(stderr, "popek: cannot find my own binary: %s\n", strerror(errno));
		return 1;
	}
	p->popek_path[n] = 0;
	return -1;
}

/* Follow #! lines: argv becomes [interp, (arg), script, args...] and
 * *path the interpreter, like Linux's binfmt_script. */
static int follow_shebangs(struct uproc *p, char **path, char ***argv, int *argc)
{
	static char interps[MAX_SHEBANG_DEPTH][PATH_MAX], args[MAX_SHEBANG_DEPTH][256];
	static char resolved[MAX_SHEBANG_DEPTH][PATH_MAX];
	for (int depth = 0;; depth++) {
		int r = elf_read_shebang(*path, interps[depth % MAX_SHEBANG_DEPTH], PATH_MAX,
					 args[depth % MAX_SHEBANG_DEPTH], 256);
		if (r < 0) {
			fprintf(stderr, "popek: %s: %s\n", *path, r == -ENOEXEC ? "bad #! line" : strerror(-r));
			return 1;
		}
		if (r == 0)
			return -1;
		if (depth >= MAX_SHEBANG_DEPTH) {
			fprintf(stderr, "popek: %s: too many levels of #! interpreters\n", *path);
			return 1;
		}
		char *interp = interps[depth], *arg = args[depth];
		static char **vectors[MAX_SHEBANG_DEPTH];   /* live until exec or exit */
		char **nv = vectors[depth] = calloc((size_t)*argc + 3, sizeof(char *));
		if (!nv) {
			fprintf(stderr, "popek: out of memory\n");
			return 1;
		}
		int n = 0;
		nv[n++] = interp;
		if (arg[0])
			nv[n++] = arg;
		nv[n++] = *path;
		for (int i = 1; i < *argc; i++)
			nv[n++] = (*argv)[i];
		*argv = nv;
		*argc = n;
		elf_resolve(p, interp, resolved[depth], PATH_MAX);
		*path = resolved[depth];
	}
}

/* execfn: the name the program was started by (AT_EXECFN), which for a
 * #! script is the script, not its interpreter. */
static int start_guest(struct uproc *p, char *path, const char *execfn, int argc, char **argv)
{
	char err[PATH_MAX + 256];
	struct uproc_image img;
	if (!realpath(path, p->exe_path))
		snprintf(p->exe_path, sizeof(p->exe_path), "%s", path);
	syscall_init();
	int r = fault_install();
	if (!r)
		r = uproc_window_init(p);
	if (r) {
		fprintf(stderr, "popek: cannot reserve the guest address space: %s\n", strerror(-r));
		return 1;
	}
	uproc_current = p;
	if ((r = stack_map(p)) || (r = usig_init(p))) {
		fprintf(stderr, "popek: cannot set up the guest: %s\n", strerror(-r));
		return 1;
	}
	if (elf_load_program(p, path, &img, err, sizeof(err))) {
		fprintf(stderr, "popek: %s\n", err);
		return 1;
	}
	p->brk_start = p->brk_cur = UPROC_PAGE_UP(img.end);
	uint64_t sp;
	if (stack_build(p, &img, argc, argv, environ, execfn, &sp, err, sizeof(err))) {
		fprintf(stderr, "popek: %s\n", err);
		return 1;
	}
	struct uthread *t = uthread_alloc(p);
	if (!t) {
		fprintf(stderr, "popek: out of memory\n");
		return 1;
	}
	t->tid = getpid();
	t->cpu.pc = img.start_pc;
	t->cpu.x[2] = sp;
	uthread_link(p, t);
	fault_thread_init(t);
	usig_thread_start(t);
	uthread_run(t);
	/* The leader left with exit() while other threads run on; they end
	 * the process (uthread_exit) when the last one leaves. */
	pthread_exit(NULL);
}

int cli_user(int argc, char **argv)
{
	struct user_opts o = { 0 };
	int r = parse_opts(argc, argv, &o);
	if (r >= 0)
		return r;
	/* One guest process per host process: static, so early error exits
	 * leave nothing behind. */
	static struct uproc proc;
	struct uproc *p = &proc;
	if ((r = init_proc(p, &o)) >= 0)
		return r;
	char *path = argv[o.prog];
	int gargc = argc - o.prog;
	char **gargv = &argv[o.prog];
	if (o.argv0)
		gargv[0] = (char *)o.argv0;
	if (access(path, F_OK)) {
		fprintf(stderr, "popek: %s: %s\n", path, strerror(errno));
		return 1;
	}
	const char *execfn = path;
	if ((r = follow_shebangs(p, &path, &gargv, &gargc)) >= 0)
		return r;
	return start_guest(p, path, execfn, gargc, gargv);
}
