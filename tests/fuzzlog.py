"""A coverage-guided mutation fuzzer for memscope-report's reading side:
the one log reader, the aggregation pass, every JSON output and the SVG
(the HTML page is built from the same analysis and is left out for
speed).  Inputs are real logs, mutated (bit flips, interesting bytes,
cuts, deletions, duplications, insertions, splices of two inputs); an
input that reaches a line of the report's package no input reached before
joins the corpus.  The only acceptable failure is the reader's LogError
(a clean rejection with an exit code); any other exception, or an input
taking longer than HANG_SECONDS, is a crash, kept with its traceback.

Used by tests/test_torture.py for a bounded time; run it by hand for
longer:  python3 tests/fuzzlog.py --seconds 600 LOG... """

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from typing import List, Set, Tuple

HANG_SECONDS = 10
INTERESTING = (0x00, 0x01, 0x7F, 0x80, 0xFF)


@dataclass
class FuzzResult:
    seconds: float
    executions: int = 0
    rejected: int = 0            # LogError: a clean rejection
    corpus: int = 0
    lines: int = 0               # distinct lines of the package reached
    crashes: List[Tuple[bytes, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"fuzz: {self.executions:,} inputs in {self.seconds:.0f} s, "
                f"{self.rejected:,} rejected cleanly, corpus "
                f"{self.corpus:,}, {self.lines:,} lines reached, "
                f"{len(self.crashes)} crashes")


class _Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Hang()


def _package_dir() -> str:
    from memscope import logreader
    return os.path.dirname(os.path.abspath(logreader.__file__))


def _run_one(path: str) -> None:
    """The report's reading side on one log, in this process."""
    from memscope import cli
    from memscope.outputs import svg
    report = cli.read_report(path, False)
    for _name, build in cli.JSON_OUTPUTS:
        json.dumps(build(report))
    svg.render(report)


def _mutate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        n = len(out)
        op = rng.randrange(7)
        if n == 0:
            out += bytes([rng.randrange(256)])
            continue
        i = rng.randrange(n)
        if op == 0:                                  # bit flip
            out[i] ^= 1 << rng.randrange(8)
        elif op == 1:                                # interesting byte
            out[i] = rng.choice(INTERESTING)
        elif op == 2:                                # cut
            del out[i:]
        elif op == 3:                                # delete a run
            del out[i:i + rng.randint(1, 16)]
        elif op == 4:                                # duplicate a run
            j = rng.randint(i, min(n, i + 64))
            out[i:i] = out[i:j]
        elif op == 5:                                # random bytes in
            out[i:i] = bytes(rng.randrange(256)
                             for _ in range(rng.randint(1, 8)))
        else:                                        # splice another input
            j = rng.randrange(len(other)) if other else 0
            out[i:] = other[j:]
    return bytes(out)


def fuzz(seeds: List[bytes], seconds: float, seed: int = 1,
         workdir: str = None) -> FuzzResult:
    from memscope import logreader as R
    package = _package_dir()
    reached: Set[Tuple[str, int]] = set()
    new_lines = [0]

    def local(frame, event, arg):
        if event == "line":
            key = (frame.f_code.co_filename, frame.f_lineno)
            if key not in reached:
                reached.add(key)
                new_lines[0] += 1
        return local

    def global_trace(frame, event, arg):
        # Only the report's own package is traced (not json, lxml, ...).
        if frame.f_code.co_filename.startswith(package):
            return local
        return None

    rng = random.Random(seed)
    corpus = [bytes(s) for s in seeds]
    result = FuzzResult(seconds=0.0)
    started = time.monotonic()
    old_handler = signal.signal(signal.SIGALRM, _on_alarm)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        path = os.path.join(tmp, "fuzz.msc")
        queue = list(corpus)                 # the seeds run first, as they are
        try:
            while True:
                if queue:
                    data = queue.pop(0)
                elif time.monotonic() - started >= seconds:
                    break
                else:
                    data = _mutate(rng, rng.choice(corpus),
                                   rng.choice(corpus))
                with open(path, "wb") as f:
                    f.write(data)
                new_lines[0] = 0
                signal.alarm(HANG_SECONDS)
                sys.settrace(global_trace)
                try:
                    _run_one(path)
                except R.LogError:
                    result.rejected += 1
                except _Hang:
                    result.crashes.append((data, "hang: more than "
                                           f"{HANG_SECONDS} s"))
                except Exception:
                    result.crashes.append((data, traceback.format_exc()))
                finally:
                    sys.settrace(None)
                    signal.alarm(0)
                result.executions += 1
                if new_lines[0] > 0 and data not in corpus:
                    corpus.append(data)
        finally:
            signal.signal(signal.SIGALRM, old_handler)
    result.seconds = time.monotonic() - started
    result.corpus = len(corpus)
    result.lines = len(reached)
    return result


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("logs", nargs="+", help="seed logs")
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--crashes", default="fuzz-crashes",
                   help="directory for crashing inputs")
    args = p.parse_args(argv)
    seeds = [open(path, "rb").read() for path in args.logs]
    result = fuzz(seeds, args.seconds, args.seed)
    print(result.summary())
    if result.crashes:
        os.makedirs(args.crashes, exist_ok=True)
        for n, (data, why) in enumerate(result.crashes):
            base = os.path.join(args.crashes, f"crash{n}")
            with open(base + ".msc", "wb") as f:
                f.write(data)
            with open(base + ".txt", "w") as f:
                f.write(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
