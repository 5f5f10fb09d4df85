"""The alternatives people use today, and the oracle (the physical limit).

Each strategy sees only what ``simulator.control`` offers (except the privileged oracle). The shared
``CycleDriver`` moves the hardware in a safe order: in cold_line homes with solenoid bridges the
valve opens and confirms before the pump starts, and the pump stops and confirms before the valve
closes; in drain homes a cycle is a drain valve held open; in return_line homes, just the pump.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

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

if TYPE_CHECKING:
    from simulator.people import Draw
    from simulator.simulation import Simulation

ALL_TOPOLOGIES = frozenset({"return_line", "cold_line", "drain"})


def _fill_s(home: HomeInfo, fixture: FixtureInfo) -> float:
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
        self.pump_reported = False
        self.valves_reported: dict[str, bool] = {}
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
            self.pump_reported = obs.on
            if not obs.on and self.phase == "stopping" and self.target is not None:
                target = self.target
                self._idle()
                return [Want(actuator=valve(target), on=False)]
            return []
        fixture = obs.actuator.removeprefix(VALVE_PREFIX)
        self.valves_reported[fixture] = obs.on
        if obs.on and self.phase == "opening" and fixture == self.target:
            self.phase = "running"
            if self.info.topology == "drain":
                return list(self.on_running())
            return [Want(actuator=PUMP, on=True), *self.on_running()]
        return []


class NoRecirculation(CycleDriver):
    """No recirculation: everyone waits at the tap."""

    name: ClassVar[str] = "none"


class Timer(CycleDriver):
    """Pump on for a fixed time per trigger, set generously by the installer (2 pipe volumes)."""

    name: ClassVar[str] = "timer"
    volumes: ClassVar[float] = 2.0
    min_run_s: ClassVar[float] = 60.0

    def run_s(self, fixture: str) -> float:
        """The fixed run time for a cycle at ``fixture``."""
        return max(self.min_run_s, self.volumes * _fill_s(self.info, self.fixture(fixture)))

    def on_trigger(self, obs: TriggerPressed) -> Sequence[Want]:
        """Start a timed cycle."""
        if self.phase != "idle":
            return []
        return self.begin(self.circuit_for(obs.fixture))

    def on_running(self) -> Sequence[Want]:
        """Arm the timer once circulation runs."""
        if self.target is not None:
            self.timer = self.now + self.run_s(self.target)
        return []

    def on_timer(self) -> Sequence[Want]:
        """Time is up."""
        return self.end()


class Continuous(CycleDriver):
    """The pump runs all the time (return line only)."""

    name: ClassVar[str] = "continuous"
    topologies: ClassVar[frozenset[str]] = frozenset({"return_line"})

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Switch the pump on for good."""
        super().start(home, now)
        return [Want(actuator=PUMP, on=True)]


class CheckValveTimer(Timer):
    """Plain check-valve bridge at the farthest fixture + pump on a timer."""

    name: ClassVar[str] = "check_valve_timer"
    topologies: ClassVar[frozenset[str]] = frozenset({"cold_line"})
    bridge: ClassVar[str] = "check_valve"

    def circuit_for(self, fixture: str) -> str:
        """The passive bridge is at the farthest fixture."""
        del fixture
        return self.farthest().name


class ThermostaticTimer(CheckValveTimer):
    """Thermostatic check-valve bridge (closes at the cold-line limit) + pump on a timer."""

    name: ClassVar[str] = "thermostatic_timer"
    bridge: ClassVar[str] = "thermostatic"


class Aquastat(CycleDriver):
    """Run until the fixture's pipe sensor reads the target; no lag handling (max 10 min)."""

    name: ClassVar[str] = "aquastat"
    max_run_s: ClassVar[float] = 600.0

    def on_trigger(self, obs: TriggerPressed) -> Sequence[Want]:
        """Start unless the pipe already reads hot."""
        if self.phase != "idle":
            return []
        circuit = self.circuit_for(obs.fixture)
        fx = self.fixture(circuit)
        if self.sensors.get(circuit, -1e9) >= fx.target_c:
            return []
        self.timer = self.now + self.max_run_s
        return self.begin(circuit)

    def on_sensor(self, obs: SensorReport) -> Sequence[Want]:
        """Stop when the running cycle's sensor reads the target."""
        if (
            self.phase in ("opening", "running")
            and obs.sensor == self.target
            and obs.celsius >= self.fixture(obs.sensor).target_c
        ):
            self.timer = None
            return self.end()
        return []

    def on_timer(self) -> Sequence[Want]:
        """Give up after the maximum run time."""
        return self.end()


