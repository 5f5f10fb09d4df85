"""What a simulation run returns: per-draw and per-cycle records, a safety time series, summary."""

from __future__ import annotations

from dataclasses import dataclass
import math


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawResult:
    """One draw as the person experienced it."""

    fixture: str
    start: float
    triggered: bool
    """Someone pressed the remote before this draw."""
    lead_s: float | None
    """How long before the draw the remote was pressed."""
    wait_s: float | None
    """Time from opening the tap to water at >= 40 C (None: never hot within max_wait_s)."""
    wasted_l: float
    """Water run down the drain at the tap before it was hot."""
    end: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleResult:
    """One circulation run: the pump (or a drain valve) from on to off."""

    start: float
    end: float
    kind: str
    """"pump" or "drain"."""
    pumped_l: float
    """Water moved through the circulation end points (bridges, return, drain valves)."""
    hot_at: float | None
    """When water at >= 40 C first reached an end point."""
    overshoot_l: float
    """Litres moved through end points after they had hot water."""
    cold_push_l: float
    """Litres above 35 C pushed into the cold line."""
    ignitions: int
    deadhead_s: float
    """Seconds the pump ran with no open path."""

    @property
    def duration_s(self) -> float:
        """Length of the cycle."""
        return self.end - self.start


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetySample:
    """A safety-relevant snapshot (at actuator changes and every few seconds while active)."""

    at: float
    pump_on: bool
    valves_open: int
    deadheading: bool
    cold_line_max_c: float
    """Hottest water in any cold pipe (a still pipe as of its last step: it only drifts to the room)."""
    ro_inlet_c: float | None
    """True water temperature at the first cold-line sensor (RO inlet), if any."""
    open_valve_water_c: float | None = None
    """Hottest true water at an open bridge valve (cold_line), None when none is open."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EnergyBalance:
    """Heat accounting over the run (J, relative to 0 C)."""

    heater_in_j: float
    mains_in_j: float
    delivered_j: float
    """Enthalpy of the water that left at taps and drain valves."""
    lost_j: float
    """Heat lost from all pipe walls to the room (negative: gained)."""
    stored_start_j: float
    stored_end_j: float
    mains_in_l: float = 0.0
    """Water that entered from the mains."""
    delivered_l: float = 0.0
    """Water that left at taps and drain valves."""

    @property
    def residual_j(self) -> float:
        """In - (stored change + lost + delivered): zero for a conservative model."""
        return (self.heater_in_j + self.mains_in_j) - (
            self.stored_end_j - self.stored_start_j + self.lost_j + self.delivered_j
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """The benchmark's figures for one strategy in one home (physics.md, "What to measure")."""

    draws: int
    cycles: int
    wait_median_s: float
    wait_p95_s: float
    hot_within_5s: float
    """Share of draws with water >= 40 C within 5 s."""
    wasted_l_per_draw: float
    """Water to the drain per draw (waiting at the tap + drain valves)."""
    cold_push_l_per_cycle: float
    overshoot_l_per_cycle: float
    cold_line_peak_c: float
    ro_inlet_peak_c: float | None
    heat_loss_kwh_day: float
    pump_wh_day: float
    ignitions_per_cycle: float
    ignitions_per_day: float
    """All heater ignitions (draws included), per day."""
    deadhead_s: float
    max_cycle_s: float
    unused_cycles_per_day: float = 0.0
    """Cycles after which nobody drew hot water within 15 min (wasted pre-heats)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """Everything one run produced."""

    home: str
    strategy: str
    duration_s: float
    draws: tuple[DrawResult, ...]
    cycles: tuple[CycleResult, ...]
    series: tuple[SafetySample, ...]
    energy: EnergyBalance
    summary: Summary
    pump_on_s: float
    ignored_commands: int
    """Wants for actuators the home does not have (e.g. a valve where a passive bridge is)."""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; nan for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    pos = (len(s) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)
