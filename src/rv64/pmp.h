/*
 * Physical memory protection (privileged spec 1.12, section 3.7): the
 * pmpcfg/pmpaddr registers of a hart, their write rules (locked entries),
 * and the check that every translated access passes before it reaches RAM
 * or a device.  OpenSBI uses PMP to keep S-mode out of its own memory, so
 * without it a guest kernel could overwrite the firmware.
 */
#ifndef POPEK_RV64_PMP_H
#define POPEK_RV64_PMP_H

#include <stdbool.h>
#include <stdint.h>

#include "rv64/priv.h"

#define RV_PMP_ENTRIES 64

/* True when physical bytes [pa, pa + len) may be accessed with acc at
 * privilege mode (after MPRV).  len >= 1 and the range must not wrap. */
bool rv_pmp_allows(const struct rv_priv *p, uint64_t pa, uint64_t len, enum rv_access acc, int mode);

/* CSR writes honouring the lock bits: index is the CSR's offset from
 * pmpcfg0 (even numbers only on RV64) or from pmpaddr0. */
void rv_pmp_write_cfg(struct rv_priv *p, unsigned index, uint64_t val);
void rv_pmp_write_addr(struct rv_priv *p, unsigned index, uint64_t val);

#endif
