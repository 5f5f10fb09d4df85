"""The base of the benchmark's own strategies: one circulation cycle at a time, in a safe order.

``CycleDriver`` moves the hardware in a safe order: in cold_line homes with solenoid bridges the
valve opens and confirms before the pump starts, and the pump stops and confirms before the valve
closes; in drain homes a cycle is a drain valve held open; in return_line homes, just the pump.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from simulator.control import (
    PUMP,
    VALVE_PREFIX,
    ActuatorReport,
    FixtureInfo,
    HomeInfo,
    Observation,
    SensorReport,
    TriggerPressed,
    Want,
    valve,
)

ALL_TOPOLOGIES = frozenset({"return_line", "cold_line", "drain"})


def fill_time_s(home: HomeInfo, fixture: FixtureInfo) -> float:
    """Seconds to push the configured hot-pipe volume once (pump, or the drain at tap flow)."""
    vol = fixture.configured_volume_l or 2.0
    flow = home.pump_flow_lpm if home.topology != "drain" and home.pump_flow_lpm else None
    return vol / (flow or fixture.tap_flow_lpm) * 60.0


class CycleDriver:
    """Base class: runs one circulation cycle at a time, in a safe actuator order."""

    name: ClassVar[str] = "base"
    topologies: ClassVar[frozenset[str]] = ALL_TOPOLOGIES
    bridge: ClassVar[str] = "solenoid"
    privileged: ClassVar[bool] = False

    def __init__(self) -> None:
        """Start idle; ``start`` gives the home."""
        self.home: HomeInfo | None = None
        self.now = 0.0
        self.target: str | None = None
        """The fixture whose pipe the running cycle is heating (None: idle)."""
        self.phase = "idle"  # idle, opening, running, stopping
        self.timer: float | None = None
        self.sensors: dict[str, float] = {}

    # -------------------------------------------------------------- the contract
    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Remember the home; the hardware starts off."""
        self.home = home
        self.now = now
        return []

    def observe(self, obs: Observation) -> Sequence[Want]:
        """Track reports and dispatch to the hooks."""
        self.now = obs.at
        if isinstance(obs, SensorReport):
            self.sensors[obs.sensor] = obs.celsius
            return self.on_sensor(obs)
        if isinstance(obs, ActuatorReport):
            return self._on_actuator(obs)
        return self.on_trigger(obs)

    def wakeup(self, now: float) -> Sequence[Want]:
        """Timer expiry."""
        self.now = now
        if self.timer is not None and now >= self.timer - 1e-6:
            self.timer = None
            return self.on_timer()
        return []

    def next_wakeup(self) -> float | None:
        """The pending timer."""
        return self.timer

    # -------------------------------------------------------------- hooks
    def on_trigger(self, obs: TriggerPressed) -> Sequence[Want]:
        """Someone pressed the remote."""
        del obs
        return []

    def on_sensor(self, obs: SensorReport) -> Sequence[Want]:
        """A sensor reported."""
        del obs
        return []

    def on_timer(self) -> Sequence[Want]:
        """The timer set with ``self.timer`` expired."""
        return []

    def on_running(self) -> Sequence[Want]:
        """The cycle's circulation has started (pump or drain confirmed)."""
        return []

    # -------------------------------------------------------------- helpers
    @property
    def info(self) -> HomeInfo:
        """The home (after ``start``)."""
        if self.home is None:
            raise RuntimeError("strategy not started")
        return self.home

    def fixture(self, name: str) -> FixtureInfo:
        """Fixture info by name."""
        return next(f for f in self.info.fixtures if f.name == name)

    def farthest(self, *, with_valve: bool = False) -> FixtureInfo:
        """The fixture with the largest configured hot volume (optionally: with a valve)."""
        cands = [f for f in self.info.fixtures if f.has_valve or not with_valve]
        if not cands:
            cands = list(self.info.fixtures)
        return max(cands, key=lambda f: f.configured_volume_l or 0.0)

    def circuit_for(self, fixture: str) -> str:
        """The fixture whose valve (or pipe) a cycle for ``fixture`` uses."""
        f = self.fixture(fixture)
        if self.info.topology == "return_line":
            return self.farthest().name
        if f.has_valve:
            return fixture
        return self.farthest(with_valve=True).name

    def _uses_valve(self) -> bool:
        return self.target is not None and self.fixture(self.target).has_valve

    def begin(self, fixture: str) -> list[Want]:
        """Start a cycle heating the pipe of ``fixture`` (no-op while one runs)."""
        if self.phase != "idle":
            return []
        self.target = fixture
        if self.info.topology == "drain":
            self.phase = "opening"
            return [Want(actuator=valve(fixture), on=True)]
        if self.info.topology == "cold_line" and self._uses_valve():
            self.phase = "opening"
            return [Want(actuator=valve(fixture), on=True)]
        self.phase = "running"
        return [Want(actuator=PUMP, on=True), *self.on_running()]

    def end(self) -> list[Want]:
        """Stop the running cycle."""
        if self.phase in ("idle", "stopping") or self.target is None:
            return []
        topo = self.info.topology
        if topo == "drain":
            target = self.target
            self._idle()
            return [Want(actuator=valve(target), on=False)]
        if self.phase == "opening":
            target = self.target
            self._idle()
            return [Want(actuator=valve(target), on=False)]
        if topo == "cold_line" and self._uses_valve():
            self.phase = "stopping"
            return [Want(actuator=PUMP, on=False)]
        self._idle()
        return [Want(actuator=PUMP, on=False)]

    def _idle(self) -> None:
        self.phase = "idle"
        self.target = None

    def _on_actuator(self, obs: ActuatorReport) -> list[Want]:
        if obs.actuator == PUMP:
            if not obs.on and self.phase == "stopping" and self.target is not None:
                target = self.target
                self._idle()
                return [Want(actuator=valve(target), on=False)]
            return []
        fixture = obs.actuator.removeprefix(VALVE_PREFIX)
        if obs.on and self.phase == "opening" and fixture == self.target:
            self.phase = "running"
            if self.info.topology == "drain":
                return list(self.on_running())
            return [Want(actuator=PUMP, on=True), *self.on_running()]
        return []
