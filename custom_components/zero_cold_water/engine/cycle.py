"""What a fixture's state holds: its running cycle, its readiness (see ``fixtures.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from .arrival import ArrivalDetector
from .commands import ArrivalBasis
from .events import TriggerReason


@dataclass(slots=True, kw_only=True)
class FixtureCycle:
    """A running cycle for one fixture (internal, mutable)."""

    fixture: str
    trigger: TriggerReason
    started_at: float
    deadline: float
    """Start plus the maximum run time: the cycle ends by then, whatever happens."""
    basis: ArrivalBasis
    detector: ArrivalDetector
    valve: str | None
    """The valve this cycle waits for (the fixture, ``JUNCTION``), or None."""
    opening_since: float = 0.0
    """When the cycle (re-)entered ``waiting_for_valve``: the valve-confirm timeout counts from
    here."""
    flow_since: float | None = None
    """When water started to flow past the fixture in this cycle."""
    volume_l: float = 0.0
    """Water moved past the fixture so far."""
    share_l: float = 0.0
    """This cycle's share of the water the installation moved (a loop shared by two cycles
    moves its water once: the totals count the shares)."""
    pump_run_s: float = 0.0
    stop_volume_l: float | None = None
    """Predicted (sensor) or purge (sensorless) volume at which the cycle ends."""
    volume_limit_l: float | None = None
    """The cycle gives up (``timed_out``) after moving this much without hot water."""
    transit_l: float | None = None
    """Volume at the sensor's first rise, if seen while flowing."""
    warm_network: bool = False
    """Another fixture's pipe was hot when the cycle started (a shared trunk may be hot)."""
    sensor_silent: bool = False
    """The sensor had not reported (or only long ago) when the cycle started."""
    blind_since: float | None = None
    """Since when the cycle has had no believed sensor to go on (see ``sensor_grace_s``)."""

    @property
    def sensed(self) -> bool:
        """Whether its sensor tells when the water is hot (not a purge, a sensor that reported)."""
        return self.basis is ArrivalBasis.SENSOR and not self.sensor_silent


@dataclass(slots=True, kw_only=True)
class Readiness:
    """A fixture whose water was made hot, until it cools."""

    since: float
    settle_until: float
    """Readings before this are ignored: a lagging sensor is still catching up."""
    hold_until: float | None
    """Readiness expires at this time when the sensor cannot tell (None: the sensor decides)."""
    predicted: bool
    """The cycle stopped on the predicted volume: the sensor must confirm the front came."""
    baseline_c: float | None
    confirm_until: float
    stop_volume_l: float
    lead_l: float
    confirmed: bool = False
