"""Run strategies on homes with the same draws, and format the figures as markdown tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
import math
import time

from bench.strategies import STRATEGIES
from simulator import Draw, DrawResult, Home, Result, SimConfig, Simulation, generate_draws
from simulator.control import Strategy


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """One strategy on one home: its result, or None where the strategy does not apply."""

    strategy: str
    result: Result | None
    wall_s: float = 0.0
    cpu_s: float = 0.0
    """CPU time of this process (a fairer speed figure on a busy machine than wall time)."""
    engine: Mapping[str, float | None] = field(default_factory=dict)
    """What the strategy itself reports at the end (``figures()``: the engine's statistics)."""


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
    people: Callable[[Home, float, int], list[Draw]] = generate_draws,
) -> Run:
    """Run the registered strategy ``name`` on ``home`` for ``days`` with seeded draws.

    ``people`` makes the draws (default: the home's people, ``simulator.generate_draws``).
    """
    registry = STRATEGIES if strategies is None else strategies
    cls = registry[name]
    if not applies(cls, home):
        return Run(strategy=name, result=None)
    draws = people(home, days, seed)
    learning_s = learning_days(cls) * 86400.0
    if learning_s > 0:
        # The learning period has draws of its own (another seed); the measured days that
        # follow have exactly the draws every other strategy gets.
        draws = people(home, learning_days(cls), seed + LEARNING_SEED_OFFSET) + [
            _shifted(d, learning_s) for d in draws
        ]
    if getattr(cls, "ignores_triggers", False):
        draws = [replace(d, trigger_at=None) for d in draws]
    fitted = home_for(cls, home)
    start = time.perf_counter()
    cpu = time.process_time()
    strategy = cls()
    sim = Simulation(
        fitted,
        strategy,
        draws,
        seed=seed,
        config=config,
        instant_actuators=bool(getattr(cls, "privileged", False)),
    )
    if learning_s > 0:
        sim.run_until(learning_s)
        sim.start_measuring()
    sim.run_until(learning_s + days * 86400.0)
    result = sim.finish()
    figures = dict(_figures(strategy))
    spans = getattr(strategy, "preheat_spans", None)
    if callable(spans):
        figures["wasted_preheats_per_day"] = wasted_preheats(
            spans(), result.draws, since=learning_s, days=days
        )
    return Run(
        strategy=name,
        result=result,
        wall_s=time.perf_counter() - start,
        cpu_s=time.process_time() - cpu,
        engine=figures,
    )


WASTE_WINDOW_S = 900.0
"""A pre-heat with no draw at its fixture from its start to this long after its end is wasted."""


def wasted_preheats(
    spans: Sequence[tuple[str, float, float]],
    draws: Sequence[DrawResult],
    *,
    since: float,
    days: float,
) -> float:
    """Pre-heats per day (from ``since``) after which nobody drew hot water at their fixture.

    ``spans``: (fixture, start, end of its last re-heat) of each pre-heat. The simulator's own
    count (``unused_cycles_per_day``) counts every cycle, so a pre-heat that re-heats to hold
    the water hot through a busy window counts once per re-heat there.
    """
    wasted = 0
    for fixture, start, end in spans:
        if start < since:
            continue
        if not any(
            d.fixture == fixture and start <= d.start <= end + WASTE_WINDOW_S for d in draws
        ):
            wasted += 1
    return wasted / days if days > 0 else math.nan


def _figures(strategy: Strategy) -> Mapping[str, float | None]:
    figures = getattr(strategy, "figures", None)
    return dict(figures()) if callable(figures) else {}


LEARNING_SEED_OFFSET = 1000
"""The learning period's draws come from ``seed + LEARNING_SEED_OFFSET``."""


def learning_days(cls: type[Strategy]) -> float:
    """Days a strategy learns before it is measured (``learning_days`` class attribute).

    Whole weeks keep the measured days on the same weekdays as everyone else's.
    """
    return float(getattr(cls, "learning_days", 0.0))


def _shifted(draw: Draw, by_s: float) -> Draw:
    return replace(
        draw,
        start=round(draw.start + by_s, 1),
        trigger_at=None if draw.trigger_at is None else round(draw.trigger_at + by_s, 1),
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


AUTOMATIC = ("zcw_predictive", "zcw_keep_warm")


def _share(value: float, of: float) -> str:
    return f"{100 * value / of:.0f} %" if of > 0 else "-"


def goals_table(runs_by_home: Mapping[str, Sequence[Run]]) -> str:
    """The automatic strategies against the automatic-cycles goals (markdown; "" if none ran).

    One row per home and strategy. Printed, never asserted.
    """
    head = (
        "| home | strategy | hot <= 5 s (goal >= 80 %) | wasted pre-heats/day (goal <= 2) "
        "| heat loss kWh/day | vs continuous (goal <= 40 %) | vs zcw_keep_warm (goal below) "
        "| engine: hit rate, pre-heats/day, wasted/day |"
    )
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---|"]
    rows = 0
    for home, runs in runs_by_home.items():
        by_name = {r.strategy: r for r in runs if r.result is not None}
        continuous = by_name.get("continuous")
        keep_warm = by_name.get("zcw_keep_warm")
        for name in AUTOMATIC:
            run = by_name.get(name)
            if run is None or run.result is None:
                continue
            s = run.result.summary
            loss = s.heat_loss_kwh_day
            vs_cont = (
                _share(loss, continuous.result.summary.heat_loss_kwh_day)
                if continuous is not None and continuous.result is not None
                else "n/a (no return line)"
            )
            vs_kw = (
                _share(loss, keep_warm.result.summary.heat_loss_kwh_day)
                if keep_warm is not None
                and keep_warm.result is not None
                and name != "zcw_keep_warm"
                else "-"
            )
            per_preheat = run.engine.get("wasted_preheats_per_day")
            wasted = (
                f"{_f(per_preheat, 1)} ({_f(s.unused_cycles_per_day, 1)} cycles)"
                if name == "zcw_predictive"
                else "-"
            )
            e = run.engine
            hit = e.get("hit_rate")
            engine = (
                f"{_f(None if hit is None else 100 * hit, 0)} %, "
                f"{_f(e.get('preheats_per_day'), 1)}, {_f(e.get('wasted_per_day'), 1)}"
                if name == "zcw_predictive"
                else f"{_f(None if hit is None else 100 * hit, 0)} %, -, -"
            )
            lines.append(
                f"| {home} | {name} | {100 * s.hot_within_5s:.0f} % | {wasted} "
                f"| {loss:.2f} | {vs_cont} | {vs_kw} | {engine} |"
            )
            rows += 1
    return "\n".join(lines) if rows else ""
