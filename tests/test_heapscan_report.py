"""Heap scans (log format 1.8) from a synthetic log with known answers:
a named global heading a 4-block linked list, a 7-block binary tree
reached from a named variable, a leaked 3-block list, a block reached
only through an interior pointer and a leaked 2-block cycle.  The
reader's typed records, memscope-decode's lines, the leak summary and
lost blocks of the memory-analysis JSON, the structures and relationship
graph of the complex-types JSON (exact values, against their schemas),
the HTML tables and graph, the SVG line, and scan records cut short,
misplaced or announcing more than they hold."""

import json

import pytest
from lxml import etree
from lxml import html as lxml_html

from helpers import (cell_texts, decode, report_exit_codes, report_log,
                     report_page, schema_validator, table_rows)
from logbuilder import LogBuilder, damaged, payload
from memscope import logformat as F
from memscope import logreader as R
from memscope.aggregate import analyse

HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">'

# The synthetic program's blocks, by allocation site (stack id).
BUF = 0x4a60000                                   # main: 100 bytes
LIST = [0x4a5b000 + 0x40 * i for i in range(4)]   # list_push: 16 each
TREE = [0x4a5c000 + 0x40 * i for i in range(7)]   # tree_insert: 24 each
LOST = [0x4a5d000 + 0x40 * i for i in range(3)]   # leak_list: 32 each
POSSIBLE = 0x4a5e000                              # interior: 40
CYCLE = [0x4a5f000, 0x4a5f040]                    # make_cycle: 48 each
TEMP = 0x4a61000                                  # main: 8, freed
# Its named roots.
LIST_HEAD, CURSOR, STRANGE = 0x601040, 0x601048, 0x601050
TREE_VAR = 0x1ffefff010

SITES = {1: ("main", 10), 2: ("list_push", 20), 3: ("tree_insert", 30),
         4: ("leak_list", 40), 5: ("interior", 50), 6: ("make_cycle", 60),
         7: ("main", 70), 8: ("main", 80)}


def label(stack_id):
    fn, line = SITES[stack_id]
    return f"{fn} (heap.c:{line})"


def site(stack_id):
    return {"stack_id": stack_id, "label": label(stack_id)}


def definitions(b: LogBuilder) -> None:
    b.header()
    for sid, (fn, line) in SITES.items():
        b.frame(0x401000 + 0x100 * sid, fn, line)
        b.rec(F.REC_STACK, sid, 1, 0x401000 + 0x100 * sid)


def first_part(b: LogBuilder, snapshot: bool) -> None:
    """The buffer and the list, a temporary block, and (MEMSCOPE_SNAPSHOT)
    a scan of them."""
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    b.alloc(1, 1, BUF, 100)
    for addr in LIST:
        b.alloc(1, 2, addr, 16)
    b.alloc(1, 1, TEMP, 8)
    b.free(1, 8, TEMP)
    if not snapshot:
        return
    b.rec(F.REC_SCAN, 10, 1, 7, 1, 5, 164)
    for i, addr in enumerate(LIST):
        b.block_refs(addr, "reachable",
                     [(LIST[i + 1], 1, 0)] if i < 3 else [])
    b.block_refs(BUF, "reachable", [])
    b.root_refs("global", LIST_HEAD, "list_head", LIST[0])
    b.rec(F.REC_SCAN_END, 0, 0, 0, 0, 0, 0, 5, 164)


def second_part(b: LogBuilder) -> None:
    """The tree, the leaked list (its head named), the possibly lost
    block, and the cycle made by a second thread."""
    b.rec(F.REC_NAME, 5, 1, 1, F.NAME_VARIABLE, TREE_VAR, 8, b.s("tree"),
          b.s("struct tnode *"))
    for addr in TREE:
        b.alloc(1, 3, addr, 24)
    for addr in LOST:
        b.alloc(1, 4, addr, 32)
    b.rec(F.REC_NAME, 5, 1, 4, F.NAME_HEAP, LOST[0], 32, b.s("lost_list"),
          b.s("struct node"))
    b.alloc(1, 5, POSSIBLE, 40)
    b.rec(F.REC_THREAD_CREATE, 5, 2, 1, 1)
    b.rec(F.REC_THREAD_NAME, 1, 2, b.s("builder"))
    for addr in CYCLE:
        b.alloc(2, 6, addr, 48)
    b.rec(F.REC_THREAD_EXIT, 5, 2)


