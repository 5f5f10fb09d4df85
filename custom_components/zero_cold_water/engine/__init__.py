"""The Zero Cold Water control engine: a pure, deterministic, sans-I/O core.

No Home Assistant import, no I/O, no clock: the host (the HA coordinator, the benchmark adapter, a
test) feeds :class:`Controller` events with the current time and carries out the commands it
returns::

    controller = Controller(settings, learned=LearnedData.from_dict(stored), mode=Mode.ON_DEMAND)
    commands = controller.handle(Startup(), now)          # pump off, every valve closed
    commands = controller.handle(TemperatureReading(fixture="basin", celsius=21.5, at=now), now)
    commands = controller.handle(ActuatorState(actuator=Actuator.PUMP,
                                               state=ActuatorReading.ON, at=now), now)
    commands = controller.handle(Start(fixtures=("basin",), reason=TriggerReason.REMOTE), now)
    commands = controller.handle(Tick(), now)             # when a ScheduleWakeup falls due
    commands = controller.handle(Shutdown(), now)         # unload/stop: hardware safe
    view = controller.snapshot()                          # read-only state for entities

Commands: ``SetPump``/``SetValve`` (carry out, in order), ``ScheduleWakeup`` (one timer; send
``Tick`` then), ``CycleStarted``/``CycleFinished`` (events, logbook), ``Refused`` (raise a translated
error), ``AlreadyRunning``/``Deferred`` (answers to a repeated or early request, not errors), ``Fault`` (repair issue), ``SettingsRejected``, ``LearnedDataChanged`` (persist
``data.to_dict()``). Every outcome and reason is a ``StrEnum``, usable as a translation key.
"""

from __future__ import annotations

from .commands import (
    AlreadyRunning,
    ArrivalBasis,
    Command,
    CycleFigures,
    CycleFinished,
    CycleStarted,
    Deferred,
    EndReason,
    Fault,
    FaultKind,
    LearnedDataChanged,
    ModeSwitched,
    ModeSwitchReason,
    Outcome,
    RefusalReason,
    Refused,
    ScheduleWakeup,
    SetPump,
    SettingsRejected,
    SetValve,
)
from .config import (
    JUNCTION,
    FixtureSettings,
    InstallationSettings,
    InvalidSettingsError,
    SettingsError,
    SettingsErrorCode,
    Topology,
    validate,
)
from .controller import Controller
from .events import (
    Actuator,
    ActuatorReading,
    ActuatorState,
    DrawObserved,
    Event,
    Line,
    LocalTime,
    ModeChanged,
    Presence,
    ResetUsage,
    ScheduleState,
    SettingsChanged,
    Shutdown,
    Start,
    Startup,
    Stop,
    StopReason,
    TemperatureReading,
    Tick,
    TriggerReason,
)
from .learning import SCHEMA_VERSION, LearnedData, ResetReason, Totals
from .modes import Mode
from .pipe import FixtureLearning
from .prediction import DrawRecord, PreheatOutcome, PreheatRecord, UsageProfile
from .readings import plausible
from .snapshot import (
    FixtureSnapshot,
    FixtureState,
    InstallationState,
    LastCycle,
    PredictionStats,
    Snapshot,
)

__all__ = [
    "JUNCTION",
    "SCHEMA_VERSION",
    "Actuator",
    "ActuatorReading",
    "ActuatorState",
    "AlreadyRunning",
    "ArrivalBasis",
    "Command",
    "Controller",
    "CycleFigures",
    "CycleFinished",
    "CycleStarted",
    "Deferred",
    "DrawObserved",
    "DrawRecord",
    "EndReason",
    "Event",
    "Fault",
    "FaultKind",
    "FixtureLearning",
    "FixtureSettings",
    "FixtureSnapshot",
    "FixtureState",
    "InstallationSettings",
    "InstallationState",
    "InvalidSettingsError",
    "LastCycle",
    "LearnedData",
    "LearnedDataChanged",
    "Line",
    "LocalTime",
    "Mode",
    "ModeChanged",
    "ModeSwitchReason",
    "ModeSwitched",
    "Outcome",
    "PredictionStats",
    "PreheatOutcome",
    "PreheatRecord",
    "Presence",
    "RefusalReason",
    "Refused",
    "ResetReason",
    "ResetUsage",
    "ScheduleState",
    "ScheduleWakeup",
    "SetPump",
    "SetValve",
    "SettingsChanged",
    "SettingsError",
    "SettingsErrorCode",
    "SettingsRejected",
    "Shutdown",
    "Snapshot",
    "Start",
    "Startup",
    "Stop",
    "StopReason",
    "TemperatureReading",
    "Tick",
    "Topology",
    "Totals",
    "TriggerReason",
    "UsageProfile",
    "plausible",
    "validate",
]
