"""The automatic strategies (keep-warm, predictive), the learning period and the goals table."""

from __future__ import annotations

from typing import ClassVar

import pytest

from bench.runner import Run, goals_table, learning_days, run_strategy
from bench.strategies import STRATEGIES
from bench.strategies.zcw_automatic import ZcwKeepWarm, ZcwPredictive, engine
from bench.strategy import TriggerPressed
import simulator

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
    assert set(run.engine) == {"hit_rate", "draws_7d", "preheats_per_day", "wasted_per_day"}


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
