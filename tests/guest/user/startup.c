/* Prints what the initial stack told the program: argv, one environment
 * variable and the auxiliary vector entries the loader must provide. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "check.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

extern char **environ;

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	CHECK(argv[argc] == NULL);
	CHECK(environ == argv + argc + 1);
	const char *v = getenv("POPEK_TEST_VAR");
	printf("env=%s\n", v ? v : "(unset)");
	printf("pagesz=%lu\n", getauxval(AT_PAGESZ));
	printf("hwcap=%#lx\n", getauxval(AT_HWCAP));
	printf("clktck=%lu\n", getauxval(AT_CLKTCK));
	printf("secure=%lu\n", getauxval(AT_SECURE));
	printf("uid_ok=%d\n", getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
	       getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid());
	printf("phent=%lu\n", getauxval(AT_PHENT));
	printf("phdr_nonzero=%d\n", getauxval(AT_PHDR) != 0);
	printf("phnum_nonzero=%d\n", getauxval(AT_PHNUM) != 0);
	printf("entry_nonzero=%d\n", getauxval(AT_ENTRY) != 0);
	printf("minsigstksz_nonzero=%d\n", getauxval(AT_MINSIGSTKSZ) != 0);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	CHECK(rnd != NULL);
	int nonzero = 0;
	for (int i = 0; i < 16; i++)
		nonzero |= rnd[i];
	printf("random_nonzero=%d\n", nonzero != 0);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("execfn=%s\n", execfn ? execfn : "(null)");
	/* AT_PHDR must point at this program's own program headers. */
	const uint32_t *ph = (const uint32_t *)getauxval(AT_PHDR);
	int have_load = 0;
	for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++)
		have_load |= ph[i * 14] == 1;   /* p_type == PT_LOAD */
	printf("phdr_has_load=%d\n", have_load);
	int local;
	printf("stack_high=%d\n", (uintptr_t)&local > (uintptr_t)&main);
	return 0;
}
