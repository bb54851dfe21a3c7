"""SMP: the full-system machine with several harts.

- Bare-metal programs (tests/guest/smp/, built by scripts/assets.d/31-smp.sh)
  under `--bios none --cpus N`, where every hart starts at the ELF entry with
  a0 = hartid: exact totals of amoadd.w and lr.w/sc.w increments from all
  harts, and the mip.SEIP read-modify-write rule whose violation hung SMP
  guests (OpenSBI's csrs of SSIP on an IPI latched the PLIC's SEIP line, and
  the hart then took external interrupts forever: no timer, no IPIs), and
  CLINT software interrupts handed round a ring of harts asleep in WFI.
- Debian's kernel with --cpus 4 sees four processors and runs a parallel
  workload on all of them; with --cpus 2 it idles for a minute without a
  lockup or RCU stall report and still answers on every CPU afterwards.
"""
import re
import subprocess
import time

import pytest

from conftest import BUILD, run
from test_machine import boot, shell_output

SMP_DIR = BUILD / "tests" / "smp"
BAREMETAL_TIMEOUT = 60
IDLE_TIMEOUT = 400   # boot (slow under ASan) + 60 s idle; a hung guest ends here
# Kernel log messages (after a timestamp, which may follow a shell prompt on
# the same line) reporting a stuck CPU.
STALL_PATTERNS = re.compile(r"\[\s*\d+\.\d+\][^\n]*(lockup|rcu.*stall|timer wakeup didn't happen|"
                            r"blocked for more than)", re.I | re.M)


def elf(name):
    path = SMP_DIR / f"{name}.elf"
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/build-assets.sh")
    return str(path)


def bare_metal(popek, sanitizer_env, name, cpus):
    cmd = [popek, "run", "--bios", "none", "--cpus", str(cpus), "--kernel", elf(name)]
    try:
        r = run(cmd, env=sanitizer_env, timeout=BAREMETAL_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name} on {cpus} harts: no verdict within {BAREMETAL_TIMEOUT} s")
    return r.returncode, (r.stdout + r.stderr).decode(errors="replace")


@pytest.mark.parametrize("cpus", [1, 2, 4])
def test_atomics_from_all_harts_give_exact_totals(popek, sanitizer_env, cpus):
    rc, out = bare_metal(popek, sanitizer_env, f"atomics-{cpus}", cpus)
    assert rc == 0, f"exit {rc} (1: amoadd total, 2: lr/sc total, 3: sc livelock):\n{out}"


def test_atomics_wait_for_harts_that_do_not_exist(popek, sanitizer_env):
    # The 4-hart program on 2 harts never completes: proves hart 0 waits for
    # every other hart's work, so the passing runs above counted all of it.
    cmd = [popek, "run", "--bios", "none", "--cpus", "2", "--kernel", elf("atomics-4")]
    with pytest.raises(subprocess.TimeoutExpired):
        run(cmd, env=sanitizer_env, timeout=5)


@pytest.mark.parametrize("cpus", [1, 2, 4])
def test_software_interrupts_wake_sleeping_harts_in_a_ring(popek, sanitizer_env, cpus):
    # 2000 hand-overs per hart, each waking a hart asleep in WFI on another
    # host thread: a lost wake-up hangs the ring until the timeout.
    rc, out = bare_metal(popek, sanitizer_env, f"ipi_ring-{cpus}", cpus)
    assert rc == 0, f"exit {rc} (check 1: wrong hand-over count):\n{out}"


def test_mip_seip_read_modify_write_uses_the_software_bit(popek, sanitizer_env):
    rc, out = bare_metal(popek, sanitizer_env, "seip_rmw", 1)
    assert rc == 0, f"exit {rc} (failing check number in seip_rmw.S):\n{out}"


def cpu_busy_jiffies(stat_text):
    """{cpu index: user+nice+system jiffies} from /proc/stat lines."""
    busy = {}
    for m in re.finditer(r"^cpu(\d+) (\d+) (\d+) (\d+)", stat_text, re.M):
        busy[int(m.group(1))] = int(m.group(2)) + int(m.group(3)) + int(m.group(4))
    return busy


# Four CPU-bound shell loops in parallel; /proc/stat's per-CPU lines before
# and after are framed by markers the guest computes, so the echo of the
# typed script never matches them.
PARALLEL_SCRIPT = r"""
echo NPROC-$(nproc)-$((0))
echo CPUINFO-$(grep -c ^processor /proc/cpuinfo)-$((0))
echo STAT-BEFORE-$((1)); grep '^cpu[0-9]' /proc/stat; echo STAT-END-$((1))
for j in 1 2 3 4; do (i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; echo LOOP-DONE-$((j*100))) & done; wait
echo STAT-AFTER-$((2)); grep '^cpu[0-9]' /proc/stat; echo STAT-END-$((2))
"""


def between(text, start, end):
    m = re.search(re.escape(start) + r"(.*?)" + re.escape(end), text, re.S)
    assert m, f"no {start} ... {end} block in:\n{text[-3000:]}"
    return m.group(1)


def test_four_harts_are_seen_and_all_make_progress(popek):
    code, out, err = boot(popek, PARALLEL_SCRIPT, "--cpus", "4")
    assert code == 0, err + out[-3000:]
    sh = shell_output(out)
    assert "NPROC-4-0" in sh, sh[-3000:]
    assert "CPUINFO-4-0" in sh, sh[-3000:]
    for j in (100, 200, 300, 400):
        assert f"LOOP-DONE-{j}" in sh, sh[-3000:]
    before = cpu_busy_jiffies(between(sh, "STAT-BEFORE-1", "STAT-END-1"))
    after = cpu_busy_jiffies(between(sh, "STAT-AFTER-2", "STAT-END-2"))
    assert sorted(after) == [0, 1, 2, 3], after
    idle = [c for c in after if after[c] <= before.get(c, 0)]
    assert not idle, f"CPUs {idle} did no work: before {before}, after {after}"
    assert not STALL_PATTERNS.search(out), out[-3000:]


# One minute of quiet, then every CPU must still take interrupts: the timer
# count of each CPU in /proc/interrupts grows over a sleep longer than the
# lockup detector's 4 s timer period.
IDLE_SCRIPT = r"""
echo IDLE-START-$((3))
sleep 60
echo IDLE-END-$((4))
grep riscv-timer /proc/interrupts; sleep 5; grep riscv-timer /proc/interrupts
echo STALLS-$(dmesg | grep -c -i -E 'lock[u]p|stal[l]|timer wakeu[p]')-$((5))
"""


def test_two_harts_idle_a_minute_without_lockup(popek):
    start = time.monotonic()
    try:
        code, out, err = boot(popek, IDLE_SCRIPT, "--cpus", "2", timeout=IDLE_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        tail = (e.stdout or b"").decode(errors="replace")[-3000:]
        pytest.fail(f"the guest stopped answering within {IDLE_TIMEOUT} s:\n{tail}")
    assert code == 0, err + out[-3000:]
    sh = shell_output(out)
    assert "IDLE-END-4" in sh, sh[-3000:]
    assert "STALLS-0-5" in sh, sh[-3000:]
    m = STALL_PATTERNS.search(out)
    assert not m, f"stall report {m.group(0)!r}:\n{out[-3000:]}"
    rows = re.findall(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+RISC-V INTC\s+5", sh, re.M)
    assert len(rows) >= 2, sh[-3000:]
    first, second = rows[-2], rows[-1]
    for cpu in (0, 1):
        assert int(second[cpu]) > int(first[cpu]), f"CPU{cpu} timer stuck: {rows}"
    assert time.monotonic() - start >= 60
