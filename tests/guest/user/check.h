/* Tiny assertion helper for the process-VM guest programs: a failed CHECK
 * prints the file, line and expression and exits 1, so the pytest side
 * sees which property broke. */
#ifndef USER_CHECK_H
#define USER_CHECK_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "CHECK failed %s:%d: %s (errno %d %s)\n", __FILE__, __LINE__, #cond, \
		errno, strerror(errno)); exit(1); } } while (0)
#endif
