"""Automatic cycles: presence and vacation, schedule, keep-warm, usage, pre-heat, freeze."""

from __future__ import annotations

from dataclasses import replace
import json

import pytest

from custom_components.zero_cold_water.engine import (
    ActuatorReading,
    ActuatorState,
    Controller,
    CycleFinished,
    CycleStarted,
    DrawObserved,
    FixtureLearning,
    FixtureSettings,
    InstallationSettings,
    LearnedData,
    LearnedDataChanged,
    Line,
    LocalTime,
    Mode,
    ModeChanged,
    ModeSwitched,
    ModeSwitchReason,
    Presence,
    Refused,
    ResetReason,
    ResetUsage,
    ScheduleState,
    ScheduleWakeup,
    SettingsChanged,
    Shutdown,
    Start,
    Startup,
    Stop,
    TemperatureReading,
    Tick,
    Topology,
    TriggerReason,
)
from custom_components.zero_cold_water.engine.automatic import (
    DEDUPE_S,
    PREHEAT_AHEAD_S,
    PREHEAT_EXPIRY_S,
    Automatic,
    time_to_hot_s,
)
from custom_components.zero_cold_water.engine.events import Actuator
from custom_components.zero_cold_water.engine.prediction import (
    DAY_S,
    SLOT_S,
    DrawRecord,
    PreheatOutcome,
    PreheatRecord,
    UsageProfile,
)

from .helpers import Rig, cold_line, of_type, return_line

HOUR = 3600.0


def started(out: list[object], reason: TriggerReason | None = None) -> list[CycleStarted]:
    return [c for c in of_type(out, CycleStarted) if reason is None or c.trigger is reason]


def heat(rig: Rig, name: str = "basin", celsius: float = 46.0) -> list[object]:
    """The running cycle's water arrives: the sensor reads hot."""
    return list(rig.read(name, celsius))


def kw_rig(settings: InstallationSettings | None = None, **kwargs: object) -> Rig:
    return Rig(settings or cold_line("basin"), mode=Mode.KEEP_WARM, **kwargs)  # type: ignore[arg-type]


# ----------------------------------------------------------------- presence and vacation


def test_a_long_absence_switches_to_vacation_and_back() -> None:
    rig = kw_rig()
    rig.read("basin", 45.0)
    out = rig.send(Presence(home=False), at=10.0)
    assert of_type(out, ModeSwitched) == []
    assert rig.wakeup == 10.0 + rig.c.settings.vacation_after_s
    out = rig.run_until(rig.wakeup)
    assert of_type(out, ModeSwitched) == [
        ModeSwitched(
            mode=Mode.VACATION, reason=ModeSwitchReason.VACATION, resume_mode=Mode.KEEP_WARM
        )
    ]
    view = rig.c.snapshot()
    assert (view.mode, view.resume_mode, view.home) == (Mode.VACATION, Mode.KEEP_WARM, False)
    # still away: no second switch
    assert of_type(rig.send(Presence(home=False), at=rig.now + 60), ModeSwitched) == []
    out = rig.send(Presence(home=True), at=rig.now + 60)
    assert of_type(out, ModeSwitched) == [
        ModeSwitched(mode=Mode.KEEP_WARM, reason=ModeSwitchReason.RETURNED, resume_mode=None)
    ]
    assert rig.c.mode is Mode.KEEP_WARM
    assert rig.c.snapshot().resume_mode is None


def test_unknown_presence_counts_as_home_and_returns() -> None:
    c = Controller(cold_line("basin"), mode=Mode.VACATION, resume_mode=Mode.PREDICTIVE)
    c.handle(Startup(), 0.0)
    assert c.snapshot().resume_mode is Mode.PREDICTIVE
    out = c.handle(Presence(home=None), 1.0)
    assert of_type(out, ModeSwitched)[0].mode is Mode.PREDICTIVE
    assert c.snapshot().home is None


def test_a_user_mode_change_clears_the_pending_return() -> None:
    c = Controller(cold_line("basin"), mode=Mode.VACATION, resume_mode=Mode.KEEP_WARM)
    c.handle(Startup(), 0.0)
    c.handle(ModeChanged(mode=Mode.VACATION), 1.0)
    assert c.snapshot().resume_mode is None
    assert of_type(c.handle(Presence(home=True), 2.0), ModeSwitched) == []
    assert c.mode is Mode.VACATION


@pytest.mark.parametrize("mode", [Mode.ON_DEMAND, Mode.VACATION, Mode.OFF])
def test_modes_that_do_not_go_on_vacation(mode: Mode) -> None:
    rig = Rig(cold_line("basin"), mode=mode)
    rig.send(Presence(home=False))
    assert rig.wakeup is None
    out = rig.run_until(2 * DAY_S)
    assert of_type(out, ModeSwitched) == []
    assert rig.c.mode is mode


def test_coming_back_before_the_deadline_cancels_it() -> None:
    rig = kw_rig()
    rig.read("basin", 45.0)
    rig.send(Presence(home=False), at=10.0)
    rig.send(Presence(home=True), at=20.0)
    assert rig.wakeup is None
    assert of_type(rig.run_until(2 * DAY_S), ModeSwitched) == []


# ----------------------------------------------------------------- keep-warm


