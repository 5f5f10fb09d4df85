"""Admission: whether a start may go ahead now, one check for every kind of start.

A person's (or an automation's) ``Start``, a start that waited for the cooldown's end, and the
engine's own automatic starts all pass :meth:`Admission.gate`: during the cooldown a start waits,
at the daily pump cap or with the pump or the cycle's valve unavailable it may not start. What
differs is the answer: a request is told (``Deferred``, ``Refused`` with what the host needs to
say why); an automatic start is never refused, it waits and is tried again (the cooldown's end
and the cap's room are wakeups, an actuator's report is an event).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
import math

from .accounting import Accounting
from .commands import (
    AlreadyRunning,
    ArrivalBasis,
    Command,
    CycleFigures,
    CycleFinished,
    Deferred,
    EndReason,
    Outcome,
    RefusalReason,
    Refused,
)
from .cycles import Cycles
from .events import Line, Start, TriggerReason
from .fixtures import Fixtures
from .hardware import Hardware
from .modes import Mode, policy
from .site import Site
from .snapshot import LastCycle
from .topology import cycle_valve

MAX_RUN_OVERRIDE_S = 3600.0
"""A request's ``max_run_s`` must lie in (0, this]."""
TARGET_OVERRIDE_C = (20.0, 90.0)
"""A request's ``target_c`` must lie within these bounds."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Gate:
    """The answer of :meth:`Admission.gate` for the fixtures of one start."""

    wait_until: float | None = None
    """The cooldown: every fixture waits until then."""
    refused: RefusalReason | None = None
    """No fixture may start (daily cap, pump unavailable)."""
    retry_at: float | None = None
    """With a refusal for the daily cap: when the window has room again."""
    unavailable: tuple[str, ...] = ()
    """These fixtures' valves are unavailable; the others may start."""


