/*
 * PMP entries and the access check (see pmp.h).
 *
 * Each entry has a configuration byte (R, W, X, the address-matching mode
 * A and the lock bit L) and an address register holding bits 55:2 of a
 * physical address.  The lowest-numbered entry that matches any byte of an
 * access decides it: the access must lie wholly inside that entry, and S/U
 * accesses (M-mode ones only when L is set) need its permission bit.  No
 * match means allowed for M and denied for S/U, as a hart that implements
 * PMP must.  Granularity is 4 bytes (G = 0), so NA4 is available.
 *
 * The check runs on soft-TLB fills, not on every access: mmu.c caches a
 * page only when the whole page gets the same answer.
 */
#include "rv64/pmp.h"

#define CFG_R 0x01
#define CFG_W 0x02
#define CFG_X 0x04
#define CFG_A 0x18
#define CFG_L 0x80
#define A_OFF 0
#define A_TOR 1
#define A_NA4 2
#define A_NAPOT 3
#define ADDR_MASK ((1ULL << 54) - 1)

static unsigned cfg_byte(const struct rv_priv *p, unsigned i)
{
	/* Entries 8k..8k+7 live in pmpcfg(2k). */
	return (unsigned)(p->pmpcfg[(i / 8) * 2] >> (8 * (i % 8))) & 0xff;
}

static unsigned cfg_mode(unsigned cfg)
{
	return (cfg & CFG_A) >> 3;
}

/* The byte range [*lo, *hi) entry i covers; false when it covers nothing. */
static bool entry_range(const struct rv_priv *p, unsigned i, unsigned cfg, uint64_t *lo, uint64_t *hi)
{
	uint64_t a = p->pmpaddr[i];
	switch (cfg_mode(cfg)) {
	case A_TOR:
		*lo = i ? p->pmpaddr[i - 1] << 2 : 0;
		*hi = a << 2;
		return *lo < *hi;
	case A_NA4:
		*lo = a << 2;
		*hi = *lo + 4;
		return true;
	case A_NAPOT: {
		/* yyyy0111 (t trailing ones): 2^(t+3) bytes at yyyy0000 << 2. */
		unsigned t = (unsigned)__builtin_ctzll(~a);
		*lo = (a & ~((1ULL << t) - 1)) << 2;
		*hi = *lo + (1ULL << (t + 3));
		return true;
	}
	default:
		return false;
	}
}

static bool permits(unsigned cfg, enum rv_access acc)
{
	unsigned need = acc == RV_ACC_EXEC ? CFG_X : acc == RV_ACC_WRITE ? CFG_W : CFG_R;
	return (cfg & need) != 0;
}

bool rv_pmp_allows(const struct rv_priv *p, uint64_t pa, uint64_t len, enum rv_access acc, int mode)
{
	uint64_t end = pa + len;
	for (unsigned i = 0; i < RV_PMP_ENTRIES; i++) {
		if (i % 8 == 0 && !p->pmpcfg[(i / 8) * 2]) {
			i += 7;   /* eight entries switched off at once */
			continue;
		}
		unsigned cfg = cfg_byte(p, i);
		uint64_t lo, hi;
		if (!entry_range(p, i, cfg, &lo, &hi) || end <= lo || pa >= hi)
			continue;
		if (pa < lo || end > hi)
			return false;   /* only part of the access matches */
		if (mode == RV_MODE_M && !(cfg & CFG_L))
			return true;
		return permits(cfg, acc);
	}
	return mode == RV_MODE_M;
}

void rv_pmp_write_cfg(struct rv_priv *p, unsigned index, uint64_t val)
{
	uint64_t old = p->pmpcfg[index], out = 0;
	for (unsigned k = 0; k < 8; k++) {
		unsigned o = (unsigned)(old >> (8 * k)) & 0xff;
		unsigned n = (unsigned)(val >> (8 * k)) & 0xff;
		if (o & CFG_L) {
			n = o;                       /* locked until reset */
		} else {
			n &= CFG_R | CFG_W | CFG_X | CFG_A | CFG_L;
			if ((n & (CFG_R | CFG_W)) == CFG_W)
				n &= ~(unsigned)CFG_W;   /* R=0 W=1 is reserved */
		}
		out |= (uint64_t)n << (8 * k);
	}
	p->pmpcfg[index] = out;
}

void rv_pmp_write_addr(struct rv_priv *p, unsigned index, uint64_t val)
{
	if (cfg_byte(p, index) & CFG_L)
		return;
	/* A locked TOR entry also locks the address below it. */
	if (index + 1 < RV_PMP_ENTRIES) {
		unsigned next = cfg_byte(p, index + 1);
		if ((next & CFG_L) && cfg_mode(next) == A_TOR)
			return;
	}
	p->pmpaddr[index] = val & ADDR_MASK;
}