def exit_scan(b: LogBuilder) -> None:
    b.rec(F.REC_SCAN, 10, 1, 0, 0, 18, 564)
    for i, addr in enumerate(LIST):
        b.block_refs(addr, "reachable",
                     [(LIST[i + 1], 1, 0)] if i < 3 else [])
    for i, addr in enumerate(TREE):
        kids = [TREE[k] for k in (2 * i + 1, 2 * i + 2) if k < 7]
        b.block_refs(addr, "reachable", [(k, 1, 0) for k in kids])
    b.block_refs(LOST[0], "definite", [(LOST[1], 1, 0)])
    b.block_refs(LOST[1], "indirect", [(LOST[2], 1, 0)])
    b.block_refs(LOST[2], "indirect", [])
    b.block_refs(POSSIBLE, "possible", [])
    b.block_refs(CYCLE[0], "definite", [(CYCLE[1], 1, 0)])
    b.block_refs(CYCLE[1], "indirect", [(CYCLE[0], 1, 0)])
    b.block_refs(BUF, "reachable", [])
    b.root_refs("global", LIST_HEAD, "list_head", LIST[0])
    b.root_refs("variable", TREE_VAR, "tree", TREE[0])
    b.root_refs("global", CURSOR, "cursor", POSSIBLE, 0, 1)
    b.root_refs("global", STRANGE, HOSTILE, BUF)
    b.rec(F.REC_SCAN_END, 2, 80, 3, 112, 1, 40, 12, 332)


def heap_log(scans: bool = True) -> LogBuilder:
    """The synthetic program's log, with its two scans or (as a log of
    format 1.7 would be) none."""
    b = LogBuilder(program="heap")
    definitions(b)
    first_part(b, scans)
    second_part(b)
    if scans:
        exit_scan(b)
    b.rec(F.REC_END, 5, 19, 1, 572, 572, 19, 0, 18, 564, 2, 5, 10)
    return b


@pytest.fixture(scope="module")
def heap_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("heap_report")
    b = heap_log()
    out, page = report_page(tmp, bytes(b.data), "heap")
    docs = {c: json.loads((out / f"heap_{c}.json").read_text())
            for c in ("memory_analysis", "complex_types")}
    return b, docs, page, out


def read_records(tmp_path, data: bytes):
    (tmp_path / "h.msc").write_bytes(data)
    with R.LogReader(str(tmp_path / "h.msc")) as log:
        return list(log.events()), log


# ---- the reader and the decoder ---------------------------------------------

