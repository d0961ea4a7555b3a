"""The HTML report in a real browser (Debian's headless Chromium): no
console message at all, every section rendered with the figures of the
JSON files, hostile names shown as text and never run.  Keeps screenshots
in tests/artifacts/."""

import json
import re
import shutil
import subprocess

import pytest
from lxml import etree
from lxml import html as lxml_html

from helpers import (ARTIFACTS, BUILDDIR, JSON_CATEGORIES, memscope,
                     parse_memscope_summary, prog, report, schema_validator)

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-quic", "--enable-logging=stderr", "--v=0",
                  "--virtual-time-budget=10000"]
IMG = '<img src=x onerror="document.body.dataset.pwned=1">'
SCRIPT = "</script><script>document.body.dataset.pwned=2</script>"
GLOBAL = "javascript:alert(1) \u202e]]>-->"


def chromium(tmp_path, url, *args):
    exe = shutil.which("chromium")
    assert exe, "chromium is not installed: run ./setup (Debian package " \
                "chromium)"
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([exe, *CHROMIUM_FLAGS,
                           f"--user-data-dir={profile}", *args, url],
                          capture_output=True, text=True, errors="replace",
                          timeout=180, stdin=subprocess.DEVNULL)


def console_lines(stderr):
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def render(tmp_path, program, base):
    argv = program if isinstance(program, list) else [prog(program)]
    run = memscope(argv, tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    r = report([str(run.log), "-o", str(out), "--base", base])
    assert r.returncode == 0, r.stderr
    page = out / f"{base}.html"
    dump = chromium(tmp_path, page.as_uri(), "--dump-dom")
    assert dump.returncode == 0, dump.stderr[-2000:]
    assert console_lines(dump.stderr) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{base}.png"
    s = chromium(tmp_path, page.as_uri(), "--window-size=1400,5200",
                 f"--screenshot={shot}")
    assert s.returncode == 0 and shot.stat().st_size > 10000
    docs = {c: json.loads((out / f"{base}_{c}.json").read_text())
            for c in JSON_CATEGORIES}
    for category, doc in docs.items():
        assert list(schema_validator(category).iter_errors(doc)) == []
    # Every figure agrees with the tool's own exit summary.
    tool = parse_memscope_summary(run.stderr)
    s = docs["memory_analysis"]["summary"]
    assert (s["total_allocations"], s["total_frees"],
            s["total_bytes_allocated"], s["peak_live_bytes"],
            s["live_bytes_at_exit"], s["threads"]) == \
        (tool["allocs"], tool["frees"], tool["bytes"], tool["peak_bytes"],
         tool["live_bytes"], tool["threads"])
    return lxml_html.fromstring(dump.stdout), docs, out


def test_report_renders_with_the_json_figures(tmp_path):
    dom, docs, _ = render(tmp_path, "threads", "threads")
    body = dom.find("body")
    assert body.get("data-ready") == "yes"
    assert body.get("data-errors") == "0"
    s = docs["memory_analysis"]["summary"]
    for element_id, key in (("total-allocations", "total_allocations"),
                            ("total-frees", "total_frees"),
                            ("total-bytes", "total_bytes_allocated"),
                            ("peak-bytes", "peak_live_bytes"),
                            ("peak-blocks", "peak_live_blocks"),
                            ("live-bytes", "live_bytes_at_exit"),
                            ("live-blocks", "live_blocks_at_exit"),
                            ("thread-count", "threads")):
        el = dom.get_element_by_id(element_id)
        assert int(el.get("data-value")) == s[key], element_id
        assert el.text_content() == f"{s[key]:,}"
    # Every chart drew: dygraphs made its canvases, Chart.js and the flame
    # graph marked their containers.
    timeline = dom.get_element_by_id("timeline-chart")
    assert timeline.get("data-rendered") == "yes"
    assert timeline.findall(".//canvas")
    rendered = dom.xpath('//*[@data-rendered="yes"]')
    assert len(rendered) == 5
    # The thread table lists the JSON's threads with their work.
    rows = dom.get_element_by_id("threads-table").findall(".//tbody/tr")
    threads = docs["concurrency"]["threads"]
    assert len(rows) == len(threads) == 4
    for row, t in zip(rows, threads):
        cells = [c.text_content() for c in row.findall("td")]
        assert cells[0] == str(t["thread_id"]) and cells[1] == t["name"]
        assert cells[8] == f"{t['work_instrs']:,}"
    # The graph was laid out by graphviz; the flame graph has frames.
    assert dom.get_element_by_id("relationship-graph").tag == "svg"
    assert len(dom.xpath('//*[@id="flame-graph"]/g')) > 3
    # Site links lead to stacks.
    link = dom.xpath('//table[@id="sites-table"]//a')[0]
    target = link.get("href")[1:]
    assert dom.get_element_by_id(target).tag == "details"


def test_hostile_names_are_text_and_never_run(tmp_path):
    dom, docs, out = render(tmp_path, "hostile", "hostile")
    body = dom.find("body")
    assert body.get("data-pwned") is None
    assert body.get("data-errors") == "0"
    assert dom.xpath("//img") == []
    text = dom.text_content()
    assert IMG in text and SCRIPT in text
    # The direction override shows escaped: it reorders nothing.
    assert GLOBAL.replace("\u202e", "\\u202e") in text
    assert "\u202e" not in text
    assert "<b onclick=x>" in text
    assert dom.xpath("//*[@onclick]") == []
    assert dom.xpath("//b") == []
    # No script other than the report's own five (data, two libraries,
    # its own code): nothing was injected.
    assert len(dom.xpath("//script")) == 4
    variables = docs["complex_types"]["variables"]
    assert [v["name"] for v in variables] == [IMG, GLOBAL]
    assert variables[0]["type_name"] == SCRIPT
    assert variables[1]["type_name"] == "\"'&<>"
    names = [t["name"] for t in docs["concurrency"]["threads"]]
    assert "<b onclick=x>" in names
    # The SVG quick view: the names are text, no element came from them.
    svg = etree.parse(str(out / "hostile.svg")).getroot()
    tags = {etree.QName(e).localname for e in svg.iter()
            if isinstance(e.tag, str)}
    assert tags <= {"svg", "rect", "text", "polyline"}
    assert any("<b onclick=x>" in (t.text or "") for t in svg.iter(
        "{http://www.w3.org/2000/svg}text"))
    # The page itself holds no raw markup from the names.
    page = (out / "hostile.html").read_text()
    assert "<img src=x" not in page
    assert not re.search(r"<script>document", page)


@pytest.mark.parametrize("name", ["threads_demo", "pigz"])
def test_example_and_a_real_multithreaded_program(name, tmp_path):
    if name == "threads_demo":
        argv = [str(BUILDDIR / "examples" / "threads_demo")]
    else:
        src = tmp_path / "input.txt"
        src.write_text("".join(f"line {i * 7919 % 10007}\n"
                               for i in range(40000)))
        argv = ["pigz", "-p", "2", "-k", "-f", str(src)]
    dom, docs, _ = render(tmp_path, argv, name)
    body = dom.find("body")
    assert body.get("data-ready") == "yes"
    assert body.get("data-errors") == "0"
    assert len(dom.xpath('//*[@data-rendered="yes"]')) == 5
    s = docs["memory_analysis"]["summary"]
    assert int(dom.get_element_by_id("total-allocations")
               .get("data-value")) == s["total_allocations"]
    threads = docs["concurrency"]["threads"]
    assert len(threads) == s["threads"] >= 3
    assert len(dom.get_element_by_id("threads-table")
               .findall(".//tbody/tr")) == len(threads)
    # Race hints: a row per hint of the JSON, else the empty state.
    hints = docs["concurrency"]["race_hints"]
    if hints:
        rows = dom.get_element_by_id("races-table").findall(".//tbody/tr")
        assert [r.get("id") for r in rows] == \
            [f"race-{h['id']}" for h in hints[:500]]
    else:
        assert dom.get_element_by_id("races-empty").text_content() \
            .startswith("No race hints: ")
    if name == "threads_demo":
        names = [t["name"] for t in threads]
        assert names == ["", "producer-1", "consumer-1", "producer-2",
                         "consumer-2"]
        assert s["total_allocations"] == 1006
        assert docs["unsafe_ffi"]["summary"]["cross_thread_frees"] == 1000
        # The hand-offs: producers (2, 4) to consumers (3, 5), 1000
        # messages in all, from producer()'s malloc.
        handoffs = docs["concurrency"]["handoffs"]
        assert {h["alloc_thread_id"] for h in handoffs} == {2, 4}
        assert {h["free_thread_id"] for h in handoffs} == {3, 5}
        assert sum(h["blocks"] for h in handoffs) == 1000
        assert all(h["sites"][0]["label"].startswith("producer (")
                   for h in handoffs)
        schedule = docs["concurrency"]["schedule"]
        assert {sl["thread_id"] for sl in schedule["slices"]} == \
            {1, 2, 3, 4, 5}
        assert schedule["waits"] and schedule["complete"]
        assert len(dom.xpath('//*[@id="schedule"]//rect')) > 10
        # The concurrency views: the ring's lock, the shared ring, the
        # atomics table (the thread library's).
        locks = [r.findall("td")[0].text_content()
                 for r in dom.get_element_by_id("locks-table")
                 .findall(".//tbody/tr")]
        assert "ring" in locks
        shared = {r.findall("td")[0].text_content():
                  r.findall("td")[3].text_content()
                  for r in dom.get_element_by_id("shared-table")
                  .findall(".//tbody/tr")}
        assert shared["ring"] == "shared-modified"
        assert dom.get_element_by_id("atomics-table") is not None


def test_heap_scan_views(tmp_path):
    """heapgraph.c's exit scan: the leak tables, the structures and the
    relationship graph, rendered with the JSON's figures."""
    dom, docs, _ = render(tmp_path, "heapgraph", "heapgraph")
    body = dom.find("body")
    assert body.get("data-ready") == "yes"
    assert body.get("data-errors") == "0"
    leaks = docs["memory_analysis"]["summary"]["leaks"]
    rows = [[c.text_content() for c in r.findall("td")] for r in
            dom.get_element_by_id("leak-summary-table").findall(".//tbody/tr")]
    assert [(r[1], r[2]) for r in rows] == \
        [(f"{v['blocks']:,}", f"{v['bytes']:,}") for v in leaks.values()]
    lost = docs["memory_analysis"]["leaks"]
    assert [r.get("id") for r in dom.get_element_by_id("leaks-table")
            .findall(".//tbody/tr")] == [f"leak-{x['address']}" for x in lost]
    card = dom.get_element_by_id("definitely-lost-bytes")
    assert int(card.get("data-value")) == 72
    kinds = sorted(r.findall("td")[0].text_content() for r in
                   dom.get_element_by_id("structures-table")
                   .findall(".//tbody/tr"))
    assert kinds == ["cycle", "list", "list", "tree"]
    graph = dom.get_element_by_id("relationship-graph")
    assert graph.tag == "svg" and "list_head" in graph.text_content()
    assert len(dom.get_element_by_id("lifetime-table")
               .findall(".//tbody/tr")) == \
        len(docs["lifetime"]["sites"])


def test_nul_bytes_and_paths_in_names_show_as_text(tmp_path):
    """Names no C program can give (NUL bytes) but a damaged or forged
    log can: the page renders without a console error, every name shows
    as text with its NUL and direction override escaped, and nothing
    from the names became an element."""
    from test_torture import _hostile_log
    from helpers import report_log
    done, out = report_log(tmp_path, _hostile_log(), "forged")
    assert done.returncode == 0, done.stderr
    dump = chromium(tmp_path, (out / "forged.html").as_uri(), "--dump-dom")
    assert dump.returncode == 0, dump.stderr[-2000:]
    assert console_lines(dump.stderr) == []
    dom = lxml_html.fromstring(dump.stdout)
    text = dom.text_content()
    assert "nul\\x00byte \\u202eevil</script>" in text
    assert "../../etc/passwd" in text
    assert "\x00" not in text and "\u202e" not in text
    assert dom.find("body").get("data-errors") == "0"
    assert len(dom.xpath("//script")) == 4
