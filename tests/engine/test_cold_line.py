"""Cold-line topology: valve first, pump after confirmation, point-to-point closing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.zero_cold_water.engine import (
    Actuator,
    ActuatorReading,
    ActuatorState,
    ArrivalBasis,
    CycleFinished,
    CycleStarted,
    EndReason,
    Fault,
    FaultKind,
    FixtureLearning,
    FixtureSettings,
    FixtureState,
    InstallationState,
    LearnedData,
    LearnedDataChanged,
    Line,
    Outcome,
    SetPump,
    SetValve,
    Start,
    Startup,
    TemperatureReading,
    Tick,
)

from .helpers import Rig, cold_line, of_type


def learned(litres: float, fixture: str = "basin") -> LearnedData:
    return LearnedData(fixtures={fixture: FixtureLearning(transit_samples=(litres,))})


def test_startup_drives_everything_safe() -> None:
    rig = Rig(cold_line("a", "b"))
    first = [cmd for _, cmd in rig.log[:3]]
    assert first == [
        SetPump(on=False),
        SetValve(fixture="a", open=False),
        SetValve(fixture="b", open=False),
    ]


def test_any_first_event_starts_up_safely() -> None:
    from custom_components.zero_cold_water.engine import Controller

    c = Controller(cold_line())
    out = c.handle(Tick(), 5.0)
    assert out[:2] == [SetPump(on=False), SetValve(fixture="basin", open=False)]


def test_valve_confirms_before_pump_starts() -> None:
    rig = Rig(cold_line(), confirm=False)
    out = rig.send(Start(fixtures=("basin",)), 10.0)
    assert of_type(out, CycleStarted)[0].arrival_basis is ArrivalBasis.SENSOR
    assert of_type(out, SetValve) == [SetValve(fixture="basin", open=True)]
    assert of_type(out, SetPump) == []
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.WAITING_FOR_VALVE
    out = rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.ON, at=14.0),
        14.0,
    )
    assert of_type(out, SetPump) == [SetPump(on=True)]
    assert rig.c.snapshot().state is InstallationState.HEATING
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.HEATING


def test_onset_ends_the_cycle_pump_first_and_learns_the_transit_once_confirmed() -> None:
    rig = Rig(cold_line())
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 10.0)
    rig.read("basin", 20.5, 25.0)
    out = rig.read("basin", 21.5, 30.0)
    actuators = [c for c in out if isinstance(c, SetPump | SetValve)]
    assert actuators[:2] == [SetPump(on=False), SetValve(fixture="basin", open=False)]
    assert of_type(out, CycleFinished) == []  # one rise may be a bump: it must go on rising
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.CONFIRMING
    assert rig.c.learned.fixture("basin").transit_l is None
    out = rig.read("basin", 23.0, 36.0)
    done = of_type(out, CycleFinished)[0]
    assert done.outcome is Outcome.READY
    assert done.figures.end_reason is EndReason.ONSET
    assert done.figures.litres_moved == pytest.approx(2.0)  # 20 s at 6 L/min
    assert done.figures.transit_l == pytest.approx(2.0)
    assert done.figures.time_to_hot_s == pytest.approx(20.0)
    assert done.figures.ended_at == pytest.approx(30.0)
    saved = of_type(out, LearnedDataChanged)[-1].data
    assert saved.fixture("basin").transit_l == pytest.approx(2.0)
    assert rig.c.snapshot().fixtures["basin"].learned_transit_l == pytest.approx(2.0)


def test_threshold_ends_the_cycle() -> None:
    rig = Rig(cold_line())
    rig.send(Start(fixtures=("basin",)), 0.0)
    done = of_type(rig.read("basin", 41.0, 20.0), CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.READY, EndReason.THRESHOLD)
    assert done.figures.peak_c == 41.0


def test_learned_transit_predicts_the_stop_before_the_sensor_moves() -> None:
    # 2.0 L learned, lead 8 s at 6 L/min = 0.8 L: stop after 1.2 L = 12 s of pumping.
    rig = Rig(cold_line(), learned=learned(2.0))
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 100.0)
    assert rig.wakeup == pytest.approx(112.0)
    out = rig.run_until(112.0)
    assert of_type(out, CycleFinished) == []
    assert not rig.pump_on
    assert rig.valves["basin"] is False
    view = rig.c.snapshot().fixtures["basin"]
    assert (view.state, view.hot) == (FixtureState.CONFIRMING, False)  # not trusted yet
    done = of_type(rig.read("basin", 21.5, 125.0), CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.READY, EndReason.PREDICTED)
    assert done.figures.ended_at == pytest.approx(112.0)
    assert done.figures.time_to_hot_s == pytest.approx(12.0)
    assert done.figures.litres_moved == pytest.approx(1.2)


def test_predicted_stop_never_confirmed_is_a_failure_that_teaches_nothing() -> None:
    rig = Rig(cold_line(), learned=learned(2.0))
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 100.0)
    rig.run_until(112.0)
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.CONFIRMING
    rig.read("basin", 20.5, 150.0)  # no rise within the settle time: the front stopped short
    out = rig.run_until(112.0 + 120.0)
    done = of_type(out, CycleFinished)[0]
    assert (done.outcome, done.figures.time_to_hot_s) == (Outcome.NOT_CONFIRMED, None)
    learning = rig.c.learned.fixture("basin")
    assert learning.transit_l == pytest.approx(2.0)  # a failed cycle teaches no volume
    assert (learning.shortfalls, learning.failures) == (1, 1)
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.IDLE
    # the next cycle goes 10 % further than the stop that fell short, and a second one that
    # fails says the heater may not fire
    rig.send(Start(fixtures=("basin",)), 300.0)
    rig.run_until(320.0)
    out = rig.run_until(500.0)
    assert of_type(out, CycleFinished)[0].figures.litres_moved == pytest.approx(1.32)
    assert Fault(kind=FaultKind.NO_HEAT, detail="basin") in out


def test_trusted_after_two_confirmed_predictions() -> None:
    rig = Rig(cold_line(), learned=learned(2.0))
    for start in (100.0, 400.0, 700.0):
        rig.read("basin", 20.0, start - 1.0)
        rig.send(Start(fixtures=("basin",)), start)
        rig.run_until(start + 12.0)
        hot = rig.c.snapshot().fixtures["basin"].hot
        rig.read("basin", 22.0, start + 25.0)
        rig.read("basin", 20.0, start + 200.0)  # cooled again
        rig.run_until(start + 250.0)
    assert hot  # the third predicted stop is shown hot at once
    assert rig.c.learned.fixture("basin").confirmed == 3


def test_predicted_stop_confirmed_by_a_later_rise_keeps_the_estimate() -> None:
    rig = Rig(cold_line(), learned=learned(2.0))
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 100.0)
    rig.run_until(112.0)
    out = rig.read("basin", 21.5, 125.0)  # the onset rise after the stop: the front arrived
    assert [d.outcome for d in of_type(out, CycleFinished)] == [Outcome.READY]
    rig.read("basin", 38.0, 180.0)
    rig.run_until(400.0)
    assert rig.c.learned.fixture("basin").transit_l == pytest.approx(2.0)
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.READY


def test_warm_parcel_before_half_the_pipe_volume_is_not_the_front() -> None:
    fixture = FixtureSettings(name="basin", cold_line_limit_c=45.0, configured_volume_l=4.0)
    rig = Rig(replace(cold_line(), fixtures=(fixture,)))
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 0.0)
    rig.read("basin", 20.5, 5.0)
    assert of_type(rig.read("basin", 22.0, 8.0), CycleFinished) == []  # 0.8 L < 2 L
    rig.read("basin", 21.0, 15.0)
    rig.read("basin", 20.5, 18.0)
    rig.read("basin", 22.0, 25.0)  # 2.5 L: the front
    done = of_type(rig.read("basin", 24.0, 30.0), CycleFinished)[0]
    assert done.figures.end_reason is EndReason.ONSET
    assert rig.c.learned.fixture("basin").transit_samples == (pytest.approx(2.5),)


def test_configured_volume_floors_the_predicted_stop() -> None:
    fixture = FixtureSettings(name="basin", cold_line_limit_c=45.0, configured_volume_l=3.0)
    rig = Rig(replace(cold_line(), fixtures=(fixture,)), learned=learned(2.0))
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 100.0)
    rig.run_until(140.0)
    done = of_type(rig.read("basin", 22.0, 150.0), CycleFinished)[0]
    assert done.figures.end_reason is EndReason.PREDICTED
    assert done.figures.litres_moved == pytest.approx(0.9 * 3.0)


def test_already_hot_touches_nothing() -> None:
    rig = Rig(cold_line())
    rig.read("basin", 44.0, 0.0)
    out = rig.send(Start(fixtures=("basin",)), 1.0)
    assert [type(c) for c in out if not isinstance(c, LearnedDataChanged)] == [CycleFinished]
    assert of_type(out, CycleFinished)[0].outcome is Outcome.ALREADY_HOT


def test_point_to_point_each_valve_closes_and_the_pump_stops_with_the_last() -> None:
    rig = Rig(cold_line("a", "b"))
    rig.read("a", 20.0, 0.0)
    rig.read("b", 20.0, 0.0)
    rig.send(Start(fixtures=("a", "b")), 1.0)
    assert rig.pump_on
    assert rig.valves == {"a": True, "b": True}
    out = rig.read("a", 41.0, 20.0)
    assert of_type(out, SetValve) == [SetValve(fixture="a", open=False)]
    assert of_type(out, SetPump) == []
    assert rig.pump_on
    out = rig.read("b", 41.0, 30.0)
    actuators = [c for c in out if isinstance(c, SetPump | SetValve)]
    assert actuators[:2] == [SetPump(on=False), SetValve(fixture="b", open=False)]
    figures = {f.fixture: f.figures for f in rig.finished()}
    # shared flow: 19 s split two ways, then 10 s alone for b
    assert figures["a"].litres_moved == pytest.approx(19 * 0.1 / 2)
    assert figures["b"].litres_moved == pytest.approx(19 * 0.1 / 2 + 10 * 0.1)


def test_valve_closing_under_a_running_pump_stops_the_pump_at_once() -> None:
    rig = Rig(cold_line(), confirm=False)
    rig.send(Start(fixtures=("basin",)), 0.0)
    rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.ON, at=2.0),
        2.0,
    )
    rig.send(ActuatorState(actuator=Actuator.PUMP, state=ActuatorReading.ON, at=2.5), 2.5)
    out = rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.OFF, at=5.0),
        5.0,
    )
    assert out[0] == SetPump(on=False)
    assert SetValve(fixture="basin", open=True) in out  # asked again
    out = rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.ON, at=8.0),
        8.0,
    )
    assert of_type(out, SetPump) == [SetPump(on=True)]


def test_valve_that_never_confirms_is_a_fault() -> None:
    rig = Rig(cold_line(), confirm=False)
    rig.send(Start(fixtures=("basin",)), 0.0)
    out = rig.run_until(60.0)
    assert Fault(kind=FaultKind.VALVE_NOT_CONFIRMED, detail="basin") in out
    done = of_type(out, CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.FAULT, EndReason.VALVE_TIMEOUT)
    assert SetValve(fixture="basin", open=False) in out
    assert rig.c.snapshot().state is InstallationState.FAULT
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.FAULT


def test_pump_that_never_confirms_is_a_fault() -> None:
    rig = Rig(cold_line(), confirm=False)
    rig.send(Start(fixtures=("basin",)), 0.0)
    rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.ON, at=2.0),
        2.0,
    )
    out = rig.run_until(32.0)
    assert Fault(kind=FaultKind.PUMP_NOT_CONFIRMED, detail="pump") in out
    assert of_type(out, CycleFinished)[0].figures.end_reason is EndReason.PUMP_TIMEOUT
    assert out.index(SetPump(on=False)) < out.index(SetValve(fixture="basin", open=False))


def test_stuck_open_valve_is_reported_and_commanded_again() -> None:
    rig = Rig(cold_line(), confirm=False)
    rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.ON, at=1.0),
        1.0,
    )
    out = rig.run_until(61.0)
    assert Fault(kind=FaultKind.VALVE_NOT_CONFIRMED, detail="basin") in out
    assert SetValve(fixture="basin", open=False) in out
    assert rig.c.snapshot().state is InstallationState.FAULT


def test_cycle_ends_at_its_maximum_run_time() -> None:
    rig = Rig(cold_line(max_run_s=120.0))
    rig.send(Start(fixtures=("basin",)), 0.0)
    out = rig.run_until(500.0)
    done = of_type(out, CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.TIMED_OUT, EndReason.MAX_RUN_TIME)
    assert done.figures.ended_at == pytest.approx(120.0)
    assert done.figures.time_to_hot_s is None


def test_start_override_shortens_the_run() -> None:
    rig = Rig(cold_line())
    rig.send(Start(fixtures=("basin",), max_run_s=30.0), 0.0)
    done = of_type(rig.run_until(100.0), CycleFinished)[0]
    assert done.figures.ended_at == pytest.approx(30.0)


def test_cold_line_sensor_at_the_limit_closes_the_valve() -> None:
    rig = Rig(cold_line("basin"))
    rig.send(Start(fixtures=("basin",)), 0.0)
    out = rig.send(TemperatureReading(fixture="basin", celsius=45.5, at=10.0, line=Line.COLD), 10.0)
    done = of_type(out, CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.READY, EndReason.COLD_LINE_LIMIT)
    assert out.index(SetPump(on=False)) < out.index(SetValve(fixture="basin", open=False))


def test_failed_sensor_falls_back_to_a_learned_purge() -> None:
    rig = Rig(cold_line(), learned=learned(2.0))
    rig.read("basin", 20.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 1.0)
    out = rig.read("basin", -127.0, 3.0)
    assert Fault(kind=FaultKind.SENSOR_IMPLAUSIBLE, detail="basin:hot") in out
    done = of_type(rig.run_until(100.0), CycleFinished)[0]
    assert done.figures.arrival_basis is ArrivalBasis.LEARNED_PURGE
    assert done.figures.end_reason is EndReason.PURGE_COMPLETE
    assert done.figures.litres_moved == pytest.approx(2.0 * 1.2)


def test_sensorless_fixture_purges_the_configured_volume_and_stays_ready_for_its_hold() -> None:
    fixture = FixtureSettings(
        name="basin", has_sensor=False, configured_volume_l=1.0, ready_hold_s=600.0
    )
    rig = Rig(replace(cold_line(), fixtures=(fixture,)))
    started = of_type(rig.send(Start(fixtures=("basin",)), 0.0), CycleStarted)[0]
    assert started.arrival_basis is ArrivalBasis.CONFIGURED_PURGE
    done = of_type(rig.run_until(60.0), CycleFinished)[0]
    assert done.figures.litres_moved == pytest.approx(1.2)
    assert done.figures.ended_at == pytest.approx(12.0)
    snap = rig.c.snapshot().fixtures["basin"]
    assert snap.state is FixtureState.READY
    assert snap.ready_until == pytest.approx(612.0)
    assert (
        of_type(rig.send(Start(fixtures=("basin",)), 300.0), CycleFinished)[0].outcome
        is Outcome.ALREADY_HOT
    )
    rig.run_until(613.0)
    assert rig.c.snapshot().fixtures["basin"].state is FixtureState.IDLE


def test_served_fixture_opens_the_serving_valve_and_reads_its_sensor() -> None:
    far = FixtureSettings(name="far", cold_line_limit_c=45.0)
    near = FixtureSettings(name="near", has_valve=False, served_by="far", cold_line_limit_c=45.0)
    rig = Rig(replace(cold_line(), fixtures=(far, near)))
    rig.read("far", 20.0, 0.0)
    out = rig.send(Start(fixtures=("near",)), 1.0)
    assert SetValve(fixture="far", open=True) in out
    done = of_type(rig.read("far", 41.0, 20.0), CycleFinished)[0]
    assert done.fixture == "near"
    assert done.outcome is Outcome.READY


def test_restart_mid_cycle_recovers_the_safe_state() -> None:
    rig = Rig(cold_line())
    rig.send(Start(fixtures=("basin",)), 0.0)
    assert rig.pump_on
    out = rig.send(Startup(), 5.0)
    done = of_type(out, CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.STOPPED, EndReason.RESTARTED)
    assert [c for c in out if isinstance(c, SetPump | SetValve)] == [
        SetPump(on=False),
        SetValve(fixture="basin", open=False),
    ]
    assert not rig.pump_on


def test_silent_sensor_is_backed_by_the_configured_purge() -> None:
    """A sensor that never reported cannot be trusted to show the front: purge as a backstop."""
    fixture = FixtureSettings(name="basin", configured_volume_l=1.0)  # no cold-line limit
    rig = Rig(replace(cold_line(), fixtures=(fixture,)))
    rig.send(Start(fixtures=("basin",)), 0.0)
    done = of_type(rig.run_until(100.0), CycleFinished)[0]
    assert done.figures.end_reason is EndReason.PURGE_COMPLETE
    assert done.figures.litres_moved == pytest.approx(1.2)
    snap = rig.c.snapshot().fixtures["basin"]
    assert snap.ready_until == pytest.approx(done.figures.ended_at + 900.0)


def test_first_cycle_protecting_a_cold_line_stops_below_the_configured_volume() -> None:
    fixture = FixtureSettings(name="basin", cold_line_limit_c=40.0, configured_volume_l=2.0)
    rig = Rig(replace(cold_line(), fixtures=(fixture,)))
    rig.read("basin", 18.0, 0.0)
    rig.send(Start(fixtures=("basin",)), 1.0)
    # no rise afterwards: the front stopped short; the next cycle goes 10 % further
    done = of_type(rig.run_until(300.0), CycleFinished)[0]
    assert done.outcome is Outcome.NOT_CONFIRMED
    assert done.figures.end_reason is EndReason.PREDICTED
    assert done.figures.litres_moved == pytest.approx(1.8)
    learning = rig.c.learned.fixture("basin")
    assert (learning.transit_l, learning.probe_l, learning.failures) == (
        None,
        pytest.approx(1.98),
        0,  # approaching from below is how the first cycles learn: no failure
    )
    rig.send(Start(fixtures=("basin",)), 400.0)
    rig.run_until(430.0)
    done = of_type(rig.read("basin", 19.5, 440.0), CycleFinished)[0]  # the front: confirmed
    assert done.outcome is Outcome.READY
    assert done.figures.litres_moved == pytest.approx(1.98)
    assert rig.c.learned.fixture("basin").transit_l == pytest.approx(1.98 + 0.8)


def test_stuck_pump_is_a_fault() -> None:
    rig = Rig(cold_line(), confirm=False)
    rig.send(ActuatorState(actuator=Actuator.PUMP, state=ActuatorReading.ON, at=1.0), 1.0)
    out = rig.run_until(40.0)
    assert Fault(kind=FaultKind.PUMP_NOT_CONFIRMED, detail="pump") in out
    assert SetPump(on=False) in out
    assert rig.c.snapshot().state is InstallationState.FAULT


def test_a_hot_neighbour_means_a_warm_trunk_learned_separately() -> None:
    """While another fixture's pipe is hot the front comes sooner: no volume floor, own samples."""
    a = FixtureSettings(name="a", cold_line_limit_c=45.0, configured_volume_l=3.0)
    b = FixtureSettings(name="b", cold_line_limit_c=45.0, configured_volume_l=1.0)
    learned_cold = LearnedData(fixtures={"a": FixtureLearning(transit_samples=(4.0,))})
    rig = Rig(replace(cold_line(), fixtures=(a, b)), learned=learned_cold)
    rig.read("a", 18.0, 0.0)
    rig.read("b", 44.0, 0.0)  # b's pipe is hot: the shared trunk may be too
    rig.send(Start(fixtures=("a",)), 1.0)
    rig.read("a", 18.5, 8.0)
    rig.read("a", 20.0, 11.0)  # 1.0 L: below half of 3 L, but the trunk was hot
    done = of_type(rig.read("a", 22.0, 15.0), CycleFinished)[0]
    assert done.figures.end_reason is EndReason.ONSET
    learning = rig.c.learned.fixture("a")
    assert learning.warm_transit_l == pytest.approx(1.0)
    assert learning.transit_l == pytest.approx(4.0)  # the cold-trunk estimate is untouched
    # next warm start: predicted from the warm sample (1.0 L - 0.8 L lead, at least half)
    rig.run_until(200.0)
    rig.read("a", 18.0, 200.0)
    rig.read("b", 44.0, 200.0)
    rig.send(Start(fixtures=("a",)), 201.0)
    rig.run_until(220.0)
    done = of_type(rig.read("a", 20.0, 225.0), CycleFinished)[0]
    assert done.figures.end_reason is EndReason.PREDICTED
    assert done.figures.litres_moved == pytest.approx(0.5)
    # with b cold again the cold estimate applies (4.0 - 0.8 = 3.2 L)
    rig.run_until(600.0)
    rig.read("b", 20.0, 600.0)
    rig.send(Start(fixtures=("a",)), 601.0)
    rig.run_until(640.0)
    done = of_type(rig.read("a", 21.5, 650.0), CycleFinished)[0]
    assert done.figures.litres_moved == pytest.approx(3.2)


def test_served_fixture_is_already_hot_when_the_serving_pipe_is() -> None:
    far = FixtureSettings(name="far", cold_line_limit_c=45.0)
    near = FixtureSettings(name="near", has_valve=False, served_by="far", cold_line_limit_c=45.0)
    rig = Rig(replace(cold_line(), fixtures=(far, near)))
    rig.read("near", 20.0, 0.0)
    rig.read("far", 40.5, 0.0)
    out = rig.send(Start(fixtures=("near",)), 1.0)
    assert of_type(out, CycleFinished)[0].outcome is Outcome.ALREADY_HOT
    assert of_type(out, SetValve) == []


def test_an_unavailable_idle_valve_does_not_ask_for_endless_wakeups() -> None:
    rig = Rig(cold_line(), confirm=False)
    rig.send(
        ActuatorState(
            actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.UNAVAILABLE, at=0.0
        )
    )
    assert rig.wakeup is None
    rig.run_until(1000.0)
    assert rig.c.snapshot().state is InstallationState.FAULT
