"""The house's layers (docs/architecture.md): the tool's modules include
only modules of their own layer or below, the report's modules import
only their own layer or below, and neither side has a circle.  The layer
of each module is declared once, in docs/architecture.md's two tables;
a module missing from them fails here too."""

import ast
import re

import pytest

from helpers import SRCDIR
from memscope.heapgraph import strongly_connected

ARCH = (SRCDIR / "docs" / "architecture.md").read_text()


def _layers(heading: str) -> dict:
    """module -> layer number, from the table under `heading`."""
    section = ARCH.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for m in re.finditer(r"^\| (\d+) \| [^|]+ \| ([^|]+) \|", section, re.M):
        for name in re.findall(r"`([\w.*]+)`", m.group(2)):
            out[name] = int(m.group(1))
    assert out, heading
    return out


def _layer_of(layers: dict, module: str) -> int:
    if module in layers:
        return layers[module]
    for name, layer in layers.items():          # "outputs.*"
        if name.endswith(".*") and module.startswith(name[:-1]):
            return layer
    raise AssertionError(f"{module}: no layer in docs/architecture.md")


def _circles(graph: dict) -> list:
    """The strongly connected components of more than one module."""
    nodes = sorted(graph)
    succ = {n: sorted(m for m in graph[n] if m in graph) for n in nodes}
    return sorted(sorted(c) for c in strongly_connected(nodes, succ)
                  if len(c) > 1)


def _check(graph: dict, layers: dict, what: str) -> None:
    up = [f"{a} (layer {_layer_of(layers, a)}) {what} {b} "
          f"(layer {_layer_of(layers, b)})"
          for a in sorted(graph) for b in sorted(graph[a])
          if _layer_of(layers, b) > _layer_of(layers, a)]
    assert not up, "runs up a layer:\n" + "\n".join(up)
    assert not _circles(graph), _circles(graph)


def tool_graph() -> dict:
    graph = {}
    for path in sorted((SRCDIR / "memscope").glob("*.[ch]")):
        module = path.stem
        graph.setdefault(module, set())
        for inc in re.findall(r'^#include "(\w+)\.h"', path.read_text(),
                              re.M):
            if inc != module and (SRCDIR / "memscope" / f"{inc}.h").exists():
                graph[module].add(inc)
    return graph


def report_graph() -> dict:
    root = SRCDIR / "scripts" / "memscope"
    graph = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1] or ["__init__"]
        module = ".".join(parts)
        package = parts[:-1] if path.name != "__init__.py" else parts
        graph.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or node.level == 0:
                continue
            base = package[:len(package) - (node.level - 1)]
            names = ([node.module] if node.module else
                     [a.name for a in node.names])
            for name in names:
                target = ".".join(base + name.split("."))
                if not (root / (target.replace(".", "/") + ".py")).exists() \
                   and not (root / target.replace(".", "/")).is_dir():
                    target = ".".join(base) or "__init__"   # a name
                target = target or "__init__"
                if target != module:
                    graph[module].add(target)
    return graph


def test_every_module_has_a_layer():
    tool, report = _layers("Layers of the tool"), _layers("Layers of the report")
    for module in tool_graph():
        _layer_of(tool, module)
    for module in report_graph():
        _layer_of(report, module)


def test_the_tool_includes_only_down_and_has_no_circle():
    _check(tool_graph(), _layers("Layers of the tool"), "includes")


def test_the_report_imports_only_down_and_has_no_circle():
    _check(report_graph(), _layers("Layers of the report"), "imports")


def test_the_checker_refuses_an_include_up_and_a_circle():
    layers = {"a": 1, "b": 2, "c": 2}
    _check({"a": set(), "b": {"a"}, "c": {"b", "a"}}, layers, "includes")
    with pytest.raises(AssertionError, match="runs up a layer"):
        _check({"a": {"b"}, "b": set(), "c": set()}, layers, "includes")
    with pytest.raises(AssertionError, match=r"\['b', 'c'\]"):
        _check({"a": set(), "b": {"c"}, "c": {"b"}}, layers, "includes")