def test_keep_warm_starts_below_the_band_at_most_once_per_interval() -> None:
    rig = kw_rig()
    assert started(rig.read("basin", 36.0)) == []  # inside the band (40 - 5)
    out = rig.read("basin", 34.5, at=100.0)
    assert [c.trigger for c in started(out)] == [TriggerReason.KEEP_WARM]
    # already running: a second low reading starts nothing
    assert started(rig.read("basin", 34.0, at=110.0)) == []
    out = heat(rig)
    assert of_type(out, CycleFinished)[0].outcome.value == "ready"
    # readiness ends when it cools; the minimum interval still holds
    assert started(rig.read("basin", 30.0, at=100.0 + 400.0)) == []
    interval_end = 100.0 + rig.c.settings.keep_warm_min_interval_s
    assert rig.wakeup == interval_end
    out = rig.run_until(interval_end)
    assert [c.trigger for c in started(out)] == [TriggerReason.KEEP_WARM]


def test_keep_warm_waits_for_the_schedule_and_presence() -> None:
    rig = kw_rig()
    rig.send(ScheduleState(active=False))
    assert started(rig.read("basin", 20.0)) == []
    assert rig.c.snapshot().schedule_active is False
    out = rig.send(ScheduleState(active=True), at=10.0)
    assert started(out, TriggerReason.KEEP_WARM)
    rig.send(Stop())
    rig.send(Presence(home=False), at=rig.now + 2 * HOUR)
    assert started(rig.read("basin", 20.0)) == []
    out = rig.send(Presence(home=None), at=rig.now + 10)
    assert started(out, TriggerReason.KEEP_WARM)


def test_keep_warm_skips_fixtures_that_opted_out_and_other_modes() -> None:
    settings = replace(
        cold_line("basin"),
        fixtures=(FixtureSettings(name="basin", cold_line_limit_c=45.0, keep_warm=False),),
    )
    rig = kw_rig(settings)
    assert started(rig.read("basin", 20.0)) == []
    assert rig.c.snapshot().fixtures["basin"].keep_warm is False
    rig = Rig(cold_line("basin"))
    assert started(rig.read("basin", 20.0)) == []


def test_keep_warm_waits_for_a_sensor_that_has_not_reported() -> None:
    rig = kw_rig()
    assert started(rig.run_until(HOUR)) == []
    out = rig.read("basin", 20.0)
    assert started(out, TriggerReason.KEEP_WARM)


def learned_cooling(seconds: float) -> LearnedData:
    return LearnedData(
        fixtures={"basin": FixtureLearning(cooling_samples=(seconds, seconds, seconds))}
    )


def test_the_cooling_time_is_learned_from_a_sensor() -> None:
    rig = kw_rig()
    rig.read("basin", 30.0)
    heat(rig, celsius=41.0)  # ready at t=0
    rig.read("basin", 44.0, at=200.0)
    rig.read("basin", 34.0, at=1500.0)
    assert rig.c.learned.fixture("basin").cooling_samples == (1500.0,)
    assert any(isinstance(c, LearnedDataChanged) for _, c in rig.log)
    # a cycle that was stopped before the water arrived teaches nothing
    rig2 = kw_rig()
    rig2.read("basin", 30.0)
    rig2.send(Stop(), at=10.0)
    rig2.read("basin", 34.0, at=3000.0)
    assert rig2.c.learned.fixture("basin").cooling_samples == ()


def sensorless(cooled: float | None = None) -> tuple[Rig, InstallationSettings]:
    settings = InstallationSettings(
        topology=Topology.COLD_LINE,
        fixtures=(
            FixtureSettings(name="basin", cold_line_limit_c=45.0),
            FixtureSettings(
                name="sink",
                has_sensor=False,
                configured_volume_l=1.0,
                ready_hold_s=600.0,
                keep_warm=True,
            ),
        ),
        pump_flow_lpm=6.0,
        keep_warm_min_interval_s=60.0,
    )
    learned = None if cooled is None else learned_cooling(cooled)
    return Rig(settings, mode=Mode.KEEP_WARM, learned=learned), settings


@pytest.mark.parametrize(("cooled", "expected"), [(None, 600.0), (1200.0, 1200.0)])
def test_a_sensorless_fixture_purges_again_after_the_cooling_time(
    cooled: float | None, expected: float
) -> None:
    rig, _ = sensorless(cooled)
    # never heated: at once (the first event)
    assert [c.fixture for c in started([c for _, c in rig.log])] == ["sink"]
    rig.read("basin", 45.0)
    out = rig.run_until(60.0)
    end = next(c for c in of_type(out, CycleFinished) if c.fixture == "sink")
    assert end.outcome.value == "ready"
    ended = end.figures.ended_at
    assert rig.wakeup is not None
    out = rig.run_until(ended + expected + 1.0)
    assert [c.fixture for c in started(out)] == ["sink"]
    assert [t for t, c in rig.log if isinstance(c, CycleStarted)][-1] == pytest.approx(
        ended + expected
    )


def test_cooling_time_of_the_sensor_fixtures() -> None:
    auto = Automatic()
    settings = InstallationSettings(
        topology=Topology.RETURN_LINE,
        fixtures=(
            FixtureSettings(name="a", has_valve=False),
            FixtureSettings(name="b", has_valve=False),
            FixtureSettings(name="c", has_valve=False, has_sensor=False, ready_hold_s=99.0),
        ),
        pump_flow_lpm=6.0,
    )
    c = settings.fixtures[2]
    assert auto.cooling_s(c, settings, LearnedData()) == 99.0
    one = LearnedData(fixtures={"a": FixtureLearning(cooling_samples=(600.0,))})
    assert auto.cooling_s(c, settings, one) == 600.0
    two = one.with_fixture("b", FixtureLearning(cooling_samples=(1000.0, 1200.0, 1100.0)))
    assert auto.cooling_s(c, settings, two) == 850.0
    assert auto.cooling_s(settings.fixtures[1], settings, two) == 1100.0


