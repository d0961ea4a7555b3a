"""How the process ended, as the report shows it: the END record's
ending (log format 1.10) in every JSON file's run.ending, on the HTML
report's first screen, in the SVG and in memscope-decode; older logs and
logs cut short say so.  Logs built record by record (tests/logbuilder.py);
tests/test_torture.py checks the tool's side on real endings."""

import json

import pytest
from lxml import etree, html

from helpers import decode, report, schema_validator
from logbuilder import LogBuilder
from memscope import logformat as F

CATEGORIES = ("memory_analysis", "lifetime", "performance", "unsafe_ffi",
              "complex_types", "concurrency")


def ended_log(ending=None, code=0, thread=0, stack=0, minor=F.MINOR,
              end=True, thread_name="") -> bytes:
    """Two threads; thread 2 (named thread_name) allocates a block at
    worker (ending.c:7), called from start (ending.c:20); END says
    `ending` (a F.ENDINGS name, or None for a 1.9 END without it)."""
    b = LogBuilder(minor=minor, program="ending")
    b.header()
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    b.rec(F.REC_THREAD_CREATE, 5, 2, 1, 0)
    if thread_name:
        b.rec(F.REC_THREAD_NAME, 0, 2, b.s(thread_name))
    b.frame(0x1000, "worker", 7)
    b.frame(0x2000, "start", 20)
    b.rec(F.REC_STACK, 1, 2, 0x1000, 0x2000)
    b.alloc(2, 1, 0x4000, 16)
    if end:
        fields = [0, 1, 0, 16, 16, 1, 0, 1, 16, 2, 0, 0]
        if ending is not None:
            fields += [F.ENDINGS.index(ending), code, thread, stack]
        b.rec(F.REC_END, *fields)
    return bytes(b.data)


def run_report(tmp_path, data: bytes):
    log = tmp_path / "ending.msc"
    log.write_bytes(data)
    out = tmp_path / "out"
    r = report([str(log), "-o", str(out), "--base", "e"])
    assert r.returncode == 0, r.stderr
    docs = {c: json.loads((out / f"e_{c}.json").read_text())
            for c in CATEGORIES}
    page = html.parse(str(out / "e.html")).getroot()
    svg = etree.parse(str(out / "e.svg")).getroot()
    return docs, page, svg, log


SIGSEGV_TEXT = ("killed by signal 11 (SIGSEGV) in thread 2 (worker-1), at "
                "worker (ending.c:7)")

CASES = {
    "exit 0": (dict(ending="exit", code=0, thread=1),
               {"how": "exit", "exit_status": 0, "signal": None,
                "signal_name": None, "thread": 1, "thread_name": None,
                "text": "exit status 0"}, "meta", "Ended: exit status 0."),
    "exit 3": (dict(ending="exit", code=3, thread=2,
                    thread_name="worker-1"),
               {"how": "exit", "exit_status": 3, "signal": None,
                "signal_name": None, "thread": 2,
                "thread_name": "worker-1", "text": "exit status 3"},
               "banner", "The program ended with exit status 3."),
    "segv": (dict(ending="signal", code=11, thread=2, stack=1,
                  thread_name="worker-1"),
             {"how": "signal", "exit_status": None, "signal": 11,
              "signal_name": "SIGSEGV", "thread": 2,
              "thread_name": "worker-1", "text": SIGSEGV_TEXT},
             "banner", f"The program was {SIGSEGV_TEXT}."),
    "unknown signal": (dict(ending="signal", code=0, thread=2, stack=1),
                       {"how": "signal", "exit_status": None,
                        "signal": None, "signal_name": None, "thread": 2,
                        "thread_name": None,
                        "text": "killed by a signal (its number was not "
                                "learnt) in thread 2, at worker "
                                "(ending.c:7)"},
                       "banner", None),
    "format 1.9": (dict(ending=None, minor=9),
                   {"how": "unknown", "exit_status": None, "signal": None,
                    "signal_name": None, "thread": None,
                    "thread_name": None,
                    "text": "not recorded (the log's format, older than "
                            "1.10, does not say)"}, "meta", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_output_says_how_the_process_ended(case, tmp_path):
    args, expected, html_class, html_text = CASES[case]
    docs, page, svg, log = run_report(tmp_path, ended_log(**args))
    for category, doc in docs.items():
        ending = dict(doc["run"]["ending"])
        frames = ending.pop("frames")
        assert ending == expected, category
        if expected["how"] == "signal":
            assert [(f["function"], f["line"]) for f in frames] == \
                [("worker", 7), ("start", 20)]
        else:
            assert frames == []
        assert list(schema_validator(category).iter_errors(doc)) == []
    shown = page.get_element_by_id("ending")
    assert shown.get("class") == html_class
    if html_text is not None:
        assert shown.xpath("string(./descendant-or-self::p[1])") \
            == html_text
    if expected["how"] == "signal":
        assert [li.text_content() for li in shown.iter("li")] == \
            ["worker (ending.c:7)", "start (ending.c:20)"]
    (svg_line,) = [t for t in svg.iter("{http://www.w3.org/2000/svg}text")
                   if t.get("id") == "ending"]
    assert svg_line.text.startswith("ended: " + expected["text"][:30])
    d = decode(["--summary", str(log)])
    assert d.returncode == 0
    assert f"ended: {expected['text']}\n" in d.stdout


def test_a_log_cut_short_says_so_everywhere(tmp_path):
    data = ended_log(end=False)
    docs, page, svg, log = run_report(tmp_path, data)
    for doc in docs.values():
        ending = doc["run"]["ending"]
        assert ending["how"] == "cut short"
        assert ending["text"].startswith(
            f"cut short at byte offset {len(data):,}: ")
    # The page's banner for a cut log is the one it had: no second one.
    assert page.get_element_by_id("truncated") is not None
    assert page.xpath('//*[@id="ending"]') == []
    assert "ended: cut short" in decode(["--summary", str(log)]).stdout


def test_hostile_thread_names_in_the_ending_stay_text(tmp_path):
    name = '<img src=x onerror=alert(1)>\x1b[31m\u202e'
    docs, page, svg, log = run_report(
        tmp_path, ended_log(ending="signal", code=6, thread=2, stack=1,
                            thread_name=name))
    assert docs["concurrency"]["run"]["ending"]["thread_name"] == name
    assert page.xpath("//img") == []
    text = page.get_element_by_id("ending").text_content()
    assert "signal 6 (SIGABRT)" in text and "\x1b" not in text
    out = decode(["--summary", str(log)]).stdout
    assert "\x1b" not in out and "\\x1b" in out
