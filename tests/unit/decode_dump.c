/*
 * Prints how the core's decoder reads instruction words, one per input
 * line (hex), as "word OP rd rs1 rs2 rs3 imm".  Used by
 * tests/test_decode_binutils.py to compare the decoder with binutils'
 * disassembler over many random encodings.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rv64/decode.h"

int main(void)
{
	char line[64];

	while (fgets(line, sizeof(line), stdin)) {
		uint32_t w = (uint32_t)strtoul(line, NULL, 16);
		struct rv_insn d;

		rv_decode(w, 0, &d);
		printf("%08x %s %d %d %d %d %d\n", w, rv_op_name(d.op), d.rd, d.rs1, d.rs2,
		       d.rs3, d.imm);
	}
	return 0;
}
