/*
 * Hart life cycle and the hart's decoded-code cache management: what the
 * owner of an rv_cpu calls around rv_run_user().  Also home of the
 * thread-local "which hart is this thread running" state that the process
 * VM's fault handler consults.
 */
#include <errno.h>
#include <string.h>

#include "rv64/code_cache.h"
#include "rv64/cpu.h"
#include "rv64/dbt/dbt.h"

/* Weak: programs that link the core without the translator (the core test
 * harness) have no translator state to free. */
#pragma weak rv_dbt_destroy

__thread struct rv_cpu *rv_current_cpu;
__thread volatile int rv_in_guest;

int rv_cpu_init(struct rv_cpu *cpu)
{
	struct rv_code_cache *cache;
	int err;

	memset(cpu, 0, sizeof(*cpu));
	err = rv_cache_create(&cache);
	if (err)
		return err;
	cpu->cache = cache;
	return 0;
}

void rv_cpu_destroy(struct rv_cpu *cpu)
{
	if (rv_dbt_destroy)
		rv_dbt_destroy(cpu);
	rv_cache_destroy(cpu->cache);
	cpu->cache = NULL;
}

void rv_code_flush(struct rv_cpu *cpu, uint64_t start, uint64_t len)
{
	if (!cpu->cache)
		return;
	if (len == UINT64_MAX)
		rv_cache_flush_all(cpu->cache);
	else
		rv_cache_flush_range(cpu->cache, start, len);
}
