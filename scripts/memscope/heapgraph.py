"""heapgraph: what one heap scan's pointer graph says, computed once at
the end of the aggregation pass for the exit scan:

- which definitely lost block holds each indirectly lost one (Memcheck's
  loss-record cliques);
- composite structures: cycles (strongly connected components), and in
  the acyclic rest linked lists, trees and other graphs;
- the relationship graph: named roots and named blocks as landmarks,
  unnamed blocks grouped by allocation site, edges counting pointers.

Pure: takes a scan (any ScanView: aggregate's ScanDetail is one),
returns a HeapGraph; no labels (the outputs name sites), no I/O; it
imports nothing of the package, so the aggregation above it can use it
without a circle.  Iterative throughout: a list of a million
nodes must not meet Python's recursion limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Protocol, Sequence, Tuple


class ScanBlockView(Protocol):
    """What is read of one scanned block."""
    leak_class: str
    refs: Sequence            # of objects with to, starts, interiors
    size: int
    name: str
    stack_id: int


class ScanView(Protocol):
    """What is read of a scan: its blocks by address and its named
    roots (objects with kind, root, name, to, starts, interiors)."""
    blocks: Dict[int, ScanBlockView]
    roots: Sequence

# A structure that is not a cycle needs this many blocks to be one.
MIN_STRUCTURE_NODES = 3

GroupKey = Tuple[str, object]     # (kind, name) or ("site", stack_id)


@dataclass(slots=True)
class Structure:
    """A composite structure of blocks.  kind: "cycle" (a strongly
    connected component of more than one block, or a block pointing to
    itself), "list" (acyclic, every block pointed to and pointing to at
    most one other), "tree" (acyclic, every block pointed to by at most
    one other, some pointing to two or more), "graph" (any other acyclic
    component)."""
    kind: str
    nodes: Tuple[int, ...]        # block addresses, ascending
    bytes: int
    depth: int                    # see structures()
    root: int
    root_variable: Optional[str]
    stack_ids: Tuple[int, ...]    # allocation sites, ascending
    classes: Dict[str, int]       # leak class: blocks


@dataclass(slots=True)
class GroupNode:
    """A node of the relationship graph: a named root ("global" or
    "variable", by name), the named blocks of one name ("block"), or the
    unnamed blocks of one allocation site ("site")."""
    key: GroupKey
    kind: str
    name: str                     # "" for a site
    stack_id: int                 # a site's; else 0
    address: Optional[int]        # the first root or block
    blocks: int = 0
    bytes: int = 0
    classes: Dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class HeapGraph:
    owners: Dict[int, int]        # indirectly lost block: the definitely
    # lost block it is reached from (first in address order)
    structures: List[Structure]   # most blocks first
    groups: Dict[GroupKey, GroupNode]
    group_edges: Dict[Tuple[GroupKey, GroupKey], int]   # pointers


def successors(detail: ScanView) -> Dict[int, List[int]]:
    """Each scanned block's targets among the scanned blocks (a pointer
    to the start or inside counts; a block may point to itself)."""
    blocks = detail.blocks
    out = {}
    for addr, b in blocks.items():
        out[addr] = list(dict.fromkeys(
            r.to for r in b.refs
            if r.starts + r.interiors > 0 and r.to in blocks))
    return out


def leak_owners(detail: ScanView,
                succ: Dict[int, List[int]]) -> Dict[int, int]:
    """Memcheck's cliques: the definitely lost blocks in address order,
    each claiming the indirectly lost blocks it reaches that no earlier
    one claimed."""
    blocks = detail.blocks
    owners: Dict[int, int] = {}
    for leader in sorted(a for a, b in blocks.items()
                         if b.leak_class == "definite"):
        todo = [leader]
        while todo:
            for to in succ[todo.pop()]:
                if to not in owners and blocks[to].leak_class == "indirect":
                    owners[to] = leader
                    todo.append(to)
    return owners


def strongly_connected(nodes: List[int],
                       succ: Dict[int, List[int]]) -> List[List[int]]:
    """Tarjan's strongly connected components, without recursion."""
    index: Dict[int, int] = {}
    low: Dict[int, int] = {}
    on_stack = set()
    stack: List[int] = []
    components = []
    for start in nodes:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(succ[start]))]
        while work:
            node, targets = work[-1]
            descended = False
            for w in targets:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    descended = True
                    break
                if w in on_stack and index[w] < low[node]:
                    low[node] = index[w]
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == node:
                        break
                components.append(component)
    return components


def _weak_components(nodes: List[int], out: Dict[int, List[int]],
                     into: Dict[int, List[int]]) -> List[List[int]]:
    seen = set()
    components = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        component, todo = [], [start]
        while todo:
            n = todo.pop()
            component.append(n)
            for m in (*out[n], *into[n]):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        components.append(sorted(component))
    return components


def _longest_paths(component: List[int], out: Dict[int, List[int]],
                   into: Dict[int, List[int]]) -> Dict[int, int]:
    """For each block of an acyclic component, the most blocks on a path
    starting at it."""
    pending = {n: len(into[n]) for n in component}
    order = [n for n in component if not pending[n]]
    for n in order:                   # Kahn's topological order
        for m in out[n]:
            pending[m] -= 1
            if not pending[m]:
                order.append(m)
    longest: Dict[int, int] = {}
    for n in reversed(order):
        longest[n] = 1 + max((longest[m] for m in out[n]), default=0)
    return longest


