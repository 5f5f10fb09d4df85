"""The engine's inputs: everything that can happen to an installation.

Each event is a frozen value. The controller takes them one at a time with the current time
(``Controller.handle(event, now)``); ``at`` on a reading is when the device measured or reported it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .config import InstallationSettings
from .modes import Mode


class Line(StrEnum):
    """Which pipe a temperature sensor is strapped to."""

    HOT = "hot"
    """The hot supply pipe at the fixture."""
    COLD = "cold"
    """The cold line at the fixture (e.g. an RO purifier's inlet)."""


class Actuator(StrEnum):
    """A device the engine commands."""

    PUMP = "pump"
    VALVE = "valve"
    """A fixture's valve; the junction valve is the valve of fixture ``JUNCTION``."""


class ActuatorReading(StrEnum):
    """What an actuator reports."""

    ON = "on"
    """Pump running, or valve open."""
    OFF = "off"
    """Pump stopped, or valve closed."""
    UNAVAILABLE = "unavailable"
    """No state (unreachable, unknown)."""


class TriggerReason(StrEnum):
    """Why a cycle was requested."""

    REMOTE = "remote"
    BUTTON = "button"
    DASHBOARD = "dashboard"
    VOICE = "voice"
    AUTOMATION = "automation"
    SCHEDULE = "schedule"
    PRESENCE = "presence"
    PREDICTION = "prediction"
    KEEP_WARM = "keep_warm"
    FREEZE = "freeze"


class StopReason(StrEnum):
    """Why running cycles were asked to stop."""

    USER = "user"
    AUTOMATION = "automation"


@dataclass(frozen=True, slots=True, kw_only=True)
class Startup:
    """The engine (re)starts: drive the hardware to the safe state before anything else."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Shutdown:
    """Unload, reload or shutdown: stop every cycle and leave the hardware safe."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TemperatureReading:
    """A temperature report; ``celsius`` None means the sensor is unavailable."""

    fixture: str
    celsius: float | None
    at: float
    line: Line = Line.HOT


@dataclass(frozen=True, slots=True, kw_only=True)
class ActuatorState:
    """An actuator's reported state; ``fixture`` names the valve (None for the pump)."""

    actuator: Actuator
    state: ActuatorReading
    at: float
    fixture: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Start:
    """Heat the hot line to ``fixtures``.

    ``target_c`` replaces the fixtures' target for this cycle (at most their cold-line limit);
    ``max_run_s`` can only shorten the configured maximum run time. A refusal comes back as
    ``Refused``; fixtures already hot end at once as ``CycleFinished(already_hot)``.
    """

    fixtures: tuple[str, ...]
    reason: TriggerReason = TriggerReason.REMOTE
    target_c: float | None = None
    max_run_s: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Stop:
    """Stop the cycles of ``fixtures`` (every running cycle when empty)."""

    fixtures: tuple[str, ...] = ()
    reason: StopReason = StopReason.USER


@dataclass(frozen=True, slots=True, kw_only=True)
class Tick:
    """Time passes: the wakeup the engine asked for (``ScheduleWakeup``), or a periodic tick.

    The time is the ``now`` given to ``Controller.handle``.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingsChanged:
    """New settings; applied as a whole if valid (running cycles stop), else rejected."""

    settings: InstallationSettings


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeChanged:
    """The user picked another mode."""

    mode: Mode


@dataclass(frozen=True, slots=True, kw_only=True)
class Presence:
    """Whether anyone is home (None: unknown, treated as home so nothing is withheld)."""

    home: bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleState:
    """The keep-warm schedule turned on or off (without a schedule, keep-warm is always on)."""

    active: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawObserved:
    """A flow or heater-burning sensor shows hot water being drawn at ``fixture`` since ``at``."""

    fixture: str
    at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalTime:
    """The local time's offset from UTC (s); the usage profile's slots are local time."""

    utc_offset_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ResetUsage:
    """Forget the usage profile and pre-heat statistics (of ``fixtures``; all when empty)."""

    fixtures: tuple[str, ...] = ()


Event = (
    Startup
    | Shutdown
    | TemperatureReading
    | ActuatorState
    | Start
    | Stop
    | Tick
    | SettingsChanged
    | ModeChanged
    | Presence
    | ScheduleState
    | DrawObserved
    | LocalTime
    | ResetUsage
)
