"""What an installation keeps across restarts: learned data, the mode, the cycles in progress.

The engine is the truth: each write takes the mode, the mode a vacation returns to and the learned
data from the running ``Controller`` at the moment the Store writes. Only while no engine runs
(settings it rejects) is what was loaded written back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
import logging
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .engine import (
    ArrivalBasis,
    Controller,
    CycleFigures,
    CycleFinished,
    CycleStarted,
    EndReason,
    LearnedData,
    Mode,
    ModeSwitched,
    Outcome,
    TriggerReason,
)

LOGGER = logging.getLogger(__package__)

STORAGE_VERSION = 1
LEARNED_SAVE_DELAY_S = 10.0
"""Learned data: written at most this late (a crash loses only the last seconds' learning)."""
MODE_SAVE_DELAY_S = 1.0
RUNNING_KEY = "running"


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

        What it did before the cut died with the engine: those figures are zero or None.
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


def _mode(raw: object) -> Mode | None:
    return Mode(raw) if isinstance(raw, str) and raw in Mode.__members__.values() else None


@dataclass(slots=True, kw_only=True)
class Loaded:
    """What the store held at set-up (unreadable parts replaced by defaults)."""

    mode: Mode = Mode.ON_DEMAND
    resume_mode: Mode | None = None
    learned: LearnedData = field(default_factory=LearnedData)


class InstallationStore(Store[dict[str, Any]]):
    """The installation's Store, with the running-cycle markers a crash leaves behind.

    A marker is written at once when a cycle starts and when it ends (a crash or power cut then
    leaves it in the file for the next start-up); learned data may wait ``LEARNED_SAVE_DELAY_S``.
    """

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, engine: Callable[[], Controller | None]
    ) -> None:
        """``engine``: the running Controller (it may be replaced), whose state is written."""
        super().__init__(hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}")
        self._title = entry.title
        self._engine = engine
        self.loaded = Loaded()
        self._running_cycles: dict[str, RunningCycle] = {}
        self._interrupted: dict[str, RunningCycle] = {}
        self._write_due: float | None = None
        """When the pending delayed write is due (loop time), None if none is."""

    async def async_load_installation(self, fixtures: Collection[str]) -> Loaded:
        """Read the store; the markers of ``fixtures`` left there are the interrupted cycles."""
        stored: Any = await self.async_load() or {}
        if not isinstance(stored, dict):  # a corrupted file: start afresh, never crash
            stored = {"learned": stored}
        self.loaded = Loaded(
            mode=_mode(stored.get("mode")) or Mode.ON_DEMAND,
            resume_mode=_mode(stored.get("resume_mode")),
            learned=LearnedData.from_dict(stored.get("learned", {"version": 1})),
        )
        if (reason := self.loaded.learned.reset_reason) is not None:
            LOGGER.warning("%s: stored learned data discarded (%s)", self._title, reason)
        markers = stored.get(RUNNING_KEY)
        self._interrupted = {
            fixture: cycle
            for fixture, item in (markers.items() if isinstance(markers, dict) else ())
            if fixture in fixtures and (cycle := RunningCycle.from_dict(item)) is not None
        }
        return self.loaded

    def take_interrupted(self) -> dict[str, RunningCycle]:
        """The cycles a crash cut short, once: their markers go with the next write (at once)."""
        interrupted, self._interrupted = self._interrupted, {}
        if interrupted:
            self.save_soon(0.0)
        return interrupted

    def cycle_started(self, started: CycleStarted, now: float) -> None:
        """Mark a cycle as running, written at once."""
        self._running_cycles[started.fixture] = RunningCycle(
            trigger=started.trigger, started_at=now, arrival_basis=started.arrival_basis
        )
        self.save_soon(0.0)

    def cycle_ended(self, fixture: str) -> None:
        """Drop a cycle's marker, written at once."""
        if self._running_cycles.pop(fixture, None) is not None:
            self.save_soon(0.0)

    def mode_switched(self, switched: ModeSwitched) -> None:
        """The engine went on vacation (or came back): written soon, to survive a restart."""
        LOGGER.info(
            "%s: mode %s (%s; back to %s on return)",
            self._title,
            switched.mode.value,
            switched.reason.value,
            switched.resume_mode.value if switched.resume_mode else "-",
        )
        self.save_soon(MODE_SAVE_DELAY_S)

    def save_soon(self, delay: float) -> None:
        """Write within ``delay`` s, never postponing a write that is due sooner.

        ``async_delay_save`` replaces the pending write: learned data's 10 s must not push back
        a marker's immediate one.
        """
        due = self.hass.loop.time() + delay
        if self._write_due is not None and self._write_due <= due:
            return
        self._write_due = due
        self.async_delay_save(self._contents, delay)

    async def async_save_now(self) -> None:
        """Write at once (a stop, a reset)."""
        await self.async_save(self._contents())

    def _contents(self) -> dict[str, Any]:
        """Called when the Store writes: the engine's state as it is then."""
        self._write_due = None
        engine = self._engine()
        if engine is None:
            mode, resume, learned = self.loaded.mode, self.loaded.resume_mode, self.loaded.learned
        else:
            mode, resume, learned = engine.mode, engine.snapshot().resume_mode, engine.learned
        running = self._interrupted | self._running_cycles
        return {
            "mode": mode.value,
            "resume_mode": resume.value if resume else None,
            "learned": learned.to_dict(),
            RUNNING_KEY: {fixture: cycle.to_dict() for fixture, cycle in running.items()},
        }
