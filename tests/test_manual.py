"""The manual and the man pages against the code: every memscope option of
`valgrind --tool=memscope --help` with its default in docs/manual.md's
option table and in docs/memscope.1; every MEMSCOPE_ macro and request
code of memscope.h in the manual; every memscope-report option of its
--help in docs/memscope-report.1 and the manual; every error kind of
msc_errors.c's table in the manual.  Fails when the documentation drifts
from what the tool and the script say about themselves."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Dict, List

import pytest

from helpers import SRCDIR, report, valgrind

MANUAL = SRCDIR / "docs" / "manual.md"
TOOL_MAN = SRCDIR / "docs" / "memscope.1"
REPORT_MAN = SRCDIR / "docs" / "memscope-report.1"
HEADER = SRCDIR / "memscope" / "memscope.h"
ERRORS = SRCDIR / "memscope" / "msc_errors.c"

TOOL_SECTION = "user options for memscope:"


@dataclass
class ToolOption:
    name: str        # "--flush-ms"
    default: str     # "1000", as --help shows it between brackets
    text: str        # the option's lines of --help, joined


def tool_help() -> str:
    """memscope's --help; retried for a while, since a parallel `make`
    may be replacing the tool binary."""
    out = ""
    for _ in range(20):
        p = valgrind("memscope", ["--help"])
        out = p.stdout
        if p.returncode == 0 and TOOL_SECTION in out:
            return out
        time.sleep(3)
    raise AssertionError(f"no '{TOOL_SECTION}' in --help:\n{out}")


def parse_tool_options(help_text: str) -> List[ToolOption]:
    """The options of --help's memscope section: a line `    --name=...`
    and its continuation lines (indented deeper); the default is the last
    bracketed text of the option's lines."""
    section = help_text.split(TOOL_SECTION, 1)[1]
    blocks: List[List[str]] = []
    for line in section.splitlines()[1:]:
        if not line.strip():
            break
        if re.match(r"^    --[a-z0-9][a-z0-9-]*=", line):
            blocks.append([line])
        elif blocks and line.startswith("     "):
            blocks[-1].append(line)
    options = []
    for block in blocks:
        text = " ".join(s.strip() for s in block)
        name = re.match(r"(--[a-z0-9-]+)=", text).group(1)
        defaults = re.findall(r"\[([^\]]*)\]", text)
        assert defaults, f"{name}: --help shows no default: {text!r}"
        options.append(ToolOption(name, defaults[-1], text))
    return options


def markdown_rows(text: str) -> List[List[str]]:
    """The cells of every Markdown table row (`\\|` is a literal bar)."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = re.split(r"(?<!\\)\|", line[1:-1])
        rows.append([c.strip().replace("\\|", "|") for c in cells])
    return rows


def unquote(cell: str) -> str:
    return cell.strip().strip("`").strip()


# ---- roff, as text --------------------------------------------------------

_SINGLE_FONT = {".B", ".I", ".SM", ".SB"}
_ALTERNATING = {".BR", ".RB", ".BI", ".IB", ".IR", ".RI"}
_BREAKS = {".TP", ".PP", ".P", ".LP", ".IP", ".SH", ".SS", ".HP"}


def roff_args(rest: str) -> List[str]:
    """A macro line's arguments: blank-separated, "double quoted" ones
    may hold blanks, "" inside quotes is a quote."""
    args, i, n = [], 0, len(rest)
    while i < n:
        if rest[i] == " ":
            i += 1
            continue
        if rest[i] == '"':
            i += 1
            buf = []
            while i < n:
                if rest[i] == '"':
                    if i + 1 < n and rest[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(rest[i])
                i += 1
            args.append("".join(buf))
        else:
            j = rest.find(" ", i)
            j = n if j < 0 else j
            args.append(rest[i:j])
            i = j
    return args


def roff_unescape(text: str) -> str:
    text = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", text)   # font changes
    text = text.replace("\\-", "-").replace("\\e", "\\")
    text = text.replace("\\&", "").replace("\\ ", " ")
    return text


def roff_paragraphs(path) -> List[str]:
    """A man page's text in paragraphs (split at .TP, .PP, .SH, ...),
    fonts dropped, escapes resolved: what a reader sees, near enough."""
    paragraphs: List[List[str]] = [[]]
    for line in path.read_text().splitlines():
        if line.startswith(".\\\"") or line.startswith("'\\\""):
            continue
        if line.startswith("."):
            macro, _, rest = line.partition(" ")
            if macro in _BREAKS:
                paragraphs.append([])
                if rest:
                    paragraphs[-1].append(" ".join(roff_args(rest)))
            elif macro in _SINGLE_FONT:
                paragraphs[-1].append(" ".join(roff_args(rest)))
            elif macro in _ALTERNATING:
                paragraphs[-1].append("".join(roff_args(rest)))
            continue                         # .TH, .nf, .br, ...
        paragraphs[-1].append(line)
    return [roff_unescape(" ".join(p)) for p in paragraphs if p]


def mentions(text: str, option: str) -> bool:
    """`option` in text as a whole option (-o is not a piece of -o2 or
    --output)."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])",
                     text) is not None


# ---- memscope's options ---------------------------------------------------