# ----------------------------------------------------------------- waiting, never refusing


def test_automatic_starts_wait_for_the_cooldown_without_refusing() -> None:
    settings = replace(cold_line("basin"), cooldown_s=300.0, keep_warm_min_interval_s=0.0)
    rig = kw_rig(settings)
    rig.read("basin", 30.0)
    heat(rig)  # ends at 0: cooldown until 300
    out = rig.read("basin", 30.0, at=200.0)
    assert started(out) == []
    assert of_type(out, Refused) == []
    assert rig.wakeup == 300.0
    out = rig.run_until(300.0)
    assert started(out, TriggerReason.KEEP_WARM)


def test_automatic_starts_wait_for_the_daily_cap() -> None:
    settings = replace(cold_line("basin"), daily_pump_cap_s=100.0, keep_warm_min_interval_s=0.0)
    rig = kw_rig(settings)
    rig.read("basin", 30.0)  # starts at 0
    out = rig.run_until(150.0)  # max run 300 s, cap at 100 s of pump
    assert of_type(out, CycleFinished)[0].figures.end_reason.value == "daily_cap"
    out = rig.read("basin", 30.0, at=200.0)
    assert started(out) == []
    assert of_type(out, Refused) == []
    assert rig.wakeup is not None
    assert rig.wakeup >= 260.0
    out = rig.run_until(DAY_S + 200.0)
    assert started(out, TriggerReason.KEEP_WARM)


def test_automatic_starts_wait_for_an_unavailable_actuator() -> None:
    rig = kw_rig()
    rig.send(
        ActuatorState(
            actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.UNAVAILABLE, at=0.0
        )
    )
    out = rig.read("basin", 30.0)
    assert started(out) == []
    assert of_type(out, Refused) == []
    out = rig.send(
        ActuatorState(actuator=Actuator.VALVE, fixture="basin", state=ActuatorReading.OFF, at=5.0),
        at=5.0,
    )
    assert started(out, TriggerReason.KEEP_WARM)
    rig = Rig(return_line("far"), mode=Mode.KEEP_WARM)
    rig.send(ActuatorState(actuator=Actuator.PUMP, state=ActuatorReading.UNAVAILABLE, at=0.0))
    assert started(rig.read("far", 30.0)) == []


def test_no_automatic_cycle_when_shut_down_or_off() -> None:
    rig = kw_rig()
    rig.send(Shutdown())
    assert started(rig.read("basin", 20.0)) == []
    rig = kw_rig()
    rig.send(ModeChanged(mode=Mode.OFF))
    assert started(rig.read("basin", 20.0)) == []


# ----------------------------------------------------------------- freeze protection


def test_freeze_protection_ignores_presence_and_schedule() -> None:
    settings = replace(cold_line("basin"), freeze_protect_c=4.0)
    rig = Rig(settings, mode=Mode.VACATION)
    rig.send(Presence(home=False))
    rig.send(ScheduleState(active=False))
    rig.read("basin", 10.0)
    out = rig.send(TemperatureReading(fixture="basin", celsius=3.0, at=5.0, line=Line.COLD), 5.0)
    assert [c.trigger for c in started(out)] == [TriggerReason.FREEZE]
    rig.send(Stop(), at=10.0)
    # the minimum interval holds; then it goes again
    out = rig.send(TemperatureReading(fixture="basin", celsius=3.0, at=60.0, line=Line.COLD), 60.0)
    assert started(out) == []
    interval_end = 5.0 + settings.keep_warm_min_interval_s
    assert rig.wakeup == interval_end
    assert started(rig.run_until(interval_end), TriggerReason.FREEZE)


def test_freeze_protection_off_without_a_setting_or_in_off_mode() -> None:
    rig = Rig(cold_line("basin"))
    assert started(rig.read("basin", 1.0)) == []
    rig = Rig(replace(cold_line("basin"), freeze_protect_c=4.0), mode=Mode.OFF)
    assert started(rig.read("basin", 1.0)) == []


# ----------------------------------------------------------------- usage and draws


def usage_total(c: Controller, name: str = "basin") -> float:
    return sum(c.learned.usage.weights.get(name, {}).values())


def test_a_warming_pipe_is_a_draw() -> None:
    rig = Rig(cold_line("basin"))
    rig.read("basin", 20.0, at=1000.0)
    rig.read("basin", 21.0, at=1030.0)
    out = rig.read("basin", 24.5, at=1060.0)
    assert usage_total(rig.c) == 1.0
    assert rig.c.learned.draws == (DrawRecord(at=1060.0, fixture="basin", hit=False),)
    assert of_type(out, LearnedDataChanged)
    assert rig.c.snapshot().prediction.draws_7d == 1
    assert rig.c.snapshot().prediction.hit_rate == 0.0
    # the same draw, still warming, and another within ten minutes: one use
    rig.read("basin", 30.0, at=1090.0)
    rig.read("basin", 20.0, at=1400.0)
    rig.read("basin", 26.0, at=1450.0)
    assert usage_total(rig.c) == 1.0
    rig.read("basin", 20.0, at=1000.0 + DEDUPE_S + 500)
    rig.read("basin", 26.0, at=1000.0 + DEDUPE_S + 550)
    assert usage_total(rig.c) == pytest.approx(2.0, abs=0.01)


def test_a_hot_pipe_draw_is_a_hit() -> None:
    rig = Rig(cold_line("basin"))
    rig.read("basin", 38.0, at=1000.0)
    rig.read("basin", 45.0, at=1040.0)
    assert rig.c.learned.draws[-1].hit is True
    assert rig.c.snapshot().prediction.hit_rate == 1.0


