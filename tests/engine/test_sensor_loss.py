"""A sensor lost mid-cycle fails safe; implausible first readings are faults; totals count once."""

from __future__ import annotations

import pytest

from custom_components.zero_cold_water.engine import (
    ArrivalBasis,
    CycleFinished,
    EndReason,
    Fault,
    FaultKind,
    FixtureSettings,
    FixtureState,
    InstallationSettings,
    Line,
    Outcome,
    SetPump,
    SetValve,
    Start,
    TemperatureReading,
    Topology,
)

from .helpers import Rig, cold_line, drain, of_type, return_line

GRACE = 45.0


def lost_cycle(rig: Rig, fixture: str, bad: float | None) -> list[object]:
    """Start a cycle at ``fixture`` and lose its pipe sensor 10 s in; every command since."""
    rig.read(fixture, 20.0, 0.0)
    out: list[object] = list(rig.send(Start(fixtures=(fixture,)), 0.0))
    out += rig.read(fixture, 20.5, 5.0)
    out += rig.read(fixture, bad, 10.0)
    return out


@pytest.mark.parametrize("bad", [None, 85.0, -127.0])
@pytest.mark.parametrize("settings", [cold_line("a"), drain("a")], ids=["cold_line", "drain"])
def test_a_sensor_lost_mid_cycle_without_a_volume_stops_after_the_grace(
    settings: InstallationSettings, bad: float | None
) -> None:
    rig = Rig(settings)
    out = lost_cycle(rig, "a", bad)
    assert of_type(out, CycleFinished) == []
    assert rig.valves["a"]  # still going: the sensor may come back
    assert rig.wakeup == pytest.approx(10.0 + GRACE)
    out = rig.run_until(10.0 + GRACE)
    done = of_type(out, CycleFinished)
    assert [(d.outcome, d.figures.end_reason) for d in done] == [
        (Outcome.FAULT, EndReason.SENSOR_LOST)
    ]
    assert done[0].figures.ended_at == pytest.approx(10.0 + GRACE)
    assert Fault(kind=FaultKind.SENSOR_LOST, detail="a:hot") in out
    assert not rig.valves["a"]
    assert not rig.pump_on
    assert rig.c.snapshot().fixtures["a"].state is FixtureState.FAULT


def test_a_sensor_back_within_the_grace_lets_the_cycle_go_on() -> None:
    rig = Rig(cold_line("a"))
    lost_cycle(rig, "a", None)
    rig.read("a", 20.5, 30.0)
    assert of_type(rig.run_until(10.0 + GRACE + 1.0), CycleFinished) == []
    out = rig.read("a", 41.0, 70.0)
    assert [d.outcome for d in of_type(out, CycleFinished)] == [Outcome.READY]


def test_a_sensor_lost_with_a_configured_volume_finishes_on_that_volume() -> None:
    settings = InstallationSettings(
        topology=Topology.COLD_LINE,
        fixtures=(FixtureSettings(name="a", cold_line_limit_c=45.0, configured_volume_l=2.0),),
        pump_flow_lpm=6.0,
    )
    rig = Rig(settings)
    out = lost_cycle(rig, "a", None)
    out += rig.run_until(200.0)
    done = of_type(out, CycleFinished)
    assert [(d.outcome, d.figures.end_reason, d.figures.arrival_basis) for d in done] == [
        (Outcome.READY, EndReason.PURGE_COMPLETE, ArrivalBasis.CONFIGURED_PURGE)
    ]
    # the configured 2 L plus the purge margin, at 6 L/min
    assert done[0].figures.litres_moved == pytest.approx(2.4)
    assert done[0].figures.ended_at == pytest.approx(24.0)


def test_a_sensor_failed_before_the_cycle_without_a_volume_stops_after_the_grace() -> None:
    rig = Rig(cold_line("a", max_run_s=300.0))
    rig.read("a", None, 0.0)
    rig.send(Start(fixtures=("a",)), 1.0)
    out = rig.run_until(300.0)
    done = of_type(out, CycleFinished)
    assert [(d.figures.end_reason, d.figures.ended_at) for d in done] == [
        (EndReason.SENSOR_LOST, pytest.approx(1.0 + GRACE))
    ]


