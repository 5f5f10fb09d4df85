"""Plots for docs/: the temperature along a pipe over a cycle, and strategies side by side.

matplotlib is imported lazily here only; the simulator itself does not need it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import math
from pathlib import Path
from typing import Any

from bench.runner import Run
from bench.strategies.baseline import Aquastat
from simulator import Draw, Home, Simulation


def _pyplot() -> Any:
    import matplotlib as mpl  # noqa: PLC0415 - heavy and optional: plots only

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    return plt


def cycle_profile(home: Home, path: Path, *, seed: int = 1) -> Path:
    """Plot the water temperature along the hot path over one aquastat cycle, and the sensor."""
    plt = _pyplot()
    far = home.farthest_fixture()
    trigger = 3600.0
    draw = Draw(fixture=far, start=trigger + 600.0, use_s=30.0, flow_lpm=8.0, trigger_at=trigger)
    sim = Simulation(home, Aquastat(), [draw], seed=seed)
    sim.run_until(trigger)
    snaps: list[tuple[float, list[tuple[float, float]]]] = []
    trace: list[tuple[float, float, float, float]] = []
    marks = {0.0, 10.0, 20.0, 30.0, 45.0, 60.0, 90.0}
    t = trigger
    while t < trigger + 150.0:
        if round(t - trigger, 3) in marks:
            snaps.append((t - trigger, sim.profile(far)))
        t += 1.0
        sim.run_until(t)
        trace.append(
            (
                t - trigger,
                sim.water_c_at(far),
                sim.sensor_true_c(far),
                1.0 if sim.pump_on() else 0.0,
            )
        )
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for dt, prof in snaps:
        ax1.plot([p[0] for p in prof], [p[1] for p in prof], label=f"{dt:.0f} s")
    ax1.set_xlabel(f"distance from the heater along the hot pipe to '{far}' (m)")
    ax1.set_ylabel("water temperature (C)")
    ax1.set_title(f"Home {home.name}: hot pipe over a cycle (after the trigger)")
    ax1.legend(fontsize=8)
    ax1.grid(alpha=0.3)
    ax2.plot([x[0] for x in trace], [x[1] for x in trace], label="water at the fixture")
    ax2.plot([x[0] for x in trace], [x[2] for x in trace], label="strap-on sensor (true)")
    lo = min(x[1] for x in trace)
    hi = max(x[1] for x in trace)
    ax2.fill_between(
        [x[0] for x in trace],
        lo,
        [lo + (hi - lo) * 0.1 * x[3] for x in trace],
        alpha=0.3,
        label="pump on",
    )
    ax2.axhline(home.fixture(far).target_c, color="grey", ls=":", lw=1)
    ax2.set_xlabel("seconds after the trigger")
    ax2.set_ylabel("C")
    ax2.set_title("aquastat: the sensor's lag is the overshoot")
    ax2.legend(fontsize=8)
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


_METRICS: tuple[tuple[str, str], ...] = (
    ("wait_median_s", "wait median (s)"),
    ("wait_p95_s", "wait p95 (s)"),
    ("wasted_l_per_draw", "to drain (L/draw)"),
    ("heat_loss_kwh_day", "pipe heat loss (kWh/day)"),
    ("cold_push_l_per_cycle", ">35 C into cold line (L/cycle)"),
)


def strategies_side_by_side(runs_by_home: Mapping[str, Sequence[Run]], path: Path) -> Path:
    """Bar charts: one row per home, one column per key figure, one bar per strategy."""
    plt = _pyplot()
    homes = list(runs_by_home)
    fig, axes = plt.subplots(
        len(homes), len(_METRICS), figsize=(3.2 * len(_METRICS), 2.6 * len(homes)), squeeze=False
    )
    for row, home in enumerate(homes):
        runs = [r for r in runs_by_home[home] if r.result is not None]
        names = [r.strategy for r in runs]
        for col, (attr, label) in enumerate(_METRICS):
            ax = axes[row][col]
            vals = []
            for r in runs:
                assert r.result is not None  # noqa: S101 - filtered above
                v = float(getattr(r.result.summary, attr))
                vals.append(0.0 if math.isnan(v) else v)
            ax.barh(names, vals, color="tab:blue")
            if not any(vals):
                ax.text(0.5, 0.5, "n/a", transform=ax.transAxes, ha="center", color="grey")
            ax.invert_yaxis()
            ax.tick_params(labelsize=7)
            if row == 0:
                ax.set_title(label, fontsize=9)
            if col == 0:
                ax.set_ylabel(f"home {home}")
            else:
                ax.set_yticklabels([])
            ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
