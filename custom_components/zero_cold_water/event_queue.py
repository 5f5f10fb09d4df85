"""Events for the engine, taken one at a time and in the order they came, by one worker.

A report the coordinator handled in its listener's own callback may leave commands that need
service calls: they wait here (the backlog) and are carried out before any later event. The
engine's one wake-up is a ``Tick`` queued at its time.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine import Command, Event, Tick


class EventQueue:
    """The engine's queue, its lock, its worker and its wake-up timer."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        handle: Callable[[Event | None], Awaitable[object]],
    ) -> None:
        """``handle(event)``: hand one event (None: only the backlog) to the engine."""
        self.hass = hass
        self._entry = entry
        self._handle = handle
        self.lock = asyncio.Lock()
        """Held while the engine handles an event and its commands are carried out."""
        self._pending: deque[Event] = deque()
        self._backlog: deque[tuple[list[Command], float]] = deque()
        self._worker: asyncio.Task[None] | None = None
        self._wakeup: CALLBACK_TYPE | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        """Whether anything is in flight or waiting (a new event must queue up behind it)."""
        return self.lock.locked() or bool(self._pending) or bool(self._backlog)

    @property
    def wakeup_armed(self) -> bool:
        """Whether a wake-up is pending."""
        return self._wakeup is not None

    @callback
    def put(self, event: Event) -> None:
        """Queue an event."""
        self._pending.append(event)
        self._start_worker()

    @callback
    def put_commands(self, commands: list[Command], at: float) -> None:
        """Queue commands the engine gave at ``at``, to be carried out before anything else."""
        self._backlog.append((commands, at))
        self._start_worker()

    def backlog(self) -> Iterator[tuple[list[Command], float]]:
        """Take the waiting commands, oldest first (with the lock held)."""
        while self._backlog:
            yield self._backlog.popleft()

    def wake_at(self, at: float | None) -> None:
        """Queue a ``Tick`` at ``at`` (a timestamp), instead of any earlier wake-up; None: none."""
        if self._wakeup is not None:
            self._wakeup()
            self._wakeup = None
        if at is not None and not self._closed:
            self._wakeup = async_track_point_in_utc_time(
                self.hass, self._async_wakeup, dt_util.utc_from_timestamp(at)
            )

    def close(self) -> None:
        """No more wake-ups (what is queued still drains; the engine ignores it)."""
        self.wake_at(None)
        self._closed = True

    @callback
    def _async_wakeup(self, _now: datetime) -> None:
        self._wakeup = None
        self.put(Tick())

    @callback
    def _start_worker(self) -> None:
        if self._worker is None or self._worker.done():
            self._worker = self._entry.async_create_task(
                self.hass, self._async_drain(), f"{DOMAIN} {self._entry.title}"
            )

    async def _async_drain(self) -> None:
        while self._pending or self._backlog:
            await self._handle(self._pending.popleft() if self._pending else None)
