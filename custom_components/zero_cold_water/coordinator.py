"""The HA shell around the engine: state changes in, service calls out, timers, storage.

Push only: nothing polls. Every wrapped entity's state change becomes an engine event; the engine's
commands are carried out in order as blocking service calls (with a timeout); its one wake-up is a
point-in-time timer; its learned data, the mode and the cycles in progress persist in a Store.
After every engine call the entities get the new snapshot through ``async_set_updated_data``;
after pipe readings only when something they show changed, once per loop pass (``_async_feed``),
and no snapshot is built at all while the engine's ``revision`` says nothing shown can have
changed (``data`` is then rebuilt when read: ``READINGS_SHOWN``).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from functools import partial
import logging
import math
from operator import attrgetter
from typing import Any, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    ATTR_ENTITY_ID,
    EVENT_CORE_CONFIG_UPDATE,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event as HassEvent,
    EventStateChangedData,
    EventStateReportedData,
    HomeAssistant,
    State,
    callback,
    split_entity_id,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_state_change_event,
    async_track_state_report_event,
    async_track_time_change,
)
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .compat import child_device_info
from .const import (
    CONF_COLD_SENSOR,
    CONF_DRAW_SENSOR,
    CONF_JUNCTION_VALVE,
    CONF_PUMP,
    CONF_SCHEDULE,
    CONF_SENSOR,
    CONF_TOPOLOGY,
    CONF_VALVE,
    DOMAIN,
    EVENT_CYCLE,
    SUBENTRY_FIXTURE,
)
from .devices import installation_model, subentry_model
from .engine import (
    JUNCTION,
    Actuator,
    ActuatorReading,
    ActuatorState,
    AlreadyRunning,
    ArrivalBasis,
    Command,
    Controller,
    CycleFigures,
    CycleFinished,
    CycleStarted,
    Deferred,
    DrawObserved,
    EndReason,
    Event,
    Fault,
    FaultKind,
    FixtureSnapshot,
    InstallationSettings,
    InstallationState,
    LearnedData,
    LearnedDataChanged,
    Line,
    LocalTime,
    Mode,
    ModeChanged,
    ModeSwitched,
    Outcome,
    Presence,
    Refused,
    ResetUsage,
    ScheduleState,
    ScheduleWakeup,
    SetPump,
    SettingsChanged,
    SettingsRejected,
    SetValve,
    Shutdown,
    Snapshot,
    Start,
    Startup,
    Stop,
    StopReason,
    TemperatureReading,
    Tick,
    TriggerReason,
    validate,
)
from .errors import refusal_error
from .remotes import (
    PressHandler,
    RemoteAction,
    RemoteBinding,
    async_track_remotes,
    remote_bindings,
)
from .settings import (
    Wrapped,
    entry_settings,
    fixture_subentries,
    input_entities,
    presence_entities,
    wrapped_entities,
)
from .states import (
    UNKNOWN_STATES,
    actuator_reading,
    celsius,
    drawing,
    on_off,
    presence_of,
    utc_offset_s,
)

LOGGER = logging.getLogger(__package__)

STORAGE_VERSION = 1
SAVE_DELAY_S = 10.0
"""Learned data: written at most this late (a crash loses only the last seconds' learning)."""
RUNNING_KEY = "running"
"""The stored cycles in progress: a crash or power cut leaves them there for the next start."""
SERVICE_TIMEOUT_S = 15.0
"""A service call to the pump or a valve that takes longer than this has failed."""
RECHECK_AFTER_S = 30.0
"""After a failed call, the device's own state is believed again this much later."""
SWITCH_ON_LIMIT = 3
SWITCH_ON_WINDOW_S = 30.0
"""At most this many on/open calls to one device in this window: a device that something else
keeps switching off is not fought (the engine's confirm timeout then ends the cycle)."""
RECENT_CYCLES = 20
MANUFACTURER = "Zero Cold Water"

LOCAL_TIME_CHECK_MINUTES = "/15"
"""When the local time's UTC offset is checked (DST changes on a full or half hour)."""

NOT_SHOWN = frozenset({"now", "pump_run_24h_s", "next_wakeup", "fixtures"})
"""Snapshot fields no entity shows (``fixtures`` is compared one by one). An entity that comes
to show one of them, or a fixture's temperatures, takes it out of here."""
NOT_SHOWN_FIXTURE = frozenset({"temperature_c", "cold_temperature_c"})
READINGS_SHOWN = not (
    {"now", "pump_run_24h_s"} <= NOT_SHOWN
    and {"temperature_c", "cold_temperature_c"} <= NOT_SHOWN_FIXTURE
)
"""Whether an entity shows a field ``Controller.revision`` does not follow (the time, the pump's
24 h run time, the readings). While none does, a reading that leaves the revision alone builds no
snapshot and asks no entity to look: ``data`` is marked stale and rebuilt when next read."""
_shown = attrgetter(*(f.name for f in fields(Snapshot) if f.name not in NOT_SHOWN))
_shown_fixture = attrgetter(
    *(f.name for f in fields(FixtureSnapshot) if f.name not in NOT_SHOWN_FIXTURE)
)


def shown_changed(old: Snapshot, new: Snapshot) -> bool:
    """Whether anything an entity shows differs between two snapshots (not the readings)."""
    if _shown(old) != _shown(new) or old.fixtures.keys() != new.fixtures.keys():
        return True
    return any(
        _shown_fixture(old.fixtures[name]) != _shown_fixture(view)
        for name, view in new.fixtures.items()
    )


def entity_available(hass: HomeAssistant, entity_id: str) -> bool:
    """Whether a wrapped entity exists and has a usable state."""
    state = hass.states.get(entity_id)
    return state is not None and state.state not in UNKNOWN_STATES


@dataclass(frozen=True, slots=True, kw_only=True)
class RunningCycle:
    """A cycle in progress as stored, so that one a crash cuts short can be reported later."""

    trigger: TriggerReason
    started_at: float
    arrival_basis: ArrivalBasis

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "trigger": self.trigger.value,
            "started_at": self.started_at,
            "arrival_basis": self.arrival_basis.value,
        }

    @classmethod
    def from_dict(cls, raw: object) -> RunningCycle | None:
        """Read a stored marker; None if it is not one (a corrupted file never crashes set-up)."""
        if not isinstance(raw, dict):
            return None
        trigger, basis, started = (
            raw.get("trigger"),
            raw.get("arrival_basis"),
            raw.get("started_at"),
        )
        if (
            not isinstance(trigger, str)
            or trigger not in TriggerReason.__members__.values()
            or not isinstance(basis, str)
            or basis not in ArrivalBasis.__members__.values()
            or not isinstance(started, int | float)
            or isinstance(started, bool)
            or not math.isfinite(started)
        ):
            return None
        return cls(
            trigger=TriggerReason(trigger),
            started_at=float(started),
            arrival_basis=ArrivalBasis(basis),
        )

    def stopped(self, fixture: str, now: float) -> CycleFinished:
        """The record of this cycle cut short, found at start-up ``now``.

        What it did before the cut (pump time, volume, temperatures) died with the engine: those
        figures are zero or None; ``ended_at`` is when the restart found it.
        """
        return CycleFinished(
            fixture=fixture,
            outcome=Outcome.STOPPED,
            figures=CycleFigures(
                trigger=self.trigger,
                started_at=self.started_at,
                ended_at=now,
                end_reason=EndReason.RESTARTED,
                arrival_basis=self.arrival_basis,
                time_to_hot_s=None,
                pump_run_s=0.0,
                litres_moved=0.0,
                heat_moved_kwh=0.0,
                start_c=None,
                peak_c=None,
                transit_l=None,
            ),
        )


