/*
 * Control and status registers of the full-system hart: access rules
 * (privilege and read-only bits encoded in the CSR number, counter enables,
 * mstatus.TVM, mstatus.FS) and the WARL behaviour of each register.
 *
 * Firmware probes CSRs by touching them and catching the illegal
 * instruction trap, so every CSR we do not implement must fail cleanly
 * here rather than read as zero.
 */
#include "rv64/cpu.h"
#include "rv64/csr.h"
#include "rv64/fpu_fast.h"
#include "rv64/pmp.h"

#define MISA_EXT(c) (1ULL << ((c) - 'A'))
#define MISA_VALUE (2ULL << 62 | MISA_EXT('A') | MISA_EXT('C') | MISA_EXT('D') | \
		    MISA_EXT('F') | MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('S') | MISA_EXT('U'))

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | \
			  MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | \
			  MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_VISIBLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | \
			 MSTATUS_VS | MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | \
			 MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | \
			  MSTATUS_SUM | MSTATUS_MXR)
/* Everything but ecall from M-mode (11) and the reserved causes. */
#define MEDELEG_WRITABLE 0xb3ffULL
#define S_INTERRUPTS ((1ULL << RV_IRQ_SSI) | (1ULL << RV_IRQ_STI) | (1ULL << RV_IRQ_SEI))
#define ALL_INTERRUPTS (S_INTERRUPTS | (1ULL << RV_IRQ_MSI) | (1ULL << RV_IRQ_MTI) | \
			(1ULL << RV_IRQ_MEI))
#define MENVCFG_STCE (1ULL << 63)
#define MENVCFG_WRITABLE (MENVCFG_STCE | 1ULL)
/* No ASID bits: Linux then flushes on every address-space switch, which is
 * what our satp write does anyway. */
#define SATP_MODE_SHIFT 60
#define SATP_PPN_MASK ((1ULL << 44) - 1)

static uint64_t read_time(struct rv_cpu *cpu)
{
	const struct rv_platform *plat = cpu->priv.plat;
	return plat && plat->read_time ? plat->read_time(plat->time_opaque) : 0;
}

static bool sstc_enabled(const struct rv_priv *p)
{
	return (p->menvcfg & MENVCFG_STCE) != 0;
}

uint64_t rv_mip_read(struct rv_cpu *cpu)
{
	struct rv_priv *p = &cpu->priv;
	uint64_t mip = p->mip_sw | __atomic_load_n(&p->mip_hw, __ATOMIC_ACQUIRE);
	/* MTIP comes from the CLINT through mip_hw; Sstc's STIP is ours. */
	if (sstc_enabled(p)) {
		mip &= ~(1ULL << RV_IRQ_STI);
		if (read_time(cpu) >= p->stimecmp)
			mip |= 1ULL << RV_IRQ_STI;
	}
	return mip;
}

uint64_t rv_mstatus_read(const struct rv_priv *p)
{
	uint64_t v = p->mstatus | (2ULL << 32) | (2ULL << 34);
	if ((v & MSTATUS_FS) == MSTATUS_FS)
		v |= MSTATUS_SD;
	return v;
}

/*
 * Privileged spec, mip: "the value used in the read-modify-write sequence of
 * a CSRRS or CSRRC instruction contains only the software-writable SEIP bit,
 * ignoring the interrupt value from the external interrupt controller".
 * Without this, firmware that sets SSIP with csrs (OpenSBI, on every IPI)
 * while the PLIC drives SEIP latches SEIP for good: the hart then takes
 * supervisor external interrupts forever and never gets to its timer or IPIs.
 */
uint64_t rv_csr_rmw_value(const struct rv_cpu *cpu, unsigned csr, uint64_t combined, uint64_t src)
{
	const uint64_t seip = 1ULL << RV_IRQ_SEI;
	if (csr != CSR_MIP || (src & seip))
		return combined;   /* SEIP is set or cleared explicitly */
	return (combined & ~seip) | (cpu->priv.mip_sw & seip);
}