def test_no_draw_while_a_cycle_runs_or_settles_or_when_off() -> None:
    rig = Rig(cold_line("basin"))
    rig.read("basin", 20.0)
    rig.send(Start(fixtures=("basin",)))
    usage_after_request = usage_total(rig.c)
    assert usage_after_request == 1.0  # the request is a use
    assert rig.c.learned.draws == ()  # but not a draw
    rig.read("basin", 30.0, at=20.0)  # onset: ready
    rig.read("basin", 45.0, at=40.0)  # the lagging sensor keeps rising after the stop
    rig.read("basin", 30.0, at=DEDUPE_S + 100)
    rig.read("basin", 31.0, at=DEDUPE_S + 130)
    assert usage_total(rig.c) == 1.0
    assert rig.c.learned.draws == ()
    off = Rig(cold_line("basin"), mode=Mode.OFF)
    off.read("basin", 20.0, at=10.0)
    off.read("basin", 30.0, at=40.0)
    assert off.c.learned.usage.weights == {}


def test_draw_sensor() -> None:
    settings = replace(
        cold_line("basin"),
        fixtures=(
            FixtureSettings(name="basin", cold_line_limit_c=45.0, has_draw_sensor=True),
            FixtureSettings(name="sink", cold_line_limit_c=45.0),
        ),
    )
    rig = Rig(settings)
    rig.read("basin", 20.0, at=10.0)
    rig.read("basin", 30.0, at=40.0)  # warming is not counted: the draw sensor reports draws
    assert rig.c.learned.draws == ()
    rig.send(DrawObserved(fixture="basin", at=35.0), at=50.0)
    assert rig.c.learned.draws == (DrawRecord(at=35.0, fixture="basin", hit=False),)
    rig.send(DrawObserved(fixture="sink", at=60.0), at=60.0)  # no draw sensor there
    rig.send(DrawObserved(fixture="nowhere", at=60.0), at=60.0)
    assert len(rig.c.learned.draws) == 1
    rig.send(DrawObserved(fixture="basin", at=float("nan")), at=2000.0)
    assert rig.c.learned.draws[-1] == DrawRecord(at=2000.0, fixture="basin", hit=False)


def test_reset_usage() -> None:
    settings = cold_line("basin", "sink")
    rig = Rig(settings)
    for name in ("basin", "sink"):
        rig.send(DrawObserved(fixture=name, at=0.0))
        rig.send(Start(fixtures=(name,)), at=rig.now + DEDUPE_S)
    data = replace(
        rig.c.learned,
        draws=(
            DrawRecord(at=1.0, fixture="basin", hit=True),
            DrawRecord(at=2.0, fixture="sink", hit=False),
        ),
    )
    c = Controller(settings, learned=data)
    c.handle(Startup(), 10.0)
    out = c.handle(ResetUsage(fixtures=("basin",)), 20.0)
    assert of_type(out, LearnedDataChanged)
    assert set(c.learned.usage.weights) == {"sink"}
    assert [d.fixture for d in c.learned.draws] == ["sink"]
    c.handle(ResetUsage(), 30.0)
    assert c.learned.usage == UsageProfile()
    assert c.learned.draws == ()


# ----------------------------------------------------------------- predictive pre-heat


def routine(days: int, *, at: float = 7 * HOUR, fixture: str = "basin") -> LearnedData:
    """Learned data of a draw at ``at`` every day for ``days`` days."""
    usage = UsageProfile()
    for day in range(days):
        usage = usage.with_draw(fixture, day * DAY_S + at)
    return LearnedData(usage=usage)


def test_a_daily_routine_is_pre_heated_ahead_of_time() -> None:
    settings = cold_line("basin")
    rig = Rig(settings, mode=Mode.PREDICTIVE, learned=routine(3))
    rig.read("basin", 20.0, at=3 * DAY_S)
    lead = time_to_hot_s(settings, rig.c.learned, "basin") + 30.0
    # the routine's draws came on the hour: hot a few minutes before
    due = 3 * DAY_S + 7 * HOUR - PREHEAT_AHEAD_S - lead
    assert rig.wakeup == pytest.approx(due)
    out = rig.run_until(due)
    assert [c.trigger for c in started(out)] == [TriggerReason.PREDICTION]
    assert rig.c.snapshot().prediction.preheats_today == 1
    heat(rig)
    # the draw comes: the pre-heat was used, and it was a hit
    rig.read("basin", 38.0, at=due + 400)
    rig.read("basin", 46.0, at=due + 440)
    stats = rig.c.snapshot().prediction
    assert rig.c.learned.preheats[-1].outcome is PreheatOutcome.USED
    assert (stats.wasted_today, stats.hit_rate) == (0, 1.0)
    # not twice for the same slot
    rig.read("basin", 30.0, at=due + 1800)
    assert started(rig.run_until(3 * DAY_S + 12 * HOUR), TriggerReason.PREDICTION) == []


def test_a_preheat_with_no_draw_is_wasted() -> None:
    rig = Rig(cold_line("basin"), mode=Mode.PREDICTIVE, learned=routine(3))
    rig.read("basin", 20.0, at=3 * DAY_S)
    rig.run_until(3 * DAY_S + 7 * HOUR)
    heat(rig)
    rig.read("basin", 30.0, at=rig.now + 1200)  # cooled: readiness ends
    stats = rig.c.snapshot().prediction
    assert (stats.preheats_today, stats.wasted_today, stats.wasted_7d) == (1, 1, 1)
    assert rig.c.learned.preheats[-1].outcome is PreheatOutcome.WASTED