def running_cycles(raw: object) -> dict[str, RunningCycle]:
    """The stored running-cycle markers that are readable (others are dropped)."""
    if not isinstance(raw, dict):
        return {}
    return {
        fixture: cycle
        for fixture, item in raw.items()
        if isinstance(fixture, str) and (cycle := RunningCycle.from_dict(item)) is not None
    }


@dataclass(slots=True, kw_only=True)
class StartResult:
    """What a start request did, per fixture: one of these for each (refusals aside)."""

    started: tuple[str, ...]
    running: tuple[str, ...] = ()
    """Already heating: the request changed nothing (not an error)."""
    deferred: dict[str, float] = field(default_factory=dict)
    """Waiting for the cooldown after the last cycle: starts at this time (timestamp)."""
    finished: list[CycleFinished] = field(default_factory=list)
    """Cycles that ended at once (already hot)."""
    refused: list[Refused] = field(default_factory=list)

    @property
    def underway(self) -> tuple[str, ...]:
        """Fixtures whose hot water is on its way now or soon (a cycle will finish for each)."""
        return (*self.started, *self.running, *self.deferred)


@dataclass(slots=True, kw_only=True)
class _Handled:
    refused: list[Refused] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)
    deferred: dict[str, float] = field(default_factory=dict)
    finished: list[CycleFinished] = field(default_factory=list)


type CycleListener = Callable[[CycleFinished], None]


