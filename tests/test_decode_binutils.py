"""The core's decoder against binutils' RISC-V disassembler.

Random instruction words (fixed seed; 32-bit words with every major opcode
and random 16-bit parcels) are decoded by the core (build/tests/core/
decode-dump) and disassembled by riscv64-linux-gnu-objdump for
rv64gc_zba_zbb_zbs.  Both must agree on which encodings are legal, on the
operation, and on every register and immediate operand.

Where the two legitimately differ, the spec is followed and the case is
listed in spec_says_otherwise() with the reason.
"""
import random
import re
import subprocess

import pytest

from conftest import BUILD

DUMP = BUILD / "tests" / "core" / "decode-dump"
MAJOR = [0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b,
         0x43, 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73]
ARCH = "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zba1p0_zbb1p0_zbs1p0"
REGS = ("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 "
        "s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6").split()
FREGS = ("ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1 fa0 fa1 fa2 fa3 fa4 fa5 fa6 fa7 "
         "fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11 ft8 ft9 ft10 ft11").split()
# compressed mnemonics whose base operation has another name
C_BASE = {"C.ADDI4SPN": "ADDI", "C.ADDI16SP": "ADDI", "C.LWSP": "LW", "C.LDSP": "LD",
          "C.SWSP": "SW", "C.SDSP": "SD", "C.FLDSP": "FLD", "C.FSDSP": "FSD",
          "C.BEQZ": "BEQ", "C.BNEZ": "BNE", "C.SLLI64": "SLLI", "C.SRLI64": "SRLI",
          "C.SRAI64": "SRAI"}
# the decoder's specialised forms of base operations
SPECIAL = {"LI": {"ADDI", "LI"}, "MV": {"ADDI", "MV", "ADD"}, "J": {"JAL", "J"},
           "JR": {"JALR", "JR"}}
PC_RELATIVE = {"jal", "beq", "bne", "blt", "bge", "bltu", "bgeu", "c.j", "c.beqz", "c.bnez"}


def random_words(n32=40000, n16=20000):
    rng = random.Random(20261122)
    words = [(rng.getrandbits(32) & ~0x7f) | rng.choice(MAJOR) for _ in range(n32)]
    for _ in range(n16):
        h = rng.getrandbits(16)
        words.append(h & ~1 if h & 3 == 3 else h)
    return words


def spec_says_otherwise(word, theirs_legal, op):
    rm = (word >> 12) & 7
    if op in ("FENCE", "FENCE_I"):
        return True   # unused fields must be ignored by base implementations
    if word & 0x7f in (0x43, 0x47, 0x4b, 0x4f, 0x53) and rm in (5, 6) and theirs_legal:
        return True   # reserved rounding modes are illegal instructions
    if op == "FCVT_D_S":
        return True   # has an rm field like every conversion; binutils wants rm=0
    if word == 0x6101:
        return True   # c.addi16sp with immediate 0 is reserved
    return False


def disassemble(words, tmp_path):
    src = [f'.attribute arch, "{ARCH}"', ".text"]
    for w in words:
        if w < 0x10000 and w & 3 != 3:
            src += [f".insn 2, {w:#x}", ".insn 2, 0x0001"]   # keep 4-byte slots
        else:
            src.append(f".insn 4, {w:#x}")
    (tmp_path / "w.S").write_text("\n".join(src) + "\n")
    subprocess.run(["riscv64-linux-gnu-as", "-o", str(tmp_path / "w.o"), str(tmp_path / "w.S")],
                   check=True)
    out = subprocess.run(["riscv64-linux-gnu-objdump", "-d", "-M", "no-aliases",
                          str(tmp_path / "w.o")], check=True, capture_output=True, text=True)
    dis = {}
    for line in out.stdout.splitlines():
        m = re.match(r"\s+([0-9a-f]+):\s+[0-9a-f]+\s+(\S+)\s*(.*)", line)
        if m:
            dis[int(m.group(1), 16)] = (m.group(2), re.sub(r"\s*#.*", "", m.group(3)))
    return dis


def decode(words):
    if not DUMP.exists():
        pytest.fail(f"{DUMP} is not built: run scripts/build-assets.sh")
    out = subprocess.run([str(DUMP)], input="\n".join(f"{w:x}" for w in words) + "\n",
                         check=True, capture_output=True, text=True)
    return [line.split() for line in out.stdout.splitlines()]


def same_op(mnemonic, op):
    m = re.sub(r"\.(AQ|RL|AQRL)$", "", mnemonic.upper())
    m = C_BASE.get(m, m[2:] if m.startswith("C.") else m).replace(".", "_")
    return m == op or m in SPECIAL.get(op, ())


def operands_match(mnemonic, args, addr, fields):
    rd, rs1, rs2, rs3, imm = fields
    for part in filter(None, re.split(r"[,()]", args)):
        if part in REGS or part in FREGS:
            r = REGS.index(part) if part in REGS else FREGS.index(part)
            if r not in (rd, rs1, rs2, rs3):
                return False
            continue
        try:
            v = int(part, 0)
        except ValueError:
            continue   # rounding-mode names, CSR names
        if mnemonic in PC_RELATIVE:
            v -= addr
        if mnemonic in ("lui", "auipc", "c.lui"):
            v = (v - (1 << 20) if v >= 1 << 19 else v) << 12
        if mnemonic.startswith("csr"):
            continue   # CSR number and uimm are checked by the ISA tests
        if v != imm:
            return False
    return True


def test_decoder_agrees_with_binutils(tmp_path):
    words = random_words()
    dis = disassemble(words, tmp_path)
    mine = decode(words)
    problems = []
    for i, (w, fields) in enumerate(zip(words, mine)):
        op = fields[1]
        mnemonic, args = dis[4 * i]
        theirs_legal = not mnemonic.startswith(".") and mnemonic not in ("unimp", "c.unimp")
        ours_legal = op != "ILLEGAL"
        if theirs_legal != ours_legal:
            if not spec_says_otherwise(w, theirs_legal, op):
                problems.append(f"{w:08x}: binutils {mnemonic} {args}, core {op}")
            continue
        if not ours_legal or op == "NOP":
            continue
        if not same_op(mnemonic, op):
            problems.append(f"{w:08x}: binutils {mnemonic}, core {op}")
        elif not operands_match(mnemonic, args, 4 * i, [int(x) for x in fields[2:]]):
            problems.append(f"{w:08x}: binutils {mnemonic} {args}, core {' '.join(fields[1:])}")
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:30])
