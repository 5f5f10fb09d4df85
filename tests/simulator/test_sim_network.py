"""The network simulation: conservation, heater, pump, valves, sensors, dead-heading, draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
import itertools
from typing import ClassVar

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

import simulator
from simulator import Draw, Home, SensorSpec, SimConfig, Simulation
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


class Scripted:
    """Issues ``script`` actions at given times; records every observation."""

    name: ClassVar[str] = "scripted"

    def __init__(self, script: Sequence[tuple[float, Want]] = ()) -> None:
        self.script = sorted(script, key=lambda x: x[0])
        self.seen: list[Observation] = []
        self.sent: list[tuple[float, Want]] = []
        self.info: HomeInfo | None = None

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        self.info = home
        return self._due(now)

    def observe(self, obs: Observation) -> Sequence[Want]:
        self.seen.append(obs)
        return self._due(obs.at)

    def wakeup(self, now: float) -> Sequence[Want]:
        return self._due(now)

    def next_wakeup(self) -> float | None:
        return self.script[0][0] if self.script else None

    def _due(self, now: float) -> list[Want]:
        out = []
        while self.script and self.script[0][0] <= now + 1e-9:
            at, action = self.script.pop(0)
            self.sent.append((at, action))
            out.append(action)
        return out


def _cycle(fixture: str, at: float, seconds: float) -> list[tuple[float, Want]]:
    return [
        (at, Want(actuator=valve(fixture), on=True)),
        (at + 8.0, Want(actuator=PUMP, on=True)),
        (at + 8.0 + seconds, Want(actuator=PUMP, on=False)),
        (at + 12.0 + seconds, Want(actuator=valve(fixture), on=False)),
    ]


def test_shipped_reference_homes_volumes() -> None:
    a, b, c = (simulator.load_home(n) for n in "ABC")
    assert a.hot_volume_l("basin") == pytest.approx(1.1, rel=0.05)
    assert b.hot_volume_l(b.farthest_fixture()) == pytest.approx(3.1, rel=0.05)
    assert c.hot_volume_l(c.farthest_fixture()) == pytest.approx(7.0 + 0.3, rel=0.1)
    assert c.return_pipe is not None
    assert c.return_pipe.volume_l == pytest.approx(30 * 0.119)


def test_volume_conserved_exactly_and_energy_balances() -> None:
    home = simulator.load_home("B")
    draws = [
        Draw(fixture="shower", start=600.0, use_s=300.0, flow_lpm=8.0),
        Draw(fixture="kitchen", start=700.0, use_s=30.0, flow_lpm=8.0),
        Draw(fixture="basin", start=5000.0, use_s=20.0, flow_lpm=6.0),
    ]
    script = _cycle("shower", 3000.0, 90.0) + _cycle("kitchen", 4000.0, 20.0)
    sim = Simulation(home, Scripted(script), draws, seed=3)
    volumes = {n: p.volume_l for n, p in sim.pipes.items()}
    sim.run_until(3050.0)
    for name, pipe in sim.pipes.items():
        assert pipe.water_volume() == pytest.approx(volumes[name], abs=1e-9)
    sim.run_until(8000.0)
    result = sim.finish()
    e = result.energy
    assert e.mains_in_l == pytest.approx(e.delivered_l, abs=1e-9)
    assert e.delivered_l > 40.0
    assert abs(e.residual_j) < 0.01 * e.heater_in_j
    assert e.heater_in_j > 0
    for name, pipe in sim.pipes.items():
        assert pipe.water_volume() == pytest.approx(volumes[name], abs=1e-9)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_random_homes_conserve_and_balance(seed: int) -> None:
    home = simulator.random_home(seed)
    draws = simulator.generate_draws(home, 0.25, seed)
    from bench.strategies import STRATEGIES

    strategy = STRATEGIES["timer"]()
    result = simulator.run(home, strategy, draws=draws, duration_s=6 * 3600.0, seed=seed)
    e = result.energy
    assert e.mains_in_l == pytest.approx(e.delivered_l, abs=1e-6)
    assert abs(e.residual_j) <= 0.01 * max(e.heater_in_j, 1.0)
    assert all(d.wait_s is None or d.wait_s >= 0 for d in result.draws)
    assert result.summary.cold_line_peak_c <= home.heater.setpoint_c + 0.5


def test_random_home_is_reproducible_and_valid() -> None:
    assert simulator.random_home(5) == simulator.random_home(5)
    kinds = {simulator.random_home(s).topology for s in range(30)}
    assert kinds == {"return_line", "cold_line", "drain"}
    home = simulator.random_home(7, topology="drain")
    assert home.topology == "drain"
    assert home.pump is None


def test_heater_does_not_fire_below_activation_flow() -> None:
    home = simulator.load_home("A")
    draws = [Draw(fixture="basin", start=100.0, use_s=60.0, flow_lpm=1.5)]
    result = simulator.run(home, Scripted(), draws=draws, duration_s=600.0)
    assert result.energy.heater_in_j == 0.0
    assert result.draws[0].wait_s is None
    draws = [Draw(fixture="basin", start=100.0, use_s=60.0, flow_lpm=2.5)]
    result = simulator.run(home, Scripted(), draws=draws, duration_s=600.0)
    assert result.energy.heater_in_j > 0.0
    assert result.draws[0].wait_s is not None


def test_heater_does_not_fire_below_minimum_power() -> None:
    home = replace(simulator.load_home("A"), mains_c=44.0, room_c=44.0)
    # 8 L/min from 44 to 50 C needs 3.3 kW < 3.5 kW minimum: the burner stays off
    draws = [Draw(fixture="basin", start=100.0, use_s=60.0, flow_lpm=8.0)]
    result = simulator.run(home, Scripted(), draws=draws, duration_s=600.0)
    assert result.energy.heater_in_j == 0.0
    draws = [Draw(fixture="basin", start=100.0, use_s=60.0, flow_lpm=12.0)]
    result = simulator.run(home, Scripted(), draws=draws, duration_s=600.0)
    assert result.energy.heater_in_j > 0.0


def test_heater_power_limit_caps_the_outlet() -> None:
    base = simulator.load_home("A")
    weak = replace(base, heater=replace(base.heater, max_kw=5.0))
    draws = [Draw(fixture="basin", start=100.0, use_s=120.0, flow_lpm=8.0)]
    result = simulator.run(weak, Scripted(), draws=draws, duration_s=600.0)
    # 5 kW raises 8 L/min by 9 K only: never 40 C
    assert result.draws[0].wait_s is None


def test_wait_at_the_tap_matches_pipe_volume() -> None:
    home = simulator.load_home("A")
    draws = [Draw(fixture="basin", start=100.0, use_s=30.0, flow_lpm=8.0)]
    result = simulator.run(home, Scripted(), draws=draws, duration_s=600.0)
    wait = result.draws[0].wait_s
    assert wait is not None
    plug = home.hot_volume_l("basin") / 8.0 * 60.0
    assert plug <= wait <= plug * home.front_mixing + 2.0 + 5.0  # + ignition delay
    assert result.draws[0].wasted_l == pytest.approx(wait * 8.0 / 60.0, rel=0.05)


def test_valve_latency_and_reports() -> None:
    home = simulator.load_home("A")
    strat = Scripted([(100.0, Want(actuator=valve("basin"), on=True))])
    sim = Simulation(home, strat, [], seed=1)
    sim.run_until(101.0 - 0.001)
    assert not sim.valve_open("basin")  # at least 1 s command latency
    sim.run_until(120.0)
    assert sim.valve_open("basin")
    reports = [o for o in strat.seen if isinstance(o, ActuatorReport)]
    assert len(reports) == 1
    assert reports[0].actuator == "valve:basin"
    assert reports[0].on
    assert 101.5 <= reports[0].at <= 109.0


class _Insomniac(Scripted):
    def next_wakeup(self) -> float | None:
        return 5.0


def test_a_strategy_stuck_on_one_instant_is_stopped() -> None:
    with pytest.raises(RuntimeError, match="wake-up"):
        simulator.run("A", _Insomniac(), draws=[], duration_s=60.0)


def test_commands_to_missing_actuators_are_ignored() -> None:
    home = simulator.load_home("C")
    result = simulator.run(
        home,
        Scripted([(10.0, Want(actuator=valve("kitchen"), on=True))]),
        draws=[],
        duration_s=60.0,
    )
    assert result.ignored_commands == 1


def test_deadheading_is_recorded() -> None:
    home = simulator.load_home("A")
    strat = Scripted(
        [(100.0, Want(actuator=PUMP, on=True)), (160.0, Want(actuator=PUMP, on=False))]
    )
    result = simulator.run(home, strat, draws=[], duration_s=600.0)
    assert result.summary.deadhead_s == pytest.approx(60.0, abs=2.0)
    assert any(s.deadheading for s in result.series)
    assert result.cycles[0].deadhead_s == pytest.approx(60.0, abs=2.0)


def test_circulation_heats_cold_line_and_ro_inlet() -> None:
    home = simulator.load_home("A")
    result = simulator.run(
        home, Scripted(_cycle("basin", 100.0, 120.0)), draws=[], duration_s=900.0
    )
    s = result.summary
    assert s.deadhead_s == 0.0
    assert s.cold_line_peak_c > 45.0
    assert s.ro_inlet_peak_c is not None
    assert s.ro_inlet_peak_c > 45.0
    (cycle,) = result.cycles
    assert cycle.hot_at is not None
    assert cycle.pumped_l == pytest.approx(120.0 * 6.0 / 60.0, rel=0.05)
    assert cycle.overshoot_l == pytest.approx(cycle.cold_push_l, rel=0.2)
    assert cycle.ignitions >= 1
    assert max(x.cold_line_max_c for x in result.series) > 45.0
    assert max(x.open_valve_water_c or 0.0 for x in result.series) > 40.0
    assert all(x.open_valve_water_c is None for x in result.series if x.valves_open == 0)
    assert result.summary.ignitions_per_day > 0.0


def test_thermostatic_bridge_limits_the_cold_line() -> None:
    home = simulator.load_home("A")
    plain = home.with_bridge("check_valve")
    thermo = home.with_bridge("thermostatic")
    script = [(100.0, Want(actuator=PUMP, on=True)), (400.0, Want(actuator=PUMP, on=False))]
    r_plain = simulator.run(plain, Scripted(script), draws=[], duration_s=900.0)
    r_thermo = simulator.run(thermo, Scripted(script), draws=[], duration_s=900.0)
    assert r_thermo.cycles[0].cold_push_l < 0.5 * r_plain.cycles[0].cold_push_l
    assert r_thermo.summary.deadhead_s > 100.0  # it closed: the pump dead-heads
    assert r_plain.summary.deadhead_s == 0.0


def test_return_line_circulates_without_touching_cold_pipes() -> None:
    home = simulator.load_home("C")
    strat = Scripted(
        [(100.0, Want(actuator=PUMP, on=True)), (400.0, Want(actuator=PUMP, on=False))]
    )
    sim = Simulation(home, strat, [], seed=1)
    sim.run_until(420.0)
    assert sim.water_c_at_tee("bath2_basin") > 45.0
    assert sim.water_c_at("bath2_basin") < 25.0  # dead-leg branch stays cold
    result = sim.finish()
    assert result.cycles[0].hot_at is not None
    assert result.summary.pump_wh_day == pytest.approx(300 * 25 / 3600 / (420 / 86400), rel=0.02)


def test_drain_topology_dumps_water() -> None:
    home = simulator.random_home(11, topology="drain")
    fx = next(f for f in home.fixtures if f.valve is not None)
    strat = Scripted(
        [
            (100.0, Want(actuator=valve(fx.name), on=True)),
            (160.0, Want(actuator=valve(fx.name), on=False)),
        ]
    )
    result = simulator.run(home, strat, draws=[], duration_s=600.0)
    (cycle,) = result.cycles
    assert cycle.kind == "drain"
    assert result.energy.delivered_l == pytest.approx(cycle.pumped_l, rel=0.01)
    assert cycle.pumped_l > 0.0


def test_sensor_reports_follow_the_water_with_lag() -> None:
    home = simulator.load_home("A")
    strat = Scripted(_cycle("basin", 100.0, 150.0))
    simulator.run(home, strat, draws=[], duration_s=1200.0)
    reports = [o for o in strat.seen if isinstance(o, SensorReport) and o.sensor == "basin"]
    assert reports
    hot = next(r for r in reports if r.celsius >= 40.0)
    # the water arrives ~20 s after the pump; the PPR sensor lags tens of seconds behind it
    assert hot.at > 108.0 + 30.0
    colds = [o for o in strat.seen if isinstance(o, SensorReport) and o.sensor == "cold:basin"]
    assert max(r.celsius for r in colds) > 40.0
    # reports are thresholded: no two within the minimum interval
    times = [r.at for r in reports]
    assert all(b - a >= 5.0 - 1e-6 for a, b in itertools.pairwise(times))


def test_sensor_heartbeat_and_injected_errors() -> None:
    base = simulator.load_home("A")
    fx = base.fixtures[0]
    sensor = SensorSpec(
        max_interval_s=600.0, faults=((3000.0, 100.0, 85.0), (5000.0, 50.0, -127.0))
    )
    home = replace(base, fixtures=(replace(fx, sensor=sensor),))
    strat = Scripted()
    simulator.run(home, strat, draws=[], duration_s=7200.0)
    reports = [o for o in strat.seen if isinstance(o, SensorReport) and o.sensor == "basin"]
    values = [r.celsius for r in reports]
    assert 85.0 in values
    assert -127.0 in values
    steady = [r for r in reports if r.celsius not in (85.0, -127.0)]
    gaps = [b.at - a.at for a, b in itertools.pairwise(reports)]
    assert max(gaps) <= 600.0 + 20.0
    assert all(abs(r.celsius - 18.0) < 0.5 for r in steady)


def test_triggers_and_draw_results() -> None:
    home = simulator.load_home("B")
    draws = simulator.generate_draws(home, 1.0, 4)
    strat = Scripted()
    result = simulator.run(home, strat, draws=draws, duration_s=86400.0, seed=4)
    triggers = [o for o in strat.seen if isinstance(o, TriggerPressed)]
    assert len(triggers) == sum(1 for d in draws if d.trigger_at is not None)
    assert len(result.draws) == sum(1 for d in draws if not d.cold)
    assert all(r.triggered == (r.lead_s is not None) for r in result.draws)
    s = result.summary
    assert s.cycles == 0
    assert s.pump_wh_day == 0.0
    assert 0.0 < s.wait_median_s <= s.wait_p95_s
    assert s.heat_loss_kwh_day > 0.0


def test_cold_draws_through_a_passive_bridge_fire_the_heater() -> None:
    home = simulator.load_home("A")
    cold = [
        Draw(fixture="basin", start=600.0 + 600.0 * i, use_s=40.0, flow_lpm=6.0, cold=True)
        for i in range(5)
    ]
    plain = simulator.run(
        home.with_bridge("check_valve"), Scripted(), draws=cold, duration_s=4000.0
    )
    solenoid = simulator.run(home, Scripted(), draws=cold, duration_s=4000.0)
    # 40 % of 6 L/min through the heater: above its 2 L/min activation flow
    assert plain.summary.ignitions_per_day * 4000.0 / 86400.0 == pytest.approx(5.0)
    assert plain.summary.cold_line_peak_c > 40.0  # hot water into the cold line, pump off
    assert solenoid.summary.ignitions_per_day == 0.0
    assert solenoid.energy.heater_in_j == 0.0
    assert solenoid.energy.delivered_l == pytest.approx(5 * 40.0 * 0.1, rel=1e-6)
    assert solenoid.draws == ()  # cold draws are not hot-water draws


def test_run_accepts_names_and_generates_draws() -> None:
    result = simulator.run("A", Scripted(), duration_s=86400.0, seed=2)
    home = simulator.load_home("A")
    lo, hi = home.people.draws_per_day
    assert lo <= len(result.draws) <= hi
    assert result.summary.ignitions_per_day > 0


def test_steady_step_is_used_for_long_pump_runs() -> None:
    home: Home = simulator.load_home("C")
    strat = Scripted(
        [(10.0, Want(actuator=PUMP, on=True)), (3610.0, Want(actuator=PUMP, on=False))]
    )
    fine = simulator.run(
        home,
        Scripted(list(strat.script)),
        draws=[],
        duration_s=3700.0,
        config=SimConfig(dt_steady_s=1.0),
    )
    coarse = simulator.run(home, strat, draws=[], duration_s=3700.0)
    assert coarse.summary.heat_loss_kwh_day == pytest.approx(
        fine.summary.heat_loss_kwh_day, rel=0.03
    )
    assert coarse.energy.heater_in_j == pytest.approx(fine.energy.heater_in_j, rel=0.03)


def test_add_draw_schedules_a_live_draw() -> None:
    strat = Scripted()
    sim = Simulation(simulator.load_home("A"), strat, [], seed=1)
    sim.run_until(100.0)
    with pytest.raises(ValueError, match="before now"):
        sim.add_draw(Draw(fixture="basin", start=50.0, use_s=10.0, flow_lpm=8.0))
    sim.add_draw(Draw(fixture="basin", start=120.0, use_s=10.0, flow_lpm=8.0, trigger_at=110.0))
    sim.run_until(110.5)
    assert any(isinstance(o, TriggerPressed) for o in strat.seen)
    assert "basin" not in sim.open_draws
    sim.run_until(121.0)
    assert "basin" in sim.open_draws
    sim.run_until(300.0)
    (draw,) = sim.finish().draws
    assert draw.wait_s is not None
    assert draw.end > 130.0


def test_sensor_sample_interval_limits_reports() -> None:
    base = simulator.load_home("A")
    fx = base.fixtures[0]
    slow = replace(
        base,
        fixtures=(
            replace(fx, sensor=SensorSpec(sample_s=30.0, min_interval_s=0.0, report_delta_c=0.1)),
        ),
    )
    fast = replace(
        base,
        fixtures=(
            replace(fx, sensor=SensorSpec(sample_s=1.0, min_interval_s=0.0, report_delta_c=0.1)),
        ),
    )

    def reports(home: Home) -> list[float]:
        strat = Scripted(_cycle("basin", 100.0, 150.0))
        simulator.run(home, strat, draws=[], duration_s=400.0)
        return [o.at for o in strat.seen if isinstance(o, SensorReport) and o.sensor == "basin"]

    slow_r, fast_r = reports(slow), reports(fast)
    assert len(fast_r) > 3 * len(slow_r) > 0
    active = [t for t in slow_r if 110.0 <= t <= 260.0]
    assert all(b - a >= 30.0 - 1e-6 for a, b in itertools.pairwise(active))


def test_with_bridge_needs_a_cold_pipe() -> None:
    home = simulator.load_home("A")
    no_cold = replace(
        home, cold_pipes=(), fixtures=(replace(home.fixtures[0], valve=None, cold_sensor=None),)
    )
    assert no_cold.with_bridge("thermostatic") is no_cold
