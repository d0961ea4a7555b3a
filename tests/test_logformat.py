"""The log format has one definition (memscope/msc_logfmt.h); the Python
mirror, the reader and docs/log-format.md must agree with it."""

import ast
import codecs
import re

from helpers import SRCDIR
from memscope import logformat as F
from memscope import logreader as R

HEADER = (SRCDIR / "memscope" / "msc_logfmt.h").read_text()
DOC = (SRCDIR / "docs" / "log-format.md").read_text()


def _define(name):
    m = re.search(rf"#define {name}\s+(.+?)\s*(?:/\*.*)?$", HEADER, re.M)
    assert m, name
    return m.group(1)


def _enum(prefix):
    """[(NAME, value, comment-before-it)] of `prefix`* enum entries."""
    out = []
    for m in re.finditer(rf"(/\*(?:(?!\*/).)*\*/)?\s*{prefix}(\w+) = (\d+)",
                         HEADER, re.S):
        out.append((m.group(2), int(m.group(3)), m.group(1) or ""))
    return out


def _fields(text):
    """(code, name, repeated, added_in_minor) of each field of a field list
    "u a, z b, n x u c, u d (from 1.1: ...), ..." (the leading
    comma-separated parts that are fields), other parenthesised notes
    removed."""
    text = text.replace("/*", "").replace("*/", "")
    text = re.sub(r"\(from (1\.\d+)[^)]*\)", r"@\1", text)
    text = re.sub(r"\([^)]*\)", "", text)
    names = []
    for part in text.split(":")[0].split(","):
        m = re.fullmatch(r"\s*(?:\w+ x )?([usz]) (\w+)\s*(?:@(1\.\d+))?\s*",
                         part)
        if not m:
            break
        names.append((m.group(1), m.group(2), " x " in part, m.group(3)))
    return names


def test_versions_magic_and_limits():
    assert int(_define("MSC_LOG_MAJOR")) == F.MAJOR
    assert int(_define("MSC_LOG_MINOR")) == F.MINOR
    assert int(_define("MSC_LOG_PREAMBLE_LEN")) == F.PREAMBLE_LEN
    magic = ast.literal_eval(_define("MSC_LOG_MAGIC"))
    assert codecs.encode(magic, "latin-1") == F.MAGIC
    assert len(F.MAGIC) == int(_define("MSC_LOG_MAGIC_LEN"))
    assert eval(_define("MSC_LOG_MAX_RECORD_SZB")) == F.MAX_RECORD_SZB
    assert f"Current version: **{F.MAJOR}.{F.MINOR}**" in DOC
    assert f"- **{F.MAJOR}.{F.MINOR}**" in DOC


def test_record_tags_and_fields_agree():
    tags = _enum("MSC_REC_")
    assert len(tags) == F.MAX_TAG == int(_define("MSC_REC_MAX_TAG"))
    for name, value, comment in tags:
        assert getattr(F, f"REC_{name}") == value, name
        assert F.TAG_NAMES[value] == name
        header_fields = _fields(comment)
        assert header_fields, f"{name}: no field list in its comment"
        row = re.search(rf"^\| {value} \| `{name}` \| `([^`]*)` \|", DOC,
                        re.M)
        assert row, f"{name}: no row in docs/log-format.md"
        assert _fields(row.group(1)) == header_fields, name
        # The reader's minimum field count for the all-varint records
        # (HEADER has strings; STRING ends in raw bytes).
        if value not in (F.REC_HEADER, F.REC_STRING):
            assert all(f[0] != "s" for f in header_fields), name
            fixed = sum(1 for _, _, rep, added in header_fields
                        if not rep and not added)
            assert R._MIN_FIELDS[value] == fixed, name