def _cycle_depth(root: int, members: set, succ: Dict[int, List[int]]) -> int:
    """Blocks on the shortest cycle through root (1: it points to
    itself); breadth first inside the component."""
    dist = {root: 0}
    todo = [root]
    for n in todo:
        for m in succ[n]:
            if m == root:
                return dist[n] + 1
            if m in members and m not in dist:
                dist[m] = dist[n] + 1
                todo.append(m)
    return len(members)               # not reached: a component cycles


def structures(detail: ScanView,
               succ: Dict[int, List[int]]) -> List[Structure]:
    """The cycles (strongly connected components of two or more blocks,
    or a block pointing to itself), then, with the cycles' blocks taken
    out, the weakly connected components of MIN_STRUCTURE_NODES or more
    blocks: a list or a tree when no block has two blocks pointing to it,
    else a graph.

    root: for a list or tree the one block nothing in it points to; for a
    graph the block starting its longest path; for a cycle the block a
    named root points to, else one a block outside points to, else the
    lowest.  depth: for a list, tree or graph the blocks on the longest
    path from the root; for a cycle the blocks on the shortest cycle
    through the root (a ring's length; 2 for a doubly linked list)."""
    blocks = detail.blocks
    named: Dict[int, str] = {}
    for r in detail.roots:
        named.setdefault(r.to, r.name or f"0x{r.root:x}")
    nodes = sorted(blocks)
    preds: Dict[int, List[int]] = {n: [] for n in nodes}
    for n in nodes:
        for m in succ[n]:
            preds[m].append(n)
    found: List[Structure] = []

    def make(kind: str, members: List[int], depth: int,
             root: int) -> Structure:
        classes: Dict[str, int] = {}
        for n in members:
            c = blocks[n].leak_class
            classes[c] = classes.get(c, 0) + 1
        variable = named.get(root) or blocks[root].name or None
        return Structure(
            kind, tuple(members), sum(blocks[n].size for n in members),
            depth, root, variable,
            tuple(sorted({blocks[n].stack_id for n in members})), classes)

    in_cycle = set()
    for component in strongly_connected(nodes, succ):
        if len(component) == 1 and component[0] not in succ[component[0]]:
            continue
        members = set(component)
        in_cycle |= members
        pointed = sorted(m for m in members
                         if any(n not in members for n in preds[m]))
        root = next((n for n in sorted(members) if n in named), None)
        if root is None:
            root = pointed[0] if pointed else min(members)
        found.append(make("cycle", sorted(members),
                          _cycle_depth(root, members, succ), root))
    rest = [n for n in nodes if n not in in_cycle]
    out = {n: [m for m in succ[n] if m not in in_cycle] for n in rest}
    into: Dict[int, List[int]] = {n: [] for n in rest}
    for n in rest:
        for m in out[n]:
            into[m].append(n)
    for component in _weak_components(rest, out, into):
        if len(component) < MIN_STRUCTURE_NODES:
            continue
        longest = _longest_paths(component, out, into)
        sources = [n for n in component if not into[n]]
        root = max(sources, key=lambda n: (longest[n], -n))
        if all(len(into[n]) <= 1 for n in component):
            kind = "list" if all(len(out[n]) <= 1 for n in component) \
                else "tree"
        else:
            kind = "graph"
        found.append(make(kind, component, longest[root], root))
    found.sort(key=lambda s: (-len(s.nodes), s.root))
    return found


def relationship_groups(detail: ScanView):
    """(groups, edges): named roots by kind and name, named blocks by
    name, unnamed blocks by allocation site; pointers between groups
    summed (a group may point to itself)."""
    groups: Dict[GroupKey, GroupNode] = {}
    group_of: Dict[int, GroupKey] = {}
    for addr, b in detail.blocks.items():
        key: GroupKey = ("block", b.name) if b.name else \
            ("site", b.stack_id)
        g = groups.get(key)
        if g is None:
            g = groups[key] = GroupNode(
                key, key[0], b.name, 0 if b.name else b.stack_id, addr)
        g.blocks += 1
        g.bytes += b.size
        g.classes[b.leak_class] = g.classes.get(b.leak_class, 0) + 1
        group_of[addr] = key
    edges: Dict[Tuple[GroupKey, GroupKey], int] = {}
    for r in detail.roots:
        to = group_of.get(r.to)
        if to is None or r.starts + r.interiors == 0:
            continue
        name = r.name or f"0x{r.root:x}"
        key = (r.kind, name)
        if key not in groups:
            groups[key] = GroupNode(key, r.kind, name, 0, r.root)
        edges[(key, to)] = edges.get((key, to), 0) + r.starts + r.interiors
    for addr, b in detail.blocks.items():
        src = group_of[addr]
        for r in b.refs:
            to = group_of.get(r.to)
            if to is not None and r.starts + r.interiors:
                edges[(src, to)] = edges.get((src, to), 0) + \
                    r.starts + r.interiors
    return groups, edges


def analyse(detail: ScanView) -> HeapGraph:
    succ = successors(detail)
    groups, edges = relationship_groups(detail)
    return HeapGraph(leak_owners(detail, succ), structures(detail, succ),
                     groups, edges)
