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
    FixtureSettings,
    InstallationSettings,
    Outcome,
    SetPump,
    SetValve,
    Start,
    Topology,
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


def test_drain_gives_up_after_three_pipe_volumes_without_hot_water() -> None:
    """A heater that does not deliver: no rise at all, ``no_heat``, and no more water wasted."""
    sink = FixtureSettings(name="sink", tap_flow_lpm=8.0, configured_volume_l=1.0)
    rig = Rig(InstallationSettings(topology=Topology.DRAIN, fixtures=(sink,)))
    rig.read("sink", 30.0, 0.0)
    rig.send(Start(fixtures=("sink",)), 1.0)
    done = of_type(rig.run_until(300.0), CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.NO_HEAT, EndReason.VOLUME_LIMIT)
    assert done.figures.litres_moved == pytest.approx(3.0)
    assert rig.valves["sink"] is False


def test_a_sensor_that_stops_below_the_target_is_not_taken_for_hot() -> None:
    """A rise that goes no further than its onset (a sensor stuck below the band) is not hot."""
    sink = FixtureSettings(name="sink", tap_flow_lpm=8.0, configured_volume_l=1.0)
    rig = Rig(InstallationSettings(topology=Topology.DRAIN, fixtures=(sink,)))
    rig.read("sink", 30.0, 0.0)
    rig.send(Start(fixtures=("sink",)), 1.0)
    rig.read("sink", 38.0, 15.0)
    assert rig.valves["sink"] is False  # the onset: the front looked near
    rig.read("sink", 38.0, 60.0)
    done = of_type(rig.run_until(300.0), CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.NOT_CONFIRMED, EndReason.ONSET)
    assert rig.c.learned.fixture("sink").transit_l is None


def test_a_pipe_at_the_target_is_already_hot() -> None:
    rig = Rig(drain("sink"))
    rig.read("sink", 40.0, 0.0)
    out = rig.send(Start(fixtures=("sink",)), 1.0)
    assert of_type(out, CycleFinished)[0].outcome is Outcome.ALREADY_HOT
    assert of_type(out, SetValve) == []
    rig.read("sink", 39.5, 2.0)
    assert of_type(rig.send(Start(fixtures=("sink",)), 3.0), SetValve) == [
        SetValve(fixture="sink", open=True)
    ]
