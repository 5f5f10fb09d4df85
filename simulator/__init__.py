"""A physical simulator of a home's hot-water pipes for recirculation control (零冷水).

Pure Python, no Home Assistant. Typical use::

    import simulator
    home = simulator.load_home("B")                 # or a path to any home file
    draws = simulator.generate_draws(home, days=7, seed=1)
    result = simulator.run(home, my_strategy, draws=draws, duration_s=7 * 86400, seed=1)
    result.summary.wait_median_s, result.summary.cold_line_peak_c, result.series[-1]

``my_strategy`` implements ``simulator.control.Strategy``: it sees only sensor reports, actuator
reports, remote presses and the clock, and answers with the actuator states it wants (``Want``). A
strategy with ``privileged = True`` (the oracle) gets ``attach(sim)`` with the ``Simulation``
before start and its wants are met at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .control import Strategy
from .home import (
    BridgeKind,
    FixtureSpec,
    HeaterSpec,
    Home,
    HomeError,
    PeopleSpec,
    PipeSpec,
    PumpSpec,
    SensorSpec,
    ValveSpec,
)
from .homefile import home_from_dict, home_names, load_home
from .people import Draw, generate_draws
from .pipes import PIPE_KINDS, RHO_C, Pipe, PipeKind
from .random_home import random_home
from .results import (
    CycleResult,
    DrawResult,
    EnergyBalance,
    Result,
    SafetySample,
    Summary,
)
from .sensors import Sensor
from .simulation import SimConfig, Simulation

__all__ = [
    "PIPE_KINDS",
    "RHO_C",
    "BridgeKind",
    "CycleResult",
    "Draw",
    "DrawResult",
    "EnergyBalance",
    "FixtureSpec",
    "HeaterSpec",
    "Home",
    "HomeError",
    "PeopleSpec",
    "Pipe",
    "PipeKind",
    "PipeSpec",
    "PumpSpec",
    "Result",
    "SafetySample",
    "Sensor",
    "SensorSpec",
    "SimConfig",
    "Simulation",
    "Summary",
    "ValveSpec",
    "generate_draws",
    "home_from_dict",
    "home_names",
    "load_home",
    "random_home",
    "run",
]


def run(
    home: Home | str | Path,
    strategy: Strategy,
    draws: Sequence[Draw] | None = None,
    duration_s: float = 86400.0,
    seed: int = 0,
    *,
    config: SimConfig | None = None,
) -> Result:
    """Simulate ``home`` under ``strategy`` for ``duration_s`` seconds and return the figures.

    Args:
        home: a ``Home``, a shipped home's name ("A", "B", "C") or a home file's path.
        strategy: a fresh ``simulator.control.Strategy`` instance (one instance per run).
        draws: the people's draws; None generates them from ``seed`` over the duration.
        duration_s: simulated time; the run starts at local midnight on a Monday.
        seed: seeds actuator latencies, sensor noise and (if ``draws`` is None) the people.
        config: numerical and measurement settings.

    The home is simulated as given: a strategy that assumes a passive bridge (``bridge`` class
    attribute "check_valve" or "thermostatic") should be run on ``home.with_bridge(kind)``;
    ``bench.runner`` does that.
    """
    if not isinstance(home, Home):
        home = load_home(home)
    if draws is None:
        draws = generate_draws(home, duration_s / 86400.0, seed)
    sim = Simulation(
        home,
        strategy,
        draws,
        seed=seed,
        config=config,
        instant_actuators=bool(getattr(strategy, "privileged", False)),
    )
    sim.run_until(duration_s)
    return sim.finish()
