"""The simulator's home stepped in real time: commands in, hardware reports out.

No Home Assistant here: the HA component in this package wraps a `LiveHome` in entities.

The simulator runs a home under a control *strategy* (`simulator.control.Strategy`) that only
sees what a real controller sees. Here the "strategy" is a mailbox (`_Mailbox`): it passes on the
commands Home Assistant sends (pump and valve switches) and keeps what the hardware reports
(sensor readings, actuator states, remote presses). So everything Home Assistant sees has the
simulated hardware's behaviour: a valve command lands seconds later, its state report later still,
and a pipe sensor reports the water's temperature through its thermal lag, in steps, at most every
few seconds.

Commands come from outside a strategy callback, which the simulator's API does not offer: the
mailbox asks for a wake-up every simulated second and hands queued commands over then. A draw added
while the simulation runs ("Draw water") goes in with ``Simulation.add_draw``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
import math
import random
from typing import Literal

from simulator import Draw, Home, Simulation, generate_draws
from simulator.control import (
    PUMP,
    ActuatorReport,
    HomeInfo,
    Observation,
    SensorReport,
    TriggerPressed,
    Want,
    valve,
)

WEEK_S = 7 * 86400.0
TICK_S = 1.0
"""How often (simulated seconds) the mailbox hands queued commands to the simulation."""
DRAW_USE_S: dict[str, float] = {"kitchen": 30.0, "basin": 20.0, "shower": 180.0}
"""How long a person uses hot water after a "Draw water" press, by fixture kind."""


class _Mailbox:
    """A `simulator.control.Strategy` that relays commands and collects observations."""

    name = "home-assistant"

    def __init__(self) -> None:
        self.outbox: list[Want] = []
        self.inbox: list[Observation] = []
        self._next = 0.0

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        self._next = now + TICK_S
        return ()

    def observe(self, obs: Observation) -> Sequence[Want]:
        self.inbox.append(obs)
        return self._flush()

    def wakeup(self, now: float) -> Sequence[Want]:
        # A steady tick, so that a command queued between two `run_until` calls lands within
        # TICK_S of simulated time (the strategy protocol has no way to ask to be woken now).
        self._next = now + TICK_S
        return self._flush()

    def next_wakeup(self) -> float | None:
        return self._next

    def _flush(self) -> Sequence[Want]:
        out, self.outbox = self.outbox, []
        return out


Kind = Literal["sensor", "actuator", "remote", "tap"]


@dataclass(slots=True)
class Change:
    """Something Home Assistant should show: which kind and which name (a fixture or sensor)."""

    kind: Kind
    name: str


@dataclass(slots=True)
class Tap:
    """What a fixture's tap is doing, as the person at it sees it."""

    running: bool = False
    last_wait_s: float | None = None
    last_wasted_l: float | None = None
    draws: int = 0


