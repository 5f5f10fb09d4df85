"""The benchmarked strategies behave as their real-world counterparts, on shared 1-day runs."""

from __future__ import annotations

import pytest

from bench.runner import Run, run_strategy
from bench.strategies import STRATEGIES
from bench.strategies.baseline import Timer
from bench.strategies.driver import CycleDriver
import simulator
from simulator.control import (
    PUMP,
    ActuatorReport,
    FixtureInfo,
    HomeInfo,
    SensorReport,
    TriggerPressed,
    Want,
    valve,
)

_RUNS: dict[tuple[str, str], Run] = {}
BASELINES = (
    "none",
    "timer",
    "continuous",
    "check_valve_timer",
    "thermostatic_timer",
    "aquastat",
    "cruise",
)


def _run(home: str, strategy: str) -> Run:
    key = (home, strategy)
    if key not in _RUNS:
        _RUNS[key] = run_strategy(simulator.load_home(home), strategy, days=1.0, seed=2)
    return _RUNS[key]


def _summary(home: str, strategy: str) -> simulator.Summary:
    result = _run(home, strategy).result
    assert result is not None
    return result.summary


def test_registry_names_match() -> None:
    for name, cls in STRATEGIES.items():
        assert cls.name == name
    assert {"none", "timer", "continuous", "check_valve_timer", "thermostatic_timer"} <= set(
        STRATEGIES
    )
    assert {"aquastat", "cruise", "oracle"} <= set(STRATEGIES)


@pytest.mark.parametrize(
    ("home", "strategy"),
    [
        ("A", "continuous"),
        ("B", "continuous"),
        ("C", "check_valve_timer"),
        ("C", "thermostatic_timer"),
    ],
)
def test_not_applicable(home: str, strategy: str) -> None:
    assert _run(home, strategy).result is None


@pytest.mark.parametrize("home", ["A", "B", "C"])
def test_none_waits_at_the_tap(home: str) -> None:
    s = _summary(home, "none")
    assert s.cycles == 0
    assert s.pump_wh_day == 0.0
    assert s.wait_median_s > 5.0
    assert s.wasted_l_per_draw > 0.5


@pytest.mark.parametrize("home", ["A", "B", "C"])
def test_oracle_is_the_limit(home: str) -> None:
    oracle = _summary(home, "oracle")
    assert oracle.hot_within_5s >= 0.95
    assert oracle.cycles <= oracle.draws  # one cycle at most per (hot) draw
    assert oracle.unused_cycles_per_day == 0.0  # it never heats for nobody
    if home != "C":
        assert _summary(home, "cruise").unused_cycles_per_day > 5.0
    for name in BASELINES:
        if _run(home, name).result is None:
            continue
        other = _summary(home, name)
        if name != "continuous":
            assert oracle.hot_within_5s >= other.hot_within_5s, name
            if other.cycles:
                assert oracle.overshoot_l_per_cycle <= other.overshoot_l_per_cycle + 0.05, name
    assert oracle.wasted_l_per_draw < 0.3 * _summary(home, "none").wasted_l_per_draw


@pytest.mark.parametrize("home", ["A", "B"])
def test_solenoid_strategies_never_deadhead(home: str) -> None:
    for name in ("timer", "aquastat", "cruise", "oracle"):
        s = _summary(home, name)
        assert s.deadhead_s == 0.0, name
        assert s.cycles > 0, name


def test_timer_runs_its_fixed_time() -> None:
    result = _run("A", "timer").result
    assert result is not None
    durations = [c.duration_s for c in result.cycles]
    assert durations
    # a cycle is a pump run: 60 s, give or take the pump's command latency (0.3-1 s)
    assert all(59.0 <= d <= 61.0 for d in durations)


def test_aquastat_overshoots_by_the_sensor_lag() -> None:
    s = _summary("A", "aquastat")
    # ~40 s of PPR sensor lag at 6 L/min: litres of hot water into the cold line
    assert s.overshoot_l_per_cycle > 2.0
    assert s.cold_line_peak_c > 45.0
    assert s.overshoot_l_per_cycle > 10 * _summary("A", "oracle").overshoot_l_per_cycle


def test_thermostatic_bridge_pushes_less_than_a_plain_check_valve() -> None:
    plain = _summary("B", "check_valve_timer")
    thermo = _summary("B", "thermostatic_timer")
    assert thermo.cold_push_l_per_cycle < 0.5 * plain.cold_push_l_per_cycle
    assert thermo.deadhead_s > 0.0  # the valve closes while the timer still runs the pump
    assert plain.deadhead_s == 0.0