static void mstatus_write(struct rv_cpu *cpu, uint64_t val, uint64_t mask)
{
	struct rv_priv *p = &cpu->priv;
	uint64_t old = p->mstatus;
	uint64_t v = (old & ~mask) | (val & mask);
	/* MPP is WARL over {U, S, M}: the reserved value 2 keeps the old one. */
	if (((v & MSTATUS_MPP) >> 11) == 2)
		v = (v & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
	/* FP state is tracked coarsely: any enabled state reads as Dirty, so
	 * the kernel always saves it (instructions never make it dirty
	 * behind the kernel's back). */
	if (v & MSTATUS_FS)
		v |= MSTATUS_FS;
	p->mstatus = v;
	if ((old ^ v) & (MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPP))
		rv_tlb_flush(cpu);
}

/* Sstc: S-mode reaches stimecmp only with menvcfg.STCE and mcounteren.TM. */
static bool stimecmp_allowed(const struct rv_priv *p)
{
	return p->mode == RV_MODE_M || (sstc_enabled(p) && (p->mcounteren & 2));
}

static bool counter_allowed(const struct rv_priv *p, unsigned idx)
{
	if (p->mode < RV_MODE_M && !((p->mcounteren >> idx) & 1))
		return false;
	if (p->mode == RV_MODE_U && !((p->scounteren >> idx) & 1))
		return false;
	return true;
}

static bool fp_enabled(const struct rv_priv *p)
{
	return (p->mstatus & MSTATUS_FS) != 0;
}

static int read_counter(struct rv_cpu *cpu, unsigned csr, uint64_t *val)
{
	struct rv_priv *p = &cpu->priv;
	unsigned idx = csr & 0x1f;
	if (!counter_allowed(p, idx))
		return -1;
	if (idx == 0)
		*val = cpu->instret - p->mcycle_base;
	else if (idx == 1)
		*val = read_time(cpu);
	else if (idx == 2)
		*val = cpu->instret - p->minstret_base;
	else
		*val = 0;   /* hpmcounters exist but count nothing */
	return 0;
}

static int read_fp_csr(struct rv_cpu *cpu, unsigned csr, uint64_t *val)
{
	if (!fp_enabled(&cpu->priv))
		return -1;
	cpu->fflags |= fpu_engine_collect();   /* see fpu_fast.h */
	if (csr == CSR_FFLAGS)
		*val = cpu->fflags;
	else if (csr == CSR_FRM)
		*val = cpu->frm;
	else
		*val = (uint64_t)cpu->frm << 5 | cpu->fflags;
	return 0;
}

static int read_supervisor(struct rv_cpu *cpu, unsigned csr, uint64_t *val)
{
	struct rv_priv *p = &cpu->priv;
	switch (csr) {
	case CSR_SSTATUS: *val = rv_mstatus_read(p) & SSTATUS_VISIBLE; return 0;
	case CSR_SIE: *val = p->mie & p->mideleg; return 0;
	case CSR_STVEC: *val = p->stvec; return 0;
	case CSR_SCOUNTEREN: *val = p->scounteren; return 0;
	case CSR_SENVCFG: *val = p->senvcfg; return 0;
	case CSR_SSCRATCH: *val = p->sscratch; return 0;
	case CSR_SEPC: *val = p->sepc; return 0;
	case CSR_SCAUSE: *val = p->scause; return 0;
	case CSR_STVAL: *val = p->stval; return 0;
	case CSR_SIP: *val = rv_mip_read(cpu) & p->mideleg; return 0;
	case CSR_STIMECMP:
		if (!stimecmp_allowed(p))
			return -1;
		*val = p->stimecmp;
		return 0;
	case CSR_SATP:
		if (p->mode == RV_MODE_S && (p->mstatus & MSTATUS_TVM))
			return -1;
		*val = p->satp;
		return 0;
	}
	return -1;
}

static int read_machine(struct rv_cpu *cpu, unsigned csr, uint64_t *val)
{
	struct rv_priv *p = &cpu->priv;
	if (csr >= CSR_PMPCFG0 && csr < CSR_PMPCFG0 + 16) {
		if (csr & 1)
			return -1;
		*val = p->pmpcfg[csr - CSR_PMPCFG0];
		return 0;
	}
	if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + 64) {
		*val = p->pmpaddr[csr - CSR_PMPADDR0];
		return 0;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
		*val = 0;
		return 0;
	}
	switch (csr) {
	case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR:
		*val = 0; return 0;
	case CSR_MHARTID: *val = p->mhartid; return 0;
	case CSR_MSTATUS: *val = rv_mstatus_read(p); return 0;
	case CSR_MISA: *val = MISA_VALUE; return 0;
	case CSR_MEDELEG: *val = p->medeleg; return 0;
	case CSR_MIDELEG: *val = p->mideleg; return 0;
	case CSR_MIE: *val = p->mie; return 0;
	case CSR_MTVEC: *val = p->mtvec; return 0;
	case CSR_MCOUNTEREN: *val = p->mcounteren; return 0;
	case CSR_MENVCFG: *val = p->menvcfg; return 0;
	case CSR_MCOUNTINHIBIT: *val = p->mcountinhibit; return 0;
	case CSR_MSCRATCH: *val = p->mscratch; return 0;
	case CSR_MEPC: *val = p->mepc; return 0;
	case CSR_MCAUSE: *val = p->mcause; return 0;
	case CSR_MTVAL: *val = p->mtval; return 0;
	case CSR_MIP: *val = rv_mip_read(cpu); return 0;
	case CSR_MCYCLE: *val = cpu->instret - p->mcycle_base; return 0;
	case CSR_MINSTRET: *val = cpu->instret - p->minstret_base; return 0;
	}
	return -1;
}