@pytest.fixture(scope="module")
def tool_options() -> List[ToolOption]:
    options = parse_tool_options(tool_help())
    names = [o.name for o in options]
    # The parse found the options the tool has had from the start.
    for known in ("--memscope-out-file", "--flush-ms", "--track-access",
                  "--race-hints", "--warn-limit"):
        assert known in names, f"{known} not parsed from --help: {names}"
    return options


def test_every_tool_option_is_in_the_manual_with_its_default(tool_options):
    rows = markdown_rows(MANUAL.read_text())
    problems = []
    for o in tool_options:
        rows_of = [r for r in rows if len(r) >= 2
                   and mentions(unquote(r[0]).split("=")[0], o.name)]
        if not rows_of:
            problems.append(f"{o.name}: no row of an option table in "
                            f"docs/manual.md")
        elif not any(unquote(r[1]) == o.default for r in rows_of):
            problems.append(f"{o.name}: docs/manual.md gives the default "
                            f"{[unquote(r[1]) for r in rows_of]}, --help "
                            f"[{o.default}]")
    assert not problems, "\n".join(problems)


def test_every_tool_option_is_in_the_man_page_with_its_default(tool_options):
    paragraphs = roff_paragraphs(TOOL_MAN)
    problems = []
    for o in tool_options:
        described = [p for p in paragraphs if p.startswith(o.name + "=")]
        if not described:
            problems.append(f"{o.name}: not described in docs/memscope.1")
        elif not any(re.search(rf"Default:\s*{re.escape(o.default)}"
                               rf"(?![\w%])", p) for p in described):
            problems.append(f"{o.name}: docs/memscope.1 does not say "
                            f"'Default: {o.default}'")
    assert not problems, "\n".join(problems)


# ---- memscope.h -------------------------------------------------------------

def header_names() -> Dict[str, List[str]]:
    text = HEADER.read_text()
    macros = sorted(set(re.findall(r"#define\s+(MEMSCOPE_\w+)\(", text)))
    codes = sorted(set(re.findall(r"\b(VG_USERREQ__MEMSCOPE_\w+)", text)))
    assert "MEMSCOPE_TRACK_VAR" in macros and codes, (macros, codes)
    return {"macro": macros, "request code": codes}


def test_every_client_request_is_in_the_manual():
    manual = MANUAL.read_text()
    missing = [f"{kind} {name}" for kind, names in header_names().items()
               for name in names if not re.search(rf"\b{name}\b", manual)]
    assert not missing, f"not in docs/manual.md: {missing}"


def test_every_client_request_macro_is_in_the_man_page():
    page = " ".join(roff_paragraphs(TOOL_MAN))
    missing = [name for name in header_names()["macro"]
               if not re.search(rf"\b{name}\(", page)]
    assert not missing, f"not in docs/memscope.1: {missing}"


# ---- memscope-report ----------------------------------------------------------

def report_options() -> List[str]:
    """Every option string of memscope-report --help: the lines of its
    options list that start with a dash (descriptions are indented
    deeper)."""
    p = report(["--help"])
    assert p.returncode == 0, p.stderr
    options = []
    for line in p.stdout.splitlines():
        if re.match(r"^  -", line):
            head = re.split(r"\s{2,}", line.strip())[0]
            options += re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", head)
    assert "--base" in options and "-o" in options, p.stdout
    return sorted(set(options))


def test_every_report_option_is_in_its_man_page_and_the_manual():
    page = " ".join(roff_paragraphs(REPORT_MAN))
    manual = MANUAL.read_text()
    problems = []
    for option in report_options():
        if not mentions(page, option):
            problems.append(f"{option}: not in docs/memscope-report.1")
        if not mentions(manual, option):
            problems.append(f"{option}: not in docs/manual.md")
    assert not problems, "\n".join(problems)


# ---- errors ---------------------------------------------------------------------

def error_kinds() -> List[str]:
    text = ERRORS.read_text()
    m = re.search(r"s_error_names\s*\[[^\]]*\]\s*=\s*\{([^}]*)\}", text)
    assert m, "no s_error_names table in memscope/msc_errors.c"
    kinds = re.findall(r'"([^"]+)"', m.group(1))
    assert "InvalidFree" in kinds, kinds
    return kinds


def test_every_error_kind_is_in_the_manual():
    manual = MANUAL.read_text()
    problems = []
    for kind in error_kinds():
        if not re.search(rf"### {kind}\b", manual):
            problems.append(f"{kind}: no section '### {kind}' in "
                            f"docs/manual.md")
        if f"memscope:{kind}" not in manual:
            problems.append(f"{kind}: suppression kind memscope:{kind} not "
                            f"in docs/manual.md")
    assert not problems, "\n".join(problems)


def test_the_man_pages_name_their_sections():
    for path, sections in ((TOOL_MAN, ("NAME", "SYNOPSIS", "OPTIONS",
                                       "CLIENT REQUESTS",
                                       "MONITOR COMMANDS", "FILES",
                                       "SEE ALSO")),
                           (REPORT_MAN, ("NAME", "SYNOPSIS", "OPTIONS",
                                         "OUTPUT", "EXIT STATUS",
                                         "SEE ALSO"))):
        heads = re.findall(r"^\.SH\s+\"?([^\"\n]+)\"?$", path.read_text(),
                           re.M)
        missing = [s for s in sections if s not in heads]
        assert not missing, f"{path.name}: no section {missing}"
