"""Learned data: transits, cooling times, totals, pump runs, usage profile, pre-heat statistics.

A plain, frozen, serialisable value with a schema version. ``to_dict`` gives JSON-ready data;
``from_dict`` never raises: corrupt or unsupported data resets (all or in part) and says why in
``reset_reason``. The transit estimate is the median of the most recent samples, and each new
sample is clamped to a band around the current estimate, so one outlier cannot move it far.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
import math
import statistics
from typing import Any

from .prediction import DAY_S, DrawRecord, PreheatOutcome, PreheatRecord, UsageProfile

SCHEMA_VERSION = 1
"""Still 1: the keys added since (cooling samples, usage, draws, pre-heats) are optional, so data
written before them loads unchanged (and older code ignores them)."""
MAX_SAMPLES = 7
"""Transit samples kept per fixture."""
MIN_TRANSIT_L = 0.02
MAX_TRANSIT_L = 500.0
OUTLIER_BAND = 2.0
"""With three or more samples, a new one is clamped to [estimate / band, estimate * band]."""
MAX_COOLING_SAMPLES = 5
"""Cooling-time samples kept per fixture."""
MIN_COOLING_S = 60.0
MAX_COOLING_S = DAY_S
LOG_KEEP_S = 8 * DAY_S
"""Draw and pre-heat records are kept this long (the statistics cover 7 days)."""
MAX_DRAW_RECORDS = 2000
MAX_PREHEAT_RECORDS = 700


class ResetReason(StrEnum):
    """Why stored learned data was (partly) discarded on load."""

    NOT_A_MAPPING = "not_a_mapping"
    UNSUPPORTED_VERSION = "unsupported_version"
    CORRUPT = "corrupt"


def _finite_number(value: object) -> bool:
    """A stored number to believe: a real, finite number (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class FixtureLearning:
    """What the engine learned about one fixture."""

    transit_samples: tuple[float, ...] = ()
    """Recent volumes (L) from the start of pumping to the sensor's first rise, oldest first."""
    shortfalls: int = 0
    """Predicted stops after which the sensor never rose (the estimate was grown each time)."""
    warm_samples: tuple[float, ...] = ()
    """Transit samples of cycles started while another fixture's pipe was hot (a shared trunk
    still holds hot water, so the front arrives sooner), oldest first."""

    @property
    def warm_transit_l(self) -> float | None:
        """The learned transit when the network is warm (median), or None before any."""
        if not self.warm_samples:
            return None
        return float(statistics.median(self.warm_samples))

    cooling_samples: tuple[float, ...] = ()
    """Recent times (s) from the end of a cycle that made the pipe hot to its water falling
    below the keep-warm band (target minus the keep-warm hysteresis), oldest first."""

    @property
    def cooling_s(self) -> float | None:
        """The learned cooling time (median of recent samples), or None before any."""
        if not self.cooling_samples:
            return None
        return float(statistics.median(self.cooling_samples))

    def with_cooling_sample(self, seconds: float) -> FixtureLearning:
        """Add a cooling-time sample (ignored if not plausible)."""
        if not (math.isfinite(seconds) and MIN_COOLING_S <= seconds <= MAX_COOLING_S):
            return self
        samples = (*self.cooling_samples, seconds)[-MAX_COOLING_SAMPLES:]
        return replace(self, cooling_samples=samples)

    def with_warm_sample(self, litres: float) -> FixtureLearning:
        """Add a warm-network transit sample (ignored if not a plausible volume)."""
        if not (math.isfinite(litres) and MIN_TRANSIT_L <= litres <= MAX_TRANSIT_L):
            return self
        return replace(self, warm_samples=(*self.warm_samples, litres)[-MAX_SAMPLES:])

    @property
    def transit_l(self) -> float | None:
        """The learned transit volume (median of recent samples), or None before any."""
        if not self.transit_samples:
            return None
        return float(statistics.median(self.transit_samples))

    def with_sample(self, litres: float) -> FixtureLearning:
        """Add a transit sample (ignored if not a plausible volume)."""
        if not (math.isfinite(litres) and MIN_TRANSIT_L <= litres <= MAX_TRANSIT_L):
            return self
        estimate = self.transit_l
        if estimate is not None and len(self.transit_samples) >= 3:
            litres = min(max(litres, estimate / OUTLIER_BAND), estimate * OUTLIER_BAND)
        samples = (*self.transit_samples, litres)[-MAX_SAMPLES:]
        return replace(self, transit_samples=samples)

    def grown(self, factor: float) -> FixtureLearning:
        """Scale every sample by ``factor`` (the front came later than predicted)."""
        samples = tuple(min(s * factor, MAX_TRANSIT_L) for s in self.transit_samples)
        return replace(self, transit_samples=samples, shortfalls=self.shortfalls + 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    """Cumulative counters since the installation was set up."""

    cycles: int = 0
    pump_run_s: float = 0.0
    litres_moved: float = 0.0
    heat_moved_kwh: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnedData:
    """Everything the engine keeps across restarts."""

    fixtures: Mapping[str, FixtureLearning] = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)
    pump_runs: tuple[tuple[float, float], ...] = ()
    """Pump run intervals (start, end) of the last 24 h, for the rolling daily cap."""
    usage: UsageProfile = field(default_factory=UsageProfile)
    """When hot water is used, per fixture (the predictive mode's profile)."""
    draws: tuple[DrawRecord, ...] = ()
    """Draws seen in the last days, oldest first (for the hit rate)."""
    preheats: tuple[PreheatRecord, ...] = ()
    """Predictive pre-heats of the last days, oldest first."""
    reset_reason: ResetReason | None = field(default=None, compare=False)
    """Set by :meth:`from_dict` when stored data was discarded; never stored."""

    def fixture(self, name: str) -> FixtureLearning:
        """What was learned about fixture ``name`` (empty if nothing)."""
        return self.fixtures.get(name, FixtureLearning())

    def with_fixture(self, name: str, learning: FixtureLearning) -> LearnedData:
        """A copy with ``name``'s learning replaced."""
        return replace(self, fixtures={**self.fixtures, name: learning}, reset_reason=None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (``from_dict`` reads it back)."""
        return {
            "version": SCHEMA_VERSION,
            "fixtures": {
                name: {
                    "transit_samples": list(learning.transit_samples),
                    "shortfalls": learning.shortfalls,
                    "warm_samples": list(learning.warm_samples),
                    "cooling_samples": list(learning.cooling_samples),
                }
                for name, learning in self.fixtures.items()
            },
            "totals": {
                "cycles": self.totals.cycles,
                "pump_run_s": self.totals.pump_run_s,
                "litres_moved": self.totals.litres_moved,
                "heat_moved_kwh": self.totals.heat_moved_kwh,
            },
            "pump_runs": [[start, end] for start, end in self.pump_runs],
            "usage": self.usage.to_dict(),
            "draws": [[d.at, d.fixture, d.hit] for d in self.draws],
            "preheats": [[p.at, p.fixture, p.outcome.value] for p in self.preheats],
        }

    @classmethod
    def from_dict(cls, raw: object) -> LearnedData:
        """Read stored data; never raises. Bad parts are dropped and ``reset_reason`` set."""
        if not isinstance(raw, Mapping):
            return cls(reset_reason=ResetReason.NOT_A_MAPPING)
        if raw.get("version") != SCHEMA_VERSION:
            return cls(reset_reason=ResetReason.UNSUPPORTED_VERSION)
        corrupt = False
        fixtures: dict[str, FixtureLearning] = {}
        raw_fixtures = raw.get("fixtures", {})
        if not isinstance(raw_fixtures, Mapping):
            raw_fixtures, corrupt = {}, True
        for name, item in raw_fixtures.items():
            learning = _fixture_from(item)
            if not isinstance(name, str) or learning is None:
                corrupt = True
                continue
            fixtures[name] = learning
        totals = _totals_from(raw.get("totals", {}))
        if totals is None:
            totals, corrupt = Totals(), True
        runs: list[tuple[float, float]] = []
        raw_runs = raw.get("pump_runs", [])
        if not isinstance(raw_runs, list):
            raw_runs, corrupt = [], True
        for run in raw_runs:
            if (
                isinstance(run, list | tuple)
                and len(run) == 2
                and all(_finite_number(v) for v in run)
                and run[0] <= run[1]
            ):
                runs.append((float(run[0]), float(run[1])))
            else:
                corrupt = True
        usage = UsageProfile()
        if "usage" in raw:
            parsed = UsageProfile.parse(raw["usage"])
            if parsed is None:
                corrupt = True
            else:
                usage = parsed
        draws, bad_draws = _records(raw.get("draws", []), _draw_from)
        preheats, bad_preheats = _records(raw.get("preheats", []), _preheat_from)
        return cls(
            fixtures=fixtures,
            totals=totals,
            pump_runs=tuple(runs),
            usage=usage,
            draws=draws[-MAX_DRAW_RECORDS:],
            preheats=preheats[-MAX_PREHEAT_RECORDS:],
            reset_reason=ResetReason.CORRUPT if corrupt or bad_draws or bad_preheats else None,
        )

    def with_draw(self, record: DrawRecord) -> LearnedData:
        """A copy with one more draw record (old ones pruned)."""
        since = record.at - LOG_KEEP_S
        kept = tuple(d for d in self.draws if d.at >= since)
        return replace(self, draws=(*kept, record)[-MAX_DRAW_RECORDS:], reset_reason=None)

    def with_preheat(self, record: PreheatRecord) -> LearnedData:
        """A copy with one more pre-heat record (old ones pruned)."""
        since = record.at - LOG_KEEP_S
        kept = tuple(p for p in self.preheats if p.at >= since)
        return replace(self, preheats=(*kept, record)[-MAX_PREHEAT_RECORDS:], reset_reason=None)

    def with_preheat_outcome(self, fixture: str, outcome: PreheatOutcome) -> LearnedData:
        """Pending pre-heats of ``fixture`` resolved as ``outcome``."""
        preheats = tuple(
            replace(p, outcome=outcome)
            if p.fixture == fixture and p.outcome is PreheatOutcome.PENDING
            else p
            for p in self.preheats
        )
        return replace(self, preheats=preheats, reset_reason=None)

    def without_usage(self, fixtures: tuple[str, ...]) -> LearnedData:
        """Forget the usage profile and statistics of ``fixtures`` (all when empty)."""

        def keep(name: str) -> bool:
            """Whether a fixture keeps its records (not named, and some were named)."""
            return bool(fixtures) and name not in fixtures

        return replace(
            self,
            usage=self.usage.without(fixtures),
            draws=tuple(d for d in self.draws if keep(d.fixture)),
            preheats=tuple(p for p in self.preheats if keep(p.fixture)),
            reset_reason=None,
        )


def _records[T](raw: object, parse: Callable[[object], T | None]) -> tuple[tuple[T, ...], bool]:
    """Parse a list of records; (the good ones, whether any was bad)."""
    if not isinstance(raw, list):
        return (), True
    good: list[T] = []
    bad = False
    for item in raw:
        record = parse(item)
        if record is None:
            bad = True
        else:
            good.append(record)
    return tuple(good), bad


def _draw_from(item: object) -> DrawRecord | None:
    """A stored draw record, or None when corrupt."""
    if (
        isinstance(item, list | tuple)
        and len(item) == 3
        and _finite_number(item[0])
        and isinstance(item[1], str)
        and isinstance(item[2], bool)
    ):
        return DrawRecord(at=float(item[0]), fixture=item[1], hit=item[2])
    return None


def _preheat_from(item: object) -> PreheatRecord | None:
    """A stored pre-heat record, or None when corrupt."""
    if (
        isinstance(item, list | tuple)
        and len(item) == 3
        and _finite_number(item[0])
        and isinstance(item[1], str)
        and item[2] in tuple(PreheatOutcome)
    ):
        return PreheatRecord(at=float(item[0]), fixture=item[1], outcome=PreheatOutcome(item[2]))
    return None


def _fixture_from(item: object) -> FixtureLearning | None:
    """A fixture's stored learning, or None when corrupt."""
    if not isinstance(item, Mapping):
        return None
    samples = item.get("transit_samples", [])
    warm = item.get("warm_samples", [])
    cooling = item.get("cooling_samples", [])
    if not isinstance(cooling, list) or not all(
        _finite_number(s) and MIN_COOLING_S <= s <= MAX_COOLING_S for s in cooling
    ):
        return None
    shortfalls = item.get("shortfalls", 0)
    for values in (samples, warm):
        if not isinstance(values, list) or not all(
            _finite_number(s) and MIN_TRANSIT_L <= s <= MAX_TRANSIT_L for s in values
        ):
            return None
    if not isinstance(shortfalls, int) or isinstance(shortfalls, bool) or shortfalls < 0:
        return None
    return FixtureLearning(
        transit_samples=tuple(float(s) for s in samples[-MAX_SAMPLES:]),
        shortfalls=shortfalls,
        warm_samples=tuple(float(s) for s in warm[-MAX_SAMPLES:]),
        cooling_samples=tuple(float(s) for s in cooling[-MAX_COOLING_SAMPLES:]),
    )


def _totals_from(item: object) -> Totals | None:
    """The stored totals, or None when corrupt."""
    if not isinstance(item, Mapping):
        return None
    cycles = item.get("cycles", 0)
    values = [item.get(k, 0.0) for k in ("pump_run_s", "litres_moved", "heat_moved_kwh")]
    if not isinstance(cycles, int) or isinstance(cycles, bool) or cycles < 0:
        return None
    if not all(_finite_number(v) and v >= 0 for v in values):
        return None
    return Totals(
        cycles=cycles,
        pump_run_s=float(values[0]),
        litres_moved=float(values[1]),
        heat_moved_kwh=float(values[2]),
    )


def pump_seconds_in_window(runs: tuple[tuple[float, float], ...], now: float) -> float:
    """Pump run time within the 24 h before ``now``."""
    since = now - DAY_S
    return sum(max(0.0, min(end, now) - max(start, since)) for start, end in runs)


def prune_runs(
    runs: tuple[tuple[float, float], ...], now: float
) -> tuple[tuple[float, float], ...]:
    """Drop runs that ended more than 24 h before ``now``."""
    return tuple(run for run in runs if run[1] > now - DAY_S)
