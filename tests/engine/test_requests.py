"""Refusals, stops, modes, settings changes, shutdown and the snapshot."""

from __future__ import annotations

import math

import pytest

from custom_components.zero_cold_water.engine import (
    Actuator,
    ActuatorReading,
    ActuatorState,
    AlreadyRunning,
    CycleFinished,
    CycleStarted,
    Deferred,
    EndReason,
    FixtureState,
    InstallationState,
    LearnedData,
    Mode,
    ModeChanged,
    Outcome,
    RefusalReason,
    Refused,
    ScheduleWakeup,
    SetPump,
    SettingsChanged,
    SettingsErrorCode,
    SettingsRejected,
    SetValve,
    Shutdown,
    Start,
    Startup,
    Stop,
    Tick,
)

from .helpers import Rig, cold_line, of_type


def refusal(out: list[object]) -> RefusalReason:
    found = of_type(out, Refused)
    assert len(found) == 1
    assert not of_type(out, SetPump)
    assert not [v for v in of_type(out, SetValve) if v.open]
    return found[0].reason


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (Start(fixtures=()), RefusalReason.NO_FIXTURES),
        (Start(fixtures=("ghost",)), RefusalReason.UNKNOWN_FIXTURE),
        (Start(fixtures=("a", "ghost")), RefusalReason.UNKNOWN_FIXTURE),
        (Start(fixtures=("a",), target_c=50.0), RefusalReason.TARGET_ABOVE_LIMIT),
        (Start(fixtures=("a",), target_c=math.nan), RefusalReason.INVALID_OVERRIDE),
        (Start(fixtures=("a",), max_run_s=-1.0), RefusalReason.INVALID_OVERRIDE),
    ],
)
def test_bad_requests_are_refused_with_a_reason(request_: Start, reason: RefusalReason) -> None:
    rig = Rig(cold_line("a"))
    assert refusal(rig.send(request_, 1.0)) is reason


def test_mode_off_refuses_and_stops_running_cycles() -> None:
    rig = Rig(cold_line("a"))
    rig.send(Start(fixtures=("a",)), 0.0)
    out = rig.send(ModeChanged(mode=Mode.OFF), 5.0)
    done = of_type(out, CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.STOPPED, EndReason.MODE_OFF)
    assert not rig.pump_on
    assert rig.c.snapshot().state is InstallationState.OFF
    assert refusal(rig.send(Start(fixtures=("a",)), 100.0)) is RefusalReason.MODE_FORBIDS
    rig.send(ModeChanged(mode=Mode.ON_DEMAND), 101.0)
    assert of_type(rig.send(Start(fixtures=("a",)), 102.0), CycleFinished) == []
    assert rig.pump_on


def test_a_target_above_the_limit_names_the_limit() -> None:
    rig = Rig(cold_line("a"))
    assert of_type(rig.send(Start(fixtures=("a",), target_c=50.0), 1.0), Refused) == [
        Refused(fixtures=("a",), reason=RefusalReason.TARGET_ABOVE_LIMIT, limit_c=45.0)
    ]


def test_a_start_during_the_cooldown_waits_for_its_end() -> None:
    rig = Rig(cold_line("a", cooldown_s=30.0))
    rig.send(Start(fixtures=("a",)), 0.0)
    rig.send(Stop(), 10.0)
    assert rig.c.snapshot().state is InstallationState.COOLDOWN
    out = rig.send(Start(fixtures=("a",), max_run_s=100.0), 20.0)
    assert of_type(out, Deferred) == [Deferred(fixtures=("a",), start_at=40.0)]
    assert of_type(out, Refused) == []
    assert not rig.pump_on
    assert rig.c.snapshot().fixtures["a"].state is FixtureState.QUEUED
    assert rig.wakeup == pytest.approx(40.0)
    started = of_type(rig.run_until(40.0), CycleStarted)
    assert [(c.fixture, c.max_run_s) for c in started] == [("a", 100.0)]
    assert rig.pump_on
    assert rig.c.snapshot().fixtures["a"].state is FixtureState.HEATING