def test_cruise_keeps_warm_inside_its_window_only() -> None:
    result = _run("B", "cruise").result
    assert result is not None
    assert len(result.cycles) > 20
    for c in result.cycles:
        tod = c.start % 86400
        assert 6 * 3600 <= tod <= 23 * 3600
    assert result.summary.heat_loss_kwh_day > 1.5 * _summary("B", "none").heat_loss_kwh_day


def test_continuous_pump_on_the_return_line() -> None:
    s = _summary("C", "continuous")
    assert s.pump_wh_day == pytest.approx(600.0, rel=0.01)
    assert s.hot_within_5s > 0.9
    assert s.heat_loss_kwh_day > 2.0 * _summary("C", "none").heat_loss_kwh_day


def _home(topology: str = "cold_line", *, valves: bool = True) -> HomeInfo:
    fixtures = tuple(
        FixtureInfo(
            name=n,
            has_pipe_sensor=True,
            has_cold_sensor=False,
            has_valve=valves,
            tap_flow_lpm=8.0,
            target_c=40.0,
            cold_line_limit_c=38.0,
            configured_volume_l=v,
        )
        for n, v in (("near", 1.0), ("far", 3.0))
    )
    return HomeInfo(
        name="t",
        topology=topology,  # type: ignore[arg-type]
        fixtures=fixtures,
        pump_flow_lpm=None if topology == "drain" else 6.0,
        heater_setpoint_c=50.0,
    )


def test_cycle_driver_orders_valve_and_pump() -> None:
    t = Timer()
    t.start(_home(), 0.0)
    assert t.observe(TriggerPressed(fixture="near", at=10.0)) == [
        Want(actuator=valve("near"), on=True)
    ]
    assert t.observe(TriggerPressed(fixture="far", at=11.0)) == []  # one cycle at a time
    assert t.observe(ActuatorReport(actuator="valve:near", on=True, at=13.0)) == [
        Want(actuator=PUMP, on=True)
    ]
    assert t.next_wakeup() == pytest.approx(73.0)
    assert t.wakeup(73.0) == [Want(actuator=PUMP, on=False)]
    assert t.observe(ActuatorReport(actuator="pump", on=False, at=74.0)) == [
        Want(actuator=valve("near"), on=False)
    ]
    assert t.phase == "idle"
    assert t.wakeup(80.0) == []
    assert t.observe(SensorReport(sensor="near", celsius=30.0, at=81.0)) == []


def test_cycle_driver_drain_and_return_line() -> None:
    t = Timer()
    t.start(_home("drain"), 0.0)
    assert t.observe(TriggerPressed(fixture="far", at=1.0)) == [
        Want(actuator=valve("far"), on=True)
    ]
    assert t.observe(ActuatorReport(actuator="valve:far", on=True, at=3.0)) == []
    assert t.wakeup(t.next_wakeup() or 0.0) == [Want(actuator=valve("far"), on=False)]
    r = Timer()
    r.start(_home("return_line", valves=False), 0.0)
    assert r.observe(TriggerPressed(fixture="near", at=1.0)) == [Want(actuator=PUMP, on=True)]
    assert r.target == "far"  # the loop's far end is what must get hot
    assert r.end() == [Want(actuator=PUMP, on=False)]
    assert r.end() == []


def test_cycle_driver_stop_while_opening_and_fallback_fixture() -> None:
    t = CycleDriver()
    with pytest.raises(RuntimeError):
        _ = t.info
    t.start(_home(valves=False), 0.0)
    assert t.circuit_for("near") == "far"
    assert t.begin("far") == [Want(actuator=PUMP, on=True)]
    v = CycleDriver()
    v.start(_home(), 0.0)
    assert v.begin("near") == [Want(actuator=valve("near"), on=True)]
    assert v.end() == [Want(actuator=valve("near"), on=False)]
    assert v.observe(TriggerPressed(fixture="near", at=1.0)) == []
    assert v.wakeup(5.0) == []


@pytest.mark.parametrize("name", [*BASELINES, "oracle"])
@pytest.mark.parametrize("seed", [3, 8, 21])
def test_every_strategy_runs_on_random_homes(name: str, seed: int) -> None:
    """No crash, conservation holds, and the solenoid strategies never dead-head."""
    home = simulator.random_home(seed)
    run = run_strategy(home, name, days=0.4, seed=seed)
    if run.result is None:
        assert home.topology not in getattr(STRATEGIES[name], "topologies", {home.topology})
        return
    e = run.result.energy
    assert e.mains_in_l == pytest.approx(e.delivered_l, abs=1e-6)
    assert abs(e.residual_j) <= 0.01 * max(e.heater_in_j, 1.0)
    if name in ("timer", "aquastat", "cruise", "oracle"):
        assert run.result.summary.deadhead_s == 0.0
