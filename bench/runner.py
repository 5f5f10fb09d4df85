"""Run strategies on homes with the same draws, and format the figures as markdown tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import math
import time

from bench.strategies import STRATEGIES
from bench.strategy import Strategy
from simulator import Home, Result, SimConfig, Simulation, generate_draws


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """One strategy on one home: its result, or None where the strategy does not apply."""

    strategy: str
    result: Result | None
    wall_s: float = 0.0
    cpu_s: float = 0.0
    """CPU time of this process (a fairer speed figure on a busy machine than wall time)."""


def applies(cls: type[Strategy], home: Home) -> bool:
    """Whether ``cls`` can run in ``home`` (its ``topologies`` class attribute, default all)."""
    topologies: frozenset[str] | None = getattr(cls, "topologies", None)
    return topologies is None or home.topology in topologies


def home_for(cls: type[Strategy], home: Home) -> Home:
    """``home`` fitted with the bridge hardware ``cls`` assumes (``bridge`` class attribute)."""
    bridge = getattr(cls, "bridge", "solenoid")
    if bridge == "check_valve":
        return home.with_bridge("check_valve")
    if bridge == "thermostatic":
        return home.with_bridge("thermostatic")
    return home


def run_strategy(
    home: Home,
    name: str,
    *,
    days: float,
    seed: int,
    strategies: Mapping[str, type[Strategy]] | None = None,
    config: SimConfig | None = None,
) -> Run:
    """Run the registered strategy ``name`` on ``home`` for ``days`` with seeded draws."""
    registry = STRATEGIES if strategies is None else strategies
    cls = registry[name]
    if not applies(cls, home):
        return Run(strategy=name, result=None)
    draws = generate_draws(home, days, seed)
    fitted = home_for(cls, home)
    start = time.perf_counter()
    cpu = time.process_time()
    sim = Simulation(
        fitted,
        cls(),
        draws,
        seed=seed,
        config=config,
        instant_actuators=bool(getattr(cls, "privileged", False)),
    )
    sim.run_until(days * 86400.0)
    result = sim.finish()
    return Run(
        strategy=name,
        result=result,
        wall_s=time.perf_counter() - start,
        cpu_s=time.process_time() - cpu,
    )


def run_home(
    home: Home,
    names: Sequence[str] | None = None,
    *,
    days: float = 7.0,
    seed: int = 1,
    strategies: Mapping[str, type[Strategy]] | None = None,
) -> list[Run]:
    """Run every strategy (or ``names``) on ``home``."""
    registry = STRATEGIES if strategies is None else strategies
    chosen = list(registry) if names is None else list(names)
    return [run_strategy(home, n, days=days, seed=seed, strategies=registry) for n in chosen]


COLUMNS: tuple[tuple[str, str], ...] = (
    ("strategy", ""),
    ("wait median", "s"),
    ("wait p95", "s"),
    ("hot <= 5 s", "%"),
    ("to drain", "L/draw"),
    (">35 C into cold line", "L/cycle"),
    ("overshoot", "L/cycle"),
    ("cold-line peak", "C"),
    ("RO inlet peak", "C"),
    ("pipe heat loss", "kWh/day"),
    ("pump", "Wh/day"),
    ("ignitions", "/cycle"),
    ("ignitions", "/day"),
    ("cycles", "/day"),
    ("dead-head", "s"),
)


def _f(value: float | None, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def table_row(run: Run, *, cold_line: bool = True) -> list[str]:
    """One markdown row of figures for ``run`` ("n/a" where the strategy does not apply).

    With ``cold_line`` False (no cold line in the circulation) the cold-line columns read "-".
    """
    if run.result is None:
        return [run.strategy, *(["n/a"] * (len(COLUMNS) - 1))]
    r = run.result
    s = r.summary
    days = r.duration_s / 86400.0
    cold = cold_line
    return [
        run.strategy,
        _f(s.wait_median_s, 1),
        _f(s.wait_p95_s, 1),
        _f(100.0 * s.hot_within_5s, 0),
        _f(s.wasted_l_per_draw, 2),
        _f(s.cold_push_l_per_cycle, 2) if cold else "-",
        _f(s.overshoot_l_per_cycle, 2),
        _f(s.cold_line_peak_c, 1) if cold else "-",
        _f(s.ro_inlet_peak_c, 1),
        _f(s.heat_loss_kwh_day, 2),
        _f(s.pump_wh_day, 0),
        _f(s.ignitions_per_cycle, 2),
        _f(s.ignitions_per_day, 1),
        _f(s.cycles / days, 1),
        _f(s.deadhead_s, 0),
    ]


def markdown_table(runs: Sequence[Run], *, cold_line: bool = True) -> str:
    """The figures of ``runs`` as a markdown table."""
    head = [f"{name} ({unit})" if unit else name for name, unit in COLUMNS]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|",
    ]
    lines.extend("| " + " | ".join(table_row(r, cold_line=cold_line)) + " |" for r in runs)
    return "\n".join(lines)


def home_heading(home: Home, runs: Sequence[Run]) -> str:
    """A heading line with the home's figures and the number of draws."""
    draws = next((r.result.summary.draws for r in runs if r.result is not None), 0)
    far = home.farthest_fixture()
    return (
        f"### Home {home.name}: {home.description}\n\n"
        f"{home.topology}, {len(home.fixtures)} fixture(s), {home.hot_volume_l(far):.2f} L to the "
        f"farthest ({far}), room {home.room_c:g} C, mains {home.mains_c:g} C, heater "
        f"{home.heater.setpoint_c:g} C; {draws} draws."
    )
