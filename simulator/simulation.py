"""The event-driven simulation of one home under one control strategy.

While water flows the network is stepped (``dt_active_s``, 1 s by default): every flowing pipe
first gives up its outflow, then nodes route and mix what arrives (heater, tees, bridges, taps,
drains) into the pipes downstream, then walls exchange heat. When nothing flows, pipes are jumped
analytically to the next event and only the sensors are stepped coarsely until they settle.

Events (draws, remote presses, actuator commands landing and reporting, strategy wake-ups) are
kept in a heap; the strategy sees only ``simulator.control`` observations.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
import heapq
import math
import random
from typing import Any

from .control import (
    COLD_PREFIX,
    PUMP,
    ActuatorReport,
    Observation,
    SensorReport,
    Strategy,
    TriggerPressed,
    Want,
    cold_sensor,
    valve,
)
from .home import Home, PipeSpec, sensor_lags
from .people import Draw
from .pipes import PIPE_KINDS, RHO_C, Piece, Pipe
from .results import (
    CycleResult,
    DrawResult,
    EnergyBalance,
    Result,
    SafetySample,
    Summary,
    percentile,
)
from .sensors import Sensor

INLET = "inlet"
HEATER_OUT = "h:heater"


@dataclass(frozen=True, slots=True, kw_only=True)
class SimConfig:
    """Numerical and measurement settings of a run."""

    dt_active_s: float = 1.0
    """Time step while water flows."""
    dt_steady_s: float = 10.0
    """Time step while only the pump runs and nothing has changed for ``settle_s``."""
    settle_s: float = 240.0
    idle_step_s: float = 20.0
    """Sensor step while nothing flows and sensors still move."""
    hot_c: float = 40.0
    """Water at or above this at the tap counts as hot (metrics)."""
    cold_push_c: float = 35.0
    hot_within_s: float = 5.0
    series_every_s: float = 5.0
    cell_length_m: float = 0.25
    max_cells: int = 48


class _Actuator:
    __slots__ = ("cmd", "land_at", "name", "on", "report", "report_at")

    def __init__(self, name: str, cmd: tuple[float, float], report: tuple[float, float]) -> None:
        self.name = name
        self.on = False
        self.cmd = cmd
        self.report = report
        self.land_at = 0.0
        self.report_at = 0.0


class _Bridge:
    """A passive bridge's thermostatic element (or a plain check valve)."""

    __slots__ = ("closed", "element_c", "kind", "limit")

    def __init__(self, kind: str, limit: float, initial_c: float) -> None:
        self.kind = kind
        self.limit = limit
        self.element_c = initial_c
        self.closed = False


class _DrawState:
    __slots__ = ("draw", "end_at", "hot_at", "wasted")

    def __init__(self, draw: Draw) -> None:
        self.draw = draw
        self.hot_at: float | None = None
        self.end_at: float | None = None
        self.wasted = 0.0


class _Cycle:
    __slots__ = (
        "cold_push",
        "deadhead",
        "hot_at",
        "hot_ends",
        "ignitions",
        "kind",
        "overshoot",
        "pumped",
        "start",
    )

    def __init__(self, kind: str, start: float) -> None:
        self.kind = kind
        self.start = start
        self.pumped = 0.0
        self.hot_at: float | None = None
        self.hot_ends: set[str] = set()
        self.overshoot = 0.0
        self.cold_push = 0.0
        self.ignitions = 0
        self.deadhead = 0.0