def test_reader_types_the_scan_records(tmp_path):
    recs, log = read_records(tmp_path, bytes(heap_log().data))
    assert log.minor == F.MINOR and log.truncated_at is None
    scans = [r for r in recs if isinstance(r, R.Scan)]
    assert [(s.reason, s.thread, s.stack.id, s.blocks, s.bytes)
            for s in scans] == [("request", 1, 7, 5, 164),
                                ("exit", 1, 0, 18, 564)]
    exit_time = scans[1].time
    parts = recs[recs.index(scans[1]) + 1:]
    refs = [r for r in parts if isinstance(r, R.BlockRefs)]
    assert len(refs) == 18
    # The parts of a scan have no dt: they take their scan's time.
    assert {r.time for r in parts if not isinstance(r, R.End)} == \
        {exit_time}
    head = refs[0]
    assert (head.addr, head.leak_class, head.refs) == \
        (LIST[0], "reachable", (R.Ref(LIST[1], 1, 0),))
    assert head.refs[0].to == LIST[1]
    assert [r.leak_class for r in refs if r.addr in LOST] == \
        ["definite", "indirect", "indirect"]
    roots = [r for r in parts if isinstance(r, R.RootRefs)]
    assert [(r.kind, r.root, r.name, r.to, r.starts, r.interiors)
            for r in roots] == [
        ("global", LIST_HEAD, "list_head", LIST[0], 1, 0),
        ("variable", TREE_VAR, "tree", TREE[0], 1, 0),
        ("global", CURSOR, "cursor", POSSIBLE, 0, 1),
        ("global", STRANGE, HOSTILE, BUF, 1, 0)]
    end, = [r for r in parts if isinstance(r, R.ScanEnd)]
    assert (end.definite_blocks, end.definite_bytes, end.indirect_blocks,
            end.indirect_bytes, end.possible_blocks, end.possible_bytes,
            end.reachable_blocks, end.reachable_bytes) == \
        (2, 80, 3, 112, 1, 40, 12, 332)
    # The clock goes on from the scan's time.
    assert recs[-1].time == exit_time + 5


def test_decode_prints_them(tmp_path):
    log = tmp_path / "h.msc"
    log.write_bytes(bytes(heap_log().data))
    d = decode([str(log)])
    assert d.returncode == 0, d.stderr
    lines = [line.split(" ", 1)[1] for line in d.stdout.splitlines()
             if line.startswith("@")]
    scans = [line for line in lines if " SCAN " in line]
    assert scans[0].endswith("SCAN thread=1 request blocks=5 bytes=164 "
                             "stack=7")
    assert scans[1].endswith("SCAN thread=1 exit blocks=18 bytes=564 "
                             "stack=0")
    t = scans[1].split(" ")[0]
    assert f"{t} BLOCK_REFS addr=0x{TREE[0]:x} reachable " \
        f"refs=[0x{TREE[1]:x}:1+0,0x{TREE[2]:x}:1+0]" in lines
    assert f"{t} BLOCK_REFS addr=0x{LOST[2]:x} indirect refs=[]" in lines
    assert f"{t} ROOT_REFS global root=0x{CURSOR:x} name=\"cursor\" " \
        f"to=0x{POSSIBLE:x} starts=0 interiors=1" in lines
    # Client strings are escaped for the terminal.
    assert any(line.startswith(f"{t} ROOT_REFS global root=0x{STRANGE:x} "
                               f"name=\"<img src=x onerror=\\\"")
               for line in lines)
    assert f"{t} SCAN_END definite=2/80 indirect=3/112 possible=1/40 " \
        f"reachable=12/332 (blocks/bytes)" in lines
    s = decode(["--summary", str(log)])
    assert s.returncode == 0, s.stderr
    assert f"leak summary (exit scan at instruction {int(t[2:]):,}): " \
        "definitely lost: 80 bytes in 2 blocks; indirectly lost: 112 " \
        "bytes in 3 blocks; possibly lost: 40 bytes in 1 blocks; still " \
        "reachable: 332 bytes in 12 blocks\n" in s.stdout


# ---- the JSON files ---------------------------------------------------------