class Cruise(CycleDriver):
    """Keep-warm hysteresis: circulate when the far sensor drops below 35 C, 06:00-23:00."""

    name: ClassVar[str] = "cruise"
    topologies: ClassVar[frozenset[str]] = frozenset({"return_line", "cold_line"})
    low_c: ClassVar[float] = 35.0
    window: ClassVar[tuple[float, float]] = (6 * 3600.0, 23 * 3600.0)
    max_run_s: ClassVar[float] = 600.0

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Wake at the next window edge."""
        super().start(home, now)
        self.timer = self._next_edge(now)
        return []

    def _in_window(self, now: float) -> bool:
        tod = now % 86400.0
        return self.window[0] <= tod < self.window[1]

    def _next_edge(self, now: float) -> float:
        day = now - now % 86400.0
        for edge in (day + self.window[0], day + self.window[1], day + 86400.0 + self.window[0]):
            if edge > now + 1e-6:
                return edge
        return day + 86400.0 + self.window[0]  # pragma: no cover - unreachable

    def _sensor_name(self) -> str:
        return self.farthest(with_valve=self.info.topology == "cold_line").name

    def on_sensor(self, obs: SensorReport) -> Sequence[Want]:
        """Hysteresis on the far sensor."""
        name = self._sensor_name()
        if obs.sensor != name:
            return []
        target = self.fixture(name).target_c
        if self.phase == "idle" and self._in_window(obs.at) and obs.celsius < self.low_c:
            self.timer = min(self.now + self.max_run_s, self._next_edge(self.now))
            return self.begin(name)
        if self.phase in ("opening", "running") and obs.celsius >= target:
            self.timer = self._next_edge(self.now)
            return self.end()
        return []

    def on_timer(self) -> Sequence[Want]:
        """Window edge or run-time cap: stop; at the window start, kick off a cycle."""
        actions: list[Want] = []
        if self.phase != "idle":
            actions += self.end()
        self.timer = self._next_edge(self.now)
        if self.phase == "idle" and self._in_window(self.now):
            last = self.sensors.get(self._sensor_name())
            if last is None or last < self.low_c:
                self.timer = min(self.now + self.max_run_s, self.timer)
                actions += self.begin(self._sensor_name())
        return actions


class Oracle(CycleDriver):
    """The physical limit: knows every draw in advance and the true water temperatures.

    Privileged: it reads the simulator and its commands land at once. Before each draw it starts
    a cycle at the fixture just early enough (learning each circuit's true fill time) and stops
    the instant hot water reaches it; it skips a cycle when the pipe is still hot.
    """

    name: ClassVar[str] = "oracle"
    privileged: ClassVar[bool] = True
    margin_s: ClassVar[float] = 3.0
    margin_c: ClassVar[float] = 4.0
    """Stop once the water is this much above the target: the lukewarm front (and, on a return
    loop, the dead-leg branch) still cools what reaches the tap."""

    def __init__(self) -> None:
        """No simulator yet."""
        super().__init__()
        self.sim: Simulation | None = None
        self.plan: list[Draw] = []
        self.fill_s: dict[str, float] = {}
        self.cycle_started = 0.0

    def attach(self, sim: Simulation) -> None:
        """Receive the simulator (before ``start``)."""
        self.sim = sim

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Plan from the simulator's draw schedule."""
        super().start(home, now)
        if self.sim is not None:
            self.plan = [d for d in self.sim.draws if d.start >= now and not d.cold]
        return []

    def _estimate(self, circuit: str) -> float:
        learned = self.fill_s.get(circuit)
        if learned is not None:
            return learned
        return 1.6 * _fill_s(self.info, self.fixture(circuit)) + 8.0

    def _true_c(self, circuit: str) -> float:
        if self.sim is None:
            return -1e9
        if self.info.topology == "return_line":
            return self.sim.water_c_at_tee(circuit)
        return self.sim.water_c_at(circuit)

    def next_wakeup(self) -> float | None:
        """Every second while a cycle runs; else at the next planned start."""
        if self.phase != "idle":
            return self.now + 1.0
        while self.plan:
            d = self.plan[0]
            circuit = self.circuit_for(d.fixture)
            start = d.start - self._estimate(circuit) - self.margin_s
            return max(start, self.now)
        return None

    def wakeup(self, now: float) -> Sequence[Want]:
        """Start or stop cycles on the true state of the pipes."""
        self.now = now
        if self.phase == "running" and self.target is not None:
            if self._true_c(self.target) >= self.fixture(self.target).target_c + self.margin_c:
                took = now - self.cycle_started
                self.fill_s[self.target] = max(took, self.fill_s.get(self.target, 0.0))
                return self.end()
            return []
        if self.phase != "idle" or not self.plan:
            return []
        d = self.plan[0]
        circuit = self.circuit_for(d.fixture)
        if now < d.start - self._estimate(circuit) - self.margin_s - 1e-6:
            return []
        self.plan.pop(0)
        if (
            now > d.start
            or self._true_c(circuit) >= self.fixture(circuit).target_c + self.margin_c + 2.0
        ):
            return []
        self.cycle_started = now
        return self.begin(circuit)
