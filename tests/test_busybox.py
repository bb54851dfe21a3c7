"""Real-program suite: the riscv64 busybox-static from Debian trixie
(fetched by scripts/build-assets.sh) runs under `popek user` and its results
are compared with the host's own tools on the same inputs.  Comparisons are
on content (names, sums, sorted lines), not on formats that legitimately
differ between busybox and GNU tools.
"""
import filecmp
import hashlib
import os
import pathlib
import random
import subprocess
import time

import pytest

from helpers import BUILD, run

BUSYBOX = BUILD / "riscv64-root" / "busybox-static" / "usr" / "bin" / "busybox"
C_ENV = {"LC_ALL": "C", "LANG": "C"}


def bb(popek, *args, cwd=None, input=None, timeout=300):
    """Run a busybox applet under popek; fail on sanitizer reports."""
    if not BUSYBOX.exists():
        pytest.fail(f"{BUSYBOX} missing: run scripts/build-assets.sh")
    # absolute: a relative POPEK_BUILD_DIR would not survive cwd=
    r = run([os.path.abspath(popek), "user", str(BUSYBOX)] + [str(a) for a in args],
            env=C_ENV, cwd=cwd, input=input, timeout=timeout)
    err = r.stderr.decode(errors="replace")
    assert "AddressSanitizer" not in err and "runtime error:" not in err, err[-3000:]
    return r


def ok(r, what):
    assert r.returncode == 0, (f"{what}: exit {r.returncode}, stderr "
                               f"{r.stderr.decode(errors='replace')[-800:]!r}")
    return r.stdout


def host(*args, cwd=None, input=None):
    r = subprocess.run([str(a) for a in args], cwd=cwd, input=input, check=True,
                       env=dict(os.environ, **C_ENV), stdout=subprocess.PIPE)
    return r.stdout


@pytest.fixture
def tree(tmp_path):
    """A small directory tree with text and binary files."""
    rng = random.Random(1234)
    root = tmp_path / "tree"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "empty-dir").mkdir()
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    for i in range(12):
        lines = [f"{rng.choice(words)} {rng.randint(0, 999)} foo{i}" for _ in range(200)]
        (root / f"file{i:02d}.txt").write_text("\n".join(lines) + "\n")
    (root / "sub" / "data.bin").write_bytes(bytes(rng.getrandbits(8) for _ in range(70000)))
    (root / "sub" / "deeper" / "note.txt").write_text("deep\n")
    (root / "sub" / "empty.txt").write_bytes(b"")
    (root / "link-to-note").symlink_to("sub/deeper/note.txt")
    return root


def test_sh_pipe(popek):
    assert ok(bb(popek, "sh", "-c", "echo hi | wc -c"), "sh pipe").strip() == b"3"


def test_sh_script(popek):
    script = ('x=0; for i in 1 2 3 4 5 6 7 8 9 10; do x=$((x + i * i)); done; echo $x; '
              'f() { echo "args:$#:$1"; return 3; }; f a "b c"; echo rc=$?; '
              'case foo.txt in *.txt) echo text;; *) echo other;; esac; '
              'echo $(echo nested $(echo deeper))')
    out = ok(bb(popek, "sh", "-c", script), "sh script").decode()
    assert out == "385\nargs:2:a\nrc=3\ntext\nnested deeper\n"


def test_sh_exit_status_and_subshell(popek):
    r = bb(popek, "sh", "-c", "(exit 7); echo $?; false || echo alt; exit 5")
    assert r.returncode == 5
    assert r.stdout == b"7\nalt\n"


def test_ls_names(popek, tree):
    got = ok(bb(popek, "ls", "-1a", tree), "ls").decode().split("\n")
    want = host("ls", "-1a", tree).decode().split("\n")
    assert got == want


def test_ls_long_sizes(popek, tree):
    out = ok(bb(popek, "ls", "-ln", tree / "sub"), "ls -l").decode()
    sizes = {}
    for line in out.splitlines()[1:]:           # skip "total N"
        fields = line.split()
        sizes[fields[-1]] = fields[4]
    assert sizes["data.bin"] == "70000"
    assert sizes["empty.txt"] == "0"
    assert out.splitlines()[1:] and any(l.startswith("d") for l in out.splitlines()[1:])


def test_sort(popek, tree):
    f = tree / "file03.txt"
    assert ok(bb(popek, "sort", f), "sort") == host("sort", f)
    assert ok(bb(popek, "sort", "-k2,2n", "-k1,1", "-s", f), "sort -n") == \
        host("sort", "-k2,2n", "-k1,1", "-s", f)
    assert ok(bb(popek, "sort", "-u", "-r", f), "sort -ur") == host("sort", "-u", "-r", f)


def test_md5sum_sha256sum(popek, tree):
    for name in ("sub/data.bin", "file00.txt", "sub/empty.txt"):
        data = (tree / name).read_bytes()
        got = ok(bb(popek, "md5sum", tree / name), "md5sum").split()[0].decode()
        assert got == hashlib.md5(data).hexdigest(), name
        got = ok(bb(popek, "sha256sum", tree / name), "sha256sum").split()[0].decode()
        assert got == hashlib.sha256(data).hexdigest(), name


def test_sed(popek, tree):
    f = tree / "file05.txt"
    for expr in ("s/foo/bar/g", "s/\\([a-z]*\\) \\([0-9]*\\)/\\2:\\1/", "/beta/d", "2,5p"):
        args = ["-n", expr] if expr.endswith("p") else [expr]
        assert ok(bb(popek, "sed", *args, f), f"sed {expr}") == host("sed", *args, f), expr