def test_memory_analysis_has_the_leaks(heap_report):
    _, docs, _, _ = heap_report
    doc = docs["memory_analysis"]
    assert list(schema_validator("memory_analysis").iter_errors(doc)) == []
    assert doc["schema_version"] == 2
    assert doc["summary"]["leaks"] == {
        "definitely_lost": {"blocks": 2, "bytes": 80},
        "indirectly_lost": {"blocks": 3, "bytes": 112},
        "possibly_lost": {"blocks": 1, "bytes": 40},
        "still_reachable": {"blocks": 12, "bytes": 332}}
    assert doc["summary"]["field_notes"]["leaks"].startswith(
        "Memcheck's LEAK SUMMARY, from the heap scan at exit")

    def lost(addr, size, cls, stack_id, thread=1, name="", type_name="",
             held_by=None):
        return {"address": hex(addr), "size": size, "class": cls,
                "thread_id": thread, "name": name, "type_name": type_name,
                "allocation_site": site(stack_id),
                "held_by": hex(held_by) if held_by else None}

    assert doc["leaks"] == [
        lost(LOST[0], 32, "definitely_lost", 4, name="lost_list",
             type_name="struct node"),
        lost(CYCLE[0], 48, "definitely_lost", 6, thread=2),
        lost(LOST[1], 32, "indirectly_lost", 4, held_by=LOST[0]),
        lost(LOST[2], 32, "indirectly_lost", 4, held_by=LOST[0]),
        lost(CYCLE[1], 48, "indirectly_lost", 6, thread=2,
             held_by=CYCLE[0]),
        lost(POSSIBLE, 40, "possibly_lost", 5)]
    assert doc["leaks_complete"] is True
    first, last = doc["snapshots"]
    assert {k: v for k, v in first.items() if k != "time_instrs"} == {
        "index": 1, "reason": "request", "thread_id": 1,
        "stack": site(7), "blocks": 5, "bytes": 164,
        "leaks": {"definitely_lost": {"blocks": 0, "bytes": 0},
                  "indirectly_lost": {"blocks": 0, "bytes": 0},
                  "possibly_lost": {"blocks": 0, "bytes": 0},
                  "still_reachable": {"blocks": 5, "bytes": 164}},
        "analysed": False}
    assert (last["index"], last["reason"], last["blocks"], last["bytes"],
            last["leaks"], last["analysed"]) == \
        (2, "exit", 18, 564, doc["summary"]["leaks"], True)
    assert first["time_instrs"] < last["time_instrs"]
    assert doc["snapshots_complete"] is True
    # Every stack the leaks and scans name is there in full.
    assert {"4", "5", "6", "7"} <= set(doc["stacks"])


def test_complex_types_has_structures_and_relationships(heap_report):
    _, docs, _, _ = heap_report
    doc = docs["complex_types"]
    assert list(schema_validator("complex_types").iter_errors(doc)) == []
    assert doc["schema_version"] == 2
    comp = doc["composite_structures"]
    assert comp["analysed"] is True and comp["structures_complete"] is True
    reachable = "still_reachable"
    assert comp["structures"] == [
        {"kind": "tree", "nodes": 7, "bytes": 168, "depth": 3,
         "root": hex(TREE[0]), "root_variable": "tree",
         "allocation_sites": [site(3)], "classes": {reachable: 7}},
        {"kind": "list", "nodes": 4, "bytes": 64, "depth": 4,
         "root": hex(LIST[0]), "root_variable": "list_head",
         "allocation_sites": [site(2)], "classes": {reachable: 4}},
        {"kind": "list", "nodes": 3, "bytes": 96, "depth": 3,
         "root": hex(LOST[0]), "root_variable": "lost_list",
         "allocation_sites": [site(4)],
         "classes": {"definitely_lost": 1, "indirectly_lost": 2}},
        {"kind": "cycle", "nodes": 2, "bytes": 96, "depth": 2,
         "root": hex(CYCLE[0]), "root_variable": None,
         "allocation_sites": [site(6)],
         "classes": {"definitely_lost": 1, "indirectly_lost": 1}}]
    rel = doc["relationships"]
    assert rel["analysed"] is True and rel["complete"] is True
    s = {i: f"site:{label(i)}" for i in SITES}
    assert {(e["from"], e["to"]): e["pointers"] for e in rel["edges"]} == {
        ("global:list_head", s[2]): 1, ("variable:tree", s[3]): 1,
        ("global:cursor", s[5]): 1, (f"global:{HOSTILE}", s[1]): 1,
        ("block:lost_list", s[4]): 1, (s[2], s[2]): 3, (s[3], s[3]): 6,
        (s[4], s[4]): 1, (s[6], s[6]): 2}
    nodes = {n["id"]: n for n in rel["nodes"]}
    # The roots come first: the landmarks.
    assert [n["kind"] for n in rel["nodes"][:4]] == ["global"] * 3 + \
        ["variable"]
    assert nodes["global:list_head"] == {
        "id": "global:list_head", "kind": "global", "label": "list_head",
        "address": hex(LIST_HEAD), "stack_ids": [], "blocks": 0,
        "bytes": 0, "classes": {}}
    assert nodes[s[4]] == {
        "id": s[4], "kind": "site", "label": label(4), "address": None,
        "stack_ids": [4], "blocks": 2, "bytes": 64,
        "classes": {"indirectly_lost": 2}}
    assert nodes["block:lost_list"]["address"] == hex(LOST[0])
    assert set(nodes) == {"global:list_head", "variable:tree",
                          "global:cursor", f"global:{HOSTILE}",
                          "block:lost_list", *(s[i] for i in range(1, 7))}