def test_a_lost_cold_line_sensor_stops_the_cycle_after_the_grace() -> None:
    rig = Rig(cold_line("a"))
    rig.read("a", 20.0, 0.0)
    rig.send(TemperatureReading(fixture="a", celsius=18.0, at=0.0, line=Line.COLD), 0.0)
    rig.send(Start(fixtures=("a",)), 0.0)
    rig.send(TemperatureReading(fixture="a", celsius=None, at=5.0, line=Line.COLD), 5.0)
    out = rig.run_until(5.0 + GRACE)
    assert Fault(kind=FaultKind.SENSOR_LOST, detail="a:cold") in out
    assert [d.figures.end_reason for d in of_type(out, CycleFinished)] == [EndReason.SENSOR_LOST]


def test_a_cold_line_sensor_that_never_reported_does_not_stop_the_cycle() -> None:
    rig = Rig(cold_line("a"))
    rig.read("a", 20.0, 0.0)
    rig.send(Start(fixtures=("a",)), 0.0)
    assert of_type(rig.run_until(100.0), CycleFinished) == []


def test_an_implausible_first_reading_is_a_fault_even_after_unknown() -> None:
    rig = Rig(cold_line("a"))
    assert of_type(rig.read("a", None, 0.0), Fault) == []
    assert of_type(rig.read("a", 85.0, 1.0), Fault) == [
        Fault(kind=FaultKind.SENSOR_IMPLAUSIBLE, detail="a:hot")
    ]
    assert of_type(rig.read("a", 85.0, 2.0), Fault) == []  # once, not per report
    rig.read("a", 20.0, 3.0)
    assert of_type(rig.read("a", -127.0, 4.0), Fault) == [
        Fault(kind=FaultKind.SENSOR_IMPLAUSIBLE, detail="a:hot")
    ]


def test_two_cycles_on_one_return_loop_count_the_pump_once() -> None:
    rig = Rig(return_line("near", "far"))
    rig.read("near", 20.0, 0.0)
    rig.read("far", 20.0, 0.0)
    rig.send(Start(fixtures=("near", "far")), 0.0)
    rig.read("near", 41.0, 20.0)
    rig.read("far", 41.0, 36.0)
    figures = {d.fixture: d.figures for d in rig.finished()}
    assert figures["far"].pump_run_s == pytest.approx(36.0)
    assert figures["far"].litres_moved == pytest.approx(3.6)
    totals = rig.c.snapshot().totals
    assert totals.cycles == 2
    assert totals.pump_run_s == pytest.approx(36.0)
    assert totals.litres_moved == pytest.approx(3.6)
    # each litre once, at the rise seen by the cycle it was credited to
    assert totals.heat_moved_kwh == pytest.approx(3.6 * 21.0 * 4.186 / 3600)


def test_two_cycles_through_the_cold_line_count_the_pump_once() -> None:
    rig = Rig(cold_line("a", "b"))
    rig.read("a", 20.0, 0.0)
    rig.read("b", 20.0, 0.0)
    rig.send(Start(fixtures=("a", "b")), 0.0)
    out = rig.read("a", 41.0, 20.0)
    assert SetPump(on=False) not in out
    out = rig.read("b", 41.0, 36.0)
    assert [c for c in out if isinstance(c, SetPump | SetValve)][:2] == [
        SetPump(on=False),
        SetValve(fixture="b", open=False),
    ]
    totals = rig.c.snapshot().totals
    assert totals.cycles == 2
    assert totals.pump_run_s == pytest.approx(36.0)
    assert totals.litres_moved == pytest.approx(3.6)
    assert totals.heat_moved_kwh == pytest.approx(3.6 * 21.0 * 4.186 / 3600)
