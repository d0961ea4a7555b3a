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