def test_a_stop_cancels_a_start_waiting_for_the_cooldown() -> None:
    rig = Rig(cold_line("a", "b", cooldown_s=30.0))
    rig.send(Start(fixtures=("a",)), 0.0)
    rig.send(Stop(), 10.0)
    rig.send(Start(fixtures=("a", "b")), 20.0)
    rig.send(Stop(fixtures=("a",)), 25.0)
    assert rig.c.snapshot().fixtures["a"].state is FixtureState.IDLE
    started = of_type(rig.run_until(41.0), CycleStarted)
    assert [c.fixture for c in started] == ["b"]
    rig.send(Stop(), 42.0)
    rig.send(Start(fixtures=("a",)), 50.0)
    rig.send(ModeChanged(mode=Mode.OFF), 51.0)
    assert of_type(rig.run_until(100.0), CycleStarted) == []


def test_asking_again_for_a_running_fixture_is_not_an_error() -> None:
    rig = Rig(cold_line("a", "b"))
    rig.send(Start(fixtures=("a",)), 0.0)
    out = rig.send(Start(fixtures=("a",)), 1.0)
    assert out == [AlreadyRunning(fixtures=("a",))]
    out = rig.send(Start(fixtures=("a", "b")), 2.0)
    assert of_type(out, Refused) == []
    assert of_type(out, AlreadyRunning) == [AlreadyRunning(fixtures=("a",))]
    assert [c.fixture for c in of_type(out, CycleStarted)] == ["b"]
    assert SetValve(fixture="b", open=True) in out


def test_daily_cap_refuses_and_ends_a_running_cycle() -> None:
    rig = Rig(cold_line("a", daily_pump_cap_s=100.0, max_run_s=300.0))
    rig.send(Start(fixtures=("a",)), 0.0)
    done = of_type(rig.run_until(200.0), CycleFinished)[0]
    assert (done.outcome, done.figures.end_reason) == (Outcome.TIMED_OUT, EndReason.DAILY_CAP)
    assert done.figures.ended_at == pytest.approx(100.0)
    assert rig.c.snapshot().pump_run_24h_s == pytest.approx(100.0)
    refused = of_type(rig.send(Start(fixtures=("a",)), 300.0), Refused)
    assert [r.reason for r in refused] == [RefusalReason.DAILY_CAP_REACHED]
    # the one 100 s run leaves the window a day after it began, less the minute asked for
    assert refused[0].retry_at == pytest.approx(86_400.0 + 60.0)
    # a day later the window has rolled on
    assert of_type(rig.send(Start(fixtures=("a",)), 86_500.0), Refused) == []


def test_daily_cap_survives_a_restart_through_learned_data() -> None:
    rig = Rig(cold_line("a", daily_pump_cap_s=100.0))
    rig.send(Start(fixtures=("a",)), 0.0)
    rig.run_until(200.0)
    stored = rig.c.learned.to_dict()
    again = Rig(cold_line("a", daily_pump_cap_s=100.0), learned=LearnedData.from_dict(stored))
    assert refusal(again.send(Start(fixtures=("a",)), 300.0)) is RefusalReason.DAILY_CAP_REACHED


def test_unavailable_valve_refuses_that_fixture_only() -> None:
    rig = Rig(cold_line("a", "b"))
    rig.send(
        ActuatorState(
            actuator=Actuator.VALVE, fixture="b", state=ActuatorReading.UNAVAILABLE, at=0.0
        )
    )
    assert rig.c.snapshot().state is InstallationState.FAULT
    out = rig.send(Start(fixtures=("a", "b")), 1.0)
    assert of_type(out, Refused) == [
        Refused(fixtures=("b",), reason=RefusalReason.ACTUATOR_UNAVAILABLE)
    ]
    assert SetValve(fixture="a", open=True) in out


def test_unavailable_pump_refuses() -> None:
    rig = Rig(cold_line("a"))
    rig.send(ActuatorState(actuator=Actuator.PUMP, state=ActuatorReading.UNAVAILABLE, at=0.0))
    assert refusal(rig.send(Start(fixtures=("a",)), 1.0)) is RefusalReason.ACTUATOR_UNAVAILABLE


