"""aggregate.lifetime: how long blocks lived, for the lifetime file: per
site the sum and maximum of its freed blocks' lifetimes (instructions
and wall-clock ms) and its temporary blocks (freed before any other
allocation), and the run's lifetime histogram."""

from __future__ import annotations

from typing import Optional

from .. import logreader as R
from .run import BlockDetail, Category, Run, Site

# Lifetime histogram: bucket k holds lifetimes in [2^(k-1), 2^k)
# instructions (bucket 0: zero).
LIFETIME_HISTOGRAM_BUCKETS = 48


class Lifetime(Category):

    def __init__(self, run: Run) -> None:
        self.run = run
        self.histogram = [0] * LIFETIME_HISTOGRAM_BUCKETS
        run.block_ended.append(self.block_ended)

    def block_ended(self, b: BlockDetail, site: Site, t: int, thread: int,
                    stack: R.Stack, free: Optional[R.Free]) -> None:
        life = t - b.alloc_time
        site.lifetime_sum += life
        site.lifetime_ms_sum += self.run.wall_ms - b.alloc_wall_ms
        if life > site.lifetime_max:
            site.lifetime_max = life
        self.histogram[min(life.bit_length(),
                           LIFETIME_HISTOGRAM_BUCKETS - 1)] += 1
        # A block a realloc moves is not temporary: its contents live on.
        if free is not None and self.run.last_alloc_addr == b.addr:
            site.temporary += 1

    def result(self) -> dict:
        return dict(lifetime_histogram=self.histogram)
