/*
 * Trap entry and return for the full-system hart: delegation of
 * exceptions and interrupts to S-mode, vectored tvec, the priority order
 * among pending interrupts, MRET and SRET.
 */
#include "rv64/cpu.h"
#include "rv64/csr.h"

static void set_mode(struct rv_cpu *cpu, int mode)
{
	if (cpu->priv.mode != mode) {
		cpu->priv.mode = mode;
		/* TLB entries carry the permission checks of the old mode. */
		rv_tlb_flush(cpu);
	}
}

static uint64_t vector_target(uint64_t tvec, uint64_t cause)
{
	uint64_t base = tvec & ~3ULL;
	if ((tvec & 1) && (cause & RV_CAUSE_INTERRUPT))
		return base + 4 * (cause & 63);
	return base;
}

static bool delegated(const struct rv_priv *p, uint64_t cause)
{
	uint64_t deleg = (cause & RV_CAUSE_INTERRUPT) ? p->mideleg : p->medeleg;
	return p->mode <= RV_MODE_S && ((deleg >> (cause & 63)) & 1);
}

void rv_trap_take(struct rv_cpu *cpu, uint64_t cause, uint64_t tval)
{
	struct rv_priv *p = &cpu->priv;
	uint64_t s = p->mstatus;
	cpu->res_valid = false;
	p->wfi = false;
	if (delegated(p, cause)) {
		p->scause = cause;
		p->sepc = cpu->pc;
		p->stval = tval;
		s = (s & ~MSTATUS_SPP) | (p->mode == RV_MODE_S ? MSTATUS_SPP : 0);
		s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
		s &= ~MSTATUS_SIE;
		p->mstatus = s;
		cpu->pc = vector_target(p->stvec, cause);
		set_mode(cpu, RV_MODE_S);
		return;
	}
	p->mcause = cause;
	p->mepc = cpu->pc;
	p->mtval = tval;
	s = (s & ~MSTATUS_MPP) | ((uint64_t)p->mode << 11);
	s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
	s &= ~MSTATUS_MIE;
	p->mstatus = s;
	cpu->pc = vector_target(p->mtvec, cause);
	set_mode(cpu, RV_MODE_M);
}

/* Highest-priority interrupt in a set: MEI, MSI, MTI, SEI, SSI, STI. */
static int highest(uint64_t set)
{
	static const int order[] = { RV_IRQ_MEI, RV_IRQ_MSI, RV_IRQ_MTI,
				     RV_IRQ_SEI, RV_IRQ_SSI, RV_IRQ_STI };
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((set >> order[i]) & 1)
			return order[i];
	return -1;
}

uint64_t rv_interrupt_pending(struct rv_cpu *cpu)
{
	struct rv_priv *p = &cpu->priv;
	uint64_t pending = rv_mip_read(cpu) & p->mie;
	if (!pending)
		return 0;
	uint64_t m_level = pending & ~p->mideleg;
	uint64_t s_level = pending & p->mideleg;
	bool m_on = p->mode < RV_MODE_M || (p->mstatus & MSTATUS_MIE);
	bool s_on = p->mode < RV_MODE_S || (p->mode == RV_MODE_S && (p->mstatus & MSTATUS_SIE));
	int irq = -1;
	if (m_on && m_level)
		irq = highest(m_level);
	else if (s_on && s_level)
		irq = highest(s_level);
	return irq < 0 ? 0 : RV_CAUSE_INTERRUPT | (uint64_t)irq;
}

void rv_mip_set_hw(struct rv_cpu *cpu, int irq, int level)
{
	uint64_t bit = 1ULL << irq;
	if (level)
		__atomic_fetch_or(&cpu->priv.mip_hw, bit, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&cpu->priv.mip_hw, ~bit, __ATOMIC_RELEASE);
	/* Make a running hart look at its interrupts soon, and wake a WFI. */
	__atomic_store_n(&cpu->priv.irq_kick, 1, __ATOMIC_RELEASE);
}

int rv_mret(struct rv_cpu *cpu)
{
	struct rv_priv *p = &cpu->priv;
	if (p->mode != RV_MODE_M)
		return -1;
	uint64_t s = p->mstatus;
	int mpp = (int)((s & MSTATUS_MPP) >> 11);
	s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
	s |= MSTATUS_MPIE;
	s &= ~MSTATUS_MPP;
	if (mpp != RV_MODE_M)
		s &= ~MSTATUS_MPRV;
	p->mstatus = s;
	cpu->pc = p->mepc;
	/* MPRV only clears when leaving M-mode, and that flushes the TLB. */
	set_mode(cpu, mpp);
	return 0;
}

int rv_sret(struct rv_cpu *cpu)
{
	struct rv_priv *p = &cpu->priv;
	if (p->mode < RV_MODE_S || (p->mode == RV_MODE_S && (p->mstatus & MSTATUS_TSR)))
		return -1;
	uint64_t s = p->mstatus;
	int spp = (s & MSTATUS_SPP) ? RV_MODE_S : RV_MODE_U;
	s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
	s |= MSTATUS_SPIE;
	s &= ~MSTATUS_SPP;
	s &= ~MSTATUS_MPRV;
	p->mstatus = s;
	cpu->pc = p->sepc;
	set_mode(cpu, spp);
	return 0;
}
