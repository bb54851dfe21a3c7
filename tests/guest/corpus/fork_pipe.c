/*
 * Processes: fork, pipes larger than the pipe buffer, exit statuses and
 * termination signals seen through waitpid, execve and posix_spawn of this
 * same program (argv[0]) in a child mode, dup2 onto stdout.  Children never
 * write to our stdout directly: everything they say comes back through a
 * pipe and is printed by the parent, so the output order is deterministic.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void show_status(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", what, WTERMSIG(status));
	else
		printf("%s: status %#x\n", what, status);
}

/* Read everything from fd; return the byte count and a checksum. */
static long drain(int fd, uint32_t *sum)
{
	unsigned char buf[4096];
	long total = 0;
	ssize_t n;
	*sum = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < n; i++)
			*sum = *sum * 33 + buf[i];
		total += n > 0 ? n : 0;
	}
	return total;
}

static void big_pipe(void)
{
	int p[2];
	if (pipe(p) != 0) {
		printf("pipe failed\n");
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		static unsigned char data[300000];
		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (unsigned char)(i * 13 + (i >> 10));
		size_t off = 0;
		while (off < sizeof(data)) {
			ssize_t n = write(p[1], data + off, sizeof(data) - off);
			if (n <= 0)
				_exit(3);
			off += (size_t)n;
		}
		_exit(42);
	}
	close(p[1]);
	uint32_t sum;
	long n = drain(p[0], &sum);
	close(p[0]);
	int status;
	pid_t w = waitpid(pid, &status, 0);
	printf("pipe bytes=%ld sum=%08x waited-right-child=%d\n", n, sum, w == pid);
	show_status("pipe child", status);
}

static void killed_child(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGTERM);
		_exit(1);
	}
	int status;
	waitpid(pid, &status, 0);
	show_status("raise child", status);

	pid = fork();
	if (pid == 0) {
		pause();     /* until the parent's kill */
		_exit(1);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	show_status("killed child", status);

	errno = 0;
	pid_t r = waitpid(-1, &status, WNOHANG);
	printf("wait with no children: %d %s\n", (int)r, strerrorname_np(errno));
}

/* Run argv[0] in child mode with stdout on a pipe, by execve or posix_spawn. */
static void run_self(const char *self, int use_spawn)
{
	int p[2];
	if (pipe(p) != 0)
		return;
	char *args[] = { (char *)self, "child", "alpha", "beta gamma", NULL };
	pid_t pid;
	fflush(stdout);
	if (use_spawn) {
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, p[1], 1);
		posix_spawn_file_actions_addclose(&fa, p[0]);
		int err = posix_spawn(&pid, self, &fa, NULL, args, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (err) {
			printf("posix_spawn failed: %s\n", strerrorname_np(err));
			close(p[0]);
			close(p[1]);
			return;
		}
	} else {
		pid = fork();
		if (pid == 0) {
			dup2(p[1], 1);
			close(p[0]);
			close(p[1]);
			execve(self, args, environ);
			_exit(127);
		}
	}
	close(p[1]);
	char buf[512];
	ssize_t n, len = 0;
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	buf[len] = 0;
	close(p[0]);
	int status;
	waitpid(pid, &status, 0);
	printf("%s output: %s", use_spawn ? "spawn" : "exec", buf);
	show_status(use_spawn ? "spawn child" : "exec child", status);
}

static void exec_failure(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = { "/nonexistent/program", NULL };
		execve(args[0], args, environ);
		_exit(errno == ENOENT ? 11 : 12);
	}
	int status;
	waitpid(pid, &status, 0);
	show_status("exec missing", status);
}

/* execve of things that are not programs fails in the caller with the
 * errno Linux gives; the calling process carries on. */
static void exec_errors(void)
{
	char path[] = "/tmp/popek-exec-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return;
	close(fd);
	char *args[] = { path, NULL };
	static const struct { const char *what; const char *data; size_t len; int mode; } cases[] = {
		{ "garbage", "\x01\x02\x03 not a program\n", 20, 0755 },
		{ "empty", "", 0, 0755 },
		{ "not executable", "\x7f" "ELF", 4, 0644 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* closed before execve: a file open for writing is ETXTBSY */
		fd = open(path, O_WRONLY | O_TRUNC);
		write(fd, cases[i].data, cases[i].len);
		fchmod(fd, (mode_t)cases[i].mode);
		close(fd);
		errno = 0;
		int r = execve(path, args, environ);
		printf("execve %s: %d %s\n", cases[i].what, r, strerrorname_np(errno));
	}
	unlink(path);
	errno = 0;
	char *dir_args[] = { "/tmp", NULL };
	int r = execve("/tmp", dir_args, environ);
	printf("execve directory: %d %s\n", r, strerrorname_np(errno));
}

static int child_mode(int argc, char **argv)
{
	printf("child argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf(" ppid-is-parent=%d\n", getppid() > 1);
	return 7;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_mode(argc, argv);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	big_pipe();
	killed_child();
	run_self(argv[0], 0);
	run_self(argv[0], 1);
	exec_failure();
	exec_errors();
	return 0;
}
