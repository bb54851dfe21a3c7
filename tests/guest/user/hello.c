/* Prints a greeting and exits with argv[1] (default 0). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	printf("hello from riscv64 (argc=%d)\n", argc);
	return argc > 1 ? atoi(argv[1]) : 0;
}
