"""What the engine answered: to a request, and each finished cycle, reported in one shape.

The bus event (and so the logbook), the Cycle event entity, the start service's response and
diagnostics all take ``CycleReports.payload``.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.util import dt as dt_util

from .const import EVENT_CYCLE
from .devices import Devices
from .engine import AlreadyRunning, Command, CycleFinished, CycleStarted, Deferred, Refused
from .settings import subentry_title
from .storage import RunningCycle

LOGGER = logging.getLogger(__package__)

RECENT_CYCLES = 20

type CycleListener = Callable[[CycleFinished], None]


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
class Handled:
    """What the engine answered to an event (and to the events it led to), as it answered."""

    refused: list[Refused] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)
    deferred: dict[str, float] = field(default_factory=dict)
    finished: list[CycleFinished] = field(default_factory=list)

    def add(self, command: Command) -> None:
        """Note an answer among the engine's commands (the others say nothing of a request)."""
        match command:
            case CycleStarted():
                self.started.append(command.fixture)
            case CycleFinished():
                self.finished.append(command)
            case Refused():
                self.refused.append(command)
            case AlreadyRunning():
                self.running.extend(command.fixtures)
            case Deferred():
                self.deferred.update(dict.fromkeys(command.fixtures, command.start_at))

    def result(self) -> StartResult:
        """As the answer to a start request."""
        return StartResult(
            started=tuple(self.started),
            running=tuple(self.running),
            deferred=self.deferred,
            finished=self.finished,
            refused=self.refused,
        )


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


class CycleReports:
    """Where finished cycles go: the bus, listeners, whoever waits for one, diagnostics."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, devices: Devices) -> None:
        """Nothing reported yet; ``devices`` are the installation's (registered at start)."""
        self.hass = hass
        self.entry = entry
        self._devices = devices
        self.recent: deque[CycleFinished] = deque(maxlen=RECENT_CYCLES)
        self._listeners: list[CycleListener] = []
        self._waiters: dict[str, list[asyncio.Future[CycleFinished]]] = {}

    def payload(self, finished: CycleFinished) -> dict[str, Any]:
        """A finished cycle as plain, rounded values: where, how it ended, its figures."""
        figures = finished.figures
        return {
            "entry_id": self.entry.entry_id,
            "device_id": self._devices.fixtures.get(finished.fixture),
            "fixture": subentry_title(self.entry, finished.fixture),
            "fixture_id": finished.fixture,
            "outcome": finished.outcome.value,
            "trigger": figures.trigger.value,
            "end_reason": figures.end_reason.value,
            "arrival_basis": figures.arrival_basis.value,
            "time_to_hot_s": _rounded(figures.time_to_hot_s, 1),
            "pump_run_s": _rounded(figures.pump_run_s, 1),
            "litres_moved": _rounded(figures.litres_moved, 2),
            "heat_moved_kwh": _rounded(figures.heat_moved_kwh, 4),
            "start_c": _rounded(figures.start_c, 1),
            "peak_c": _rounded(figures.peak_c, 1),
            "transit_l": _rounded(figures.transit_l, 2),
        }

    def report(self, finished: CycleFinished) -> None:
        """Fire the cycle event, tell the listeners, then whoever waits for the fixture."""
        self.recent.append(finished)
        self.hass.bus.async_fire(EVENT_CYCLE, self.payload(finished))
        for listener in list(self._listeners):
            listener(finished)
        for future in self._waiters.pop(finished.fixture, []):
            if not future.done():
                future.set_result(finished)

    def report_interrupted(self, interrupted: dict[str, RunningCycle]) -> None:
        """Report the cycles a crash or power loss cut short as stopped (``restarted``)."""
        now = dt_util.utcnow().timestamp()
        for fixture, cycle in interrupted.items():
            LOGGER.info(
                "%s: the cycle of %s started at %s was cut short (Home Assistant did not stop)",
                self.entry.title,
                subentry_title(self.entry, fixture),
                dt_util.utc_from_timestamp(cycle.started_at).isoformat(),
            )
            self.report(cycle.stopped(fixture, now))

    def add_listener(self, listener: CycleListener) -> CALLBACK_TYPE:
        """Call ``listener`` for every finished cycle."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def wait_for(self, fixture: str) -> asyncio.Future[CycleFinished]:
        """A future resolved when ``fixture``'s running (or deferred) cycle finishes."""
        future: asyncio.Future[CycleFinished] = self.hass.loop.create_future()
        self._waiters.setdefault(fixture, []).append(future)
        return future

    def fail(self, fixtures: tuple[str, ...], error: Callable[[], Exception]) -> None:
        """No cycle will finish for ``fixtures`` (a deferred start was refused when due)."""
        for fixture in fixtures:
            for future in self._waiters.pop(fixture, []):
                if not future.done():
                    future.set_exception(error())

    def cancel(self) -> None:
        """Nobody waits any more (unload)."""
        for futures in self._waiters.values():
            for future in futures:
                if not future.done():
                    future.cancel()
        self._waiters.clear()
