"""The alternatives people use today, and the oracle (the physical limit).

Each strategy sees only what ``simulator.control`` offers (except the privileged oracle) and
moves the hardware through ``CycleDriver`` (``driver.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from simulator import Draw, Simulation
from simulator.control import PUMP, HomeInfo, SensorReport, TriggerPressed, Want

from .driver import CycleDriver, fill_time_s
from .schedule import KEEP_WARM_HOURS, DailyWindow


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
        return max(self.min_run_s, self.volumes * fill_time_s(self.info, self.fixture(fixture)))

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
    window: ClassVar[DailyWindow] = KEEP_WARM_HOURS
    max_run_s: ClassVar[float] = 600.0

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Wake at the next window edge."""
        super().start(home, now)
        self.timer = self.window.next_edge(now)
        return []

    def _sensor_name(self) -> str:
        return self.farthest(with_valve=self.info.topology == "cold_line").name

    def on_sensor(self, obs: SensorReport) -> Sequence[Want]:
        """Hysteresis on the far sensor."""
        name = self._sensor_name()
        if obs.sensor != name:
            return []
        target = self.fixture(name).target_c
        if self.phase == "idle" and self.window.contains(obs.at) and obs.celsius < self.low_c:
            self.timer = min(self.now + self.max_run_s, self.window.next_edge(self.now))
            return self.begin(name)
        if self.phase in ("opening", "running") and obs.celsius >= target:
            self.timer = self.window.next_edge(self.now)
            return self.end()
        return []

    def on_timer(self) -> Sequence[Want]:
        """Window edge or run-time cap: stop; at the window start, kick off a cycle."""
        actions: list[Want] = []
        if self.phase != "idle":
            actions += self.end()
        self.timer = self.window.next_edge(self.now)
        if self.phase == "idle" and self.window.contains(self.now):
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
        return 1.6 * fill_time_s(self.info, self.fixture(circuit)) + 8.0

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