def test_no_preheat_when_hot_away_over_the_limit_or_in_other_modes() -> None:
    rig = Rig(cold_line("basin"), mode=Mode.PREDICTIVE, learned=routine(3))
    rig.read("basin", 45.0, at=3 * DAY_S + 7 * HOUR - 200)  # still hot
    assert started(rig.run_until(3 * DAY_S + 7 * HOUR + SLOT_S)) == []
    limited = replace(cold_line("basin"), preheat_daily_limit=0)
    rig = Rig(limited, mode=Mode.PREDICTIVE, learned=routine(3))
    rig.read("basin", 20.0, at=3 * DAY_S)
    assert started(rig.run_until(4 * DAY_S)) == []
    rig = Rig(cold_line("basin"), mode=Mode.PREDICTIVE, learned=routine(3))
    rig.send(Presence(home=False), at=3 * DAY_S)
    rig.read("basin", 20.0)
    assert started(rig.run_until(3 * DAY_S + 8 * HOUR)) == []
    rig = Rig(cold_line("basin"), mode=Mode.KEEP_WARM, learned=routine(3))
    rig.read("basin", 36.0, at=3 * DAY_S)
    assert started(rig.run_until(3 * DAY_S + 8 * HOUR), TriggerReason.PREDICTION) == []


def test_the_daily_limit_counts_per_local_day() -> None:
    usage = UsageProfile()
    for day in range(3):
        for hour in (6, 7, 8):
            usage = usage.with_draw("basin", day * DAY_S + hour * HOUR)
    settings = replace(cold_line("basin"), preheat_daily_limit=2)
    rig = Rig(settings, mode=Mode.PREDICTIVE, learned=LearnedData(usage=usage))
    rig.read("basin", 20.0, at=3 * DAY_S)
    for _ in range(3):
        rig.run_until(rig.wakeup or rig.now)
        if rig.c.snapshot().fixtures["basin"].state.value == "heating":
            heat(rig)
            rig.read("basin", 20.0, at=rig.now + 1800)
    assert rig.c.snapshot().prediction.preheats_today == 2
    assert len(started(rig.run_until(3 * DAY_S + 10 * HOUR), TriggerReason.PREDICTION)) == 0