# ---- the HTML page and the SVG ----------------------------------------------


def test_html_leak_tables(heap_report):
    _, docs, page, _ = heap_report
    assert [cell_texts(r) for r in table_rows(page, "leak-summary-table")] == [
        ["definitely lost", "2", "80"], ["indirectly lost", "3", "112"],
        ["possibly lost", "1", "40"], ["still reachable", "12", "332"]]
    rows = table_rows(page, "leaks-table")
    leaks = docs["memory_analysis"]["leaks"]
    assert [r.get("id") for r in rows] == \
        [f"leak-{b['address']}" for b in leaks]
    assert cell_texts(rows[0]) == [hex(LOST[0]), "definitely lost", "32",
                               "lost_list", "struct node", "1", label(4),
                               ""]
    assert cell_texts(rows[4]) == [hex(CYCLE[1]), "indirectly lost", "48", "",
                               "", "2", label(6), hex(CYCLE[0])]
    # The holder links to its row, the stack to the Stacks section.
    held = rows[4].findall("td")[7].find("a")
    assert held.get("href") == f"#leak-{hex(CYCLE[0])}"
    stack = rows[4].findall("td")[6].find("a")
    assert page.get_element_by_id(stack.get("href")[1:]).tag == "details"
    scans = table_rows(page, "snapshots-table")
    assert [cell_texts(r)[:2] for r in scans] == [["1", "request"],
                                              ["2", "exit"]]
    assert cell_texts(scans[1])[5:] == ["18", "564", "80", "112", "40", "332"]
    card = page.get_element_by_id("definitely-lost-bytes")
    assert card.get("data-value") == "80"


def test_html_lifetimes_structures_and_graph(heap_report):
    _, docs, page, _ = heap_report
    life = {cell_texts(r)[0]: cell_texts(r)[1:] for r in table_rows(page,
                                                        "lifetime-table")}
    # main's site: the buffer, and the temporary block freed 10
    # instructions after its allocation.
    assert life[label(1)] == ["2", "108", "1", "10.0", "10", "2", "108",
                              "1", "0", "1"]
    assert len(life) == 6
    rows = table_rows(page, "structures-table")
    assert [cell_texts(r)[:6] for r in rows] == [
        ["tree", "7", "168", "3", hex(TREE[0]), "tree"],
        ["list", "4", "64", "4", hex(LIST[0]), "list_head"],
        ["list", "3", "96", "3", hex(LOST[0]), "lost_list"],
        ["cycle", "2", "96", "2", hex(CYCLE[0]), ""]]
    assert cell_texts(rows[2])[6:] == [
        label(4), "1 definitely lost, 2 indirectly lost"]
    assert rows[0].find(".//a").get("href") == "#stack-3"
    # The graph: Graphviz laid out the relationships, the landmarks and
    # the site groups with their pointer counts.
    graph = page.get_element_by_id("relationship-graph")
    assert graph.tag == "svg"
    texts = [t.text for t in graph.iter("text")]
    for text in ("list_head", "(global 0x601040)", "tree", label(3),
                 "7 blocks, 168 B", "lost_list", "2 indirectly lost", "6",
                 HOSTILE):
        assert text in texts, text
    assert len(list(graph.iter("g"))) > 20
    # The client's strings are text: no element came from them.
    assert page.xpath("//img") == []
    assert page.xpath("//*[@onerror]") == []


