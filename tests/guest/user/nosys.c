/* Calls a system call number no kernel has, twice: both must fail with
 * ENOSYS, and popek --strace reports the number once. */
#include <stdio.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
	for (int i = 0; i < 2; i++)
		CHECK(syscall(1000, 1, 2, 3) == -1 && errno == ENOSYS);
	printf("enosys ok\n");
	return 0;
}
