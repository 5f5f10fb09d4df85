"""Return-line (with and without a junction valve) and drain topologies."""

from __future__ import annotations

import pytest

from custom_components.zero_cold_water.engine import (
    JUNCTION,
    Actuator,
    ActuatorReading,
    ActuatorState,
    CycleFinished,
    EndReason,
    Outcome,
    SetPump,
    SetValve,
    Start,
)

from .helpers import Rig, drain, of_type, return_line


def test_return_line_runs_the_pump_until_the_far_end_is_hot() -> None:
    rig = Rig(return_line("far"))
    rig.read("far", 20.0, 0.0)
    out = rig.send(Start(fixtures=("far",)), 1.0)
    assert of_type(out, SetPump) == [SetPump(on=True)]
    assert of_type(out, SetValve) == []
    out = rig.read("far", 42.0, 61.0)
    done = of_type(out, CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.READY, EndReason.THRESHOLD)
    assert done.figures.litres_moved == pytest.approx(6.0)
    assert SetPump(on=False) in out


def test_return_line_several_fixtures_pump_stops_with_the_last() -> None:
    rig = Rig(return_line("near", "far"))
    rig.send(Start(fixtures=("near", "far")), 0.0)
    assert of_type(rig.read("near", 41.0, 10.0), SetPump) == []
    assert rig.pump_on
    assert of_type(rig.read("far", 41.0, 20.0), SetPump) == [SetPump(on=False)]


def test_junction_valve_opens_first_and_closes_when_hot() -> None:
    rig = Rig(return_line("far", junction=True), confirm=False)
    out = rig.send(Start(fixtures=("far",)), 0.0)
    assert of_type(out, SetValve) == [SetValve(fixture=JUNCTION, open=True)]
    assert of_type(out, SetPump) == []
    out = rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture=JUNCTION, state=ActuatorReading.ON, at=3.0),
        3.0,
    )
    assert of_type(out, SetPump) == [SetPump(on=True)]
    rig.send(ActuatorState(actuator=Actuator.PUMP, state=ActuatorReading.ON, at=3.5), 3.5)
    out = rig.read("far", 45.0, 40.0)
    actuators = [c for c in out if isinstance(c, SetPump | SetValve)]
    assert actuators == [SetPump(on=False), SetValve(fixture=JUNCTION, open=False)]
    assert rig.c.snapshot().junction_open_commanded is False


def test_drain_opens_the_valve_and_never_a_pump() -> None:
    rig = Rig(drain("sink"))
    rig.read("sink", 18.0, 0.0)
    out = rig.send(Start(fixtures=("sink",)), 1.0)
    assert of_type(out, SetValve) == [SetValve(fixture="sink", open=True)]
    out = rig.read("sink", 41.0, 16.0)
    done = of_type(out, CycleFinished)[0]
    assert done.outcome is Outcome.READY
    assert done.figures.litres_moved == pytest.approx(2.0)  # 15 s at 8 L/min
    assert done.figures.pump_run_s == 0.0
    assert SetValve(fixture="sink", open=False) in out
    assert not [c for _, c in rig.log if isinstance(c, SetPump)]
    assert rig.c.snapshot().pump_run_24h_s == 0.0