static bool mode_allows(const struct rv_priv *p, unsigned csr)
{
	return p->mode >= (int)((csr >> 8) & 3);
}

int rv_csr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *val)
{
	struct rv_priv *p = &cpu->priv;
	if (!mode_allows(p, csr))
		return -1;
	if (csr >= CSR_FFLAGS && csr <= CSR_FCSR)
		return read_fp_csr(cpu, csr, val);
	if (csr >= CSR_CYCLE && csr <= CSR_HPMCOUNTER31)
		return read_counter(cpu, csr, val);
	if ((csr >> 8) == 1)
		return read_supervisor(cpu, csr, val);
	return read_machine(cpu, csr, val);
}

static int write_fp_csr(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	if (!fp_enabled(&cpu->priv))
		return -1;
	cpu->fflags |= fpu_engine_collect();
	if (csr == CSR_FFLAGS) {
		cpu->fflags = val & 0x1f;
	} else if (csr == CSR_FRM) {
		cpu->frm = val & 7;
	} else {
		cpu->fflags = val & 0x1f;
		cpu->frm = (val >> 5) & 7;
	}
	cpu->priv.mstatus |= MSTATUS_FS;
	return 0;
}

static void satp_write(struct rv_cpu *cpu, uint64_t val)
{
	uint64_t mode = val >> SATP_MODE_SHIFT;
	/* Unsupported modes leave satp unchanged (WARL). */
	if (mode != 0 && mode != 8 && mode != 9)
		return;
	cpu->priv.satp = (mode << SATP_MODE_SHIFT) | (val & SATP_PPN_MASK);
	rv_tlb_flush(cpu);
}

static void tvec_write(uint64_t *tvec, uint64_t val)
{
	/* Modes 2 and 3 are reserved: fall back to direct. */
	*tvec = (val & 3) >= 2 ? val & ~3ULL : val;
}

static int write_supervisor(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	struct rv_priv *p = &cpu->priv;
	switch (csr) {
	case CSR_SSTATUS: mstatus_write(cpu, val, SSTATUS_WRITABLE); return 0;
	case CSR_SIE: p->mie = (p->mie & ~p->mideleg) | (val & p->mideleg); return 0;
	case CSR_STVEC: tvec_write(&p->stvec, val); return 0;
	case CSR_SCOUNTEREN: p->scounteren = val & 0xffffffffULL; return 0;
	case CSR_SENVCFG: p->senvcfg = val & 1; return 0;
	case CSR_SSCRATCH: p->sscratch = val; return 0;
	case CSR_SEPC: p->sepc = val & ~1ULL; return 0;
	case CSR_SCAUSE: p->scause = val; return 0;
	case CSR_STVAL: p->stval = val; return 0;
	case CSR_SIP: {
		uint64_t m = p->mideleg & (1ULL << RV_IRQ_SSI);
		p->mip_sw = (p->mip_sw & ~m) | (val & m);
		return 0;
	}
	case CSR_STIMECMP:
		if (!stimecmp_allowed(p))
			return -1;
		p->stimecmp = val;
		return 0;
	case CSR_SATP:
		if (p->mode == RV_MODE_S && (p->mstatus & MSTATUS_TVM))
			return -1;
		satp_write(cpu, val);
		return 0;
	}
	return -1;
}

