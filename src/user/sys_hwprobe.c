/*
 * riscv_hwprobe (258): what the emulated harts implement, as key/value
 * pairs the guest fills in place (struct riscv_hwprobe { s64 key; u64
 * value; }).  Every hart is identical, so the CPU set is only checked for
 * shape.  Keys we do not know come back as key -1, value 0, which is what
 * the kernel does for keys newer than itself.
 *
 * The answer describes popek's execution core (src/rv64/): RV64IMAFDC with
 * Zicsr/Zifencei and the bit-manipulation extensions Zba, Zbb and Zbs that
 * its decoder implements; `time` runs at 10 MHz.  Misaligned scalar access
 * speed is reported as unknown so libraries keep their portable paths.
 */
#include "user/sys_common.h"
#include "user/sys_numbers.h"

enum {
	KEY_MVENDORID = 0, KEY_MARCHID = 1, KEY_MIMPID = 2,
	KEY_BASE_BEHAVIOR = 3, KEY_IMA_EXT_0 = 4, KEY_CPUPERF_0 = 5,
	KEY_ZICBOZ_BLOCK_SIZE = 6, KEY_HIGHEST_VIRT_ADDRESS = 7,
	KEY_TIME_CSR_FREQ = 8, KEY_MISALIGNED_SCALAR_PERF = 9,
};

#define BASE_BEHAVIOR_IMA 1ULL
#define IMA_FD  (1ULL << 0)
#define IMA_C   (1ULL << 1)
#define EXT_ZBA (1ULL << 3)
#define EXT_ZBB (1ULL << 4)
#define EXT_ZBS (1ULL << 5)
#define MISALIGNED_UNKNOWN 0ULL

static int answer(int64_t key, uint64_t *value)
{
	switch (key) {
	case KEY_MVENDORID: case KEY_MARCHID: case KEY_MIMPID:
		*value = 0;
		return 1;
	case KEY_BASE_BEHAVIOR:
		*value = BASE_BEHAVIOR_IMA;
		return 1;
	case KEY_IMA_EXT_0:
		*value = IMA_FD | IMA_C | EXT_ZBA | EXT_ZBB | EXT_ZBS;
		return 1;
	case KEY_CPUPERF_0: case KEY_MISALIGNED_SCALAR_PERF:
		*value = MISALIGNED_UNKNOWN;
		return 1;
	case KEY_HIGHEST_VIRT_ADDRESS:
		*value = UPROC_WINDOW - 1;
		return 1;
	case KEY_TIME_CSR_FREQ:
		*value = 10000000;
		return 1;
	default:
		return 0;
	}
}

/* riscv_hwprobe(pairs, pair_count, cpusetsize, cpus, flags) */
static long do_riscv_hwprobe(struct uthread *t, const uint64_t a[6])
{
	struct { int64_t key; uint64_t value; } pair;

	/* RISCV_HWPROBE_WHICH_CPUS (1) is not offered; kernels without it
	 * answer EINVAL as well. */
	if (a[4])
		return -EINVAL;
	if ((a[2] == 0) != (a[3] == 0))
		return -EINVAL;
	/* No limit on the count, as in Linux: the copies stop at the first
	 * address the guest has not mapped. */
	for (uint64_t i = 0; i < a[1]; i++) {
		uint64_t addr = a[0] + i * sizeof(pair);

		if (uproc_read(t->proc, &pair, addr, sizeof(pair)))
			return -EFAULT;
		if (!answer(pair.key, &pair.value)) {
			pair.key = -1;
			pair.value = 0;
		}
		if (uproc_write(t->proc, addr, &pair, sizeof(pair)))
			return -EFAULT;
	}
	return 0;
}

void sys_hwprobe_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_riscv_hwprobe, do_riscv_hwprobe);
}
