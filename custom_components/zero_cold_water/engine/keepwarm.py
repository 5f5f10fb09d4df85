"""Keep-warm: the re-heat level, the learned cooling time, when a fixture is due a re-heat.

The re-heat level keeps the *tap* hot, not a band under the target; without a believable
reading a fixture is purged again when its cooling time has passed since it was last made hot
(docs/engine.md, "Keep-warm").
"""

from __future__ import annotations

from dataclasses import dataclass
import statistics

from .config import FixtureSettings, InstallationSettings, Topology
from .learning import LearnedData

LIMIT_MARGIN_K = 1.0
"""A fixture whose valve must stay shut at its cold-line limit is re-heated as soon as its pipe
reads this far below its target (at most the limit): in a home whose target is capped by the
limit the tap's "hot" lies above it, so a reading the valve may open at is already too cool."""
PEAK_WINDOW_S = 300.0
"""After a cycle, the highest reading within this long is what the cycle left in the pipe (a
lagging sensor peaks a minute or two after the stop)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """What the controller knows about one fixture right now (inputs of the decisions)."""

    pipe_c: float | None
    """Believed hot-pipe reading on the fixture's path (its own or the serving fixture's)."""
    own_c: float | None
    """Believed hot-pipe reading of the fixture's own sensor."""
    cold_c: float | None
    """Believed cold-line reading of the fixture."""
    ready: bool
    """The fixture is ready (its water was made hot and has not cooled)."""
    awaiting_sensor: bool = False
    """The path has a sensor that has not reported since the engine started (wait for it)."""


@dataclass(frozen=True, slots=True)
class Question:
    """One decision's inputs: a fixture, what is known of it, the time, settings, learned data."""

    fx: FixtureSettings
    facts: Facts
    now: float
    settings: InstallationSettings
    learned: LearnedData


class Warmth:
    """What keep-warm remembers of each fixture's pipe (internal, mutable)."""

    def __init__(self) -> None:
        """Nothing seen yet."""
        self._cool_from: dict[str, tuple[float, bool]] = {}
        """Per fixture: since when it cools (a ``ready`` end), and whether it was seen warm."""
        self._hot_at: dict[str, float] = {}
        self._peak: dict[str, tuple[float, float | None]] = {}
        """Per fixture: until when the peak after a cycle is watched, and the peak so far."""
        self._settle: dict[str, float] = {}

    def forget(self, names: set[str]) -> None:
        """Drop the fixtures no longer configured."""
        for table in (self._cool_from, self._hot_at, self._peak, self._settle):
            for key in [k for k in table if k not in names]:
                del table[key]

    def cycle_started(self, name: str) -> None:
        """A cycle started: the cooling being timed is cut short."""
        self._cool_from.pop(name, None)

    def cycle_finished(
        self, name: str, *, ready: bool, sensor: bool, now: float, settings: InstallationSettings
    ) -> None:
        """A cycle ended (``ready``: hot; ``sensor``: its own sensor will tell when it cools)."""
        if ready:
            self._hot_at[name] = now
            if sensor:
                self._cool_from[name] = (now, False)
                self._peak[name] = (now + PEAK_WINDOW_S, None)
                self._settle[name] = now + settings.ready_settle_s

    def draw_seen(self, name: str) -> None:
        """A draw was detected: the pipe's cooling is no longer the cycle's."""
        self._cool_from.pop(name, None)

    def reading(
        self,
        fx: FixtureSettings,
        celsius: float,
        at: float,
        *,
        settings: InstallationSettings,
        learned: LearnedData,
    ) -> LearnedData | None:
        """A believed reading of ``fx``'s own sensor: the peak, a cooling-time sample."""
        name = fx.name
        peak = self._peak.get(name)
        if peak is not None and at <= peak[0]:
            self._peak[name] = (peak[0], celsius if peak[1] is None else max(peak[1], celsius))
        cooling = self._cool_from.get(name)
        if cooling is None:
            return None
        since, warm_seen = cooling
        if celsius >= fx.target_c - settings.keep_warm_hysteresis_c:
            self._cool_from[name] = (since, True)
        elif warm_seen:
            del self._cool_from[name]
            learning = learned.fixture(name).with_cooling_sample(at - since)
            if learning != learned.fixture(name):
                return learned.with_fixture(name, learning)
        return None

    def cooling_s(
        self, fx: FixtureSettings, settings: InstallationSettings, learned: LearnedData
    ) -> float:
        """How long ``fx``'s pipe stays within the keep-warm band after a cycle.

        Its own learned cooling time, else the median of the sensor fixtures', else its
        ``ready_hold_s``.
        """
        own = learned.fixture(fx.name).cooling_s
        if own is not None:
            return own
        learned_times = [
            t
            for f in settings.fixtures
            if f.has_sensor and (t := learned.fixture(f.name).cooling_s) is not None
        ]
        if learned_times:
            return float(statistics.median(learned_times))
        return fx.ready_hold_s

    def reheat_level(self, fx: FixtureSettings, settings: InstallationSettings) -> float:
        """The reading of ``fx``'s pipe below which its water no longer counts as hot.

        Where the target is capped by a cold-line limit (less than the hysteresis below it), just
        below the target (the valve opens there, and the tap's "hot" lies above it); else the
        hysteresis below what the last cycle left in the pipe (its peak reading afterwards), at
        most the target (and just below the limit), never below ``target_c`` minus the
        hysteresis.
        """
        hysteresis = settings.keep_warm_hysteresis_c
        floor = fx.target_c - hysteresis
        ceiling = fx.target_c
        limit = fx.cold_line_limit_c
        if limit is not None and settings.topology is not Topology.RETURN_LINE:
            if limit - fx.target_c < hysteresis:
                # the target is capped by the limit: no band fits below it
                return max(floor, fx.target_c - LIMIT_MARGIN_K)
            ceiling = min(ceiling, limit - LIMIT_MARGIN_K)
        peak = self._peak.get(settings.path(fx.name))
        if peak is None or peak[1] is None:
            return floor
        return max(floor, min(peak[1] - hysteresis, ceiling))

    def due(self, q: Question) -> float | None:
        """When ``fx`` is due a re-heat (None: not while its pipe reads hot or cannot tell yet)."""
        fx, facts, now, settings = q.fx, q.facts, q.now, q.settings
        name = fx.name
        limit = fx.cold_line_limit_c
        if (
            limit is not None
            and facts.cold_c is not None
            and settings.topology is not Topology.RETURN_LINE
            and facts.cold_c >= limit - LIMIT_MARGIN_K
        ):
            return None  # the valve would stay shut: wait for the cold line to cool
        if facts.pipe_c is not None:
            if facts.pipe_c >= self.reheat_level(fx, settings):
                return None
            # a lagging sensor still rises after a stop: judge the pipe once it has settled
            return max(now, self._settle.get(settings.path(name), now))
        if facts.ready or facts.awaiting_sensor:
            return None
        hot_at = self._hot_at.get(name)
        return now if hot_at is None else hot_at + self.cooling_s(fx, settings, q.learned)
