"""Closed loop: the engine (through the benchmark adapter) in simulated random homes.

Random homes within physics.md's ranges (``simulator.random_home``), a simulated day of draws and
remote presses each, real actuator latencies and lagging, quantised, report-on-change sensors.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings, strategies as st

from bench.strategies.zcw_on_demand import ZcwOnDemand
from custom_components.zero_cold_water import engine
from simulator import Home, Result, Simulation, generate_draws, load_home, random_home
from simulator.control import Observation, Topology, Want

from .helpers import profile

LITRES_PER_LAG = 50.0 / 60.0
"""A 40 s-lag sensor is 63 % there after ~45 s: per L/min of pump flow, at most this many litres."""


class Checked(ZcwOnDemand):
    """The adapter, with the engine's safety rules checked after every step."""

    def observe(self, obs: Observation) -> Sequence[Want]:
        out = super().observe(obs)
        assert self.controller.safety_violations() == []
        return out

    def wakeup(self, now: float) -> Sequence[Want]:
        out = super().wakeup(now)
        assert self.controller.safety_violations() == []
        return out


def simulate(seed: int, topology: Topology | None = None) -> tuple[Home, Checked, Result]:
    home = random_home(seed, topology=topology)
    strategy = Checked()
    sim = Simulation(home, strategy, generate_draws(home, 1.0, seed), seed=seed)
    sim.run_until(86_400.0)
    return home, strategy, sim.finish()


def finished(strategy: Checked) -> list[engine.CycleFinished]:
    return [c for _, c in strategy.log if isinstance(c, engine.CycleFinished)]


@settings(profile(), max_examples=12)
@given(seed=st.integers(0, 10_000))
def test_random_homes_no_dead_heading_and_bounded_cycles(seed: int) -> None:
    home, strategy, result = simulate(seed)
    assert not any(sample.deadheading for sample in result.series)
    assert result.summary.deadhead_s == 0.0
    del home
    max_run = strategy.controller.settings.max_run_s
    for done in finished(strategy):
        assert done.figures.ended_at - done.figures.started_at <= max_run + 1e-6
    # the pump (or drain valve) runs no longer than a cycle plus the hardware's latency
    assert result.summary.max_cycle_s <= max_run + 10.0
    assert result.ignored_commands == 0


@settings(profile(), max_examples=12)
@given(seed=st.integers(0, 10_000))
def test_random_cold_line_homes_stop_within_one_sensor_lag_of_hot_water(seed: int) -> None:
    """Hot water (>= 40 C, above the cold-line limit) pushed into the cold line per cycle stays
    within one sensor lag's worth of pump flow.

    The strict "never above the limit + 1 K" cannot be held with a 40 s-lag strap-on sensor when
    a shared trunk is already hot from another fixture's draw (even the oracle's push shows a
    peak above it in the simulator); what the engine does guarantee is that it stops within the
    sensor's lag of the hot water's arrival, unlike a timer or a plain thermostat.
    """
    _, strategy, result = simulate(seed, "cold_line")
    flow = strategy.controller.settings.pump_flow_lpm or 0.0
    for cycle in result.cycles:
        assert cycle.overshoot_l <= flow * LITRES_PER_LAG


def test_reference_home_a_learns_and_stays_safe() -> None:
    home = load_home("A")
    strategy = Checked()
    sim = Simulation(home, strategy, generate_draws(home, 2.0, 1), seed=1)
    sim.run_until(2 * 86_400.0)
    result = sim.finish()
    day2 = [c for c in result.cycles if c.start >= 86_400.0]
    assert day2
    assert sum(c.cold_push_l for c in day2) / len(day2) <= 0.5  # regression guard
    assert all(not s.deadheading for s in result.series)
    assert strategy.controller.learned.totals.cycles >= len(day2)