def test_awk(popek, tree):
    f = tree / "file07.txt"
    prog = '{ s += $2; n[$1]++ } END { for (k in n) print k, n[k]; print "sum", s }'
    got = sorted(ok(bb(popek, "awk", prog, f), "awk").decode().splitlines())
    want = sorted(host("awk", prog, f).decode().splitlines())
    assert got == want
    prog2 = 'BEGIN { printf "%d %s %.3f\\n", 7 * 6, substr("popek", 2, 3), 22 / 7 }'
    assert ok(bb(popek, "awk", prog2), "awk printf") == b"42 ope 3.143\n"


def test_find(popek, tree):
    got = sorted(ok(bb(popek, "find", tree), "find").decode().splitlines())
    want = sorted([str(tree)] + [str(pathlib.Path(d) / n)
                                 for d, dirs, files in os.walk(tree) for n in dirs + files])
    assert got == want
    got = sorted(ok(bb(popek, "find", tree, "-type", "f", "-name", "*.txt"),
                    "find -name").decode().splitlines())
    want = sorted(str(p) for p in tree.rglob("*.txt") if p.is_file() and not p.is_symlink())
    assert got == want


def test_tar_roundtrip(popek, tree, tmp_path):
    archive = tmp_path / "t.tar"
    ok(bb(popek, "tar", "-cf", archive, "-C", tree.parent, tree.name), "tar c")
    # The host's tar reads what busybox wrote...
    host_names = sorted(host("tar", "-tf", archive).decode().split())
    got_names = sorted(ok(bb(popek, "tar", "-tf", archive), "tar t").decode().split())
    assert got_names == host_names
    assert "tree/sub/data.bin" in got_names
    # ...and busybox extracts an identical tree.
    dest = tmp_path / "out"
    dest.mkdir()
    ok(bb(popek, "tar", "-xf", archive, "-C", dest), "tar x")
    cmp = filecmp.dircmp(tree, dest / "tree")
    assert_same_tree(cmp)
    assert os.readlink(dest / "tree" / "link-to-note") == "sub/deeper/note.txt"


def assert_same_tree(cmp):
    assert not cmp.left_only and not cmp.right_only, (cmp.left_only, cmp.right_only)
    _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
    assert not mismatch and not errors, (mismatch, errors)
    for sub in cmp.subdirs.values():
        assert_same_tree(sub)


def test_gzip_roundtrip(popek, tree, tmp_path):
    data = (tree / "sub" / "data.bin").read_bytes() + (tree / "file01.txt").read_bytes()
    packed = ok(bb(popek, "gzip", "-c", input=data), "gzip")
    assert host("gzip", "-dc", input=packed) == data
    host_packed = host("gzip", "-9c", input=data)
    assert ok(bb(popek, "gzip", "-dc", input=host_packed), "gunzip") == data


def test_text_tools(popek, tree):
    f = tree / "file02.txt"
    assert ok(bb(popek, "wc", "-l", f), "wc").split()[0] == b"200"
    assert ok(bb(popek, "grep", "-c", "alpha", f), "grep").strip() == \
        host("grep", "-c", "alpha", f).strip()
    assert ok(bb(popek, "sh", "-c", "seq 1 1000 | tail -n 3 | tr '\\n' ' '"), "seq") == \
        b"998 999 1000 "
    assert ok(bb(popek, "expr", "123456789", "*", "1000"), "expr") == b"123456789000\n"
    assert ok(bb(popek, "printf", "%05d|%x|%s\\n", "42", "255", "ok"), "printf") == \
        b"00042|ff|ok\n"


def test_pipelines_and_redirections(popek, tree, tmp_path):
    """Several forks per command line, redirections to files, xargs, here-docs."""
    out = tmp_path / "out.txt"
    script = (f"seq 1 2000 | sort -rn | head -5 | xargs echo > {out}; "
              f"cat {tree}/file0*.txt | grep -c foo >> {out}; "
              f"find {tree} -name '*.txt' -type f | sort | xargs md5sum | wc -l >> {out}; "
              f"while read a b; do echo \"$b-$a\"; done <<EOF >> {out}\nx 1\ny 2\nEOF\n")
    ok(bb(popek, "sh", "-c", script), "pipelines")
    n_txt = len([p for p in tree.rglob("*.txt") if p.is_file()])
    assert out.read_text() == f"2000 1999 1998 1997 1996\n2000\n{n_txt}\n1-x\n2-y\n"


def test_diff_and_cmp(popek, tree, tmp_path):
    a, b = tree / "file00.txt", tmp_path / "changed.txt"
    lines = a.read_text().splitlines()
    lines[10] = "changed line"
    b.write_text("\n".join(lines) + "\n")
    r = bb(popek, "cmp", a, a)
    assert r.returncode == 0
    r = bb(popek, "cmp", "-s", a, b)
    assert r.returncode == 1
    r = bb(popek, "diff", a, b)
    assert r.returncode == 1 and b"+changed line" in r.stdout


def test_identity_and_environment(popek, tmp_path):
    """What the guest learns about the system agrees with the host, except
    the machine, which must be the guest's."""
    assert ok(bb(popek, "id", "-u"), "id -u").strip() == str(os.getuid()).encode()
    assert ok(bb(popek, "id", "-g"), "id -g").strip() == str(os.getgid()).encode()
    assert ok(bb(popek, "uname", "-m"), "uname -m").strip() == b"riscv64"
    assert ok(bb(popek, "uname", "-s"), "uname -s").strip() == b"Linux"
    assert ok(bb(popek, "hostname"), "hostname").strip() == os.uname().nodename.encode()
    now = int(ok(bb(popek, "date", "+%s"), "date"))
    assert abs(now - time.time()) < 30
    assert ok(bb(popek, "pwd", cwd=tmp_path), "pwd").strip() == str(tmp_path).encode()
    env = ok(bb(popek, "env"), "env").decode().splitlines()
    assert "LC_ALL=C" in env
