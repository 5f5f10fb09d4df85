"""The engine's outputs: what the host should do or report.

The host carries out ``SetPump``/``SetValve`` (and waits for the devices to report), keeps one timer
for ``ScheduleWakeup``, persists ``LearnedDataChanged.data``, and turns the rest into events,
notifications or errors. Every reason and outcome is a StrEnum usable as a translation key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .config import SettingsError
from .events import TriggerReason
from .learning import LearnedData
from .modes import Mode


class Outcome(StrEnum):
    """How a cycle ended."""

    READY = "ready"
    ALREADY_HOT = "already_hot"
    TIMED_OUT = "timed_out"
    """The water did not get hot in time, though the pipe warmed."""
    NO_HEAT = "no_heat"
    """The pipe never warmed: the heater did not fire (or the pump's flow is too weak for it)."""
    NOT_CONFIRMED = "not_confirmed"
    """The cycle stopped where the hot front was predicted, and the sensor never confirmed it."""
    STOPPED = "stopped"
    FAULT = "fault"

    @property
    def failed(self) -> bool:
        """Whether the cycle ended without the hot water it was for, nobody having stopped it."""
        return self in _FAILED


_FAILED = frozenset({Outcome.TIMED_OUT, Outcome.NO_HEAT, Outcome.NOT_CONFIRMED, Outcome.FAULT})


class EndReason(StrEnum):
    """What exactly ended a cycle (finer than :class:`Outcome`)."""

    THRESHOLD = "threshold"
    """The fixture's sensor reached the target."""
    ONSET = "onset"
    """The sensor showed the onset of the hot front's rise."""
    PREDICTED = "predicted"
    """The learned transit volume was pumped: the front is predicted at the fixture."""
    PURGE_COMPLETE = "purge_complete"
    """Sensorless (or failed sensor): the timed purge volume was moved."""
    COLD_LINE_LIMIT = "cold_line_limit"
    """The water at the valve reached the cold-line limit."""
    ALREADY_HOT = "already_hot"
    MAX_RUN_TIME = "max_run_time"
    VOLUME_LIMIT = "volume_limit"
    """Three times the expected volume moved without hot water."""
    DAILY_CAP = "daily_cap"
    STOP_REQUESTED = "stop_requested"
    DRAW = "draw"
    """Someone opened the tap (a draw sensor): the draw brings the hot water, the cycle stops."""
    MODE_OFF = "mode_off"
    SHUTDOWN = "shutdown"
    RESTARTED = "restarted"
    SETTINGS_CHANGED = "settings_changed"
    VALVE_TIMEOUT = "valve_timeout"
    PUMP_TIMEOUT = "pump_timeout"
    ACTUATOR_UNAVAILABLE = "actuator_unavailable"
    SENSOR_LOST = "sensor_lost"
    """A sensor the cycle depended on was not believed for ``sensor_grace_s``, with no pipe
    volume (learned or configured) left to finish on."""


class ArrivalBasis(StrEnum):
    """How the engine judged a fixture's hot water (reported in the figures)."""

    SENSOR = "sensor"
    """The fixture's pipe sensor (threshold, onset, learned prediction)."""
    LEARNED_PURGE = "learned_purge"
    """No believable sensor: timed purge of the learned transit volume plus a margin."""
    CONFIGURED_PURGE = "configured_purge"
    """No believable sensor and nothing learned: timed purge of the configured volume."""
    NONE = "none"
    """No sensor and no volume: the cycle can only time out."""


class RefusalReason(StrEnum):
    """Why a ``Start`` was refused."""

    UNKNOWN_FIXTURE = "unknown_fixture"
    NO_FIXTURES = "no_fixtures"
    MODE_FORBIDS = "mode_forbids"
    DAILY_CAP_REACHED = "daily_cap_reached"
    ACTUATOR_UNAVAILABLE = "actuator_unavailable"
    INVALID_OVERRIDE = "invalid_override"
    TARGET_ABOVE_LIMIT = "target_above_limit"
    """The target given is above a fixture's cold-line limit (``Refused.limit_c``)."""
    SHUT_DOWN = "shut_down"


class FaultKind(StrEnum):
    """A fault the host should surface (repair issue, notification)."""

    VALVE_NOT_CONFIRMED = "valve_not_confirmed"
    """A valve did not report the commanded state in time."""
    PUMP_NOT_CONFIRMED = "pump_not_confirmed"
    """The pump did not report the commanded state in time."""
    ACTUATOR_UNAVAILABLE = "actuator_unavailable"
    """An actuator reported unavailable while a cycle needed it."""
    SENSOR_IMPLAUSIBLE = "sensor_implausible"
    """A sensor sent an error value or a reading outside -20..100 C."""
    SENSOR_LOST = "sensor_lost"
    """A sensor a running cycle depended on stopped being believed (unavailable, implausible)."""
    NO_HEAT = "no_heat"
    """Cycles at a fixture keep ending without hot water: the heater does not fire for them."""
    UNCOMMANDED_ACTUATOR = "uncommanded_actuator"
    """An actuator reported a state the engine did not command (someone else moved it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SetPump:
    """Turn the pump on or off."""

    on: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SetValve:
    """Open or close a fixture's valve (``JUNCTION`` for the junction valve)."""

    fixture: str
    open: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleFigures:
    """What one cycle did. Temperatures in C, times in s, volumes in L, heat in kWh."""

    trigger: TriggerReason
    started_at: float
    ended_at: float
    end_reason: EndReason
    arrival_basis: ArrivalBasis
    time_to_hot_s: float | None
    """From the request to hot water at the fixture; None if it never got hot."""
    pump_run_s: float
    litres_moved: float
    """Water moved into the cold line, the return, or the drain (from pump or tap flow)."""
    heat_moved_kwh: float
    """Estimated heat carried by that water above the pipe's starting temperature."""
    start_c: float | None
    peak_c: float | None
    """The highest believable reading seen at the fixture during the cycle."""
    transit_l: float | None
    """Volume pumped to the sensor's first rise, if seen while pumping."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleStarted:
    """A cycle for ``fixture`` began."""

    fixture: str
    trigger: TriggerReason
    target_c: float
    max_run_s: float
    arrival_basis: ArrivalBasis


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleFinished:
    """A cycle for ``fixture`` ended."""

    fixture: str
    outcome: Outcome
    figures: CycleFigures


@dataclass(frozen=True, slots=True, kw_only=True)
class Refused:
    """A ``Start`` was refused; nothing was touched."""

    fixtures: tuple[str, ...]
    reason: RefusalReason
    retry_at: float | None = None
    """When a retry could succeed (the daily cap's window rolls on), if known."""
    limit_c: float | None = None
    """The cold-line limit a ``TARGET_ABOVE_LIMIT`` target exceeded (the lowest of them)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlreadyRunning:
    """A ``Start`` asked for fixtures whose cycle already runs: nothing new, not an error."""

    fixtures: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Deferred:
    """A ``Start`` came during the cooldown after a cycle: ``fixtures`` start at ``start_at``.

    A ``Stop`` (or mode off, new settings, shutdown) cancels it; the start is checked again then
    and may still end as ``CycleFinished(already_hot)`` or ``Refused``.
    """

    fixtures: tuple[str, ...]
    start_at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Fault:
    """Something is wrong with the hardware; ``detail`` names the device."""

    kind: FaultKind
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingsRejected:
    """``SettingsChanged`` carried invalid settings; nothing was applied."""

    errors: tuple[SettingsError, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleWakeup:
    """Send a ``Tick`` at ``at`` (replaces any earlier wakeup); None cancels."""

    at: float | None


class ModeSwitchReason(StrEnum):
    """Why the engine switched the mode by itself."""

    VACATION = "vacation"
    """Nobody was home for ``vacation_after_s``."""
    RETURNED = "returned"
    """Someone came home: the mode from before the vacation is back."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeSwitched:
    """The engine switched the mode itself; persist ``mode`` and ``resume_mode``."""

    mode: Mode
    reason: ModeSwitchReason
    resume_mode: Mode | None
    """The mode to go back to on return (None: none pending)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnedDataChanged:
    """Persist ``data`` (e.g. with a delayed save)."""

    data: LearnedData


Command = (
    SetPump
    | SetValve
    | CycleStarted
    | CycleFinished
    | Refused
    | AlreadyRunning
    | Deferred
    | Fault
    | SettingsRejected
    | ScheduleWakeup
    | LearnedDataChanged
    | ModeSwitched
)
