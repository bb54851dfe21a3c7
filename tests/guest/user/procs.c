/* Processes: fork + waitpid (exit status and killed-by-signal status),
 * a pipe between parent and child, vfork, posix_spawn, and execve:
 *   procs fork
 *   procs exec-self        : execve("/proc/self/exe", "procs child-of-exec")
 *   procs exec PROGRAM     : execve(PROGRAM, [PROGRAM, "7"]) and return its status
 *   procs exec-missing / exec-foreign PATH : the errors execve reports */
#include <spawn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

extern char **environ;

static int test_fork(void)
{
	int fd[2];
	CHECK(pipe(fd) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "child %d", (int)getpid());
		CHECK(write(fd[1], msg, (size_t)n) == n);
		_exit(42);
	}
	close(fd[1]);
	char buf[64] = { 0 };
	CHECK(read(fd[0], buf, sizeof(buf) - 1) > 0);
	char want[64];
	snprintf(want, sizeof(want), "child %d", (int)pid);
	CHECK(!strcmp(buf, want));
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	printf("fork ok\n");

	pid = fork();
	if (pid == 0) {
		raise(SIGTERM);
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	printf("child killed ok\n");

	static volatile int shared_after_vfork = 0;
	pid = vfork();
	if (pid == 0)
		_exit(7);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7);
	(void)shared_after_vfork;
	printf("vfork ok\n");

	char *args[] = { "procs", "child-of-exec", NULL };
	CHECK(posix_spawn(&pid, "/proc/self/exe", NULL, NULL, args, environ) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 5);
	printf("posix_spawn ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *mode = argc > 1 ? argv[1] : "fork";
	if (!strcmp(mode, "child-of-exec")) {
		printf("exec'd: argv[0]=%s env=%s\n", argv[0], getenv("POPEK_EXEC_VAR") ? getenv("POPEK_EXEC_VAR") : "");
		return 5;
	}
	if (!strcmp(mode, "fork"))
		return test_fork();
	if (!strcmp(mode, "exec-self")) {
		char *args[] = { "procs", "child-of-exec", NULL };
		char *env[] = { "POPEK_EXEC_VAR=passed", NULL };
		execve("/proc/self/exe", args, env);
		perror("execve");
		return 1;
	}
	if (!strcmp(mode, "exec") && argc > 2) {
		char *args[] = { argv[2], "7", NULL };
		execve(argv[2], args, environ);
		perror("execve");
		return 1;
	}
	if (!strcmp(mode, "exec-missing")) {
		char *args[] = { "x", NULL };
		CHECK(execve("/nonexistent/program", args, environ) == -1 && errno == ENOENT);
		printf("ENOENT ok\n");
		return 0;
	}
	if (!strcmp(mode, "exec-foreign") && argc > 2) {
		char *args[] = { argv[2], NULL };
		CHECK(execve(argv[2], args, environ) == -1 && errno == ENOEXEC);
		printf("ENOEXEC ok\n");
		return 0;
	}
	return 2;
}