def test_local_time_shifts_the_slots() -> None:
    auto = Automatic()
    auto.set_offset(8 * HOUR)
    assert auto.utc_offset_s == 8 * HOUR
    auto.set_offset(float("nan"))
    auto.set_offset(30 * HOUR)
    assert auto.utc_offset_s == 8 * HOUR
    assert auto.local_day(DAY_S - 4 * HOUR) == 1
    rig = Rig(cold_line("basin"), mode=Mode.PREDICTIVE)
    rig.send(LocalTime(utc_offset_s=8 * HOUR))
    rig.send(DrawObserved(fixture="basin", at=0.0))  # not a draw-sensor fixture
    rig.send(Start(fixtures=("basin",)), at=HOUR)  # 09:00 local
    weights = rig.c.learned.usage.weights["basin"]
    assert list(weights) == [int(9 * HOUR // SLOT_S)]


def test_time_to_hot() -> None:
    settings = cold_line("basin")
    assert time_to_hot_s(settings, LearnedData(), "basin") == pytest.approx(100.0)
    learned = LearnedData(fixtures={"basin": FixtureLearning(transit_samples=(1.0,))})
    assert time_to_hot_s(settings, learned, "basin") == pytest.approx(20.0)
    configured = replace(
        settings, fixtures=(FixtureSettings(name="basin", configured_volume_l=2.0),)
    )
    assert time_to_hot_s(configured, LearnedData(), "basin") == pytest.approx(30.0)
    assert time_to_hot_s(return_line("far"), LearnedData(), "far") == pytest.approx(93.0)


# ----------------------------------------------------------------- statistics and storage


def test_stats_window_and_pending_preheats() -> None:
    data = LearnedData(
        draws=(
            DrawRecord(at=0.0, fixture="basin", hit=True),
            DrawRecord(at=7 * DAY_S + 10, fixture="basin", hit=False),
        ),
        preheats=(
            PreheatRecord(at=7 * DAY_S, fixture="basin"),
            PreheatRecord(at=7 * DAY_S + 10, fixture="basin", outcome=PreheatOutcome.USED),
            PreheatRecord(at=99 * DAY_S, fixture="basin"),  # in the future: not counted
        ),
    )
    auto = Automatic()
    stats = auto.stats(7 * DAY_S + PREHEAT_EXPIRY_S + 20, data)
    assert (stats.draws_7d, stats.hit_rate) == (1, 0.0)
    assert (stats.preheats_today, stats.wasted_today, stats.wasted_7d) == (2, 1, 1)
    assert auto.stats(7 * DAY_S + PREHEAT_EXPIRY_S + 20, data) is stats  # cached


def test_learned_data_with_usage_round_trips_and_old_data_loads() -> None:
    data = LearnedData(
        fixtures={"basin": FixtureLearning(transit_samples=(1.0,), cooling_samples=(900.0,))},
        usage=UsageProfile().with_draw("basin", 7 * HOUR),
        draws=(DrawRecord(at=7 * HOUR, fixture="basin", hit=True),),
        preheats=(PreheatRecord(at=7 * HOUR - 60, fixture="basin"),),
    )
    loaded = LearnedData.from_dict(json.loads(json.dumps(data.to_dict())))
    assert loaded == data
    assert loaded.reset_reason is None
    old = {"version": 1, "fixtures": {"basin": {"transit_samples": [1.0]}}}
    assert LearnedData.from_dict(old).reset_reason is None
    assert LearnedData.from_dict(old).usage == UsageProfile()
    for key, bad in (
        ("usage", {"version": 9}),
        ("draws", [[1.0, "basin"]]),
        ("draws", "x"),
        ("preheats", [[1.0, "basin", "maybe"]]),
    ):
        raw = {**data.to_dict(), key: bad}
        loaded = LearnedData.from_dict(raw)
        assert loaded.reset_reason is ResetReason.CORRUPT
        assert loaded.fixture("basin").transit_samples == (1.0,)
    raw = data.to_dict()
    raw["fixtures"]["basin"]["cooling_samples"] = [5.0]
    assert LearnedData.from_dict(raw).reset_reason is ResetReason.CORRUPT


def test_logs_stay_bounded() -> None:
    data = LearnedData()
    for i in range(50):
        data = data.with_draw(DrawRecord(at=i * DAY_S, fixture="basin", hit=False))
        data = data.with_preheat(PreheatRecord(at=i * DAY_S, fixture="basin"))
    assert len(data.draws) <= 9
    assert len(data.preheats) <= 9
    sample = FixtureLearning()
    for i in range(10):
        sample = sample.with_cooling_sample(600.0 + i)
    assert len(sample.cooling_samples) == 5
    assert sample.with_cooling_sample(1.0) == sample


def test_settings_change_forgets_removed_fixtures() -> None:
    rig = kw_rig(cold_line("basin", "sink"))
    rig.read("sink", 20.0)
    rig.send(SettingsChanged(settings=cold_line("basin")), at=10.0)
    out = rig.read("basin", 20.0, at=30.0)  # after the cooldown
    assert [c.fixture for c in started(out)] == ["basin"]


def test_schedule_wakeup_is_in_the_future() -> None:
    rig = Rig(cold_line("basin"), mode=Mode.PREDICTIVE, learned=routine(3))
    rig.send(Tick())
    wakeups = [(t, cmd.at) for t, cmd in rig.log if isinstance(cmd, ScheduleWakeup)]
    assert wakeups
    assert all(at is None or at > t for t, at in wakeups)


def test_a_preheat_slot_that_passes_while_over_the_limit_is_skipped() -> None:
    usage = UsageProfile()
    for day in range(3):
        for hour in (7, 9):
            usage = usage.with_draw("basin", day * DAY_S + hour * HOUR)
    settings = replace(cold_line("basin"), preheat_daily_limit=1)
    data = LearnedData(
        usage=usage,
        preheats=(
            PreheatRecord(at=DAY_S, fixture="basin", outcome=PreheatOutcome.USED),
            PreheatRecord(at=3 * DAY_S + HOUR, fixture="basin", outcome=PreheatOutcome.USED),
        ),
    )
    rig = Rig(settings, mode=Mode.PREDICTIVE, learned=data)
    rig.read("basin", 20.0, at=3 * DAY_S + 2 * HOUR)
    # the limit (1) is used up today: the 07:00 and 09:00 slots pass; tomorrow it goes again
    assert started(rig.run_until(3 * DAY_S + 12 * HOUR)) == []
    rig.read("basin", 20.0, at=4 * DAY_S + 6 * HOUR)
    out = rig.run_until(4 * DAY_S + 7 * HOUR)
    # the pipe never reads hot here: the pre-heat's hold re-heats it, still one pre-heat
    assert {c.trigger for c in started(out)} == {TriggerReason.PREDICTION}
    stats = rig.c.snapshot().prediction
    assert stats.preheats_today == 1


def test_a_routine_that_straddles_a_slot_edge_is_one_preheat() -> None:
    usage = UsageProfile()
    for day in range(4):
        for minute in (-3, 2):  # 06:57 and 07:02
            usage = usage.with_draw("basin", day * DAY_S + 7 * HOUR + minute * 60 + day)
    rig = Rig(cold_line("basin"), mode=Mode.PREDICTIVE, learned=LearnedData(usage=usage))
    rig.read("basin", 20.0, at=4 * DAY_S)
    out = rig.run_until(4 * DAY_S + 7 * HOUR)
    starts = [t for t, c in rig.log if isinstance(c, CycleStarted)]
    assert {c.trigger for c in started(out)} == {TriggerReason.PREDICTION}
    assert len(rig.c.learned.preheats) == 1
    lead = time_to_hot_s(rig.c.settings, rig.c.learned, "basin") + 30.0
    # timed on the mean of both slots' draws (about 06:59:30)
    assert starts[0] == pytest.approx(4 * DAY_S + 7 * HOUR - 30 - PREHEAT_AHEAD_S - lead, abs=20)


def test_when_in_a_slot_the_draws_come() -> None:
    profile = UsageProfile()
    assert profile.offset_s("basin", 28) == SLOT_S / 2
    profile = profile.with_draw("basin", 7 * HOUR + 120).with_draw("basin", DAY_S + 7 * HOUR + 240)
    slot = int(7 * HOUR // SLOT_S)
    assert profile.offset_s("basin", slot) == pytest.approx(120.0)
    assert profile.offset_s("basin", slot + 96) == pytest.approx(240.0)
    # another day at the same time of day: the daily mean
    assert 120 < profile.offset_s("basin", slot + 2 * 96) < 240
    again = UsageProfile.from_dict(json.loads(json.dumps(profile.to_dict())))
    assert again.offset_s("basin", slot) == pytest.approx(profile.offset_s("basin", slot), abs=0.1)
    assert UsageProfile.parse({**profile.to_dict(), "offsets": {"basin": {"x": 1}}}) is None
    decayed = profile.decayed(40 * DAY_S)
    assert decayed.offset_s("basin", slot) == pytest.approx(profile.offset_s("basin", slot))
    assert profile.without(("basin",)).offsets == {}


@pytest.mark.parametrize(
    "raw",
    [
        {"version": 1, "fixtures": []},
        {"version": 1, "fixtures": {"b": []}},
        {"version": 1, "fixtures": {}, "offsets": []},
        {"version": 1, "fixtures": {}, "offsets": {"b": {"1": float("nan")}}},
        {"version": 1, "fixtures": {}, "since": True},
    ],
)
def test_unreadable_profiles(raw: object) -> None:
    assert UsageProfile.parse(raw) is None
    assert UsageProfile.from_dict(raw) == UsageProfile()


def test_corrupt_records_are_dropped_one_by_one() -> None:
    raw = LearnedData(
        draws=(DrawRecord(at=1.0, fixture="a", hit=True),),
        preheats=(PreheatRecord(at=1.0, fixture="a"),),
    ).to_dict()
    raw["draws"].append(["x", "a", True])
    raw["preheats"] = "nonsense"
    loaded = LearnedData.from_dict(raw)
    assert loaded.reset_reason is ResetReason.CORRUPT
    assert loaded.draws == (DrawRecord(at=1.0, fixture="a", hit=True),)
    assert loaded.preheats == ()


def test_readings_do_not_recompute_the_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hot path: a reading costs O(fixtures); the profile is scored only when it changed."""
    rig = Rig(cold_line("basin", "sink"), mode=Mode.PREDICTIVE, learned=routine(3))
    calls = 0
    original = UsageProfile.score

    def counting(self: UsageProfile, *args: object, **kwargs: object) -> float:
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(UsageProfile, "score", counting)
    rig.read("basin", 20.0, at=3 * DAY_S)
    first = calls
    assert first > 0  # planned once
    for i in range(200):
        rig.read("basin", 20.0 + (i % 2) * 0.5, at=3 * DAY_S + 10 * (i + 1))
        rig.read("sink", 20.0, at=3 * DAY_S + 10 * (i + 1))
    assert calls == first


def test_keep_warm_on_a_return_line_starts_each_cold_fixture_once() -> None:
    rig = kw_rig(return_line("near", "far"))
    rig.read("near", 45.0)
    out = rig.read("far", 30.0)
    assert [c.fixture for c in started(out)] == ["far"]
    out = rig.read("near", 30.0, at=5.0)  # joins the running pump run
    assert [c.fixture for c in started(out)] == ["near"]
    assert started(rig.read("far", 30.0, at=6.0)) == []


# ----------------------------------------------------------------- keeping the tap hot


def capped(name: str = "basin") -> InstallationSettings:
    """A cold-line fixture whose target is capped by its limit (an RO purifier at 38 C)."""
    return InstallationSettings(
        topology=Topology.COLD_LINE,
        fixtures=(
            FixtureSettings(name=name, has_cold_sensor=True, target_c=38.0, cold_line_limit_c=38.0),
        ),
        pump_flow_lpm=6.0,
    )


def test_reheat_level_capped_by_the_cold_line_is_just_below_the_target() -> None:
    auto = Automatic()
    settings = capped()
    fx = settings.fixtures[0]
    assert auto.reheat_level(fx, settings) == pytest.approx(37.0)


def test_reheat_level_follows_what_the_last_cycle_left() -> None:
    auto = Automatic()
    settings = return_line("far")
    fx = replace(settings.fixtures[0], target_c=45.0)
    settings = replace(settings, fixtures=(fx,))
    assert auto.reheat_level(fx, settings) == pytest.approx(40.0)  # nothing known: the band
    auto.cycle_finished("far", ready=True, sensor=True, now=0.0, settings=settings)
    learned = LearnedData()
    auto.reading(fx, 40.0, 30.0, quiet=True, settings=settings, learned=learned)
    auto.reading(fx, 48.0, 60.0, quiet=True, settings=settings, learned=learned)
    assert auto.reheat_level(fx, settings) == pytest.approx(43.0)  # peak 48 - 5
    auto.reading(fx, 58.0, 400.0, quiet=True, settings=settings, learned=learned)  # too late
    assert auto.reheat_level(fx, settings) == pytest.approx(43.0)
    auto.cycle_finished("far", ready=True, sensor=True, now=500.0, settings=settings)
    auto.reading(fx, 60.0, 530.0, quiet=True, settings=settings, learned=learned)
    assert auto.reheat_level(fx, settings) == pytest.approx(45.0)  # at most the target


def test_reheat_level_below_an_uncapped_cold_line_limit() -> None:
    auto = Automatic()
    settings = cold_line("basin")  # target 40, limit 45: a band fits below the limit
    fx = settings.fixtures[0]
    auto.cycle_finished("basin", ready=True, sensor=True, now=0.0, settings=settings)
    auto.reading(fx, 50.0, 30.0, quiet=True, settings=settings, learned=LearnedData())
    assert auto.reheat_level(fx, settings) == pytest.approx(40.0)


def test_keep_warm_in_a_capped_home_reheats_as_soon_as_the_valve_may_open() -> None:
    rig = Rig(capped(), mode=Mode.KEEP_WARM)
    assert started(rig.read("basin", 37.5)) == []
    assert started(rig.read("basin", 36.5, at=10.0), TriggerReason.KEEP_WARM)


def test_keep_warm_waits_while_the_cold_line_is_at_its_limit() -> None:
    rig = Rig(capped(), mode=Mode.KEEP_WARM)
    rig.send(TemperatureReading(fixture="basin", celsius=37.5, at=0.0, line=Line.COLD))
    assert started(rig.read("basin", 30.0, at=1.0)) == []
    out = rig.send(TemperatureReading(fixture="basin", celsius=30.0, at=60.0, line=Line.COLD))
    assert started(out, TriggerReason.KEEP_WARM)


def test_a_preheat_holds_the_water_hot_through_its_draws_spread() -> None:
    rig = Rig(cold_line("basin", cooldown_s=0.0), mode=Mode.PREDICTIVE, learned=routine(3))
    rig.read("basin", 20.0, at=3 * DAY_S)
    due = rig.wakeup
    assert due is not None
    out = rig.run_until(due)
    assert started(out, TriggerReason.PREDICTION)
    heat(rig)
    # it cools below the band inside the hold: re-heated, still one pre-heat
    out = rig.read("basin", 33.0, at=due + 300)
    assert started(out, TriggerReason.PREDICTION)
    assert len(rig.c.learned.preheats) == 1
    heat(rig)
    # readiness ends inside the hold: the pre-heat is not resolved yet
    rig.read("basin", 30.0, at=due + 320)
    assert rig.c.learned.preheats[-1].outcome is PreheatOutcome.PENDING
    # the hold ends at the slot's end: no draw came, wasted; no re-heat after it
    rig.read("basin", 25.0, at=3 * DAY_S + 7 * HOUR + 20 * 60)
    out = rig.run_until(3 * DAY_S + 8 * HOUR)
    assert started(out, TriggerReason.PREDICTION) == []
    assert rig.c.learned.preheats[-1].outcome is PreheatOutcome.WASTED
    assert len(rig.c.learned.preheats) == 1


def busy_window(days: int, fixture: str = "basin") -> LearnedData:
    """Draws at random-looking times between 18:00 and 20:00 (one slot in two each day)."""
    usage = UsageProfile()
    for day in range(days):
        for k in range(8):
            if (k + day) % 2 == 0:
                usage = usage.with_draw(fixture, day * DAY_S + 18 * HOUR + k * SLOT_S + 300)
    return LearnedData(usage=usage)


def test_a_busy_window_is_held_hot_by_one_preheat() -> None:
    rig = Rig(cold_line("basin", cooldown_s=0.0), mode=Mode.PREDICTIVE, learned=busy_window(6))
    rig.read("basin", 20.0, at=6 * DAY_S)
    lead = time_to_hot_s(rig.c.settings, rig.c.learned, "basin") + 30.0
    out = rig.run_until(6 * DAY_S + 17 * HOUR)
    assert started(out) == []
    # hot by the first busy slot (no routine's few minutes ahead)
    assert rig.wakeup is not None
    assert rig.wakeup <= 6 * DAY_S + 18 * HOUR - lead + 1
    assert rig.wakeup >= 6 * DAY_S + 17 * HOUR
    out = rig.run_until(rig.wakeup)
    assert started(out, TriggerReason.PREDICTION)
    heat(rig)
    # cooling an hour later, still in the window: re-heated within the same pre-heat
    out = rig.read("basin", 30.0, at=6 * DAY_S + 19 * HOUR)
    assert started(out, TriggerReason.PREDICTION)
    assert len(rig.c.learned.preheats) == 1


def test_an_automatic_reheat_of_a_warm_loop_waits_for_the_front() -> None:
    settings = return_line("near", "far")
    learned = LearnedData(
        fixtures={"far": FixtureLearning(transit_samples=(6.0,) * 3, warm_samples=(0.2,) * 3)}
    )
    rig = Rig(settings, mode=Mode.KEEP_WARM, learned=learned)
    rig.read("near", 50.0)
    out = rig.read("far", 30.0, at=1.0)
    assert started(out, TriggerReason.KEEP_WARM)
    # the warm-network transit (0.2 L, 2 s of pump) would stop it at once: it runs on until
    # its sensor sees the front
    rig.read("near", 50.0, at=20.0)
    rig.run_until(30.0)
    assert rig.finished() == []
    out = rig.read("far", 46.0, at=31.0)
    assert of_type(out, CycleFinished)[0].figures.end_reason.value == "threshold"


def test_a_warm_loop_still_predicts_a_request() -> None:
    settings = return_line("near", "far")
    learned = LearnedData(
        fixtures={"far": FixtureLearning(transit_samples=(6.0,) * 3, warm_samples=(0.2,) * 3)}
    )
    rig = Rig(settings, learned=learned)
    rig.read("near", 50.0)
    rig.read("far", 30.0, at=1.0)
    rig.send(Start(fixtures=("far",), reason=TriggerReason.REMOTE))
    rig.run_until(30.0)
    rig.read("far", 33.0, at=31.0)  # the sensor confirms the front
    assert [c.figures.end_reason.value for c in rig.finished()] == ["predicted"]


def test_a_hold_judges_the_pipe_once_the_sensor_has_settled() -> None:
    rig = Rig(capped(), mode=Mode.PREDICTIVE, learned=routine(3))
    rig.read("basin", 20.0, at=3 * DAY_S)
    due = rig.wakeup
    assert due is not None
    assert started(rig.run_until(due), TriggerReason.PREDICTION)
    out = heat(rig, celsius=38.0)
    assert of_type(out, CycleFinished)
    end = rig.now
    # the lagging sensor still reads low right after the stop: no re-heat yet
    assert started(rig.read("basin", 30.0, at=end + 10)) == []
    settle = end + rig.c.settings.ready_settle_s
    assert rig.wakeup is not None
    assert rig.wakeup <= settle
    out = rig.run_until(settle)
    assert started(out, TriggerReason.PREDICTION)
    assert len(rig.c.learned.preheats) == 1
