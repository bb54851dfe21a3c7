/*
 * Debug output of the translator (POPEK_DBT_DISASM=1): every translated
 * block as its guest instructions followed by the host code, disassembled
 * with Capstone, on stderr.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>

#include "rv64/dbt/dbt_internal.h"

void dbt_disasm_block(const struct rv_dbt *d, const struct rv_block *blk,
		      const struct dbt_block *tb)
{
	const uint8_t *code = dbt_host(d, tb);
	csh cs;
	cs_insn *insn;
	size_t n;

	fprintf(stderr, "dbt: block %#" PRIx64 " (%u guest insns) -> %p, %u bytes\n",
		blk->pc, blk->ninsns, (const void *)code, tb->host_len);
	for (unsigned i = 0; i < blk->ninsns; i++)
		fprintf(stderr, "  guest %#" PRIx64 ": %s\n", blk->insns[i].pc,
			rv_op_name((enum rv_op)blk->insns[i].op));
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		return;
	n = cs_disasm(cs, code, tb->host_len, (uint64_t)(uintptr_t)code, 0, &insn);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "    %" PRIx64 ":  %s %s\n", insn[i].address, insn[i].mnemonic,
			insn[i].op_str);
	if (n)
		cs_free(insn, n);
	cs_close(&cs);
}