@dataclass(eq=False)
class Admission:
    """The checks before a start, and the starts that wait (internal, mutable)."""

    site: Site
    fixtures: Fixtures
    hardware: Hardware
    accounting: Accounting
    cycles: Cycles
    retry_at: float | None = None
    """When an automatic start held back by the daily cap is tried again."""

    def gate(self, names: tuple[str, ...], now: float) -> Gate:
        """Whether ``names`` may start now: the one check every start passes."""
        if self.cycles.in_cooldown(now):
            return Gate(wait_until=self.cycles.cooldown_until)
        if self.accounting.cap_reached(now):
            return Gate(
                refused=RefusalReason.DAILY_CAP_REACHED,
                retry_at=self.accounting.cap_free_at(now),
            )
        if self.hardware.pump_unavailable:
            return Gate(refused=RefusalReason.ACTUATOR_UNAVAILABLE)
        s = self.site.settings
        unavailable = tuple(n for n in names if self.hardware.unavailable(cycle_valve(s, n)))
        return Gate(unavailable=unavailable)

    def refusal(
        self, event: Start, names: tuple[str, ...], *, shut_down: bool, mode: Mode
    ) -> Refused | None:
        """Why a request is refused as a whole before anything is looked at (None: it is not)."""
        s = self.site.settings
        reason: RefusalReason | None = None
        if shut_down:
            reason = RefusalReason.SHUT_DOWN
        elif not names:
            reason = RefusalReason.NO_FIXTURES
        elif any(s.fixture(n) is None for n in names):
            reason = RefusalReason.UNKNOWN_FIXTURE
        elif not policy(mode).accepts_start:
            reason = RefusalReason.MODE_FORBIDS
        elif not _valid_overrides(event):
            reason = RefusalReason.INVALID_OVERRIDE
        elif limits := self._limits_below(event.target_c, names):
            return Refused(
                fixtures=names, reason=RefusalReason.TARGET_ABOVE_LIMIT, limit_c=min(limits)
            )
        return None if reason is None else Refused(fixtures=names, reason=reason)

    def _limits_below(self, target_c: float | None, names: tuple[str, ...]) -> list[float]:
        """The cold-line limits of ``names`` that ``target_c`` exceeds."""
        found: list[float] = []
        for name in names:
            fx = self.site.settings.fixture(name)
            limit = fx.cold_line_limit_c if fx else None
            if target_c is not None and limit is not None and target_c > limit:
                found.append(limit)
        return found

    def start(self, event: Start, names: tuple[str, ...], now: float, out: list[Command]) -> None:
        """Start what is neither running nor hot, unless the gate defers or refuses it."""
        running = tuple(n for n in names if self.fixtures.is_running(n))
        if running:
            out.append(AlreadyRunning(fixtures=running))
        to_start: list[str] = []
        for name in names:
            if self.fixtures.is_running(name):
                continue
            if self._already_hot(name, event.target_c, now):
                self._finish_already_hot(name, event, now, out)
                continue
            to_start.append(name)
        if not to_start:
            return
        gate = self.gate(tuple(to_start), now)
        if gate.wait_until is not None:
            for name in to_start:
                self.fixtures.queue(name, event)
            out.append(Deferred(fixtures=tuple(to_start), start_at=gate.wait_until))
            return
        if gate.refused is not None:
            out.append(
                Refused(fixtures=tuple(to_start), reason=gate.refused, retry_at=gate.retry_at)
            )
            return
        if gate.unavailable:
            out.append(
                Refused(fixtures=gate.unavailable, reason=RefusalReason.ACTUATOR_UNAVAILABLE)
            )
        for name in to_start:
            if name not in gate.unavailable:
                self.cycles.begin(name, event, now, out)

    def _already_hot(self, name: str, override: float | None, now: float) -> bool:
        """Ready, or the pipe (or the serving fixture's pipe) reads at least the target."""
        if self.fixtures.is_ready(name) and override is None:
            return True
        band = self.site.target(name, override)
        # a fixture served by another's valve can only be heated as far as that valve
        for fixture in dict.fromkeys((name, self.site.settings.path(name))):
            value = self.site.believed(fixture, Line.HOT, now)
            if value is not None and value >= band:
                return True
        return False

    def _finish_already_hot(self, name: str, event: Start, now: float, out: list[Command]) -> None:
        """A start that found the water hot ends at once (nothing touched)."""
        self.fixtures.unqueue(name)
        value = self.site.believed(name, Line.HOT, now)
        figures = CycleFigures(
            trigger=event.reason,
            started_at=now,
            ended_at=now,
            end_reason=EndReason.ALREADY_HOT,
            arrival_basis=ArrivalBasis.SENSOR if value is not None else ArrivalBasis.NONE,
            time_to_hot_s=0.0,
            pump_run_s=0.0,
            litres_moved=0.0,
            heat_moved_kwh=0.0,
            start_c=value,
            peak_c=value,
            transit_l=None,
        )
        self.fixtures.already_hot(name, LastCycle(outcome=Outcome.ALREADY_HOT, figures=figures))
        out.append(CycleFinished(fixture=name, outcome=Outcome.ALREADY_HOT, figures=figures))

    def resume_queued(self, now: float, out: list[Command]) -> None:
        """The cooldown ended: the queued requests start as if asked now."""
        queued = [(r.name, r.queued) for r in self.fixtures.queued()]
        for name, _ in queued:
            self.fixtures.unqueue(name)
        for start in dict.fromkeys(s for _, s in queued):
            assert start is not None  # noqa: S101 - a queued record holds its request
            names = tuple(n for n, s in queued if s is start)
            self.start(replace(start, fixtures=names), names, now, out)

    def cancel(self, names: tuple[str, ...] = ()) -> None:
        """The queued requests of ``names`` (all when empty) no longer wait."""
        for name in names or tuple(r.name for r in self.fixtures.queued()):
            self.fixtures.unqueue(name)

    def automatic(self, name: str, reason: TriggerReason, now: float, out: list[Command]) -> bool:
        """Start the engine's own cycle if the gate allows it now; else it waits (no refusal)."""
        gate = self.gate((name,), now)
        if gate.refused is RefusalReason.DAILY_CAP_REACHED:
            self.retry_at = gate.retry_at
        if gate.wait_until is not None or gate.refused is not None or gate.unavailable:
            return False
        self.cycles.begin(name, Start(fixtures=(name,), reason=reason), now, out)
        return True


def _valid_overrides(event: Start) -> bool:
    """Whether a request's maximum run time and target lie within their bounds."""
    if event.max_run_s is not None and not (
        math.isfinite(event.max_run_s) and 0 < event.max_run_s <= MAX_RUN_OVERRIDE_S
    ):
        return False
    low, high = TARGET_OVERRIDE_C
    return event.target_c is None or (
        math.isfinite(event.target_c) and low <= event.target_c <= high
    )