def test_svg_has_the_leak_line(heap_report):
    _, _, _, out = heap_report
    root = etree.parse(str(out / "heap.svg")).getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Leaks: definitely lost 80 B in 2 blocks, indirectly lost 112 " \
        "B in 3 blocks, possibly lost 40 B in 1 blocks, still reachable " \
        "332 B in 12 blocks" in texts


def test_no_scan(tmp_path):
    r, out = report_log(tmp_path, bytes(heap_log(scans=False).data), "heap")
    assert r.returncode == 0, r.stderr
    mem = json.loads((out / "heap_memory_analysis.json").read_text())
    types = json.loads((out / "heap_complex_types.json").read_text())
    assert list(schema_validator("memory_analysis").iter_errors(mem)) == []
    assert list(schema_validator("complex_types").iter_errors(types)) == []
    assert mem["summary"]["leaks"] is None
    assert mem["summary"]["field_notes"]["leaks"].startswith(
        "null: the log has no heap scan")
    assert (mem["leaks"], mem["snapshots"]) == ([], [])
    comp = types["composite_structures"]
    assert (comp["analysed"], comp["structures"]) == (False, [])
    assert (types["relationships"]["analysed"],
            types["relationships"]["nodes"]) == (False, [])
    page = lxml_html.parse(str(out / "heap.html")).getroot()
    for element_id in ("leaks-empty", "structures-empty"):
        assert page.get_element_by_id(element_id).text_content() \
            .startswith("No heap scan in this log")
    assert page.xpath('//*[@id="leaks-table" or @id="structures-table" '
                      'or @id="definitely-lost-bytes"]') == []
    # The graph is today's: threads and named objects.
    texts = [t.text for t in
             page.get_element_by_id("relationship-graph").iter("text")]
    assert "thread 1" in texts
    assert page.get_element_by_id("lifetime-table") is not None


# ---- which scan is analysed, and the graph's kinds --------------------------

def scan(b, reason, blocks):
    """A scan of `blocks` [(addr, class, refs)], all reachable totals
    aside."""
    b.rec(F.REC_SCAN, 10, 1, 0, F.SCAN_REASONS.index(reason), len(blocks),
          0)
    for addr, cls, refs in blocks:
        b.block_refs(addr, cls, refs)
    b.rec(F.REC_SCAN_END, 0, 0, 0, 0, 0, 0, len(blocks), 0)


def test_the_exit_scan_is_analysed_else_the_last(tmp_path):
    b = LogBuilder(program="heap")
    definitions(b)
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    b.alloc(1, 1, BUF, 100)
    scan(b, "request", [(BUF, "reachable", [])])
    scan(b, "monitor", [(BUF, "definite", [])])
    recs, _ = read_records(tmp_path, bytes(b.data))
    a = analyse(recs)
    assert (a.scan_count, a.exit_scan.index, a.exit_scan.reason) == \
        (2, 2, "monitor")
    assert a.scans[0].detail is None
    assert a.exit_scan.detail.blocks[BUF].leak_class == "definite"
    scan(b, "exit", [(BUF, "possible", [])])
    scan(b, "request", [(BUF, "reachable", [])])
    recs, _ = read_records(tmp_path, bytes(b.data))
    a = analyse(recs)
    assert (a.scan_count, a.exit_scan.index) == (4, 3)
    assert [s.detail is not None for s in a.scans] == \
        [False, False, True, False]
    assert a.exit_scan.detail.blocks[BUF].block.size == 100


