"""Quiet readings: a temperature reading that changes no decision skips the rest of the pass.

A reading is quiet when the rest of the pass (deadlines, automatic cycles, the wanted hardware
state, the next wakeup) would change nothing and command nothing: no cycle runs or waits, none of
the engine's own starts waits for a retry, no pre-heat waits for its draw, no deadline is due
(``now`` is before the next wakeup), no believed sensor has gone stale and the local day is the
same since the last full pass (:meth:`Quiet.arm`), and the sensor has reported before. Taking the
reading must then have commanded nothing, changed no learned data and no readiness
confirmation, and left its believed value known (or unknown) and on the same side of every
threshold the pass compares it with (:meth:`Quiet._thresholds`).

The automatic cycles see readings only through ``Automatic.reading`` (run either way) and
through their thresholds; every other time their answer changes at is a wakeup they note. A new
comparison of a reading in the automatic cycles belongs in :meth:`Quiet._thresholds`.
"""

from __future__ import annotations

import math

from .automatic import Automatic
from .commands import Command, Refused
from .config import FixtureSettings, InstallationSettings
from .events import Event, Line, TemperatureReading
from .fixtures import Fixtures
from .keepwarm import LIMIT_MARGIN_K
from .site import Site
from .snapshot import PredictionStats

Before = tuple[TemperatureReading, float | None, bool | None]
"""A reading and what it must leave unchanged: the believed value, the readiness confirmation."""


class Quiet:
    """When readings may skip the pass, and the revision that says the view changed."""

    def __init__(self, site: Site, fixtures: Fixtures, auto: Automatic, *, enabled: bool) -> None:
        """No reading is quiet before the first full pass."""
        self._site = site
        self._fixtures = fixtures
        self._auto = auto
        self._enabled = enabled
        self._until = -math.inf
        self._day = 0
        self._thresholds_of: InstallationSettings | None = None
        self._static: dict[tuple[str, Line], tuple[float, ...]] = {}
        self._served: dict[str, tuple[FixtureSettings, ...]] = {}
        """Per fixture: itself and the fixtures it serves (valve, pipe and sensor)."""
        self._stats_seen: PredictionStats | None = None
        self.revision = 0
        """Changes after every full pass, and when a quiet reading finds the statistics aged."""

    def before(self, event: Event, now: float, *, idle: bool) -> Before | None:
        """What a reading must leave unchanged to be quiet; None: the event takes the full pass.

        ``idle``: no cycle runs or waits, no automatic start waits for a retry, and ``now`` is
        before the next wakeup.
        """
        if not (
            isinstance(event, TemperatureReading)
            and self._enabled
            and now < self._until
            and idle
            and not self._auto.has_open_preheats
            and self._auto.local_day(now) == self._day
            and (event.fixture, event.line) in self._site.sensors
        ):
            return None
        ready = self._fixtures[event.fixture].readiness
        return (
            event,
            self._site.believed(event.fixture, event.line, now),
            ready.confirmed if ready is not None else None,
        )

    def after(self, before: Before, now: float, out: list[Command]) -> bool:
        """Whether the reading just taken was quiet (see the module header)."""
        event, value_before, confirmed = before
        ready = self._fixtures[event.fixture].readiness
        if out or self._site.learned_dirty or (ready.confirmed if ready else None) != confirmed:
            return False
        value = self._site.believed(event.fixture, event.line, now)
        if value is None or value_before is None:
            if value is not value_before:
                return False
        elif any(
            (value < t) != (value_before < t) for t in self._thresholds(event.fixture, event.line)
        ):
            return False
        stats = self._auto.stats(now, self._site.learned)
        if stats != self._stats_seen:
            self._stats_seen = stats
            self.revision += 1
        return True

    def _thresholds(self, fixture: str, line: Line) -> tuple[float, ...]:
        """Every temperature the rest of a pass compares this sensor's believed value with.

        Freeze protection, the cold-line limit and the margin below it at which automatic cycles
        wait; for a hot-pipe sensor also the keep-warm band, the ready band and the current
        re-heat level (it follows what the last cycle left in the pipe) of its fixture and of
        every fixture it serves (the pipe reading of their automatic cycles, readiness).
        """
        s = self._site.settings
        if self._thresholds_of is not s:
            self._thresholds_of = s
            self._index(s)
        static = self._static.get((fixture, line), ())
        if line is not Line.HOT:
            return static
        return static + tuple(self._auto.reheat_level(g, s) for g in self._served.get(fixture, ()))

    def _index(self, s: InstallationSettings) -> None:
        """The thresholds that follow from the settings alone (worked out once per settings)."""
        self._static = {}
        self._served = {}
        for fx in s.fixtures:
            limit = fx.cold_line_limit_c
            margin = None if limit is None else limit - LIMIT_MARGIN_K
            common = tuple(t for t in (s.freeze_protect_c, limit, margin) if t is not None)
            served = tuple(g for g in s.fixtures if g.name == fx.name or s.path(g.name) == fx.name)
            self._served[fx.name] = served
            bands = tuple(
                t
                for g in served
                for t in (g.target_c - s.keep_warm_hysteresis_c, g.target_c - s.ready_hysteresis_c)
            )
            self._static[fx.name, Line.HOT] = common + bands
            self._static[fx.name, Line.COLD] = common

    def arm(self, now: float, out: list[Command]) -> None:
        """After a full pass: until when readings may be quiet (a believed sensor goes stale).

        Not at all after a refusal: the automatic cycles skipped the refused fixtures in this
        pass (and noted no time for them), the next pass looks at them again.
        """
        self.revision += 1
        stale = self._site.settings.sensor_stale_after_s
        until = -math.inf if any(isinstance(c, Refused) for c in out) else math.inf
        for track in self._site.sensors.values():
            if track.good_at is not None and track.believed(now, stale) is not None:
                until = min(until, track.good_at + stale)
        self._until = until
        self._day = self._auto.local_day(now)
        self._stats_seen = self._auto.stats(now, self._site.learned)
