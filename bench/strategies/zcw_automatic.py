"""This project's automatic modes: the engine's keep-warm and predictive pre-heat.

The same adapter as ``zcw_on_demand``, with the engine in another mode. Both ignore remote presses:
the runner strips them (``ignores_triggers``), so every draw comes unannounced, and the engine
only has its pipe sensors to learn from (a warming pipe while no cycle runs is a draw).

- ``zcw_predictive``: learns the household's usage profile for ``learning_days`` (two weeks of
  other draws of the same household) before it is measured; then pre-heats fixtures ahead of the
  slots the profile expects a draw in (engine defaults: threshold 0.5, at most 6 a day).
- ``zcw_keep_warm``: keeps every fixture within 5 K of its target ("cruise") while a schedule is
  on: 06:00-23:00 every day, as the ``cruise`` baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
import math
from typing import ClassVar

from custom_components.zero_cold_water import engine
from simulator.control import HomeInfo, Observation, TriggerPressed, Want

from .schedule import DAY_S, KEEP_WARM_HOURS, DailyWindow
from .zcw_on_demand import ZcwOnDemand


def group_preheats(
    preheats: Sequence[engine.PreheatRecord], log: Sequence[tuple[float, engine.Command]]
) -> list[tuple[str, float, float]]:
    """Each pre-heat as (fixture, start, end of its last cycle), from the engine's records.

    A pre-heat holds its fixture hot through its draws' spread or a busy window, re-heating as the
    pipe cools: those re-heats (cycles in ``log`` with the same trigger before the fixture's next
    pre-heat) belong to it.
    """
    starts: dict[str, list[float]] = {}
    for p in preheats:
        starts.setdefault(p.fixture, []).append(p.at)
    spans: list[tuple[str, float, float]] = []
    for fixture, times in starts.items():
        ends = sorted(
            t
            for t, c in log
            if isinstance(c, engine.CycleFinished)
            and c.fixture == fixture
            and c.figures.trigger is engine.TriggerReason.PREDICTION
        )
        for i, at in enumerate(times):
            until = times[i + 1] if i + 1 < len(times) else math.inf
            last = max((t for t in ends if at <= t < until), default=at)
            spans.append((fixture, at, last))
    return sorted(spans, key=lambda s: s[1])


class ZcwPredictive(ZcwOnDemand):
    """Predictive pre-heat by the engine (mode ``predictive``), draws without any trigger."""

    name: ClassVar[str] = "zcw_predictive"
    mode: ClassVar[str] = "predictive"
    ignores_triggers: ClassVar[bool] = True
    learning_days: ClassVar[float] = 14.0

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Build the engine; the simulation's clock is local time (UTC offset 0)."""
        actions = list(super().start(home, now))
        actions += self._handle(engine.LocalTime(utc_offset_s=0.0), now)
        return actions

    def figures(self) -> dict[str, float | None]:
        """The engine's own statistics at the end of the run (its last 7 days)."""
        view = self.controller.snapshot()
        stats = view.prediction
        days = 7.0
        since = view.now - days * DAY_S
        preheats = sum(1 for p in self.controller.learned.preheats if p.at >= since)
        return {
            "hit_rate": stats.hit_rate,
            "draws_7d": float(stats.draws_7d),
            "preheats_per_day": preheats / days,
            "wasted_per_day": stats.wasted_7d / days,
        }

    def preheat_spans(self) -> list[tuple[str, float, float]]:
        """Each pre-heat of this run with its re-heats (``group_preheats``)."""
        return group_preheats(self.controller.learned.preheats, self.log)

    def observe(self, obs: Observation) -> Sequence[Want]:
        """Sensor and actuator reports only (nobody presses a remote here)."""
        if isinstance(obs, TriggerPressed):
            return []
        return super().observe(obs)


class ZcwKeepWarm(ZcwPredictive):
    """Keep-warm by the engine (mode ``keep_warm``) on a 06:00-23:00 schedule."""

    name: ClassVar[str] = "zcw_keep_warm"
    mode: ClassVar[str] = "keep_warm"
    learning_days: ClassVar[float] = 0.0
    window: ClassVar[DailyWindow] = KEEP_WARM_HOURS

    def __init__(self) -> None:
        """No schedule edge yet."""
        super().__init__()
        self._edge: float | None = None

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Build the engine and tell it whether the schedule is on."""
        actions = list(super().start(home, now))
        self._edge = self.window.next_edge(now)
        actions += self._handle(engine.ScheduleState(active=self.window.contains(now)), now)
        return actions

    def wakeup(self, now: float) -> Sequence[Want]:
        """A schedule edge, the engine's wakeup, or both."""
        actions: list[Want] = []
        if self._edge is not None and now >= self._edge - 1e-6:
            self._edge = self.window.next_edge(now)
            actions += self._handle(engine.ScheduleState(active=self.window.contains(now)), now)
        actions += self._handle(engine.Tick(), now)
        return actions

    def next_wakeup(self) -> float | None:
        """The engine's wakeup or the next schedule edge, whichever comes first."""
        times = [t for t in (self._wakeup, self._edge) if t is not None]
        return min(times) if times else None