def test_stop_some_fixtures() -> None:
    rig = Rig(cold_line("a", "b"))
    rig.send(Start(fixtures=("a", "b")), 0.0)
    out = rig.send(Stop(fixtures=("a",)), 5.0)
    assert [f.fixture for f in of_type(out, CycleFinished)] == ["a"]
    assert rig.pump_on
    assert rig.valves == {"a": False, "b": True}


def test_shutdown_leaves_hardware_safe_and_refuses_until_startup() -> None:
    rig = Rig(cold_line("a"))
    rig.send(Start(fixtures=("a",)), 0.0)
    out = rig.send(Shutdown(), 5.0)
    assert of_type(out, CycleFinished)[0].figures.end_reason is EndReason.SHUTDOWN
    assert [c for c in out if isinstance(c, SetPump | SetValve)][:2] == [
        SetPump(on=False),
        SetValve(fixture="a", open=False),
    ]
    assert refusal(rig.send(Start(fixtures=("a",)), 6.0)) is RefusalReason.SHUT_DOWN
    rig.send(Startup(), 100.0)
    assert of_type(rig.send(Start(fixtures=("a",)), 101.0), Refused) == []


def test_invalid_settings_are_rejected_whole() -> None:
    rig = Rig(cold_line("a"))
    rig.send(Start(fixtures=("a",)), 0.0)
    bad = cold_line("a", "b", max_run_s=-1.0)
    out = rig.send(SettingsChanged(settings=bad), 1.0)
    rejected = of_type(out, SettingsRejected)[0]
    assert rejected.errors[0].code is SettingsErrorCode.NEGATIVE_TIME
    assert rig.c.settings == cold_line("a")
    assert rig.pump_on  # the running cycle was not disturbed


def test_valid_settings_stop_cycles_and_close_new_valves() -> None:
    rig = Rig(cold_line("a"))
    rig.send(Start(fixtures=("a",)), 0.0)
    out = rig.send(SettingsChanged(settings=cold_line("a", "b")), 1.0)
    assert of_type(out, CycleFinished)[0].figures.end_reason is EndReason.SETTINGS_CHANGED
    assert SetValve(fixture="b", open=False) in out
    assert not rig.pump_on
    assert rig.c.settings.names == ("a", "b")


def test_time_never_runs_backwards_and_nan_time_is_ignored() -> None:
    rig = Rig(cold_line("a", max_run_s=100.0))
    rig.send(Start(fixtures=("a",)), 50.0)
    rig.c.handle(Tick(), math.nan)
    rig.c.handle(Tick(), 10.0)
    assert rig.c.snapshot().now == 50.0
    out = rig.c.handle(Tick(), 150.0)
    assert of_type(out, CycleFinished)[0].figures.ended_at == 150.0


def test_snapshot_counts_and_totals() -> None:
    rig = Rig(cold_line("a"))
    rig.read("a", 20.0, 0.0)
    rig.send(Start(fixtures=("a",)), 0.0)
    rig.read("a", 41.0, 30.0)
    snap = rig.c.snapshot()
    assert snap.totals.cycles == 1
    assert snap.totals.pump_run_s == pytest.approx(30.0)
    assert snap.totals.litres_moved == pytest.approx(3.0)
    assert snap.totals.heat_moved_kwh == pytest.approx(3.0 * 21.0 * 4.186 / 3600)
    assert snap.pump_run_24h_s == pytest.approx(30.0)
    assert snap.fixtures["a"].last_cycle is not None
    assert snap.fixtures["a"].temperature_c == 41.0
    assert snap.fixtures["a"].sensor_ok
    assert snap.state is InstallationState.COOLDOWN
    wakeups = [c for _, c in rig.log if isinstance(c, ScheduleWakeup)]
    assert wakeups[-1].at == snap.next_wakeup


def test_ready_until_the_sensor_cools() -> None:
    rig = Rig(cold_line("a", cooldown_s=0.0))
    rig.send(Start(fixtures=("a",)), 0.0)
    rig.read("a", 41.0, 30.0)
    rig.run_until(31.0)
    assert rig.c.snapshot().state is InstallationState.READY
    rig.read("a", 38.0, 600.0)  # within hysteresis: still ready
    assert rig.c.snapshot().fixtures["a"].state.value == "ready"
    rig.read("a", 36.5, 900.0)
    assert rig.c.snapshot().state is InstallationState.IDLE
