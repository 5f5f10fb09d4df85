"""The automatic strategies (keep-warm, predictive), the learning period and the goals table."""

from __future__ import annotations

import math
from typing import ClassVar

import pytest

from bench.runner import Run, goals_table, learning_days, run_strategy
from bench.strategies import STRATEGIES
from bench.strategies.zcw_automatic import ZcwKeepWarm, ZcwPredictive, group_preheats
from custom_components.zero_cold_water import engine
import simulator
from simulator.control import TriggerPressed

DAY_S = 86400.0


class ShortPredictive(ZcwPredictive):
    """Predictive with one learning day (fast)."""

    learning_days: ClassVar[float] = 1.0


def test_registered_and_unannounced() -> None:
    assert STRATEGIES["zcw_predictive"] is ZcwPredictive
    assert STRATEGIES["zcw_keep_warm"] is ZcwKeepWarm
    assert learning_days(ZcwPredictive) == 14.0
    assert learning_days(ZcwKeepWarm) == 0.0
    assert ZcwPredictive.ignores_triggers
    strategy = ZcwPredictive()
    home = simulator.load_home("A")
    strategy.start(home.info(), 0.0)
    assert strategy.observe(TriggerPressed(fixture="basin", at=1.0)) == []
    assert strategy.controller.mode is engine.Mode.PREDICTIVE


def test_the_learning_period_is_not_measured() -> None:
    home = simulator.load_home("A")
    run = run_strategy(home, "p", days=0.5, seed=3, strategies={"p": ShortPredictive})
    assert run.result is not None
    assert run.result.duration_s == pytest.approx(0.5 * DAY_S)
    measured = [d for d in simulator.generate_draws(home, 0.5, 3) if not d.cold]
    assert [round(d.start - DAY_S, 1) for d in run.result.draws] == [d.start for d in measured]
    assert not any(d.triggered for d in run.result.draws)
    assert set(run.engine) == {
        "hit_rate",
        "draws_7d",
        "preheats_per_day",
        "wasted_per_day",
        "wasted_preheats_per_day",
    }


def test_keep_warm_follows_its_schedule() -> None:
    strategy = ZcwKeepWarm()
    home = simulator.load_home("A")
    strategy.start(home.info(), 0.0)
    assert strategy.controller.snapshot().schedule_active is False  # 00:00
    assert strategy.next_wakeup() == 6 * 3600.0
    strategy.wakeup(6 * 3600.0)
    assert strategy.controller.snapshot().schedule_active is True
    assert strategy.next_wakeup() is not None
    run = run_strategy(home, "zcw_keep_warm", days=1.0, seed=2)
    assert run.result is not None
    starts = [c.start % DAY_S for c in run.result.cycles]
    assert starts
    assert all(6 * 3600.0 - 1 <= t <= 23 * 3600.0 + 60 for t in starts)


def test_goals_table() -> None:
    home = simulator.load_home("A")
    runs = [
        run_strategy(home, "p", days=0.25, seed=1, strategies={"p": ShortPredictive}),
        run_strategy(home, "zcw_keep_warm", days=0.25, seed=1),
    ]
    runs = [
        Run(strategy="zcw_predictive", result=runs[0].result, engine=runs[0].engine),
        runs[1],
    ]
    table = goals_table({"A": runs})
    assert "| A | zcw_predictive |" in table
    assert "| A | zcw_keep_warm |" in table
    assert "n/a (no return line)" in table
    assert goals_table({"A": [Run(strategy="none", result=None)]}) == ""


def test_routine_household(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.cli import main
    from bench.routine import JITTER_S, routine_draws

    home = simulator.load_home("B")
    draws = routine_draws(home, 2.0, 1)
    kitchen = [d.start % DAY_S for d in draws if d.fixture == "kitchen"]
    assert len(kitchen) == 6
    assert all(abs(t - 7.75 * 3600) <= JITTER_S for t in kitchen[::3])
    args = ["--routine", "--homes", "A", "--days", "0.5", "--strategies", "none", "zcw_keep_warm"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "### Home A with a routine" in out
    assert "| A | zcw_keep_warm |" in out


def _draw(fixture: str, start: float) -> simulator.DrawResult:
    return simulator.DrawResult(
        fixture=fixture,
        start=start,
        triggered=False,
        lead_s=None,
        wait_s=1.0,
        wasted_l=0.0,
        end=start + 30.0,
    )


def test_wasted_preheats_count_each_preheat_once() -> None:
    from bench.runner import wasted_preheats

    spans = [
        ("basin", 50.0, 60.0),  # before the measured period
        ("basin", 100.0, 3000.0),  # re-heated until 3000; a draw 10 min after: used
        ("basin", 5000.0, 5100.0),  # the next draw is at another fixture: wasted
        ("kitchen", 9000.0, 9000.0),  # no draw within 15 min of its end: wasted
    ]
    draws = [_draw("basin", 3600.0), _draw("kitchen", 5200.0), _draw("kitchen", 10000.0)]
    assert wasted_preheats(spans, draws, since=100.0, days=2.0) == pytest.approx(1.0)
    assert math.isnan(wasted_preheats([], draws, since=0.0, days=0.0))


def test_preheat_spans_group_reheats() -> None:
    preheats = (
        engine.PreheatRecord(at=100.0, fixture="basin"),
        engine.PreheatRecord(at=1000.0, fixture="basin"),
    )

    def finished(at: float, trigger: engine.TriggerReason) -> tuple[float, engine.Command]:
        figures = engine.CycleFigures(
            trigger=trigger,
            started_at=at - 10.0,
            ended_at=at,
            end_reason=engine.EndReason.PREDICTED,
            arrival_basis=engine.ArrivalBasis.SENSOR,
            time_to_hot_s=10.0,
            pump_run_s=10.0,
            litres_moved=1.0,
            heat_moved_kwh=0.0,
            start_c=20.0,
            peak_c=40.0,
            transit_l=None,
        )
        return at, engine.CycleFinished(
            fixture="basin", outcome=engine.Outcome.READY, figures=figures
        )

    log = [
        finished(120.0, engine.TriggerReason.PREDICTION),
        finished(400.0, engine.TriggerReason.PREDICTION),
        finished(500.0, engine.TriggerReason.REMOTE),
    ]
    assert group_preheats(preheats, log) == [("basin", 100.0, 400.0), ("basin", 1000.0, 1000.0)]
