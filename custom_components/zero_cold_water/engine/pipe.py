"""What the engine learned about one fixture's pipe, and how far it trusts it.

The transit (the volume pumped from the start to the sensor's first rise) is the median of the
most recent samples; a new sample is clamped to a band around the estimate once there are three,
so one outlier cannot move it far. Only cycles that saw the hot front teach it: a cycle that
failed (no heat, a predicted stop the sensor did not confirm) never does.

Trust: a predicted stop ends before the sensor can tell, so it is provisional until the sensor
confirms the front came. ``confirmed`` counts such stops confirmed in a row (the engine reports
hot water at the predicted moment only after ``TRUSTED_AFTER`` of them); ``shortfalls`` counts
the ones not confirmed in a row: while it is not zero the next cycle does not stop on the
prediction (it waits for the front, or approaches it from below by ``probe_l`` where a cold line
must be protected). ``failures`` counts cycles in a row that ended without the hot water they
expected, for the repair issue that says the heater does not fire.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
import math
import statistics
from typing import Any

from .prediction import DAY_S

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
TRUSTED_AFTER = 2
"""Predicted stops confirmed in a row before hot water is reported at the predicted moment."""
MAX_STREAK = 100
"""Streak counters stop counting here (they only ever compare with small numbers)."""
SHORTER_THAN_FOUND = 1.0
"""After a shortfall, samples below this share of the transit then found are dropped (they
predicted the stop that came too early)."""


def finite_number(value: object) -> bool:
    """A stored number to believe: a real, finite number (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _plausible_transit(litres: float) -> bool:
    return math.isfinite(litres) and MIN_TRANSIT_L <= litres <= MAX_TRANSIT_L


@dataclass(frozen=True, slots=True, kw_only=True)
class FixtureLearning:
    """What the engine learned about one fixture."""

    transit_samples: tuple[float, ...] = ()
    """Recent volumes (L) from the start of pumping to the sensor's first rise, oldest first."""
    warm_samples: tuple[float, ...] = ()
    """Transit samples of cycles started while another fixture's pipe was hot (a shared trunk
    still holds hot water, so the front arrives sooner), oldest first."""
    cooling_samples: tuple[float, ...] = ()
    """Recent times (s) from the end of a cycle that made the pipe hot to its water falling
    below the keep-warm band (target minus the keep-warm hysteresis), oldest first."""
    confirmed: int = 0
    """Predicted stops in a row that the sensor confirmed."""
    shortfalls: int = 0
    """Predicted stops in a row after which the sensor never rose."""
    probe_l: float | None = None
    """Where the next cycle stops while approaching the front from below (no transit to trust
    yet, and a cold line to protect): each shortfall moves it further."""
    failures: int = 0
    """Cycles in a row that ended without the hot water they expected (no heat, unconfirmed)."""

    @property
    def transit_l(self) -> float | None:
        """The learned transit volume (median of recent samples), or None before any."""
        if not self.transit_samples:
            return None
        return float(statistics.median(self.transit_samples))

    @property
    def warm_transit_l(self) -> float | None:
        """The learned transit when the network is warm (median), or None before any."""
        if not self.warm_samples:
            return None
        return float(statistics.median(self.warm_samples))

    @property
    def cooling_s(self) -> float | None:
        """The learned cooling time (median of recent samples), or None before any."""
        if not self.cooling_samples:
            return None
        return float(statistics.median(self.cooling_samples))

    @property
    def trusted(self) -> bool:
        """Whether a predicted stop here may be reported as hot water before it is confirmed."""
        return self.confirmed >= TRUSTED_AFTER and not self.shortfalls

    def with_cooling_sample(self, seconds: float) -> FixtureLearning:
        """Add a cooling-time sample (ignored if not plausible)."""
        if not (math.isfinite(seconds) and MIN_COOLING_S <= seconds <= MAX_COOLING_S):
            return self
        samples = (*self.cooling_samples, seconds)[-MAX_COOLING_SAMPLES:]
        return replace(self, cooling_samples=samples)

    def with_warm_sample(self, litres: float) -> FixtureLearning:
        """Add a warm-network transit sample (ignored if not a plausible volume)."""
        if not _plausible_transit(litres):
            return self
        return replace(self, warm_samples=(*self.warm_samples, litres)[-MAX_SAMPLES:])

    def with_sample(self, litres: float) -> FixtureLearning:
        """Add a transit the front showed (ignored if not a plausible volume).

        After shortfalls the samples that predicted too early go: the front came later.
        """
        if not _plausible_transit(litres):
            return self
        kept = self.transit_samples
        if self.shortfalls:
            kept = tuple(s for s in kept if s >= SHORTER_THAN_FOUND * litres)
        else:
            estimate = self.transit_l
            if estimate is not None and len(kept) >= 3:
                litres = min(max(litres, estimate / OUTLIER_BAND), estimate * OUTLIER_BAND)
        return replace(
            self,
            transit_samples=(*kept, litres)[-MAX_SAMPLES:],
            shortfalls=0,
            probe_l=None,
            failures=0,
        )

    def with_confirmation(self) -> FixtureLearning:
        """A predicted stop the sensor confirmed."""
        return replace(
            self, confirmed=min(self.confirmed + 1, MAX_STREAK), shortfalls=0, failures=0
        )

    def with_shortfall(self, probe_l: float | None, *, failed: bool) -> FixtureLearning:
        """A predicted stop the sensor never confirmed; ``probe_l``: where the next one stops."""
        return replace(
            self,
            confirmed=0,
            shortfalls=min(self.shortfalls + 1, MAX_STREAK),
            probe_l=probe_l,
            failures=min(self.failures + failed, MAX_STREAK),
        )

    def with_failure(self) -> FixtureLearning:
        """A cycle that waited for the front and saw none (the pipe never warmed)."""
        return replace(self, confirmed=0, failures=min(self.failures + 1, MAX_STREAK))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (read back by :func:`fixture_from`)."""
        return {
            "transit_samples": list(self.transit_samples),
            "shortfalls": self.shortfalls,
            "warm_samples": list(self.warm_samples),
            "cooling_samples": list(self.cooling_samples),
            "confirmed": self.confirmed,
            "probe_l": self.probe_l,
            "failures": self.failures,
        }


def _count(value: object) -> int | None:
    """A stored streak counter, or None when corrupt."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return None
    return min(value, MAX_STREAK)


def fixture_from(item: object) -> FixtureLearning | None:
    """A fixture's stored learning, or None when corrupt (absent keys take their defaults)."""
    if not isinstance(item, Mapping):
        return None
    samples, warm = item.get("transit_samples", []), item.get("warm_samples", [])
    cooling = item.get("cooling_samples", [])
    if not isinstance(cooling, list) or not all(
        finite_number(s) and MIN_COOLING_S <= s <= MAX_COOLING_S for s in cooling
    ):
        return None
    for values in (samples, warm):
        if not isinstance(values, list) or not all(
            finite_number(s) and MIN_TRANSIT_L <= s <= MAX_TRANSIT_L for s in values
        ):
            return None
    counts = [_count(item.get(key, 0)) for key in ("shortfalls", "confirmed", "failures")]
    probe = item.get("probe_l")
    if any(c is None for c in counts) or not (
        probe is None or (finite_number(probe) and _plausible_transit(probe))
    ):
        return None
    shortfalls, confirmed, failures = (c or 0 for c in counts)
    return FixtureLearning(
        transit_samples=tuple(float(s) for s in samples[-MAX_SAMPLES:]),
        warm_samples=tuple(float(s) for s in warm[-MAX_SAMPLES:]),
        cooling_samples=tuple(float(s) for s in cooling[-MAX_COOLING_SAMPLES:]),
        confirmed=confirmed,
        shortfalls=shortfalls,
        probe_l=None if probe is None else float(probe),
        failures=failures,
    )
