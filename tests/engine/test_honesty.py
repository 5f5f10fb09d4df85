"""Outcomes that tell the truth: no heat, unconfirmed stops, noise, lukewarm loops, draws."""

from __future__ import annotations

import pytest

from custom_components.zero_cold_water.engine import (
    CycleFinished,
    DrawObserved,
    EndReason,
    Fault,
    FaultKind,
    FixtureLearning,
    FixtureSettings,
    FixtureState,
    InstallationSettings,
    LearnedData,
    Outcome,
    Shutdown,
    Start,
    Topology,
)

from .helpers import Rig, cold_line, of_type, return_line


def test_a_pipe_that_never_warms_ends_no_heat_and_twice_raises_a_fault() -> None:
    rig = Rig(cold_line("a", max_run_s=60.0))
    faults: list[Fault] = []
    for start in (0.0, 200.0):
        rig.read("a", 18.0, start)
        rig.send(Start(fixtures=("a",)), start + 1.0)
        out = rig.run_until(start + 100.0)
        done = of_type(out, CycleFinished)
        assert [(d.outcome, d.figures.end_reason) for d in done] == [
            (Outcome.NO_HEAT, EndReason.MAX_RUN_TIME)
        ]
        faults += of_type(out, Fault)
    assert faults == [Fault(kind=FaultKind.NO_HEAT, detail="a")]
    assert rig.c.learned.fixture("a").transit_l is None  # a failed cycle teaches nothing


def test_a_bump_of_noise_is_neither_hot_water_nor_a_transit() -> None:
    """A 2 C bump after 0.3 L on a fixture with no volume configured: not the pipe volume."""
    rig = Rig(cold_line("a"))
    rig.read("a", 20.0, 0.0)
    rig.send(Start(fixtures=("a",)), 0.0)
    rig.read("a", 20.2, 2.0)
    rig.read("a", 22.0, 3.0)  # the bump: onset, the cycle stops
    assert rig.c.snapshot().fixtures["a"].state is FixtureState.CONFIRMING
    assert not rig.c.snapshot().fixtures["a"].hot
    rig.read("a", 20.1, 10.0)
    done = of_type(rig.run_until(300.0), CycleFinished)
    assert [d.outcome for d in done] == [Outcome.NOT_CONFIRMED]
    assert rig.c.learned.fixture("a").transit_samples == ()


def test_lukewarm_loop_water_is_not_the_front() -> None:
    """A return loop at 34 C: a 1-2 K rise after a quarter of the learned loop is loop water."""
    far = FixtureSettings(name="far", has_valve=False)
    settings = InstallationSettings(
        topology=Topology.RETURN_LINE, fixtures=(far,), pump_flow_lpm=6.0
    )
    learned = LearnedData(fixtures={"far": FixtureLearning(transit_samples=(7.0,) * 3)})
    rig = Rig(settings, learned=learned)
    rig.read("far", 34.0, 0.0)
    rig.send(Start(fixtures=("far",)), 0.0)
    rig.read("far", 34.3, 10.0)
    assert of_type(rig.read("far", 35.8, 18.0), CycleFinished) == []  # 1.8 L of 7 L
    assert rig.pump_on
    rig.read("far", 34.4, 30.0)
    rig.read("far", 35.6, 70.0)  # 7 L: the front
    assert not rig.pump_on


def test_a_draw_at_the_fixture_stops_its_cycle() -> None:
    basin = FixtureSettings(name="basin", cold_line_limit_c=45.0, has_draw_sensor=True)
    settings = InstallationSettings(
        topology=Topology.COLD_LINE, fixtures=(basin,), pump_flow_lpm=6.0
    )
    rig = Rig(settings)
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 0.0)
    assert rig.pump_on
    out = rig.send(DrawObserved(fixture="basin", at=5.0), 5.0)
    done = of_type(out, CycleFinished)
    assert [(d.outcome, d.figures.end_reason) for d in done] == [(Outcome.STOPPED, EndReason.DRAW)]
    assert not rig.pump_on
    assert rig.valves["basin"] is False


def test_a_stop_awaiting_confirmation_is_settled_at_shutdown() -> None:
    rig = Rig(
        return_line("far"),
        learned=LearnedData(fixtures={"far": FixtureLearning(transit_samples=(2.0,))}),
    )
    rig.read("far", 20.0, 0.0)
    rig.send(Start(fixtures=("far",)), 1.0)
    rig.run_until(20.0)
    assert rig.c.snapshot().fixtures["far"].state is FixtureState.CONFIRMING
    done = of_type(rig.send(Shutdown(), 21.0), CycleFinished)
    assert [(d.outcome, d.figures.end_reason) for d in done] == [
        (Outcome.READY, EndReason.PREDICTED)
    ]
    assert done[0].figures.ended_at == pytest.approx(13.0)