class Simulation:
    """One home, one strategy, one schedule of draws. Drive it with ``run_until``.

    Privileged strategies (the oracle) get this object through ``attach(sim)`` and may read
    ``draws``, ``water_c_at(fixture)`` and ``water_c_at_tee(fixture)``.
    """

    def __init__(
        self,
        home: Home,
        strategy: Strategy,
        draws: Sequence[Draw],
        *,
        seed: int = 0,
        config: SimConfig | None = None,
        instant_actuators: bool = False,
    ) -> None:
        """Set up the home at rest (pipes at room temperature, actuators off)."""
        self.home = home
        self.strategy = strategy
        self.draws = tuple(sorted(draws, key=lambda d: d.start))
        self.config = config or SimConfig()
        self.rng = random.Random(seed)  # noqa: S311 - simulated latencies
        self.instant = instant_actuators
        self.now = 0.0
        cfg = self.config
        room = home.room_c
        self.specs: dict[str, PipeSpec] = {}
        self.pipes: dict[str, Pipe] = {}
        self.cold_names: set[str] = set()
        self.up: dict[str, str] = {}
        self.down: dict[str, str] = {}
        all_specs = [*home.hot_pipes, *home.cold_pipes]
        if home.return_pipe:
            all_specs.append(home.return_pipe)
        for spec in all_specs:
            cold = spec in home.cold_pipes
            self.specs[spec.name] = spec
            self.pipes[spec.name] = Pipe(
                name=spec.name,
                kind=PIPE_KINDS[spec.kind],
                length_m=spec.length_m,
                insulated=spec.insulated,
                room_c=room,
                initial_c=room,
                front_mixing=1.0 if cold else home.front_mixing,
                cell_length_m=cfg.cell_length_m,
                max_cells=cfg.max_cells,
            )
            if cold:
                self.cold_names.add(spec.name)
                self.up[spec.name] = INLET if spec.from_node == "mains" else "c:" + spec.from_node
                self.down[spec.name] = "c:" + spec.to_node
            else:
                self.up[spec.name] = "h:" + spec.from_node
                self.down[spec.name] = INLET if spec.to_node == "heater" else "h:" + spec.to_node
        self.pipe_t: dict[str, float] = dict.fromkeys(self.pipes, 0.0)
        """The time up to which each pipe has been stepped (still pipes are jumped lazily)."""
        self.hot_paths = {f.name: home.hot_path(f.name) for f in home.fixtures}
        self.cold_paths = {
            f.name: home.cold_path(f.name)
            for f in home.fixtures
            if any(p.to_node == f.name for p in home.cold_pipes)
        }
        # actuators
        self.pump: _Actuator | None = None
        if home.pump is not None and home.topology != "drain":
            self.pump = _Actuator(PUMP, home.pump.command_latency_s, home.pump.report_latency_s)
        self.valves: dict[str, _Actuator] = {}
        self.bridges: dict[str, _Bridge] = {}
        for f in home.fixtures:
            if f.valve is None:
                continue
            if f.valve.kind == "solenoid":
                self.valves[f.name] = _Actuator(
                    valve(f.name), f.valve.command_latency_s, f.valve.report_latency_s
                )
            elif home.topology == "cold_line":
                self.bridges[f.name] = _Bridge(f.valve.kind, f.valve.close_c, room)
        self.actuators: dict[str, _Actuator] = {
            a.name: a for a in (self.pump, *self.valves.values()) if a is not None
        }
        """The actuators a strategy can drive, by their ``simulator.control`` names."""
        # sensors: (sensor, pipe name, fraction)
        self.sensors: list[tuple[Sensor, str, float]] = []
        for i, f in enumerate(home.fixtures):
            for spec_s, name, cold in (
                (f.sensor, f.name, False),
                (f.cold_sensor, cold_sensor(f.name), True),
            ):
                if spec_s is None:
                    continue
                if spec_s.pipe is not None:
                    pspec = self.specs[spec_s.pipe]
                else:
                    path = self.cold_paths.get(f.name) if cold else self.hot_paths[f.name]
                    if not path:
                        continue
                    pspec = path[-1]
                frac = 1.0 if spec_s.at_m is None else spec_s.at_m / pspec.length_m
                sensor = Sensor(
                    name=name,
                    spec=spec_s,
                    lags=sensor_lags(spec_s, pspec),
                    initial_c=room,
                    room_c=room,
                    seed=seed * 1000 + i * 2 + cold,
                )
                self.sensors.append((sensor, pspec.name, frac))
        self.ro_sensor = next(
            ((p, fr) for s, p, fr in self.sensors if s.name.startswith(COLD_PREFIX)), None
        )
        # heater
        self.heater_want_since: float | None = None
        self.heater_firing = False
        self.ignitions = 0
        # accounting
        self.heater_in_j = 0.0
        self.mains_in_j = 0.0
        self.delivered_j = 0.0
        self.mains_in_l = 0.0
        self.delivered_l = 0.0
        self.pump_on_s = 0.0
        self.deadhead_s = 0.0
        self.cold_line_peak = room
        self.ro_peak: float | None = None if self.ro_sensor is None else room
        self.ignored = 0
        self.measure_from = 0.0
        """Figures cover the time from here on (``start_measuring``)."""
        self._lost_base_j = 0.0
        self.stored_start = self.stored_j()
        # people
        self.open_draws: dict[str, _DrawState] = {}
        self.draw_results: list[DrawResult] = []
        self.drain_open: set[str] = set()
        self.cold_open: dict[str, Draw] = {}
        # cycles
        self.cycle: _Cycle | None = None
        self.cycles: list[CycleResult] = []
        self.series: list[SafetySample] = []
        self._last_series = -math.inf
        self._last_change = 0.0
        # events
        self._heap: list[tuple[float, int, str, Any]] = []
        self._seq = 0
        self._wake_at: float | None = None
        self._last_wake = -math.inf
        self._same_wakes = 0
        for d in self.draws:
            self._push(d.start, "draw", d)
            if d.trigger_at is not None:
                self._push(d.trigger_at, "trigger", d)
        attach = getattr(strategy, "attach", None)
        if callable(attach):
            attach(self)
        self._apply(strategy.start(home.info(), 0.0))
        self._reschedule_wake()

    def add_draw(self, draw: Draw) -> None:
        """Schedule one more draw (a live demo's person); it must not start in the past."""
        if draw.start < self.now - 1e-9:
            raise ValueError(f"draw at {draw.start} is before now ({self.now})")
        self.draws = (*self.draws, draw)
        self._push(draw.start, "draw", draw)
        if draw.trigger_at is not None and draw.trigger_at >= self.now - 1e-9:
            self._push(draw.trigger_at, "trigger", draw)

    def start_measuring(self) -> None:
        """Forget the figures so far: the result covers only what happens from now on.

        For strategies that learn (a usage profile): run the learning period, then measure.
        Draws and cycles under way now are counted when they end.
        """
        self._advance_pipes()
        self.measure_from = self.now
        self.draw_results = []
        self.cycles = []
        self.series = []
        self.ignitions = 0
        self.heater_in_j = self.mains_in_j = self.delivered_j = 0.0
        self.mains_in_l = self.delivered_l = 0.0
        self.pump_on_s = 0.0
        self.deadhead_s = 0.0
        self.cold_line_peak = max(
            (self.pipes[n].max_water_c() for n in self.cold_names), default=self.home.room_c
        )
        if self.ro_peak is not None and self.ro_sensor is not None:
            self.ro_peak = self._water(*self.ro_sensor)
        self.ignored = 0
        self._lost_base_j = sum(p.lost_j for p in self.pipes.values())
        self.stored_start = self.stored_j()

    # ------------------------------------------------------------------ queries
    def stored_j(self) -> float:
        """Heat stored in all pipes (water and walls), relative to 0 C."""
        self._advance_pipes()
        return sum(p.stored_j() for p in self.pipes.values())

    def water_c_at(self, fixture: str) -> float:
        """True water temperature at the end of ``fixture``'s hot pipe (privileged)."""
        return self._water(self.hot_paths[fixture][-1].name, 1.0)

    def water_c_at_tee(self, fixture: str) -> float:
        """True water temperature where ``fixture``'s branch leaves the loop (privileged).

        For a fixture straight on the loop (a one-pipe path), at the fixture itself.
        """
        path = self.hot_paths[fixture]
        if len(path) < 2:
            return self.water_c_at(fixture)
        return self._water(path[-2].name, 1.0)

    def profile(self, fixture: str) -> list[tuple[float, float]]:
        """(metres from the heater, water C) at each parcel along the hot path to ``fixture``."""
        self._advance_pipes()
        out: list[tuple[float, float]] = []
        base = 0.0
        for spec in self.hot_paths[fixture]:
            pipe = self.pipes[spec.name]
            lpm = pipe.kind.litres_per_m
            pos = 0.0
            for v, t in pipe.parcels:
                out.append((base + (pos + v / 2.0) / lpm, t))
                pos += v
            base += spec.length_m
        return out

    def sensor_true_c(self, name: str) -> float:
        """A sensor element's temperature before noise and quantisation (privileged)."""
        for sensor, _, _ in self.sensors:
            if sensor.name == name:
                return sensor.true_reading()
        raise KeyError(name)

    def pump_on(self) -> bool:
        """The pump's actual state."""
        return self.pump is not None and self.pump.on

    def valve_open(self, fixture: str) -> bool:
        """A solenoid valve's actual state."""
        v = self.valves.get(fixture)
        return v is not None and v.on

    # ------------------------------------------------------------------ events
    def _push(self, at: float, kind: str, payload: Any) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (at, self._seq, kind, payload))

    def _reschedule_wake(self) -> None:
        w = self.strategy.next_wakeup()
        if w is not None and w != self._wake_at:
            self._wake_at = max(w, self.now)
            self._push(self._wake_at, "wake", self._wake_at)
        elif w is None:
            self._wake_at = None

    def _deliver(self, obs: Observation) -> None:
        self._apply(self.strategy.observe(obs))
        self._reschedule_wake()

    def _apply(self, wants: Sequence[Want]) -> None:
        for want in wants:
            act = self.actuators.get(want.actuator)
            on = want.on
            if act is None:
                self.ignored += 1
                continue
            if self.instant:
                land = self.now
                report = self.now
            else:
                land = max(act.land_at, self.now + self.rng.uniform(*act.cmd))
                report = max(act.report_at, land + self.rng.uniform(*act.report))
            act.land_at = land
            act.report_at = report
            self._push(land, "land", (act, on))
            self._push(report, "report", (act, on))

    def _handle(self, kind: str, payload: Any) -> None:
        now = self.now
        if kind == "draw" and payload.cold:
            if payload.fixture in self.cold_paths and payload.fixture not in self.cold_open:
                self._advance_pipes()
                self.cold_open[payload.fixture] = payload
                self._push(now + payload.use_s, "cold_end", payload)
                self._last_change = now
        elif kind == "cold_end":
            fixture: str = payload.fixture
            if self.cold_open.get(fixture) is payload:
                del self.cold_open[fixture]
                self._last_change = now
        elif kind == "draw":
            d: Draw = payload
            if d.fixture in self.open_draws:
                return  # the generator avoids this; a hand-made schedule may not
            self._advance_pipes()
            self.open_draws[d.fixture] = _DrawState(d)
            self._push(now + self.home.people.max_wait_s, "giveup", d)
            self._last_change = now
        elif kind == "giveup":
            st = self.open_draws.get(payload.fixture)
            if st is not None and st.draw is payload and st.end_at is None:
                st.end_at = now + payload.use_s
                self._push(st.end_at, "draw_end", payload)
        elif kind == "draw_end":
            st = self.open_draws.get(payload.fixture)
            if st is not None and st.draw is payload:
                self._finish_draw(st)
        elif kind == "trigger":
            self._deliver(TriggerPressed(fixture=payload.fixture, at=now))
        elif kind == "land":
            act, on = payload
            if act.on != on:
                self._advance_pipes()
                act.on = on
                self._actuators_changed()
        elif kind == "report":
            act, on = payload
            self._deliver(ActuatorReport(actuator=act.name, on=on, at=now))
        elif kind == "wake" and payload == self._wake_at:
            self._same_wakes = self._same_wakes + 1 if payload == self._last_wake else 0
            if self._same_wakes > 1000:
                raise RuntimeError(f"strategy keeps asking for a wake-up at t={now}")
            self._last_wake = payload
            self._wake_at = None
            self._apply(self.strategy.wakeup(now))
            self._reschedule_wake()

    def _finish_draw(self, st: _DrawState) -> None:
        d = st.draw
        del self.open_draws[d.fixture]
        wait = None if st.hot_at is None else st.hot_at - d.start
        self.draw_results.append(
            DrawResult(
                fixture=d.fixture,
                start=d.start,
                triggered=d.trigger_at is not None,
                lead_s=None if d.trigger_at is None else d.start - d.trigger_at,
                wait_s=wait,
                wasted_l=st.wasted,
                end=self.now,
            )
        )
        self._last_change = self.now

    def _actuators_changed(self) -> None:
        now = self.now
        self._last_change = now
        running = self.pump is not None and self.pump.on
        if self.home.topology == "drain":
            self.drain_open = {f for f, v in self.valves.items() if v.on}
            running = bool(self.drain_open)
        if running and self.cycle is None:
            self.cycle = _Cycle("drain" if self.home.topology == "drain" else "pump", now)
        elif not running and self.cycle is not None:
            c = self.cycle
            self.cycles.append(
                CycleResult(
                    start=c.start,
                    end=now,
                    kind=c.kind,
                    pumped_l=c.pumped,
                    hot_at=c.hot_at,
                    overshoot_l=c.overshoot,
                    cold_push_l=c.cold_push,
                    ignitions=c.ignitions,
                    deadhead_s=c.deadhead,
                )
            )
            self.cycle = None
        self._record(force=True)

    # ------------------------------------------------------------------ flows
    def _flows(self) -> tuple[dict[str, float], list[tuple[str, str, float]]]:
        """Pipe flows (L/s, signed along the pipe) and end points (node, sink kind, L/s)."""
        flows: dict[str, float] = {}
        ends: list[tuple[str, str, float]] = []

        def add(path: Sequence[PipeSpec], q: float) -> None:
            for p in path:
                flows[p.name] = flows.get(p.name, 0.0) + q

        for name, st in self.open_draws.items():
            q = st.draw.flow_lpm / 60.0
            add(self.hot_paths[name], q)
            ends.append(("h:" + name, "tap", q))
        for name, d in self.cold_open.items():
            q = d.flow_lpm / 60.0
            q_hot = q * self._cross_share(name)
            if q > q_hot:
                add(self.cold_paths[name], q - q_hot)
            if q_hot > 0.0:
                add(self.hot_paths[name], q_hot)
                ends.append(("h:" + name, "bridge", q_hot))
            ends.append(("c:" + name, "cold_tap", q))
        home = self.home
        if home.topology == "drain":
            for name in self.drain_open:
                fx = home.fixture(name)
                lpm = fx.valve.flow_lpm if fx.valve and fx.valve.flow_lpm else fx.tap_flow_lpm
                q = lpm / 60.0
                add(self.hot_paths[name], q)
                ends.append(("h:" + name, "drain", q))
        elif self.pump is not None and self.pump.on and home.pump is not None:
            q = home.pump.flow_lpm / 60.0
            if home.topology == "return_line" and home.return_pipe is not None:
                add(home.hot_path(home.return_pipe.from_node), q)
                add((home.return_pipe,), q)
                ends.append(("h:" + home.return_pipe.from_node, "return", q))
            else:
                open_b = [f for f, v in self.valves.items() if v.on]
                open_b += [f for f, b in self.bridges.items() if not b.closed]
                for f in open_b:
                    share = q / len(open_b)
                    add(self.hot_paths[f], share)
                    add(self.cold_paths[f], -share)
                    ends.append(("h:" + f, "bridge", share))
        return flows, ends

    def _cross_share(self, fixture: str) -> float:
        """Share of a cold draw at ``fixture`` drawn from the hot side through an open bridge."""
        spec = self.home.fixture(fixture).valve
        if spec is None:
            return 0.0
        bridge = self.bridges.get(fixture)
        valve = self.valves.get(fixture)
        if (bridge is not None and not bridge.closed) or (valve is not None and valve.on):
            return spec.cross_flow_share
        return 0.0

    def _active(self) -> bool:
        if self.open_draws or self.drain_open or self.cold_open:
            return True
        return self.pump is not None and self.pump.on

    # ------------------------------------------------------------------ stepping
    def _water(self, name: str, frac: float, at: float | None = None) -> float:
        """True water temperature in pipe ``name`` at ``frac`` at ``at`` (default: now)."""
        lag = (self.now if at is None else at) - self.pipe_t[name]
        pipe = self.pipes[name]
        return pipe.still_temperature_after(frac, lag) if lag > 1e-12 else pipe.temperature_at(frac)

    def _sync(self, name: str) -> None:
        lag = self.now - self.pipe_t[name]
        if lag > 0.0:
            self.pipes[name].advance_still(lag)
            self.pipe_t[name] = self.now

    def _advance_pipes(self) -> None:
        for name in self.pipes:
            self._sync(name)

    def _step_active(
        self, dt: float, flows: dict[str, float], ends: list[tuple[str, str, float]]
    ) -> None:
        now = self.now
        cfg = self.config
        moving = {n: q for n, q in flows.items() if abs(q) > 1e-12}
        for name in moving:
            self._sync(name)
        pipes = self.pipes
        # phase 1: every flowing pipe gives up its outflow
        incoming: dict[str, list[list[Piece]]] = {}
        for name, q in moving.items():
            node = self.down[name] if q > 0 else self.up[name]
            incoming.setdefault(node, []).append(
                pipes[name].pop_outflow(abs(q) * dt, forward=q > 0)
            )
        out_pipes: dict[str, list[tuple[str, float]]] = {}
        for name, q in moving.items():
            node = self.up[name] if q > 0 else self.down[name]
            out_pipes.setdefault(node, []).append((name, q))
        sinks: dict[str, list[tuple[str, float]]] = {}
        end_q: dict[str, float] = {}
        for node, kind, q in ends:
            if kind != "return":
                sinks.setdefault(node, []).append((kind, q))
            if kind not in ("tap", "cold_tap"):
                end_q[node] = end_q.get(node, 0.0) + q
        # phase 2: the inlet and the heater
        heater_q = sum(q for n, q in out_pipes.get(HEATER_OUT, []))
        cold_out_q = sum(q for n, q in out_pipes.get(INLET, []))
        supply = incoming.pop(INLET, [])
        supplied = sum(v for lst in supply for v, _ in lst)
        deficit = (heater_q + cold_out_q) * dt - supplied
        if deficit > 1e-12:
            supply.append([(deficit, self.home.mains_c)])
            self.mains_in_j += deficit * self.home.mains_c * RHO_C
            self.mains_in_l += deficit
        stream = _mix(supply)
        heater_pieces: list[Piece] = []
        cold_pieces: list[Piece] = []
        total_q = heater_q + cold_out_q
        if total_q > 0:
            heater_pieces = _scale(stream, heater_q / total_q)
            cold_pieces = _scale(stream, cold_out_q / total_q)
        heater_out = self._heat(heater_pieces, heater_q, dt)
        if heater_out:
            incoming.setdefault(HEATER_OUT, []).append(heater_out)
        for name, q in out_pipes.get(INLET, []):
            pipes[name].push_inflow(_scale(cold_pieces, q / cold_out_q), forward=q > 0)
        # phase 2: tees, fixtures (taps, drains, bridges), hot before cold
        cycle = self.cycle
        nodes = sorted(set(incoming) | set(out_pipes) | set(sinks), key=lambda n: (n[0] != "h", n))
        for node in nodes:
            if node == INLET:
                continue
            ins = incoming.get(node)
            if not ins:
                continue
            pieces = ins[0] if len(ins) == 1 else _mix(ins)
            total = sum(v for v, _ in pieces)
            if total <= 0.0:
                continue
            if cycle is not None and node in end_q:
                self._end_point(
                    cycle, node, pieces, now=now, vol=end_q[node] * dt, total=total, dt=dt
                )
            for name, q in out_pipes.get(node, []):
                pipes[name].push_inflow(_scale(pieces, abs(q) * dt / total), forward=q > 0)
            for kind, q in sinks.get(node, []):
                share = _scale(pieces, q * dt / total)
                fixture = node[2:]
                if kind == "bridge":
                    cnode = "c:" + fixture
                    incoming.setdefault(cnode, []).append(share)
                    for v, t in share:
                        self.cold_line_peak = max(self.cold_line_peak, t)
                        if cycle is not None and t > cfg.cold_push_c:
                            cycle.cold_push += v
                    if cnode not in nodes:
                        nodes.append(cnode)
                else:
                    self.delivered_j += sum(v * t for v, t in share) * RHO_C
                    self.delivered_l += sum(v for v, _ in share)
                    if kind == "tap":
                        self._tap(fixture, share, q, now)
        # phase 3: walls (still pipes are jumped later, exactly, when read)
        self.now = now + dt
        for name, q in moving.items():
            pipe = pipes[name]
            if pipe.mix_vol > 0.0:
                pipe.mix_front(forward=q > 0)
            pipe.exchange(dt)
            self.pipe_t[name] = self.now
        self._bridge_elements(dt)
        pump_on = self.pump is not None and self.pump.on
        if pump_on:
            self.pump_on_s += dt
            if not any(k in ("bridge", "return") for _, k, _ in ends):
                self.deadhead_s += dt
                if cycle is not None:
                    cycle.deadhead += dt
        if self.cold_names and moving.keys() & self.cold_names:
            for n in moving.keys() & self.cold_names:
                t = pipes[n].max_water_c()
                self.cold_line_peak = max(self.cold_line_peak, t)
        if self.ro_sensor is not None and self.ro_peak is not None:
            p, fr = self.ro_sensor
            t = self._water(p, fr)
            self.ro_peak = max(self.ro_peak, t)
        self._sensors_active(dt)
        self._record(force=False)

    def _end_point(
        self,
        cycle: _Cycle,
        node: str,
        pieces: list[Piece],
        *,
        now: float,
        vol: float,
        total: float,
        dt: float,
    ) -> None:
        """Account for ``vol`` litres of ``pieces`` reaching a circulation end point."""
        frac = vol / total
        rate = max(vol / dt, 1e-12)
        target = self.config.hot_c
        cum = 0.0
        for v, t in pieces:
            vv = v * frac
            if node in cycle.hot_ends:
                cycle.overshoot += vv
            elif t >= target:
                cycle.hot_ends.add(node)
                if cycle.hot_at is None:
                    cycle.hot_at = now + cum / rate
                cycle.overshoot += vv
            cum += vv
            cycle.pumped += vv

    def _tap(self, fixture: str, pieces: list[Piece], q: float, now: float) -> None:
        st = self.open_draws.get(fixture)
        if st is None:
            return
        cum = 0.0
        for v, t in pieces:
            if st.hot_at is None:
                if t >= self.config.hot_c:
                    st.hot_at = now + cum / q
                    if st.end_at is None:
                        st.end_at = st.hot_at + st.draw.use_s
                        self._push(st.end_at, "draw_end", st.draw)
                else:
                    st.wasted += v
            cum += v

    def _heat(self, pieces: list[Piece], q: float, dt: float) -> list[Piece]:
        h = self.home.heater
        now = self.now
        total = sum(v for v, _ in pieces)
        if total <= 0.0 or q <= 0.0:
            self.heater_want_since = None
            self.heater_firing = False
            return pieces
        t_in = sum(v * t for v, t in pieces) / total
        need_w = q * RHO_C * (h.setpoint_c - t_in)
        want = q * 60.0 >= h.activation_lpm and need_w >= h.min_kw * 1000.0
        if not want:
            self.heater_want_since = None
            self.heater_firing = False
            return pieces
        if self.heater_want_since is None:
            self.heater_want_since = now
        if now + dt - self.heater_want_since < h.ignition_delay_s:
            return pieces
        # firing for the part of this step after the ignition delay
        on_frac = min(1.0, (now + dt - self.heater_want_since - h.ignition_delay_s) / dt)
        if not self.heater_firing:
            self.heater_firing = True
            self.ignitions += 1
            if self.cycle is not None:
                self.cycle.ignitions += 1
        scale = min(1.0, h.max_kw * 1000.0 / need_w) * on_frac
        out: list[Piece] = []
        gained = 0.0
        for v, t in pieces:
            dtc = max(0.0, h.setpoint_c - t) * scale
            gained += v * dtc
            out.append((v, t + dtc))
        self.heater_in_j += gained * RHO_C
        return out

    def _bridge_elements(self, dt: float) -> None:
        for f, b in self.bridges.items():
            if b.kind != "thermostatic":
                continue
            water = self._water(self.hot_paths[f][-1].name, 1.0)
            b.element_c = water + (b.element_c - water) * math.exp(-dt / 8.0)
            if not b.closed and b.element_c >= b.limit:
                b.closed = True
            elif b.closed and b.element_c <= b.limit - 3.0:
                b.closed = False

    def _sensors_active(self, dt: float) -> None:
        for sensor, pname, frac in self.sensors:
            sensor.advance(self._water(pname, frac), dt)
            if not sensor.due(self.now):
                continue
            value = sensor.sample(self.now)
            if value is not None:
                self._deliver(SensorReport(sensor=sensor.name, celsius=value, at=self.now))

    def _idle_to(self, until: float) -> None:
        """Nothing flows: step the sensors coarsely (pipes are jumped analytically)."""
        cfg = self.config
        while self.now < until - 1e-9:
            step = min(cfg.idle_step_s, until - self.now)
            settled = True
            waters: list[float] = []
            for sensor, pname, frac in self.sensors:
                w = self._water(pname, frac, self.now + step)
                waters.append(w)
                if not (sensor.settled(w) and abs(w - self.home.room_c) < 0.3):
                    settled = False
            if settled:
                nxt = min(
                    (s.last_report_at + s.spec.max_interval_s for s, _, _ in self.sensors),
                    default=until,
                )
                for s, _, _ in self.sensors:
                    edge = s.next_fault_edge(self.now)
                    if edge is not None:
                        nxt = min(nxt, edge)
                step = max(min(until, nxt) - self.now, 1e-6)
                waters = [self._water(p, fr, self.now + step) for _, p, fr in self.sensors]
            self.now += step
            for (sensor, _, _), w in zip(self.sensors, waters, strict=True):
                sensor.advance(w, step)
                value = sensor.sample(self.now)
                if value is not None:
                    self._deliver(SensorReport(sensor=sensor.name, celsius=value, at=self.now))
            if self._heap and self._heap[0][0] < until:
                until = self._heap[0][0]

    def _record(self, *, force: bool) -> None:
        now = self.now
        if not force and now - self._last_series < self.config.series_every_s:
            return
        self._last_series = now
        pump_on = self.pump is not None and self.pump.on
        n_open = sum(1 for v in self.valves.values() if v.on)
        dead = False
        if pump_on and self.home.topology == "cold_line":
            dead = n_open == 0 and all(b.closed for b in self.bridges.values())
        ro = None
        if self.ro_sensor is not None:
            p, fr = self.ro_sensor
            ro = self._water(p, fr)
        cold_max = max((self.pipes[n].max_water_c() for n in self.cold_names), default=math.nan)
        at_valves = [
            self.water_c_at(f) for f, v in self.valves.items() if v.on and self.cold_paths.get(f)
        ]
        self.series.append(
            SafetySample(
                at=now,
                pump_on=pump_on,
                valves_open=n_open,
                deadheading=dead,
                cold_line_max_c=cold_max,
                ro_inlet_c=ro,
                open_valve_water_c=max(at_valves) if at_valves else None,
            )
        )

    def run_until(self, t_end: float) -> None:
        """Advance the simulation to ``t_end`` (seconds since the start)."""
        cfg = self.config
        while True:
            while self._heap and self._heap[0][0] <= self.now + 1e-9:
                _, _, kind, payload = heapq.heappop(self._heap)
                self._handle(kind, payload)
            if self.now >= t_end - 1e-9:
                break
            nxt = min(self._heap[0][0] if self._heap else math.inf, t_end)
            if self._active():
                dt = cfg.dt_active_s
                if (
                    not self.open_draws
                    and not self.drain_open
                    and not self.cold_open
                    and self.now - self._last_change > cfg.settle_s
                ):
                    dt = cfg.dt_steady_s
                flows, ends = self._flows()
                dt = min(dt, nxt - self.now, self._cfl_limit(flows))
                self._step_active(max(dt, 1e-6), flows, ends)
            else:
                self.heater_firing = False
                self.heater_want_since = None
                self._idle_to(nxt)
                self._advance_pipes()

    def _cfl_limit(self, flows: dict[str, float]) -> float:
        lim = math.inf
        for name, q in flows.items():
            if abs(q) > 1e-12:
                lim = min(lim, 0.95 * self.pipes[name].volume_l / abs(q))
        return lim

    # ------------------------------------------------------------------ results
    def finish(self) -> Result:
        """Close open draws and cycles and return the run's figures."""
        for st in list(self.open_draws.values()):
            self._finish_draw(st)
        if self.cycle is not None:
            if self.pump is not None:
                self.pump.on = False
            for v in self.valves.values():
                v.on = False
            self.drain_open = set()
            self._actuators_changed()
        self._advance_pipes()
        energy = EnergyBalance(
            heater_in_j=self.heater_in_j,
            mains_in_j=self.mains_in_j,
            delivered_j=self.delivered_j,
            lost_j=sum(p.lost_j for p in self.pipes.values()) - self._lost_base_j,
            stored_start_j=self.stored_start,
            stored_end_j=self.stored_j(),
            mains_in_l=self.mains_in_l,
            delivered_l=self.delivered_l,
        )
        return Result(
            home=self.home.name,
            strategy=getattr(self.strategy, "name", type(self.strategy).__name__),
            duration_s=self.now - self.measure_from,
            draws=tuple(sorted(self.draw_results, key=lambda d: d.start)),
            cycles=tuple(self.cycles),
            series=tuple(self.series),
            energy=energy,
            summary=self._summary(energy),
            pump_on_s=self.pump_on_s,
            ignored_commands=self.ignored,
        )

    def _unused_cycles(self) -> int:
        starts = sorted(d.start for d in self.draw_results)
        return _unused(self.cycles, starts, 900.0)

    def _summary(self, energy: EnergyBalance) -> Summary:
        cfg = self.config
        days = max(self.now - self.measure_from, 1.0) / 86400.0
        cap = self.home.people.max_wait_s
        waits = [d.wait_s if d.wait_s is not None else cap for d in self.draw_results]
        n = len(self.draw_results)
        cyc = self.cycles
        nc = len(cyc)
        drain_l = sum(c.pumped_l for c in cyc if c.kind == "drain")
        power = self.home.pump.power_w if self.home.pump else 0.0
        return Summary(
            draws=n,
            cycles=nc,
            wait_median_s=percentile(waits, 50),
            wait_p95_s=percentile(waits, 95),
            hot_within_5s=(sum(1 for w in waits if w <= cfg.hot_within_s) / n) if n else math.nan,
            wasted_l_per_draw=(sum(d.wasted_l for d in self.draw_results) + drain_l) / n
            if n
            else math.nan,
            cold_push_l_per_cycle=sum(c.cold_push_l for c in cyc) / nc if nc else 0.0,
            overshoot_l_per_cycle=sum(c.overshoot_l for c in cyc) / nc if nc else 0.0,
            cold_line_peak_c=self.cold_line_peak,
            ro_inlet_peak_c=self.ro_peak,
            heat_loss_kwh_day=energy.lost_j / 3.6e6 / days,
            pump_wh_day=self.pump_on_s * power / 3600.0 / days,
            ignitions_per_cycle=sum(c.ignitions for c in cyc) / nc if nc else 0.0,
            ignitions_per_day=self.ignitions / days,
            deadhead_s=self.deadhead_s,
            max_cycle_s=max((c.duration_s for c in cyc), default=0.0),
            unused_cycles_per_day=self._unused_cycles() / days,
        )


def _unused(cycles: Sequence[CycleResult], starts: Sequence[float], window_s: float) -> int:
    """Cycles with no draw starting between the cycle's start and ``window_s`` after its end."""
    n = 0
    for c in cycles:
        i = bisect.bisect_left(starts, c.start)
        if i >= len(starts) or starts[i] > c.end + window_s:
            n += 1
    return n


def _mix(streams: Sequence[Sequence[Piece]]) -> list[Piece]:
    vol = 0.0
    heat = 0.0
    for s in streams:
        for v, t in s:
            vol += v
            heat += v * t
    if vol <= 0.0:
        return []
    return [(vol, heat / vol)]


def _scale(pieces: Sequence[Piece], frac: float) -> list[Piece]:
    if frac == 1.0:
        return list(pieces)
    return [(v * frac, t) for v, t in pieces]
