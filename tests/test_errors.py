"""memscope's Valgrind errors (InvalidFree, MismatchedFree): the same
counts and kinds as Memcheck's, in text and XML, suppressible with what
--gen-suppressions writes, and --error-exitcode."""

import re

from lxml import etree

from helpers import memscope, prog, valgrind


def _summary(stderr):
    m = re.search(r"ERROR SUMMARY: (\d+) errors from (\d+) contexts "
                  r"\(suppressed: (\d+) from (\d+)\)", stderr)
    assert m, stderr
    return tuple(int(g) for g in m.groups())


def _xml_kinds(path):
    root = etree.parse(str(path)).getroot()
    assert root.tag == "valgrindoutput"
    assert root.findtext("protocolversion") == "4"
    return [e.findtext("kind") for e in root.iter("error")]


def test_invalid_and_mismatched_frees_equal_memcheck(tmp_path):
    for name, kinds in (("badfree", ["InvalidFree"] * 4),
                        ("mismatch", ["MismatchedFree"] * 3)):
        run = memscope([prog(name)], tmp_path,
                       ["--xml=yes", f"--xml-file={tmp_path}/{name}.xml"],
                       name=f"{name}.msc")
        assert run.returncode == 0
        mine = _xml_kinds(tmp_path / f"{name}.xml")
        assert mine == kinds
        mc = valgrind("memcheck", [prog(name)],
                      ["--xml=yes", f"--xml-file={tmp_path}/{name}-mc.xml"])
        assert mc.returncode == 0
        assert _xml_kinds(tmp_path / f"{name}-mc.xml") == kinds


def test_mismatched_text_names_both_sides(tmp_path):
    run = memscope([prog("mismatch")], tmp_path)
    assert "mismatch: ran on" in run.stdout
    assert "Mismatched operator delete() of a block from operator new[]()" \
        in run.stderr
    assert "Mismatched operator delete() of a block from malloc()" \
        in run.stderr
    assert "Mismatched free() of a block from operator new()" in run.stderr
    assert "is 0 bytes inside a block of size 16 alloc'd" in run.stderr
    assert _summary(run.stderr) == (3, 3, 0, 0)


def test_generated_suppressions_suppress(tmp_path):
    run = memscope([prog("mismatch")], tmp_path, ["--gen-suppressions=all"])
    blocks = re.findall(r"^\{\n.*?^\}$", run.stdout + run.stderr,
                        re.M | re.S)
    assert len(blocks) == 3
    assert all("memscope:MismatchedFree" in b for b in blocks)
    supp = tmp_path / "mine.supp"
    supp.write_text("\n".join(blocks) + "\n")
    again = memscope([prog("mismatch")], tmp_path, [f"--suppressions={supp}"],
                     name="again.msc")
    assert _summary(again.stderr) == (0, 0, 3, 3)


def test_error_exitcode(tmp_path):
    run = memscope([prog("badfree")], tmp_path, ["--error-exitcode=7"])
    assert run.returncode == 7
    clean = memscope([prog("allocs")], tmp_path, ["--error-exitcode=7"],
                     name="clean.msc")
    assert clean.returncode == 0


def test_blocks_crossing_a_library_boundary(tmp_path):
    from helpers import PROGS, report_json
    _, doc = report_json(tmp_path, [prog("ffi"), str(PROGS / "libpool")],
                         "unsafe_ffi", expect_stdout="ffi: ok")
    crossings = {(c["allocated_in"].rsplit("/", 1)[-1],
                  c["freed_in"].rsplit("/", 1)[-1]): c
                 for c in doc["library_boundaries"]["crossings"]}
    assert set(crossings) == {("libpool.so", "ffi"), ("ffi", "libpool.so")}
    out = crossings[("libpool.so", "ffi")]
    assert (out["blocks"], out["bytes"]) == (3, 120)
    # The library was unloaded before the last free: its frames still
    # name its function.
    assert [s["label"] for s in out["alloc_sites"]] == \
        ["pool_make (libpool.c:8)"]
    back = crossings[("ffi", "libpool.so")]
    assert (back["blocks"], back["bytes"]) == (2, 48)
    assert [s["label"] for s in back["free_sites"]] == \
        ["pool_release (libpool.c:13)"]