@dataclass(slots=True)
class LiveHome:
    """One simulated home, advanced to the wall clock by `advance_to`.

    Args:
        home: the simulator's home (e.g. ``simulator.load_home("B")``).
        seed: seeds the hardware latencies, sensor noise and the people.
        people: whether simulated people draw water (by the home's daily profile).
        week_offset_s: where in the week (seconds since local Monday 00:00) time 0 falls, so that
            the people keep the home's daily rhythm (mornings and evenings).
    """

    home: Home
    seed: int = 1
    people: bool = True
    week_offset_s: float = 0.0
    sim: Simulation = field(init=False)
    readings: dict[str, float] = field(init=False, default_factory=dict)
    """Last reported temperature by sensor name (fixture name; "cold:<fixture>" on the cold line)."""
    reported: dict[str, bool] = field(init=False, default_factory=dict)
    """Last reported state by actuator ("pump", "valve:<fixture>")."""
    commanded: dict[str, bool] = field(init=False, default_factory=dict)
    taps: dict[str, Tap] = field(init=False, default_factory=dict)
    listeners: list[Callable[[list[Change]], None]] = field(init=False, default_factory=list)
    _mailbox: _Mailbox = field(init=False)
    _rng: random.Random = field(init=False)
    _results_seen: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        """Build the simulation at rest (pipes at room temperature, everything off)."""
        self._mailbox = _Mailbox()
        self._rng = random.Random(self.seed)  # noqa: S311 - a simulation, not cryptography
        draws = self._people_draws(weeks=4) if self.people else []
        self.sim = Simulation(self.home, self._mailbox, draws, seed=self.seed)
        self.reported = {PUMP: False} if self.sim.pump is not None else {}
        for fixture in self.sim.valves:
            self.reported[valve(fixture)] = False
        self.commanded = dict(self.reported)
        self.taps = {f.name: Tap() for f in self.home.fixtures}
        self._consume()

    # ------------------------------------------------------------------ what HA asks for
    @property
    def now(self) -> float:
        """Simulated seconds since start."""
        return self.sim.now

    @property
    def fixtures(self) -> list[str]:
        """The home's fixture names, in file order."""
        return [f.name for f in self.home.fixtures]

    @property
    def valves(self) -> list[str]:
        """Fixtures with a (solenoid) valve."""
        return [f for f in self.fixtures if f in self.sim.valves]

    @property
    def cold_sensors(self) -> list[str]:
        """Fixtures with a cold-line sensor (an RO purifier's inlet)."""
        return [f.name for f in self.home.fixtures if f.cold_sensor is not None]

    @property
    def has_pump(self) -> bool:
        """Whether the home has a pump to drive."""
        return self.sim.pump is not None

    def set_pump(self, on: bool) -> None:
        """Command the pump; its report arrives after the hardware's latency."""
        self.commanded[PUMP] = on
        self._mailbox.outbox.append(Want(actuator=PUMP, on=on))

    def set_valve(self, fixture: str, open_: bool) -> None:
        """Command a fixture's valve; sleepy battery valves take seconds to act and to report."""
        self.commanded[valve(fixture)] = open_
        self._mailbox.outbox.append(Want(actuator=valve(fixture), on=open_))

    def draw_water(self, fixture: str, use_s: float | None = None) -> bool:
        """Someone opens the hot tap at ``fixture`` now; False if it is already running."""
        if fixture in self.sim.open_draws or self.taps[fixture].running:
            return False
        spec = self.home.fixture(fixture)
        draw = Draw(
            fixture=fixture,
            start=self.sim.now,
            use_s=DRAW_USE_S.get(spec.kind, 30.0) if use_s is None else use_s,
            flow_lpm=spec.tap_flow_lpm,
        )
        self.sim.add_draw(draw)
        self.taps[fixture].running = True
        self._notify([Change("tap", fixture)])
        return True

    def press_remote(self, fixture: str) -> None:
        """Someone presses the wireless remote at ``fixture`` (as simulated people do, too)."""
        self._notify([Change("remote", fixture)])

    def water_c(self, fixture: str) -> float:
        """The true water temperature at the end of the fixture's hot pipe (no sensor lag)."""
        return self.sim.water_c_at(fixture)

    @property
    def heater_firing(self) -> bool:
        """Whether the heater's burner is on."""
        return bool(self.sim.heater_firing)

    # ------------------------------------------------------------------ time
    def advance_to(self, t: float) -> None:
        """Run the simulation up to simulated time ``t`` and tell the listeners what changed."""
        if t > self.sim.now:
            self.sim.run_until(t)
        self._consume()

    def _consume(self) -> None:
        changes: list[Change] = []
        inbox, self._mailbox.inbox = self._mailbox.inbox, []
        for obs in inbox:
            if isinstance(obs, SensorReport):
                if self.readings.get(obs.sensor) != obs.celsius:
                    self.readings[obs.sensor] = obs.celsius
                    changes.append(Change("sensor", obs.sensor))
            elif isinstance(obs, ActuatorReport):
                if self.reported.get(obs.actuator) != obs.on:
                    self.reported[obs.actuator] = obs.on
                    changes.append(Change("actuator", obs.actuator))
            elif isinstance(obs, TriggerPressed):
                changes.append(Change("remote", obs.fixture))
        for fixture, tap in self.taps.items():
            running = fixture in self.sim.open_draws
            if running != tap.running:
                tap.running = running
                changes.append(Change("tap", fixture))
        results = self.sim.draw_results
        for result in results[self._results_seen :]:
            tap = self.taps[result.fixture]
            tap.draws += 1
            tap.last_wait_s = result.wait_s
            tap.last_wasted_l = result.wasted_l
            changes.append(Change("tap", result.fixture))
        self._results_seen = len(results)
        if changes:
            self._notify(changes)

    def _notify(self, changes: list[Change]) -> None:
        for listener in list(self.listeners):
            listener(changes)

    # ------------------------------------------------------------------ people
    def _people_draws(self, weeks: int) -> list[Draw]:
        """The home's people over ``weeks`` weeks, shifted so time 0 is ``week_offset_s``."""
        offset = self.week_offset_s % WEEK_S
        days = math.ceil((offset + weeks * WEEK_S) / 86400.0)
        draws = []
        for draw in generate_draws(self.home, days, self.seed):
            if draw.start < offset + 60.0:
                continue
            trigger = None if draw.trigger_at is None else max(draw.trigger_at - offset, 0.0)
            draws.append(replace(draw, start=draw.start - offset, trigger_at=trigger))
        return draws


def with_draws_per_day(home: Home, low: int, high: int) -> Home:
    """``home`` whose people draw hot water ``low``..``high`` times a day."""
    return replace(home, people=replace(home.people, draws_per_day=(low, high)))
