"""The per-fixture state machine: every fixture's state, and the only code that changes it.

As h11's ``_state.py`` does for a connection, the states and the triggers that move between them
are data (:data:`TRANSITIONS`); :class:`Fixtures` holds one :class:`Fixture` record per configured
fixture and changes a record's state only by firing a trigger through that table. A trigger the
table does not allow in the current state raises :class:`ImpossibleTransitionError`: a bug, never a
reaction to the outside world (the engine checks what an event may do before it fires).

Where the table lists several next states, the record's contents choose (:meth:`Fixture.rest`):
``queued`` while a request waits, ``ready`` while its water is hot, ``fault`` while its last cycle
ended in a fault, else ``idle``. A queued fixture keeps its readiness (a request with a higher
target waits while the water is still hot by the fixture's own target) until the water cools
(``COOLED`` keeps it ``queued``). A request that comes after the cooldown has passed but before
the pass that ends it (a host whose wakeup came late) starts a queued fixture at once: its queued
request still waits, to be answered ``AlreadyRunning`` when that pass takes it up, and a cycle
that ended meanwhile leaves the fixture ``queued``.

The records keep the order the engine met them in (cycles in the order they started, readiness
in the order it began, waits in the order they were asked): the engine walks them in that order,
so the commands and the learned data come out the same whatever the settings' order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .commands import Outcome
from .cycle import FixtureCycle, Readiness
from .events import Start
from .snapshot import FixtureState, LastCycle

IDLE, QUEUED, WAITING, HEATING, READY, FAULT = (
    FixtureState.IDLE,
    FixtureState.QUEUED,
    FixtureState.WAITING_FOR_VALVE,
    FixtureState.HEATING,
    FixtureState.READY,
    FixtureState.FAULT,
)


class Trigger(StrEnum):
    """What moves a fixture from one state to another."""

    QUEUE = "queue"
    """A start came during the cooldown: it waits for the cooldown's end."""
    UNQUEUE = "unqueue"
    """The wait ends (the cooldown is over, or the request was cancelled or found hot)."""
    START = "start"
    """A cycle starts: the valve is commanded open."""
    VALVE_OPEN = "valve_open"
    """The cycle's valve reports open (or it has none): water may move."""
    VALVE_LOST = "valve_lost"
    """The cycle's valve reports closed again."""
    HOT = "hot"
    """The cycle ended ``ready``."""
    FAILED = "failed"
    """The cycle ended in a fault."""
    ENDED = "ended"
    """The cycle ended ``stopped`` or ``timed_out``."""
    ALREADY_HOT = "already_hot"
    """A start found the water hot: nothing runs."""
    COOLED = "cooled"
    """The water made hot has cooled (readiness over)."""


TRANSITIONS: Final[dict[tuple[FixtureState, Trigger], tuple[FixtureState, ...]]] = {
    (IDLE, Trigger.QUEUE): (QUEUED,),
    (IDLE, Trigger.START): (WAITING,),
    (IDLE, Trigger.ALREADY_HOT): (IDLE,),
    (READY, Trigger.QUEUE): (QUEUED,),
    (READY, Trigger.START): (WAITING,),
    (READY, Trigger.ALREADY_HOT): (READY,),
    (READY, Trigger.COOLED): (IDLE,),
    (FAULT, Trigger.QUEUE): (QUEUED,),
    (FAULT, Trigger.START): (WAITING,),
    (FAULT, Trigger.ALREADY_HOT): (IDLE,),
    (QUEUED, Trigger.QUEUE): (QUEUED,),
    (QUEUED, Trigger.UNQUEUE): (READY, FAULT, IDLE),
    (QUEUED, Trigger.COOLED): (QUEUED,),
    (QUEUED, Trigger.START): (WAITING,),
    (WAITING, Trigger.VALVE_OPEN): (HEATING,),
    (WAITING, Trigger.UNQUEUE): (WAITING,),
    (WAITING, Trigger.HOT): (READY, QUEUED),
    (WAITING, Trigger.FAILED): (FAULT, QUEUED),
    (WAITING, Trigger.ENDED): (IDLE, QUEUED),
    (HEATING, Trigger.VALVE_LOST): (WAITING,),
    (HEATING, Trigger.UNQUEUE): (HEATING,),
    (HEATING, Trigger.HOT): (READY, QUEUED),
    (HEATING, Trigger.FAILED): (FAULT, QUEUED),
    (HEATING, Trigger.ENDED): (IDLE, QUEUED),
}
"""Every allowed transition: (state, trigger) -> the next state, or the states the fixture may
rest in next (:meth:`Fixture.rest` chooses by what the record holds)."""

_ENDINGS: Final = {Outcome.READY: Trigger.HOT, Outcome.FAULT: Trigger.FAILED}
"""The trigger of a cycle's end, by outcome (any other: ``ENDED``)."""


class ImpossibleTransitionError(RuntimeError):
    """A trigger fired in a state the table does not allow it in (a bug in the engine)."""