def test_graph_kinds(tmp_path):
    # A diamond (a graph), a block pointing to itself (a cycle of one), a
    # doubly linked list (one cycle: depth 2), a pair (too small), an
    # indirectly lost block reached from no definitely lost one.
    a0, a1, a2, a3 = (0x5000000 + 0x40 * i for i in range(4))
    selfish = 0x5001000
    d0, d1, d2 = (0x5002000 + 0x40 * i for i in range(3))
    p0, p1 = 0x5003000, 0x5003040
    o0, o1 = 0x5004000, 0x5004040
    blocks = [
        (a0, "reachable", [(a1, 1, 0), (a2, 1, 0)]),
        (a1, "reachable", [(a3, 1, 0)]), (a2, "reachable", [(a3, 0, 2)]),
        (a3, "reachable", [(a3, 0, 0)]),
        (selfish, "reachable", [(selfish, 1, 0)]),
        (d0, "reachable", [(d1, 1, 0)]),
        (d1, "reachable", [(d0, 1, 0), (d2, 1, 0)]),
        (d2, "reachable", [(d1, 1, 0)]),
        (p0, "reachable", [(p1, 1, 0)]), (p1, "reachable", []),
        (o0, "indirect", [(o1, 1, 0)]), (o1, "indirect", [(o0, 1, 0)])]
    b = LogBuilder(program="heap")
    definitions(b)
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    for addr, _, _ in blocks:
        b.alloc(1, 1, addr, 8)
    scan(b, "exit", blocks)
    b.rec(F.REC_END, 5, 12, 0, 96, 96, 12, 0, 12, 96, 1, 5, 10)
    r, out = report_log(tmp_path, bytes(b.data), "heap")
    assert r.returncode == 0, r.stderr
    doc = json.loads((out / "heap_complex_types.json").read_text())
    found = [(s["kind"], s["nodes"], s["depth"], s["root"])
             for s in doc["composite_structures"]["structures"]]
    assert found == [("graph", 4, 3, hex(a0)), ("cycle", 3, 2, hex(d0)),
                     ("cycle", 2, 2, hex(o0)), ("cycle", 1, 1, hex(selfish))]
    mem = json.loads((out / "heap_memory_analysis.json").read_text())
    assert [(x["address"], x["held_by"]) for x in mem["leaks"]] == \
        [(hex(o0), None), (hex(o1), None)]


# ---- damaged logs -----------------------------------------------------------

def _with_bad(tag: int, body: bytes, in_scan: bool = True):
    """A log with a record of this tag and payload after the buffer's
    allocation, inside a scan or not; and the record's offset."""
    b = LogBuilder(program="heap")
    definitions(b)
    b.rec(F.REC_THREAD_CREATE, 0, 1, 0, 0)
    b.alloc(1, 1, BUF, 100)
    if in_scan:
        b.rec(F.REC_SCAN, 10, 1, 0, 0, 1, 100)
    offset = b.raw(tag, body)
    b.rec(F.REC_END, 5, 1, 0, 100, 100, 1, 10, 1, 100, 1, 5, 10)
    return bytes(b.data), offset


