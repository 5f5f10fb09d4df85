"""Learned data: per-fixture transit volumes, totals and recent pump runs.

A plain, frozen, serialisable value with a schema version. ``to_dict`` gives JSON-ready data;
``from_dict`` never raises: corrupt or unsupported data resets (all or in part) and says why in
``reset_reason``. The transit estimate is the median of the most recent samples, and each new
sample is clamped to a band around the current estimate, so one outlier cannot move it far.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
import math
import statistics
from typing import Any

SCHEMA_VERSION = 1
MAX_SAMPLES = 7
"""Transit samples kept per fixture."""
MIN_TRANSIT_L = 0.02
MAX_TRANSIT_L = 500.0
OUTLIER_BAND = 2.0
"""With three or more samples, a new one is clamped to [estimate / band, estimate * band]."""
DAY_S = 86400.0


class ResetReason(StrEnum):
    """Why stored learned data was (partly) discarded on load."""

    NOT_A_MAPPING = "not_a_mapping"
    UNSUPPORTED_VERSION = "unsupported_version"
    CORRUPT = "corrupt"


def _finite_number(value: object) -> bool:
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
        return cls(
            fixtures=fixtures,
            totals=totals,
            pump_runs=tuple(runs),
            reset_reason=ResetReason.CORRUPT if corrupt else None,
        )


def _fixture_from(item: object) -> FixtureLearning | None:
    if not isinstance(item, Mapping):
        return None
    samples = item.get("transit_samples", [])
    warm = item.get("warm_samples", [])
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
    )


def _totals_from(item: object) -> Totals | None:
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