/* PMP registers.  Any write may change what a cached translation allows,
 * so the soft TLB goes (decoded blocks are re-checked through it too). */
static int write_pmp(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	if (csr < CSR_PMPADDR0) {
		if (csr & 1)
			return -1;
		rv_pmp_write_cfg(&cpu->priv, csr - CSR_PMPCFG0, val);
	} else {
		rv_pmp_write_addr(&cpu->priv, csr - CSR_PMPADDR0, val);
	}
	rv_tlb_flush(cpu);
	return 0;
}

static int write_machine(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	struct rv_priv *p = &cpu->priv;
	if (csr >= CSR_PMPCFG0 && csr < CSR_PMPADDR0 + 64)
		return write_pmp(cpu, csr, val);
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
		return 0;
	switch (csr) {
	case CSR_MSTATUS: mstatus_write(cpu, val, MSTATUS_WRITABLE); return 0;
	case CSR_MISA: return 0;   /* extensions cannot be switched off */
	case CSR_MEDELEG: p->medeleg = val & MEDELEG_WRITABLE; return 0;
	case CSR_MIDELEG: p->mideleg = val & S_INTERRUPTS; return 0;
	case CSR_MIE: p->mie = val & ALL_INTERRUPTS; return 0;
	case CSR_MTVEC: tvec_write(&p->mtvec, val); return 0;
	case CSR_MCOUNTEREN: p->mcounteren = val & 0xffffffffULL; return 0;
	case CSR_MENVCFG: p->menvcfg = val & MENVCFG_WRITABLE; return 0;
	case CSR_MCOUNTINHIBIT: p->mcountinhibit = val & 5; return 0;
	case CSR_MSCRATCH: p->mscratch = val; return 0;
	case CSR_MEPC: p->mepc = val & ~1ULL; return 0;
	case CSR_MCAUSE: p->mcause = val; return 0;
	case CSR_MTVAL: p->mtval = val; return 0;
	case CSR_MIP: {
		uint64_t m = (1ULL << RV_IRQ_SSI) | (1ULL << RV_IRQ_SEI);
		if (!sstc_enabled(p))
			m |= 1ULL << RV_IRQ_STI;
		p->mip_sw = (p->mip_sw & ~m) | (val & m);
		return 0;
	}
	case CSR_MCYCLE: p->mcycle_base = cpu->instret - val; return 0;
	case CSR_MINSTRET: p->minstret_base = cpu->instret - val; return 0;
	}
	return -1;
}

int rv_csr_write(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	struct rv_priv *p = &cpu->priv;
	if (!mode_allows(p, csr) || (csr >> 10) == 3)
		return -1;   /* too little privilege, or a read-only CSR */
	if (csr >= CSR_FFLAGS && csr <= CSR_FCSR)
		return write_fp_csr(cpu, csr, val);
	if ((csr >> 8) == 1)
		return write_supervisor(cpu, csr, val);
	if ((csr >> 8) == 3 || (csr >> 8) == 0xb)
		return write_machine(cpu, csr, val);
	return -1;
}

void rv_priv_reset(struct rv_cpu *cpu, uint64_t hartid, struct rv_platform *plat)
{
	struct rv_priv *p = &cpu->priv;
	struct rv_tlb_entry *t = &p->tlb[0][0];
	for (unsigned i = 0; i < 3 * RV_TLB_SIZE; i++)
		t[i] = (struct rv_tlb_entry){ .tag = ~0ULL };
	p->mode = RV_MODE_M;
	p->mhartid = hartid;
	p->misa = MISA_VALUE;
	p->mstatus = 0;
	p->stimecmp = ~0ULL;
	p->plat = plat;
}