@pytest.mark.parametrize("tag, body, in_scan, why", [
    (F.REC_BLOCK_REFS, payload(BUF, 0, 1000, BUF, 1, 0), True,
     "1000 refs announced, 1 present"),
    (F.REC_BLOCK_REFS, payload(BUF, 0, 2 ** 62), True,
     f"{2 ** 62} refs announced, 0 present"),
    (F.REC_BLOCK_REFS, payload(BUF, 0, 1, BUF, 1), True,
     "1 refs announced, 0 present"),
    (F.REC_BLOCK_REFS, payload(BUF, 7, 0), True, "unknown class 7"),
    (F.REC_BLOCK_REFS, payload(BUF, 0), True, "2 fields, 3 needed"),
    (F.REC_BLOCK_REFS, payload(BUF, 0, 0) + b"\x80", True,
     "a field runs past the end of its record"),
    (F.REC_BLOCK_REFS, payload(BUF, 0, 0), False,
     "outside a scan (no SCAN record before it)"),
    (F.REC_ROOT_REFS, payload(4, LIST_HEAD, 0, BUF, 1, 0), True,
     "unknown kind 4"),
    (F.REC_ROOT_REFS, payload(0, LIST_HEAD, 99, BUF, 1, 0), True,
     "names string 99, which no STRING record defined"),
    (F.REC_SCAN_END, payload(0, 0, 0, 0, 0, 0, 1), True,
     "7 fields, 8 needed"),
    (F.REC_SCAN_END, payload(0, 0, 0, 0, 0, 0, 1, 100), False,
     "outside a scan (no SCAN record before it)"),
    (F.REC_SCAN, payload(10, 1, 0, 5, 1, 100), False, "unknown reason 5"),
    (F.REC_SCAN, payload(10, 1, 99, 0, 1, 100), False,
     "names stack 99, which no STACK record defined"),
], ids=["n_refs", "huge_n_refs", "cut_ref", "class", "too_few",
        "cut_field", "refs_outside", "root_kind", "root_name",
        "end_too_few", "end_outside", "reason", "scan_stack"])
def test_corrupt_scan_records_exit_4(tmp_path, tag, body, in_scan, why):
    data, offset = _with_bad(tag, body, in_scan)
    r, out = report_log(tmp_path, data, "heap")
    assert r.returncode == 4, r.stderr
    assert r.stderr == (f"memscope-report: {tmp_path / 'heap.msc'}: bad "
                        f"{F.TAG_NAMES[tag]} record ({why}) at byte offset "
                        f"{offset}\n")
    assert not out.exists()


def test_a_scan_inside_a_scan_exits_4(tmp_path):
    data, offset = _with_bad(F.REC_SCAN, payload(10, 1, 0, 0, 1, 100))
    first = offset - len(payload(10, 1, 0, 0, 1, 100)) - 2
    r, _ = report_log(tmp_path, data, "heap")
    assert r.returncode == 4, r.stderr
    assert r.stderr.endswith(f"bad SCAN record (a scan begins inside the "
                             f"scan that began at byte offset {first}) at "
                             f"byte offset {offset}\n")


def test_log_cut_inside_the_exit_scan(tmp_path):
    b = heap_log()
    cut_at = b.offsets["BLOCK_REFS"][-4]      # the possibly lost block
    r, out = report_log(tmp_path, bytes(b.data[:cut_at + 3]), "heap")
    assert r.returncode == 0, r.stderr
    assert f"truncated at byte offset {cut_at}" in r.stderr
    mem = json.loads((out / "heap_memory_analysis.json").read_text())
    assert list(schema_validator("memory_analysis").iter_errors(mem)) == []
    assert mem["summary"]["leaks"] is None
    assert mem["summary"]["field_notes"]["leaks"].startswith(
        "null: the log ends inside the exit scan")
    assert [s["leaks"] is None for s in mem["snapshots"]] == [False, True]
    # What the scan wrote is shown, marked incomplete.
    assert [x["address"] for x in mem["leaks"]] == \
        [hex(LOST[0]), hex(LOST[1]), hex(LOST[2])]
    assert mem["leaks_complete"] is False
    types = json.loads((out / "heap_complex_types.json").read_text())
    assert types["composite_structures"]["structures_complete"] is False
    assert types["relationships"]["complete"] is False


def test_every_truncation_point_and_byte_flips(tmp_path):
    # Never an exit code outside the documented ones, never a traceback;
    # the flips hit the scans and what follows them.
    b = heap_log()
    start = b.offsets["SCAN"][0]
    cases = damaged(bytes(b.data), start, cut_from=start, step=2, seed=11)
    codes = report_exit_codes(cases, tmp_path)
    assert set(codes) <= {0, 4}, codes
