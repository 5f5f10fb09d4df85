"""Usage: uses and draws of each fixture, draw detection, and the pre-heat statistics.

A use is recorded once per fixture per ``DEDUPE_S``; a rise of a fixture's own sensor while
nothing runs is a draw (``prediction.draw_base``), but not while a lagging sensor still rises
after a cycle (docs/engine.md, "Usage and draw detection", "Statistics").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection
import math

from .config import FixtureSettings, InstallationSettings
from .learning import LearnedData
from .prediction import DAY_S, DRAW_WINDOW_S, PreheatOutcome, draw_base
from .snapshot import PredictionStats

DEDUPE_S = 600.0
"""One usage per fixture in this time (a draw, its detection and a request are one use)."""
QUIET_SETTLE_SHARE = 2.0
"""Draw detection waits this many ``ready_settle_s`` after any cycle: a lagging sensor keeps
rising after a stop, and that is not a draw."""
PREHEAT_EXPIRY_S = 3600.0
"""A pre-heat with no draw at its fixture within this (or before its readiness ended) is wasted."""
STATS_WINDOW_S = 7 * DAY_S


class Usage:
    """Recent readings and uses per fixture, the statistics' cache (internal, mutable)."""

    def __init__(self) -> None:
        """Nothing used yet."""
        self._last_usage: dict[str, float] = {}
        self._recent: dict[str, deque[tuple[float, float]]] = {}
        self._quiet_until = -math.inf
        self._stats: tuple[tuple[int, float, int], LearnedData, PredictionStats] | None = None

    def forget(self, names: set[str]) -> None:
        """Drop the fixtures no longer configured."""
        for table in (self._last_usage, self._recent):
            for key in [k for k in table if k not in names]:
                del table[key]

    def reset(self, fixtures: tuple[str, ...]) -> None:
        """Forget the uses of ``fixtures`` (all when empty)."""
        if not fixtures:
            self._last_usage.clear()
        for name in fixtures:
            self._last_usage.pop(name, None)

    def cycle_finished(self, now: float, settings: InstallationSettings) -> None:
        """A cycle ended: no draw is detected while its sensor still rises."""
        self._quiet_until = max(
            self._quiet_until, now + QUIET_SETTLE_SHARE * settings.ready_settle_s
        )

    def fresh(self, name: str, at: float) -> bool:
        """Whether a use of ``name`` at ``at`` is new (not within ``DEDUPE_S`` of the last)."""
        last = self._last_usage.get(name)
        if last is not None and abs(at - last) < DEDUPE_S:
            return False
        self._last_usage[name] = at
        return True

    def detect(
        self, fx: FixtureSettings, celsius: float, at: float, *, quiet: bool
    ) -> float | None:
        """A believed reading of ``fx``'s own sensor; the reading a draw warmed from, if one.

        ``quiet``: no cycle runs and the pump is off.
        """
        recent = self._recent.setdefault(fx.name, deque(maxlen=32))
        base: float | None = None
        if quiet and at >= self._quiet_until and not fx.has_draw_sensor:
            found = draw_base(recent, celsius, at)
            if found is not None:
                base = found[1]
                recent.clear()
        while recent and at - recent[0][0] > DRAW_WINDOW_S:
            recent.popleft()
        if at >= self._quiet_until:
            recent.append((at, celsius))
        return base

    def before(self, name: str, at: float) -> float | None:
        """The last recent reading of ``name`` at or before ``at`` (None: none kept)."""
        found: float | None = None
        for then, celsius in self._recent.get(name, ()):
            if then <= at:
                found = celsius
        return found

    def stats(
        self,
        now: float,
        learned: LearnedData,
        *,
        version: int,
        local_day: Callable[[float], int],
        open_preheats: Collection[str],
    ) -> PredictionStats:
        """The pre-heat statistics (cached: recomputed when the data change, or each minute)."""
        key = (version, now // 60.0, local_day(now))
        if self._stats is not None and self._stats[0] == key and self._stats[1] is learned:
            return self._stats[2]
        since = now - STATS_WINDOW_S
        today = local_day(now)
        draws = [d for d in learned.draws if since <= d.at <= now]
        hits = sum(1 for d in draws if d.hit)
        preheats_today = 0
        wasted_today = 0
        wasted_7d = 0
        for p in learned.preheats:
            if p.at < since or p.at > now:
                continue
            wasted = p.outcome is PreheatOutcome.WASTED or (
                p.outcome is PreheatOutcome.PENDING
                and now >= p.at + PREHEAT_EXPIRY_S
                and p.fixture not in open_preheats
            )
            is_today = local_day(p.at) == today
            preheats_today += is_today
            wasted_today += wasted and is_today
            wasted_7d += wasted
        result = PredictionStats(
            hit_rate=hits / len(draws) if draws else None,
            draws_7d=len(draws),
            preheats_today=preheats_today,
            wasted_today=wasted_today,
            wasted_7d=wasted_7d,
        )
        self._stats = (key, learned, result)
        return result