@dataclass(slots=True, eq=False)
class Fixture:
    """One fixture's record: its state and what that state holds (internal, mutable)."""

    name: str
    state: FixtureState = IDLE
    cycle: FixtureCycle | None = None
    """The running cycle (``waiting_for_valve``, ``heating``)."""
    readiness: Readiness | None = None
    """Its water was made hot and has not cooled (``ready``, or ``queued`` from ready)."""
    queued: Start | None = None
    """The request waiting for the cooldown's end (``queued``)."""
    last: LastCycle | None = None
    """The last finished cycle (``fault`` while it ended in a fault)."""

    def rest(self) -> FixtureState:
        """The state this fixture rests in when no cycle runs."""
        if self.queued is not None:
            return QUEUED
        if self.readiness is not None:
            return READY
        if self.last is not None and self.last.outcome is Outcome.FAULT:
            return FAULT
        return IDLE


class Fixtures:
    """The records of every configured fixture, changed only through the transition table."""

    def __init__(self, names: tuple[str, ...]) -> None:
        """Every fixture idle."""
        self._records = {name: Fixture(name) for name in names}
        self._running: dict[str, Fixture] = {}
        self._ready: dict[str, Fixture] = {}
        self._queued: dict[str, Fixture] = {}

    def __getitem__(self, name: str) -> Fixture:
        """The record of ``name`` (a configured fixture)."""
        return self._records[name]

    def __iter__(self) -> Iterator[Fixture]:
        """Every record, in the settings' order."""
        return iter(self._records.values())

    def running(self) -> list[Fixture]:
        """The fixtures with a running cycle, in the order they started."""
        return list(self._running.values())

    def ready(self) -> list[Fixture]:
        """The fixtures whose water is hot, in the order it became hot."""
        return list(self._ready.values())

    def queued(self) -> list[Fixture]:
        """The fixtures waiting for the cooldown's end, in the order they were asked."""
        return list(self._queued.values())

    def is_running(self, name: str) -> bool:
        """Whether ``name`` has a running cycle."""
        return name in self._running

    def is_ready(self, name: str) -> bool:
        """Whether ``name``'s water is hot (ready, or queued while still hot)."""
        return name in self._ready

    @property
    def any_running(self) -> bool:
        """Whether any cycle runs."""
        return bool(self._running)

    @property
    def any_queued(self) -> bool:
        """Whether any start waits for the cooldown's end."""
        return bool(self._queued)

    def reconfigure(self, names: tuple[str, ...]) -> None:
        """New settings (nothing runs or waits): keep what the remaining fixtures hold."""
        self._records = {name: self._records.get(name) or Fixture(name) for name in names}
        self._ready = {k: v for k, v in self._ready.items() if k in self._records}

    # ------------------------------------------------------------- transitions

    def _fire(self, record: Fixture, trigger: Trigger) -> None:
        """Move ``record`` as the table says; the one place a state changes."""
        targets = TRANSITIONS.get((record.state, trigger), ())
        target = targets[0] if len(targets) == 1 else record.rest()
        if target not in targets:
            msg = f"{record.name}: {trigger} is impossible in {record.state}"
            raise ImpossibleTransitionError(msg)
        record.state = target

    def queue(self, name: str, start: Start) -> None:
        """``name`` waits for the cooldown's end, to start as ``start`` asks."""
        record = self._records[name]
        self._fire(record, Trigger.QUEUE)
        record.queued = start
        self._queued.setdefault(name, record)

    def unqueue(self, name: str) -> None:
        """``name`` no longer waits (if it did)."""
        record = self._queued.pop(name, None)
        if record is not None:
            record.queued = None
            self._fire(record, Trigger.UNQUEUE)

    def start(self, cycle: FixtureCycle) -> None:
        """A cycle starts: it waits for its valve; the fixture's readiness is over."""
        record = self._records[cycle.fixture]
        self._fire(record, Trigger.START)
        record.cycle = cycle
        record.readiness = None
        self._ready.pop(record.name, None)
        self._running[record.name] = record

    def valve(self, record: Fixture, *, confirmed: bool, now: float) -> None:
        """The running cycle's valve reports open (``confirmed``) or not."""
        assert record.cycle is not None  # noqa: S101 - only running records are passed
        if record.state is WAITING and confirmed:
            self._fire(record, Trigger.VALVE_OPEN)
        elif record.state is HEATING and not confirmed:
            self._fire(record, Trigger.VALVE_LOST)
            record.cycle.opening_since = now

    def finish(self, name: str, last: LastCycle, readiness: Readiness | None) -> FixtureCycle:
        """The running cycle ends as ``last`` says; ``readiness`` when it made the water hot."""
        record = self._running.pop(name)
        cycle = record.cycle
        assert cycle is not None  # noqa: S101 - a running record holds its cycle
        record.cycle = None
        record.last = last
        if readiness is not None:
            record.readiness = readiness
            self._ready[name] = record
        self._fire(record, _ENDINGS.get(last.outcome, Trigger.ENDED))
        return cycle

    def already_hot(self, name: str, last: LastCycle) -> None:
        """A start found ``name``'s water hot; nothing runs."""
        record = self._records[name]
        self._fire(record, Trigger.ALREADY_HOT)
        record.last = last

    def cooled(self, name: str) -> None:
        """``name``'s water is no longer hot."""
        record = self._ready.pop(name)
        self._fire(record, Trigger.COOLED)
        record.readiness = None