def test_kinds_and_flags_agree():
    alloc = _enum("MSC_ALLOC_")
    free = _enum("MSC_FREE_")
    assert [v for _, v, _ in alloc] == list(range(len(F.ALLOC_KINDS)))
    assert [v for _, v, _ in free] == list(range(len(F.FREE_KINDS)))
    for value, name in enumerate(F.ALLOC_KINDS):
        assert f"| {value} | `{name}` |" in DOC
    for value, name in enumerate(F.FREE_KINDS):
        assert f"| {value} | `{name}` |" in DOC
    for flag in ("VARIABLE", "HEAP", "POINTEE", "DEBUGINFO"):
        value = int(_define(f"MSC_NAME_{flag}").rstrip("u"))
        assert getattr(F, f"NAME_{flag}") == value
        assert f"| {value} | `MSC_NAME_{flag}` |" in DOC


def test_sync_enums_agree():
    kinds = _enum("MSC_SYNC_KIND_")
    assert [v for _, v, _ in kinds] == list(range(len(F.SYNC_KINDS)))
    for (name, value, _), mirror in zip(kinds, F.SYNC_KINDS):
        assert name.lower() == mirror
        assert f"| {value} | `{mirror}` |" in DOC
    ops = [(n, v) for n, v, _ in _enum("MSC_SYNC_")
           if not n.startswith("KIND_") and not n.startswith("FLAG_")]
    assert [v for _, v in ops] == list(range(len(F.SYNC_OPS)))
    assert [n.lower() for n, _ in ops] == list(F.SYNC_OPS)
    assert int(_define("MSC_SYNC_MAX_OP")) == len(F.SYNC_OPS) - 1
    for value, name in enumerate(F.SYNC_OPS):
        assert f"| {value} | `{name}`" in DOC
    for flag in ("CONTENDED", "NOT_HELD", "HELD", "BEGIN"):
        value = int(_define(f"MSC_SYNC_FLAG_{flag}").rstrip("u"))
        assert getattr(F, f"SYNC_FLAG_{flag}") == value
        assert f"| {value} | `MSC_SYNC_FLAG_{flag}` |" in DOC


def test_cancelled_result_agrees():
    assert int(_define("MSC_ECANCELED")) == F.ECANCELED
    assert f"`ECANCELED` ({F.ECANCELED})" in DOC


def test_race_flags_agree():
    for flag in ("WRITE", "ATOMIC", "FREE", "OTHER_LOCKS_UNKNOWN"):
        value = int(_define(f"MSC_RACE_{flag}").rstrip("u"))
        assert getattr(F, f"RACE_{flag}") == value
        assert f"| {value} | `MSC_RACE_{flag}` |" in DOC


def test_endings_agree():
    entries = _enum("MSC_ENDING_")
    assert [v for _, v, _ in entries] == list(range(len(F.ENDINGS)))
    for (name, value, _), mine in zip(entries, F.ENDINGS):
        assert name.lower() == mine
        assert f"| {value} | `{mine}` |" in DOC
        assert f"`MSC_ENDING_{name}`" in DOC


def test_signal_names_agree_with_the_tool():
    tool = (SRCDIR / "memscope" / "msc_ending.c").read_text()
    names = re.search(r"names\[\] = \{(.*?)\};", tool, re.S).group(1)
    listed = re.findall(r'NULL|"(\w+)"', names)
    assert {i: n for i, n in enumerate(listed) if n} == F.SIGNAL_NAMES


def test_heap_scan_enums_agree():
    for prefix, mirror in (("MSC_SCAN_", F.SCAN_REASONS),
                           ("MSC_LEAK_", F.LEAK_CLASSES)):
        entries = _enum(prefix)
        assert [v for _, v, _ in entries] == list(range(len(mirror)))
        for (name, value, _), mine in zip(entries, mirror):
            assert name.lower() == mine
            assert f"| {value} | `{mine}` |" in DOC
            assert f"`{prefix}{name}`" in DOC
    assert F.SCAN_REASONS[F.SCAN_EXIT] == "exit"
    for value, mine in enumerate(F.ROOT_KINDS):
        name = f"MSC_ROOT_{mine.upper()}"
        assert int(_define(name)) == value
        assert f"| {value} | `{mine}` |" in DOC and f"`{name}`" in DOC
