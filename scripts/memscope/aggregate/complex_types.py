"""aggregate.complex_types: what the program named, for the complex-types
file: the NAME records (variables and heap blocks, with their type
names), the names debug info gives global variables, and per site the
type names of its blocks.  The other categories ask it what a variable
is called."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from .. import logreader as R
from .run import Category, Run


class ComplexTypes(Category):

    def __init__(self, run: Run) -> None:
        self.run = run
        self.names: List[R.Name] = []
        self.global_names: Dict[int, str] = {}     # from debug info
        # The latest name of each non-heap object, by its start: ACCESS
        # and ATOMIC summaries come at exit, one per object, and must not
        # search the whole list of names each.
        self.var_names: Dict[int, R.Name] = {}

    def handlers(self) -> dict:
        return {R.Name: self.on_name}

    def on_name(self, ev: R.Name, t: int) -> None:
        if ev.is_debuginfo:
            self.global_names[ev.addr] = ev.name
            return
        self.names.append(ev)
        if not ev.is_heap:
            self.var_names[ev.addr] = ev
            return
        b = self.run.live.get(ev.addr)
        if b is not None:
            b.name, b.type_name = ev.name, ev.type_name
            if ev.type_name:
                tn = self.run.sites[b.stack_id].type_names
                tn[ev.type_name] = tn.get(ev.type_name, 0) + 1

    def variable_name(self, addr: int) -> Tuple[str, str]:
        """(name, type name) of the variable starting at addr: the
        program's latest NAME for it, else debug info's."""
        n = self.var_names.get(addr)
        if n is not None:
            return n.name, n.type_name
        return self.global_names.get(addr, ""), ""

    def variable_at(self, addr: int) -> Optional[R.Name]:
        """The named variable holding addr: the one starting there, else
        the latest one that covers it (a field of a named struct, an
        element of a named array)."""
        exact = self.var_names.get(addr)
        if exact is not None:
            return exact
        for n in reversed(self.names):
            if not n.is_heap and n.addr <= addr < n.addr + max(n.size, 1):
                return n
        return None

    def result(self) -> dict:
        return dict(names=self.names)