class ZeroColdWaterCoordinator(DataUpdateCoordinator[Snapshot | None]):
    """One installation's engine, driven by Home Assistant."""

    config_entry: ConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Prepare; ``async_start`` loads the stored data and starts the engine."""
        self._data: Snapshot | None = None
        self._data_stale = False
        """``data`` is older than the engine's last (quiet) reading."""
        self._shown_revision: int | None = None
        """The engine's ``revision`` when the entities were last given a snapshot."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title)
        self.store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}"
        )
        self.settings: InstallationSettings | None = None
        self.controller: Controller | None = None
        self.wrapped: list[Wrapped] = wrapped_entities(entry)
        self.recent_cycles: deque[CycleFinished] = deque(maxlen=RECENT_CYCLES)
        self.faults: deque[Fault] = deque(maxlen=RECENT_CYCLES)
        """Recent faults, for diagnostics."""
        self._fault_issue = False
        self._sensor_issues: dict[str, tuple[str, Line]] = {}
        self._lock = asyncio.Lock()
        self._unsubs: list[CALLBACK_TYPE] = []
        self._wakeup_unsub: CALLBACK_TYPE | None = None
        self._cycle_listeners: list[CycleListener] = []
        self.remotes: list[RemoteBinding] = remote_bindings(entry)
        self._remote_listeners: list[PressHandler] = []
        self._waiters: dict[str, list[asyncio.Future[CycleFinished]]] = {}
        self._warned: set[str] = set()
        self._rechecks: dict[str, CALLBACK_TYPE] = {}
        self._switched_on: dict[str, deque[float]] = {}
        self._closed = False
        self._stopping = False
        self._pending: deque[Event] = deque()
        self._backlog: deque[tuple[list[Command], float]] = deque()
        """Commands the engine gave in a callback, with their time, waiting for the worker."""
        self._publish_handle: asyncio.Handle | None = None
        """The pending snapshot for the entities after this loop pass's readings."""
        self._worker: asyncio.Task[None] | None = None
        self._mode = Mode.ON_DEMAND
        self._resume_mode: Mode | None = None
        self._learned = LearnedData()
        self.inputs: list[Wrapped] = input_entities(entry)
        """Entities the automatic cycles follow (schedule, presence, draw sensors)."""
        self._schedule_entity: str | None = entry.options.get(CONF_SCHEDULE) or None
        self._presence = presence_entities(entry.options)
        self._draw_sensors: dict[str, list[str]] = {}
        for item in self.inputs:
            if item.role == CONF_DRAW_SENSOR and item.fixture is not None:
                self._draw_sensors.setdefault(item.entity_id, []).append(item.fixture)
        self._sent: dict[str, Any] = {}
        """The last presence, schedule state and UTC offset sent: only changes are sent."""
        self._running: dict[str, RunningCycle] = {}
        """Cycles in progress, stored promptly (a crash would otherwise lose them)."""
        self._interrupted: dict[str, RunningCycle] = {}
        """Cycles found in progress in the store at set-up: cut short by a crash or power loss."""
        self._save_due: float | None = None
        """When the pending delayed store write is due (loop time), None if none is."""
        self.installation_device_id = ""
        self.fixture_devices: dict[str, str] = {}
        self._by_entity: dict[str, list[Wrapped]] = {}
        for wrapped in self.wrapped:
            self._by_entity.setdefault(wrapped.entity_id, []).append(wrapped)
        by_role = {(w.role, w.fixture): w.entity_id for w in self.wrapped}
        self._pump = by_role.get((CONF_PUMP, None))
        self._valves: dict[str, str] = {
            fixture: entity_id
            for (role, fixture), entity_id in by_role.items()
            if role == CONF_VALVE and fixture is not None
        }
        if junction := by_role.get((CONF_JUNCTION_VALVE, None)):
            self._valves[JUNCTION] = junction

    @property
    def data(self) -> Snapshot | None:
        """The engine's snapshot, as of its last event (rebuilt here after quiet readings)."""
        if self._data_stale:
            self._data_stale = False
            if self.controller is not None:
                self._data = self.controller.snapshot()
        return self._data

    @data.setter
    def data(self, value: Snapshot | None) -> None:
        self._data = value
        self._data_stale = False

    async def _async_update_data(self) -> Snapshot | None:  # pragma: no cover - never polled
        """Nothing to fetch: the snapshot is pushed after every engine call."""
        return self.controller.snapshot() if self.controller else None

    # ----------------------------------------------------------------- life cycle

    async def async_start(self) -> None:
        """Load learned data, start the engine with the hardware safe, and subscribe."""
        entry = self.config_entry
        # The installation's device first: fixture devices link to it by its id.
        registry = dr.async_get(self.hass)
        self.installation_device_id = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer=MANUFACTURER,
            model=installation_model(self.hass, entry.data[CONF_TOPOLOGY]),
        ).id
        self.fixture_devices = {
            fixture: registry.async_get_or_create(
                config_entry_id=entry.entry_id,
                config_subentry_id=fixture,
                **self.fixture_device_info(fixture),
            ).id
            for fixture, _ in fixture_subentries(entry)
        }
        stored: Any = await self.store.async_load() or {}
        if not isinstance(stored, dict):  # a corrupted file: start afresh, never crash
            stored = {"learned": stored}
        mode = stored.get("mode", Mode.ON_DEMAND.value)
        self._mode = Mode(mode) if mode in Mode.__members__.values() else Mode.ON_DEMAND
        resume = stored.get("resume_mode")
        self._resume_mode = Mode(resume) if resume in Mode.__members__.values() else None
        learned = LearnedData.from_dict(stored.get("learned", {"version": 1}))
        self._interrupted = {
            fixture: cycle
            for fixture, cycle in running_cycles(stored.get(RUNNING_KEY)).items()
            if fixture in self.fixture_devices  # a fixture removed since is not reported
        }
        if learned.reset_reason is not None:
            LOGGER.warning(
                "%s: stored learned data discarded (%s)",
                self.config_entry.title,
                learned.reset_reason,
            )
        settings = entry_settings(self.config_entry)
        if not validate(settings):
            self.settings = settings
            self.controller = Controller(
                settings, learned=learned, mode=self._mode, resume_mode=self._resume_mode
            )
        # All of it (usage profile and pre-heat records too), only without the load's verdict.
        self._learned = replace(learned, reset_reason=None)
        # Subscribe first: a slow device that reports during start-up is not missed.
        self._unsubs.append(
            async_track_state_change_event(
                self.hass, [w.entity_id for w in self.wrapped], self._async_state_changed
            )
        )
        # A sensor that reports the same value again is alive: without its reports a steady
        # pipe (a whole night at room temperature) would look stale and not be believed.
        self._unsubs.append(
            async_track_state_report_event(
                self.hass,
                [w.entity_id for w in self.wrapped if w.role in (CONF_SENSOR, CONF_COLD_SENSOR)],
                self._async_state_changed,
            )
        )
        self._unsubs.append(async_track_remotes(self.hass, self.remotes, self._remote_pressed))
        # The automatic cycles' inputs, beside the per-reading path (they change seldom).
        if self.inputs:
            self._unsubs.append(
                async_track_state_change_event(
                    self.hass,
                    sorted({item.entity_id for item in self.inputs}),
                    self._async_input_changed,
                )
            )
        self._unsubs.append(
            async_track_time_change(
                self.hass, self._async_check_local_time, minute=LOCAL_TIME_CHECK_MINUTES, second=5
            )
        )
        self._unsubs.append(
            self.hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._async_check_local_time)
        )
        if self.controller is not None:
            await self._async_start_engine()
        self.async_set_updated_data(self.controller.snapshot() if self.controller else None)

    async def _async_start_engine(self) -> None:
        """Start a (new) engine and tell it how every wrapped entity and input is now."""
        await self.async_handle(Startup())
        await self._async_feed_current_states()
        await self._async_feed_inputs()

    async def _async_feed_current_states(self) -> None:
        for wrapped in self.wrapped:
            await self.async_handle(
                self._event_for(wrapped, self.hass.states.get(wrapped.entity_id))
            )

    async def _async_feed_inputs(self) -> None:
        """Tell a (new) engine the local time, presence and schedule as they are now."""
        self._sent.clear()
        for event in self._input_events(initial=True):
            await self.async_handle(event)

    def _input_events(self, *, initial: bool = False) -> list[Event]:
        """LocalTime, Presence and ScheduleState events for what changed since last sent."""
        events: list[Event] = []
        if (local_time := self._local_time_changed()) is not None:
            events.append(local_time)
        if self._presence:
            home = presence_of(self.hass.states.get(entity_id) for entity_id in self._presence)
            if initial or self._sent.get("home") != home:
                self._sent["home"] = home
                events.append(Presence(home=home))
        if self._schedule_entity is not None:
            active = on_off(self.hass.states.get(self._schedule_entity))
            if active is None and initial:
                active = False  # not known yet: no keep-warm until the schedule says so
            if active is not None and (initial or self._sent.get("schedule") != active):
                self._sent["schedule"] = active
                events.append(ScheduleState(active=active))
        return events

    @callback
    def _async_input_changed(self, event: HassEvent[EventStateChangedData]) -> None:
        """A schedule, presence or draw sensor entity changed."""
        entity_id = event.data["entity_id"]
        new = event.data["new_state"]
        if (
            entity_id in self._draw_sensors
            and new is not None
            and drawing(new)
            and drawing(event.data["old_state"]) is False
        ):
            at = new.last_changed.timestamp()
            for fixture in self._draw_sensors[entity_id]:
                self._enqueue(DrawObserved(fixture=fixture, at=at))
        for engine_event in self._input_events():
            self._enqueue(engine_event)

    @callback
    def _async_check_local_time(self, _event: Any) -> None:
        """Tell the engine when the UTC offset changed (daylight saving, a new time zone)."""
        if (local_time := self._local_time_changed()) is not None:
            self._enqueue(local_time)

    def _local_time_changed(self) -> LocalTime | None:
        """The local time's UTC offset, if it differs from the one last sent (noted as sent)."""
        offset = utc_offset_s()
        if self._sent.get("offset") == offset:
            return None
        self._sent["offset"] = offset
        return LocalTime(utc_offset_s=offset)

    async def async_stop(self) -> None:
        """Shutdown: hardware to the safe state first, then tear everything down."""
        if self._closed:
            return
        self._stopping = True
        if self.controller is not None:
            await self.async_handle(Shutdown())
        self._closed = True
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        for cancel in self._rechecks.values():
            cancel()
        self._rechecks.clear()
        self._cancel_wakeup()
        if self._publish_handle is not None:
            self._publish_handle.cancel()
            self._publish_handle = None
        for futures in self._waiters.values():
            for future in futures:
                if not future.done():
                    future.cancel()
        self._waiters.clear()
        if self.controller is not None:
            await self.store.async_save(self._stored())

    # ----------------------------------------------------------------- the engine

    async def async_handle(self, event: Event | None) -> _Handled:
        """Feed one event to the engine and carry out what it asks, in order.

        Commands the engine gave in a listener's callback (``_async_feed``) and that still wait
        for their service calls go first: the engine has already moved past them.
        """
        handled = _Handled()
        if self.controller is None or self._closed:
            return handled
        async with self._lock:
            queue: deque[Event] = deque()
            while self._backlog:
                commands, at = self._backlog.popleft()
                await self._execute(commands, _Handled(), queue, at)
            if event is not None:
                if self._stopping and not isinstance(event, Shutdown):
                    return handled  # queued behind the shutdown: the engine is done
                queue.append(event)
            while queue:
                now = dt_util.utcnow().timestamp()
                commands = self.controller.handle(queue.popleft(), now)
                await self._execute(commands, handled, queue, now)
            if self._wakeup_unsub is None and (wakeup := self.controller.next_wakeup) is not None:
                # A timer that fired a hair early found nothing due; the engine, its wakeup
                # unchanged, asked for no new one: the same wakeup is armed again.
                self._schedule(wakeup)
            self._publish(self.controller.snapshot())
        return handled

    @callback
    def _async_feed(self, event: Event) -> None:
        """Hand a wrapped entity's report to the engine, in the listener's own callback.

        Most reports are pipe readings that ask for nothing: the engine takes them at once,
        without a task, the lock or the queue (each reading still reaches the engine). Only when
        something is in flight (the lock held, events queued, commands waiting) does the report
        queue up behind it, so the engine sees every event in order. Commands with service calls
        go to the worker (the backlog, carried out before anything else). A reading after which
        the engine's ``revision`` is the one last shown builds no snapshot: ``data`` is marked
        stale and rebuilt by whoever reads it next.
        """
        controller = self.controller
        if controller is None or self._closed or self._stopping:
            return
        if self._lock.locked() or self._pending or self._backlog:
            self._enqueue(event)
            return
        now = dt_util.utcnow().timestamp()
        commands = controller.handle(event, now)
        if any(isinstance(command, SetPump | SetValve) for command in commands):
            self._backlog.append((commands, now))
            self._start_worker()
            return
        handled = _Handled()
        for command in commands:
            self._apply(command, handled, now)
        if not isinstance(event, TemperatureReading):
            self._publish(controller.snapshot())
        elif controller.revision == self._shown_revision and not READINGS_SHOWN:
            self._data_stale = True  # nothing shown changed: no snapshot until one is read
        elif self._publish_handle is None:
            # One snapshot for every reading of this loop pass (a home's sensors report
            # together): with 50 fixtures a snapshot costs as much as the engine's own step.
            self._publish_handle = self.hass.loop.call_soon(self._publish_readings)

    @callback
    def _publish_readings(self) -> None:
        """The entities' snapshot after the readings of the last loop pass."""
        self._publish_handle = None
        if self.controller is not None and not self._closed:
            self._publish(self.controller.snapshot(), reading=True)

    def _publish(self, snapshot: Snapshot, *, reading: bool = False) -> None:
        """Give the entities the engine's new snapshot.

        After a reading, the entities are only asked to look when something they show
        changed (``shown_changed``): comparing every entity's state for each report of a pipe
        sensor was most of the cost of a report. The engine's ``revision`` is noted: readings
        that leave it alone need no snapshot (``_async_feed``).
        """
        self._clear_faults(snapshot)
        if self.controller is not None:
            self._shown_revision = self.controller.revision
        if reading and self._data is not None and not shown_changed(self._data, snapshot):
            self.data = snapshot  # the latest, for diagnostics and intents
            return
        self.async_set_updated_data(snapshot)

    async def _execute(
        self, commands: list[Command], handled: _Handled, queue: deque[Event], now: float
    ) -> None:
        for command in commands:
            match command:
                case SetPump():
                    if self._pump is not None:
                        await self._call(self._pump, command.on, queue, None)
                case SetValve():
                    if (entity_id := self._valves.get(command.fixture)) is not None:
                        await self._call(entity_id, command.open, queue, command.fixture)
                case _:
                    self._apply(command, handled, now)

    def _apply(self, command: Command, handled: _Handled, now: float) -> None:
        """Carry out a command that needs no service call."""
        match command:
            case ScheduleWakeup():
                self._schedule(command.at)
            case CycleStarted():
                handled.started.append(command.fixture)
                self._running[command.fixture] = RunningCycle(
                    trigger=command.trigger,
                    started_at=now,
                    arrival_basis=command.arrival_basis,
                )
                self._save_soon(0.0)
            case CycleFinished():
                handled.finished.append(command)
                if self._running.pop(command.fixture, None) is not None:
                    self._save_soon(0.0)
                self._cycle_finished(command)
            case Refused():
                handled.refused.append(command)
                self._refused(command)
            case AlreadyRunning():
                handled.running.extend(command.fixtures)
            case Deferred():
                handled.deferred.update(dict.fromkeys(command.fixtures, command.start_at))
            case Fault():
                self._fault(command)
            case LearnedDataChanged():
                self._learned = command.data
                self._save_soon(SAVE_DELAY_S)
            case ModeSwitched():
                self._mode_switched(command)
            case SettingsRejected():  # pragma: no cover - flows validate first
                LOGGER.error("Settings rejected by the engine: %s", command.errors)

    async def _call(
        self, entity_id: str, on: bool, queue: deque[Event], fixture: str | None
    ) -> None:
        """Switch a pump or valve; a failure becomes 'unavailable' for the engine."""
        if not on:
            # Our own off: the next on is a new command, not a resend against someone else.
            self._switched_on.pop(entity_id, None)
        elif self._fought(entity_id):
            return
        domain = split_entity_id(entity_id)[0]
        if domain == "valve":
            service = "open_valve" if on else "close_valve"
        else:
            service = "turn_on" if on else "turn_off"
        try:
            async with asyncio.timeout(SERVICE_TIMEOUT_S):
                await self.hass.services.async_call(
                    domain, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
                )
        except (HomeAssistantError, TimeoutError) as err:
            if entity_id not in self._warned:
                self._warned.add(entity_id)
                LOGGER.warning(
                    "%s.%s for %s failed: %s", domain, service, entity_id, str(err) or "timeout"
                )
            queue.append(
                ActuatorState(
                    actuator=Actuator.PUMP if fixture is None else Actuator.VALVE,
                    state=ActuatorReading.UNAVAILABLE,
                    at=dt_util.utcnow().timestamp(),
                    fixture=fixture,
                )
            )
            # A failed call is not a dead device: its state is believed again a little later
            # (a state that does not change would otherwise leave it unavailable for good).
            if entity_id not in self._rechecks and not self._closed:
                self._rechecks[entity_id] = async_call_later(
                    self.hass, RECHECK_AFTER_S, partial(self._async_recheck, entity_id)
                )
        else:
            if entity_id in self._warned:
                self._warned.discard(entity_id)
                LOGGER.info("%s.%s for %s works again", domain, service, entity_id)

    def _fought(self, entity_id: str) -> bool:
        """Whether switching ``entity_id`` on again would fight whoever keeps switching it off.

        Off/close calls are never held back; on/open calls beyond ``SWITCH_ON_LIMIT`` in
        ``SWITCH_ON_WINDOW_S`` with no off/close of our own between them are (another
        automation switching the pump off as soon as it runs would otherwise get a new call for
        every one of its own; a person pressing start and stop in turn is not fighting).
        """
        now = dt_util.utcnow().timestamp()
        recent = self._switched_on.setdefault(entity_id, deque(maxlen=SWITCH_ON_LIMIT))
        if len(recent) == SWITCH_ON_LIMIT and now - recent[0] < SWITCH_ON_WINDOW_S:
            if f"fought {entity_id}" not in self._warned:
                self._warned.add(f"fought {entity_id}")
                LOGGER.warning(
                    "%s keeps being switched off against %s: not switching it on again",
                    entity_id,
                    self.config_entry.title,
                )
            return True
        self._warned.discard(f"fought {entity_id}")
        recent.append(now)
        return False

    # ----------------------------------------------------------------- inputs

    def _event_for(self, wrapped: Wrapped, state: State | None) -> Event:
        # last_reported: the last report, even one that did not change the state.
        at = state.last_reported.timestamp() if state is not None else dt_util.utcnow().timestamp()
        if wrapped.role == CONF_PUMP:
            return ActuatorState(actuator=Actuator.PUMP, state=actuator_reading(state), at=at)
        if wrapped.role == CONF_JUNCTION_VALVE:
            return ActuatorState(
                actuator=Actuator.VALVE, state=actuator_reading(state), at=at, fixture=JUNCTION
            )
        assert wrapped.fixture is not None  # noqa: S101 - fixture roles have one
        if wrapped.role == CONF_VALVE:
            return ActuatorState(
                actuator=Actuator.VALVE,
                state=actuator_reading(state),
                at=at,
                fixture=wrapped.fixture,
            )
        line = Line.HOT if wrapped.role == CONF_SENSOR else Line.COLD
        return TemperatureReading(fixture=wrapped.fixture, celsius=celsius(state), at=at, line=line)

    @callback
    def _async_state_changed(
        self, event: HassEvent[EventStateChangedData] | HassEvent[EventStateReportedData]
    ) -> None:
        entity_id = event.data["entity_id"]
        for wrapped in self._by_entity.get(entity_id, ()):
            self._async_feed(self._event_for(wrapped, event.data["new_state"]))

    @callback
    def _async_recheck(self, entity_id: str, _now: datetime) -> None:
        """Feed a device's current state again after a failed call to it."""
        self._rechecks.pop(entity_id, None)
        for wrapped in self._by_entity.get(entity_id, ()):  # only pumps and valves are called
            event = cast("ActuatorState", self._event_for(wrapped, self.hass.states.get(entity_id)))
            self._enqueue(replace(event, at=dt_util.utcnow().timestamp()))

    @callback
    def _enqueue(self, event: Event) -> None:
        """Queue an event for the engine; one worker feeds the queue in order."""
        self._pending.append(event)
        self._start_worker()

    @callback
    def _start_worker(self) -> None:
        if self._worker is None or self._worker.done():
            self._worker = self.config_entry.async_create_task(
                self.hass, self._async_drain(), f"{DOMAIN} {self.config_entry.title}"
            )

    async def _async_drain(self) -> None:
        while self._pending or self._backlog:
            await self.async_handle(self._pending.popleft() if self._pending else None)

    # ----------------------------------------------------------------- outputs

    def _schedule(self, at: float | None) -> None:
        self._cancel_wakeup()
        if at is not None and not self._closed:
            self._wakeup_unsub = async_track_point_in_utc_time(
                self.hass, self._async_wakeup, dt_util.utc_from_timestamp(at)
            )

    def _cancel_wakeup(self) -> None:
        if self._wakeup_unsub is not None:
            self._wakeup_unsub()
            self._wakeup_unsub = None

    @callback
    def _async_wakeup(self, _now: datetime) -> None:
        self._wakeup_unsub = None
        self._enqueue(Tick())

    def _refused(self, refused: Refused) -> None:
        """Whoever waits for a refused fixture's cycle learns that none will finish.

        (A start the cooldown deferred is checked again when it comes due.)
        """
        for fixture in refused.fixtures:
            for future in self._waiters.pop(fixture, []):
                if not future.done():
                    future.set_exception(refusal_error(self, refused))

    def _cycle_finished(self, finished: CycleFinished) -> None:
        self._report_cycle(finished)
        for future in self._waiters.pop(finished.fixture, []):
            if not future.done():
                future.set_result(finished)

    def _report_cycle(self, finished: CycleFinished) -> None:
        """The cycle event on the bus (and so the logbook), the event entity, diagnostics."""
        self.recent_cycles.append(finished)
        device_id = self.fixture_device_id(finished.fixture)
        self.hass.bus.async_fire(
            EVENT_CYCLE,
            {
                "device_id": device_id,
                "entry_id": self.config_entry.entry_id,
                "fixture": self.fixture_name(finished.fixture),
                "fixture_id": finished.fixture,
                "outcome": finished.outcome.value,
                **figures_dict(finished),
            },
        )
        for listener in list(self._cycle_listeners):
            listener(finished)

    def async_report_interrupted(self) -> None:
        """Report the cycles a crash or power loss cut short as stopped (``restarted``).

        Called once the entities are set up (the event entity reports it too); the stored
        markers are kept until then, so a second crash before it loses nothing.
        """
        if not self._interrupted:
            return
        now = dt_util.utcnow().timestamp()
        for fixture, cycle in self._interrupted.items():
            LOGGER.info(
                "%s: the cycle of %s started at %s was cut short (Home Assistant did not stop)",
                self.config_entry.title,
                self.fixture_name(fixture),
                dt_util.utc_from_timestamp(cycle.started_at).isoformat(),
            )
            self._report_cycle(cycle.stopped(fixture, now))
        self._interrupted.clear()
        self._save_soon(0.0)

    def _mode_switched(self, switched: ModeSwitched) -> None:
        """The engine went on vacation (or came back): remember it across restarts."""
        LOGGER.info(
            "%s: mode %s (%s; back to %s on return)",
            self.config_entry.title,
            switched.mode.value,
            switched.reason.value,
            switched.resume_mode.value if switched.resume_mode else "-",
        )
        self._mode = switched.mode
        self._resume_mode = switched.resume_mode
        self._save_soon(1.0)

    def _fault(self, fault: Fault) -> None:
        LOGGER.warning("%s: fault %s (%s)", self.config_entry.title, fault.kind, fault.detail)
        self.faults.append(fault)
        entry_id = self.config_entry.entry_id
        if fault.kind in (FaultKind.SENSOR_IMPLAUSIBLE, FaultKind.SENSOR_LOST):
            # One issue per sensor; it goes when the sensor is believed again.
            fixture, _, line = fault.detail.partition(":")
            issue_id = f"sensor_{entry_id}_{fixture}_{line}"
            self._sensor_issues[issue_id] = (fixture, Line(line) if line in Line else Line.HOT)
            role = CONF_COLD_SENSOR if line == Line.COLD else CONF_SENSOR
            device = next(
                (w.entity_id for w in self.wrapped if w.role == role and w.fixture == fixture),
                self.fixture_name(fixture),
            )
        else:
            issue_id = f"fault_{entry_id}"
            self._fault_issue = True
            device = self._device_label(fault.detail)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=f"fault_{fault.kind.value}",
            translation_placeholders={"installation": self.config_entry.title, "device": device},
        )

    def _clear_faults(self, snapshot: Snapshot) -> None:
        """Delete fault issues once the engine (its ``snapshot``) no longer reports them."""
        if self._fault_issue and snapshot.state is not InstallationState.FAULT:
            self._fault_issue = False
            ir.async_delete_issue(self.hass, DOMAIN, f"fault_{self.config_entry.entry_id}")
        for issue_id, (fixture, line) in list(self._sensor_issues.items()):
            view = snapshot.fixtures.get(fixture)
            value = (
                None
                if view is None
                else (view.temperature_c if line is Line.HOT else view.cold_temperature_c)
            )
            if view is None or value is not None:
                del self._sensor_issues[issue_id]
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def _device_label(self, detail: str) -> str:
        if detail == "pump":
            return self._pump or detail
        if detail in self._valves:
            return self._valves[detail]
        return self.fixture_name(detail)

    def _stored(self) -> dict[str, Any]:
        """What the store keeps (called when it writes: the data is always the latest)."""
        self._save_due = None
        running = self._interrupted | self._running
        return {
            "mode": self._mode.value,
            "resume_mode": self._resume_mode.value if self._resume_mode else None,
            "learned": self._learned.to_dict(),
            RUNNING_KEY: {fixture: cycle.to_dict() for fixture, cycle in running.items()},
        }

    def _save_soon(self, delay: float) -> None:
        """Write the store within ``delay`` s, never postponing a write that is due sooner.

        A running-cycle marker is written at once (0 s); learned data may wait 10 s, but must
        not push back a pending marker write (``async_delay_save`` replaces the pending one).
        """
        due = self.hass.loop.time() + delay
        if self._save_due is not None and self._save_due <= due:
            return
        self._save_due = due
        self.store.async_delay_save(self._stored, delay)

    # ----------------------------------------------------------------- for entities/services

    def fixture_name(self, fixture: str) -> str:
        """The user's name of a fixture (its subentry title)."""
        subentry = self.config_entry.subentries.get(fixture)
        return subentry.title if subentry is not None else fixture

    def fixture_device_id(self, fixture: str) -> str | None:
        """The device registry id of a fixture's device."""
        return self.fixture_devices.get(fixture)

    def fixture_device_info(self, fixture: str) -> DeviceInfo:
        """The device of a fixture, linked to the installation's."""
        return child_device_info(
            {
                "identifiers": {(DOMAIN, fixture)},
                "name": self.fixture_name(fixture),
                "manufacturer": MANUFACTURER,
                "model": subentry_model(self.hass, SUBENTRY_FIXTURE),
            },
            (DOMAIN, self.config_entry.entry_id),
            self.installation_device_id,
        )

    def wrapped_available(self, entity_id: str | None) -> bool:
        """Whether a wrapped entity (if any) is available."""
        return entity_id is None or entity_available(self.hass, entity_id)

    @property
    def pump_entity(self) -> str | None:
        """The wrapped pump."""
        return self._pump

    def valve_entity(self, fixture: str) -> str | None:
        """The wrapped valve of a fixture."""
        return self._valves.get(fixture)

    @property
    def mode(self) -> Mode:
        """The current mode."""
        return self._mode

    @property
    def resume_mode(self) -> Mode | None:
        """The mode a vacation goes back to when someone comes home (None: none pending)."""
        return self._resume_mode

    @property
    def learned(self) -> LearnedData:
        """The learned data as last persisted or changed."""
        return self._learned

    def add_cycle_listener(self, listener: CycleListener) -> CALLBACK_TYPE:
        """Call ``listener`` for every finished cycle."""
        self._cycle_listeners.append(listener)
        return lambda: self._cycle_listeners.remove(listener)

    def add_remote_listener(self, listener: PressHandler) -> CALLBACK_TYPE:
        """Call ``listener`` for every press of a bound remote."""
        self._remote_listeners.append(listener)
        return lambda: self._remote_listeners.remove(listener)

    @callback
    def _remote_pressed(self, binding: RemoteBinding, action: str, meaning: str) -> None:
        """A bound remote was pressed: start or stop its fixtures (remotes.py)."""
        if self.controller is not None:
            known = self.controller.settings.names
            fixtures = (
                tuple(f for f in binding.fixtures if f in known) if binding.fixtures else known
            )
            if not fixtures:
                pass  # every fixture it served is gone
            elif meaning == RemoteAction.START:
                self._enqueue(Start(fixtures=fixtures, reason=TriggerReason.REMOTE))
            elif meaning == RemoteAction.STOP:
                self._enqueue(Stop(fixtures=fixtures, reason=StopReason.USER))
        for listener in list(self._remote_listeners):
            listener(binding, action, meaning)

    async def async_start_cycles(
        self,
        fixtures: tuple[str, ...],
        reason: TriggerReason,
        *,
        target_c: float | None = None,
        max_run_s: float | None = None,
    ) -> StartResult:
        """Ask the engine to heat ``fixtures``."""
        handled = await self.async_handle(
            Start(fixtures=fixtures, reason=reason, target_c=target_c, max_run_s=max_run_s)
        )
        return StartResult(
            started=tuple(handled.started),
            running=tuple(handled.running),
            deferred=handled.deferred,
            finished=handled.finished,
            refused=handled.refused,
        )

    def wait_for(self, fixture: str) -> asyncio.Future[CycleFinished]:
        """A future resolved when ``fixture``'s running cycle finishes."""
        future: asyncio.Future[CycleFinished] = self.hass.loop.create_future()
        self._waiters.setdefault(fixture, []).append(future)
        return future

    async def async_stop_cycles(self, fixtures: tuple[str, ...] = ()) -> None:
        """Stop the cycles of ``fixtures`` (all when empty)."""
        await self.async_handle(Stop(fixtures=fixtures, reason=StopReason.USER))

    async def async_set_mode(self, mode: Mode) -> None:
        """Switch mode and remember it."""
        self._mode = mode
        await self.async_handle(ModeChanged(mode=mode))
        if self.controller is not None:
            # Whether a mode chosen by hand keeps a pending return is the engine's call.
            self._resume_mode = self.controller.snapshot().resume_mode
        self._save_soon(1.0)

    async def async_apply_settings(self) -> None:
        """The entry's options changed: hand the engine its new settings."""
        settings = entry_settings(self.config_entry)
        self.settings = settings
        await self.async_handle(SettingsChanged(settings=settings))

    async def async_reset_learning(self) -> None:
        """Forget the learned pipe volumes (totals, the daily pump window and usage stay)."""
        assert self.controller is not None  # noqa: S101 - services check first
        await self.async_handle(Stop(fixtures=(), reason=StopReason.USER))
        async with self._lock:
            kept = self.controller.learned
            self._learned = replace(kept, fixtures={}, reset_reason=None)
            self.controller = Controller(
                self.controller.settings,
                learned=self._learned,
                mode=self._mode,
                resume_mode=self._resume_mode,
            )
            self._shown_revision = None  # a new engine counts afresh
        await self._async_start_engine()
        await self.store.async_save(self._stored())

    async def async_reset_usage(self, fixtures: tuple[str, ...] = ()) -> None:
        """Forget the usage profile and pre-heat statistics (of ``fixtures``; all when empty)."""
        await self.async_handle(ResetUsage(fixtures=fixtures))
        if self.controller is not None:
            self._learned = self.controller.learned
            await self.store.async_save(self._stored())


def figures_dict(finished: CycleFinished) -> dict[str, Any]:
    """A cycle's figures as plain, rounded values (event data, service response, attributes)."""
    figures = finished.figures

    def rounded(value: float | None, digits: int = 2) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "trigger": figures.trigger.value,
        "end_reason": figures.end_reason.value,
        "arrival_basis": figures.arrival_basis.value,
        "time_to_hot_s": rounded(figures.time_to_hot_s, 1),
        "pump_run_s": rounded(figures.pump_run_s, 1),
        "litres_moved": rounded(figures.litres_moved),
        "heat_moved_kwh": rounded(figures.heat_moved_kwh, 4),
        "start_c": rounded(figures.start_c, 1),
        "peak_c": rounded(figures.peak_c, 1),
        "transit_l": rounded(figures.transit_l),
    }
