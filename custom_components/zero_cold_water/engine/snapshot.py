"""Read-only views of the engine for the host's entities."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .commands import CycleFigures, Outcome
from .events import ActuatorReading
from .learning import Totals
from .modes import Mode


class InstallationState(StrEnum):
    """The installation as a whole."""

    IDLE = "idle"
    HEATING = "heating"
    READY = "ready"
    """No cycle runs and at least one fixture's water is hot."""
    COOLDOWN = "cooldown"
    """A cycle just ended; new starts wait for a moment."""
    FAULT = "fault"
    """An actuator is unavailable or stuck, or the last cycle ended in a fault."""
    OFF = "off"
    """The mode is off (or the engine is shut down)."""


class FixtureState(StrEnum):
    """One fixture."""

    IDLE = "idle"
    QUEUED = "queued"
    """A request waits for the cooldown after the last cycle; it starts when that ends."""
    WAITING_FOR_VALVE = "waiting_for_valve"
    HEATING = "heating"
    CONFIRMING = "confirming"
    """The cycle stopped where the hot front was predicted; the sensor has yet to show it."""
    READY = "ready"
    FAULT = "fault"

    @property
    def underway(self) -> bool:
        """Hot water is on its way: queued, waiting for the valve, heating or confirming."""
        return self in _UNDERWAY


_UNDERWAY = frozenset(
    {
        FixtureState.QUEUED,
        FixtureState.WAITING_FOR_VALVE,
        FixtureState.HEATING,
        FixtureState.CONFIRMING,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LastCycle:
    """The last finished cycle of a fixture."""

    outcome: Outcome
    figures: CycleFigures


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictionStats:
    """How well predictive pre-heat did (draws detected or reported while no cycle ran)."""

    hit_rate: float | None = None
    """Share of the draws of the last 7 days that found the water already hot (None: no draw)."""
    draws_7d: int = 0
    preheats_today: int = 0
    """Pre-heats started in the current local day (the daily limit applies to these)."""
    wasted_today: int = 0
    """Pre-heats of the current local day whose water cooled with no draw."""
    wasted_7d: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class FixtureSnapshot:
    """One fixture, as the entities show it."""

    name: str
    state: FixtureState
    temperature_c: float | None
    """The believed pipe temperature (None: unknown, failed or stale)."""
    cold_temperature_c: float | None
    sensor_ok: bool
    """Whether the pipe sensor (if any) is believed."""
    valve_open_commanded: bool | None
    """None when the fixture has no valve of its own."""
    valve_reported: ActuatorReading | None
    ready_until: float | None
    """When readiness expires by the cooling estimate (sensorless), if known."""
    last_cycle: LastCycle | None
    learned_transit_l: float | None
    transit_samples: int
    keep_warm: bool = True
    """Kept hot by keep-warm and pre-heated by predictive mode."""
    hot: bool = False
    """What *Hot water ready* shows: ready, or confirming where the last predicted stops here
    were confirmed (then the predicted moment is trusted)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """The whole engine, as the entities show it."""

    now: float
    state: InstallationState
    mode: Mode
    pump_on_commanded: bool
    pump_reported: ActuatorReading | None
    junction_open_commanded: bool | None
    fixtures: Mapping[str, FixtureSnapshot]
    pump_run_24h_s: float
    """Pump run time in the rolling 24 h window (the daily cap applies to it)."""
    daily_pump_cap_s: float
    cooldown_until: float | None
    next_wakeup: float | None
    totals: Totals
    shut_down: bool
    home: bool | None = None
    """Whether someone is home (None: unknown or no presence configured)."""
    schedule_active: bool = True
    """The keep-warm schedule is on (always, without a schedule)."""
    resume_mode: Mode | None = None
    """The mode to restore when someone comes home (set while on an automatic vacation)."""
    prediction: PredictionStats = PredictionStats()
