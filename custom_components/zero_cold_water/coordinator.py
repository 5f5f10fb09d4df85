"""One installation's engine, driven by Home Assistant, and its snapshot for the entities.

The coordinator owns the ``Controller``: it hands it events in order (event_queue.py; a report
straight from its listener's callback when nothing is in flight), carries out its commands
through its parts (actuators, storage, issues, reporting) and publishes its snapshot.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import partial
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .actuators import Actuators
from .const import Topology
from .devices import Devices
from .engine import (
    Command,
    Controller,
    CycleFinished,
    CycleStarted,
    Event,
    Fault,
    InstallationSettings,
    LearnedData,
    LearnedDataChanged,
    Mode,
    ModeChanged,
    ModeSwitched,
    Refused,
    ResetUsage,
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
    TriggerReason,
    validate,
)
from .errors import refusal_error
from .event_queue import EventQueue
from .inputs import Inputs
from .issues import FaultIssues
from .reporting import CycleReports, Handled, StartResult
from .settings import entry_settings, subentry_title
from .shown import shown_changed
from .storage import LEARNED_SAVE_DELAY_S, MODE_SAVE_DELAY_S, InstallationStore

LOGGER = logging.getLogger(__package__)


@dataclass(slots=True)
class ZeroColdWaterData:
    """What a loaded installation keeps while it runs."""

    topology: Topology
    coordinator: ZeroColdWaterCoordinator
    reload_key: Any
    """Entry data and fixtures as set up: a change there reloads, an options change does not."""


type ZeroColdWaterConfigEntry = ConfigEntry[ZeroColdWaterData]


class ZeroColdWaterCoordinator(DataUpdateCoordinator[Snapshot | None]):
    """One installation's engine, driven by Home Assistant."""

    config_entry: ConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Prepare; ``async_start`` loads the stored data and starts the engine."""
        self._data: Snapshot | None = None
        self._stale = False
        """``data`` is older than the engine's last (quiet) reading: rebuilt when read."""
        self._data_revision: int | None = None
        """The engine's ``revision`` when ``data`` was built."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title)
        self.controller: Controller | None = None
        self.devices = Devices()
        self.store = InstallationStore(hass, entry, lambda: self.controller)
        self.queue = EventQueue(hass, entry, self.async_handle)
        self.inputs = Inputs(
            hass, entry, feed=self._async_feed, enqueue=self.queue.put, fixtures=self.fixtures
        )
        self.actuators = Actuators(
            hass, entry.title, self.inputs.wrapped, self.inputs.async_recheck
        )
        self.issues = FaultIssues(hass, entry)
        self.reports = CycleReports(hass, entry, self.devices)
        self._unsubs: list[CALLBACK_TYPE] = []
        self._closed = False
        self._stopping = False
        self._publish_handle: asyncio.Handle | None = None

    @property
    def data(self) -> Snapshot | None:
        """The engine's snapshot, as of its last event."""
        if self._stale:
            self._stale = False
            if self.controller is not None:
                self._data = self.controller.snapshot()
        return self._data

    @data.setter
    def data(self, value: Snapshot | None) -> None:
        self._data = value
        self._stale = False

    async def _async_update_data(self) -> Snapshot | None:  # pragma: no cover - never polled
        """``homeassistant.update_entity``: the snapshot as it is."""
        return self.controller.snapshot() if self.controller else None

    # ----------------------------------------------------------------- life cycle

    async def async_start(self) -> None:
        """Load the stored data, start the engine with the hardware safe, and subscribe."""
        entry = self.config_entry
        self.devices.register(self.hass, entry)
        loaded = await self.store.async_load_installation(self.devices.fixtures)
        settings = entry_settings(entry)
        if not validate(settings):
            self.controller = Controller(
                settings, learned=loaded.learned, mode=loaded.mode, resume_mode=loaded.resume_mode
            )
        # Subscribe first: a slow device that reports during start-up is not missed.
        self._unsubs.extend(self.inputs.async_subscribe())
        if self.controller is not None:
            await self._async_start_engine()
        self.async_set_updated_data(self.controller.snapshot() if self.controller else None)

    async def _async_start_engine(self) -> None:
        """Start a (new) engine and tell it how every wrapped entity and input is now."""
        await self.async_handle(Startup())
        for event in self.inputs.current():
            await self.async_handle(event)

    def async_report_interrupted(self) -> None:
        """Report the cycles a crash or power loss cut short (the store's markers).

        Called once the entities are set up, so the Cycle event entity reports them too.
        """
        self.reports.report_interrupted(self.store.take_interrupted())

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
        self.actuators.close()
        self.queue.close()
        if self._publish_handle is not None:
            self._publish_handle.cancel()
            self._publish_handle = None
        self.reports.cancel()
        if self.controller is not None:
            await self.store.async_save_now()

    # ----------------------------------------------------------------- the engine

    async def async_handle(self, event: Event | None) -> Handled:
        """Feed one event to the engine and carry out what it asks, in order.

        Commands the engine gave in a listener's callback (``_async_feed``) and that still wait
        for their service calls go first: the engine has already moved past them.
        """
        handled = Handled()
        if self.controller is None or self._closed:
            return handled
        async with self.queue.lock:
            events: deque[Event] = deque()
            for commands, at in self.queue.backlog():
                await self._execute(commands, Handled(), events, at)
            if event is not None:
                if self._stopping and not isinstance(event, Shutdown):
                    return handled  # queued behind the shutdown: the engine is done
                events.append(event)
            while events:
                now = dt_util.utcnow().timestamp()
                commands = self.controller.handle(events.popleft(), now)
                await self._execute(commands, handled, events, now)
            # A timer that fired a hair early found nothing due; the engine, its wakeup
            # unchanged, asked for no new one: the same wakeup is armed again.
            wakeup = self.controller.next_wakeup
            if wakeup is not None and not self.queue.wakeup_armed:
                self.queue.wake_at(wakeup)
            self._publish(self.controller.snapshot())
        return handled

    @callback
    def _async_feed(self, event: Event) -> None:
        """Hand a report to the engine in the listener's own callback when nothing is in flight.

        Otherwise it queues up behind what is, so the engine sees every event in order. Commands
        with service calls go to the worker's backlog, carried out before anything else.
        """
        controller = self.controller
        if controller is None or self._closed or self._stopping:
            return
        if self.queue.busy:
            self.queue.put(event)
            return
        now = dt_util.utcnow().timestamp()
        commands = controller.handle(event, now)
        if any(isinstance(command, SetPump | SetValve) for command in commands):
            self.queue.put_commands(commands, now)
            return
        handled = Handled()
        for command in commands:
            self._apply(command, handled, now)
        if not isinstance(event, TemperatureReading):
            self._publish(controller.snapshot())
        elif controller.revision == self._data_revision:
            # The revision did not move: only UNSHOWN fields differ from ``data``, and no entity
            # shows them (shown.py). No snapshot until someone reads one.
            self._stale = True
        elif self._publish_handle is None:
            # One snapshot for the readings of a loop pass (a home's sensors report together).
            self._publish_handle = self.hass.loop.call_soon(self._publish_readings)

    @callback
    def _publish_readings(self) -> None:
        self._publish_handle = None
        if self.controller is not None and not self._closed:
            self._publish(self.controller.snapshot(), reading=True)

    def _publish(self, snapshot: Snapshot, *, reading: bool = False) -> None:
        """Give the entities the engine's new snapshot.

        After readings only when something shown changed (shown.py); other events may change
        what the snapshot does not hold (the options), so every entity looks for itself.
        """
        self.issues.clear(snapshot)
        if self.controller is not None:
            self._data_revision = self.controller.revision
        if reading and self._data is not None and not shown_changed(self._data, snapshot):
            self.data = snapshot  # the latest, for whoever reads it
            return
        self.async_set_updated_data(snapshot)

    async def _execute(
        self, commands: list[Command], handled: Handled, events: deque[Event], now: float
    ) -> None:
        for command in commands:
            if isinstance(command, SetPump | SetValve):
                if (failed := await self.actuators.async_command(command)) is not None:
                    events.append(failed)
            else:
                self._apply(command, handled, now)

    def _apply(self, command: Command, handled: Handled, now: float) -> None:
        """Carry out a command that needs no service call."""
        handled.add(command)
        match command:
            case ScheduleWakeup():
                self.queue.wake_at(command.at)
            case CycleStarted():
                self.store.cycle_started(command, now)
            case CycleFinished():
                self.store.cycle_ended(command.fixture)
                self.reports.report(command)
            case Refused():
                self.reports.fail(command.fixtures, partial(refusal_error, self, command))
            case Fault():
                self.issues.raise_issue(command)
            case LearnedDataChanged():
                self.store.save_soon(LEARNED_SAVE_DELAY_S)
            case ModeSwitched():
                self.store.mode_switched(command)
            case SettingsRejected():  # pragma: no cover - flows validate first
                LOGGER.error("Settings rejected by the engine: %s", command.errors)

    # ----------------------------------------------------------------- for entities/services

    @property
    def settings(self) -> InstallationSettings | None:
        """The engine's settings (None while no engine runs)."""
        return self.controller.settings if self.controller else None

    @property
    def mode(self) -> Mode:
        """The engine's mode (the stored one while no engine runs)."""
        return self.controller.mode if self.controller else self.store.loaded.mode

    @property
    def resume_mode(self) -> Mode | None:
        """The mode a vacation goes back to when someone comes home (None: none pending)."""
        if self.controller is None:
            return self.store.loaded.resume_mode
        return self.controller.snapshot().resume_mode

    @property
    def learned(self) -> LearnedData:
        """The engine's learned data (the stored data while no engine runs)."""
        return self.controller.learned if self.controller else self.store.loaded.learned

    @property
    def recent_cycles(self) -> Collection[CycleFinished]:
        """The last cycles that finished, oldest first."""
        return self.reports.recent

    @property
    def installation_device_id(self) -> str:
        """The device registry id of the installation's device."""
        return self.devices.installation

    def fixture_device_id(self, fixture: str) -> str | None:
        """The device registry id of a fixture's device."""
        return self.devices.fixtures.get(fixture)

    def fixture_name(self, fixture: str) -> str:
        """The user's name of a fixture (its subentry title)."""
        return subentry_title(self.config_entry, fixture)

    def fixtures(self, wanted: Collection[str] | None = None) -> tuple[str, ...]:
        """The fixtures a request targets: the engine's among ``wanted`` (None: all).

        In the engine's order; none while no engine runs.
        """
        if self.controller is None:
            return ()
        names = self.controller.settings.names
        return names if wanted is None else tuple(name for name in names if name in wanted)

    def wait_for(self, fixture: str) -> asyncio.Future[CycleFinished]:
        """A future resolved when ``fixture``'s running (or deferred) cycle finishes."""
        return self.reports.wait_for(fixture)

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
        return handled.result()

    async def async_stop_cycles(self, fixtures: tuple[str, ...] = ()) -> None:
        """Stop the cycles of ``fixtures`` (all when empty)."""
        await self.async_handle(Stop(fixtures=fixtures, reason=StopReason.USER))

    async def async_set_mode(self, mode: Mode) -> None:
        """Switch mode (the engine keeps or drops a pending return from vacation)."""
        await self.async_handle(ModeChanged(mode=mode))
        self.store.save_soon(MODE_SAVE_DELAY_S)

    async def async_apply_settings(self) -> None:
        """The entry's options changed: hand the engine its new settings."""
        await self.async_handle(SettingsChanged(settings=entry_settings(self.config_entry)))

    async def async_reset_learning(self) -> None:
        """Forget the learned pipe volumes (totals, the daily pump window and usage stay)."""
        assert self.controller is not None  # noqa: S101 - services check first
        await self.async_handle(Stop(fixtures=(), reason=StopReason.USER))
        async with self.queue.lock:
            old = self.controller
            self.controller = Controller(
                old.settings,
                learned=replace(old.learned, fixtures={}, reset_reason=None),
                mode=old.mode,
                resume_mode=old.snapshot().resume_mode,
            )
            self._data_revision = None  # a new engine counts afresh
        await self._async_start_engine()
        await self.store.async_save_now()

    async def async_reset_usage(self, fixtures: tuple[str, ...] = ()) -> None:
        """Forget the usage profile and pre-heat statistics (of ``fixtures``; all when empty)."""
        await self.async_handle(ResetUsage(fixtures=fixtures))
        if self.controller is not None:
            await self.store.async_save_now()
