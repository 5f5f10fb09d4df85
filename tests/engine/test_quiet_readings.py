"""Quiet readings: a reading that changes no decision skips the rest of the pass.

The skip must be invisible: driven through the same events, a controller that skips and one that
always takes the full pass give the same commands, snapshots, learned data and wakeups; and while
``revision`` stays put, the snapshot changes only in what it says ``revision`` does not follow.
"""

from __future__ import annotations

from dataclasses import replace
import math

from hypothesis import event, given, strategies as st

from custom_components.zero_cold_water.engine import (
    Controller,
    Event,
    InstallationSettings,
    LearnedData,
    Line,
    Mode,
    Snapshot,
    Startup,
    TemperatureReading,
    Tick,
    TriggerReason,
)
from custom_components.zero_cold_water.engine.automatic import PREHEAT_EXPIRY_S
from custom_components.zero_cold_water.engine.prediction import (
    DAY_S,
    DrawRecord,
    PreheatOutcome,
)

from .helpers import Rig, cold_line, echo, profile
from .test_automatic import heat, routine, started
from .test_properties import build, events, installations, starting_data

REVISION_BLIND = frozenset({"now", "pump_run_24h_s"})
REVISION_BLIND_FIXTURE = frozenset({"temperature_c", "cold_temperature_c"})


def shown(snapshot: Snapshot) -> tuple[object, ...]:
    """Everything ``revision`` follows."""
    fixtures = tuple(
        replace(view, **dict.fromkeys(REVISION_BLIND_FIXTURE))
        for view in snapshot.fixtures.values()
    )
    return replace(snapshot, **dict.fromkeys(REVISION_BLIND, 0.0), fixtures={}), fixtures


def idle_readings(settings: InstallationSettings) -> st.SearchStrategy[tuple[float, object]]:
    """Readings close together, near the thresholds (bands at 35-37 C, freeze 10, limits 40/45)."""
    return st.tuples(
        st.floats(0.0, 30.0) | st.just(0.0),
        st.builds(
            lambda f, c, j, line: ("reading", f, c, j, line),
            st.sampled_from(settings.names),
            st.sampled_from([9.5, 10.0, 20.0, 20.5, 34.5, 35.0, 36.9, 37.0, 39.5, 40.0, 46.0])
            | st.floats(15.0, 50.0)
            | st.none(),
            st.just(0.0) | st.floats(-30.0, 0.0),
            st.sampled_from(list(Line)),
        ),
    )


def drive_both(
    settings: InstallationSettings,
    steps: list[tuple[float, object]],
    *,
    confirm: bool,
    learned: LearnedData | None,
    mode: Mode,
) -> int:
    """Drive a quiet-reading controller and a full-pass one alike; returns the quiet readings."""
    resume = Mode.KEEP_WARM if mode is Mode.VACATION else None
    quick = Controller(settings, learned=learned, mode=mode, resume_mode=resume)
    full = Controller(
        settings, learned=learned, mode=mode, resume_mode=resume, quiet_readings=False
    )
    now = 0.0
    quiet = 0
    queue: list[Event] = []
    for step, raw in steps:
        now = now + step if math.isfinite(step) else now
        queue.append(build(raw, now))
        while queue:
            item = queue.pop(0)
            revision, before = quick.revision, quick.snapshot()
            out = quick.handle(item, now)
            assert out == full.handle(item, now), item
            after = quick.snapshot()
            assert after == full.snapshot(), item
            assert quick.learned == full.learned
            assert quick.next_wakeup == full.next_wakeup
            assert quick.mode == full.mode
            if quick.revision == revision:
                assert isinstance(item, TemperatureReading)
                assert out == []
                assert shown(after) == shown(before), item
                quiet += 1
            if confirm:
                queue.extend(r for cmd in out if (r := echo(cmd, now)) is not None)
    return quiet


@profile()
@given(
    data=st.data(),
    settings=installations(),
    confirm=st.booleans(),
    transit=st.none() | st.floats(0.1, 5.0),
    mode=st.sampled_from(list(Mode)),
    routine=st.booleans(),
)
def test_quiet_readings_change_nothing_but_the_readings(  # noqa: PLR0917 - by name
    data: st.DataObject,
    settings: InstallationSettings,
    confirm: bool,
    transit: float | None,
    mode: Mode,
    routine: bool,
) -> None:
    step = events(settings) | idle_readings(settings) | idle_readings(settings)
    steps = data.draw(st.lists(step, min_size=8, max_size=80))
    learned = starting_data(transit, routine=routine)
    quiet = drive_both(settings, steps, confirm=confirm, learned=learned, mode=mode)
    event(f"quiet readings: {min(quiet, 5)}{'+' if quiet >= 5 else ''}")


def _idle(settings: InstallationSettings, **kwargs: object) -> Controller:
    controller = Controller(settings, **kwargs)  # type: ignore[arg-type]
    controller.handle(Startup(), 0.0)
    for name in settings.names:
        for line in Line:
            controller.handle(
                TemperatureReading(fixture=name, celsius=20.0, at=0.0, line=line), 0.0
            )
    return controller


def test_a_quiet_reading_skips_the_pass_and_keeps_the_revision() -> None:
    controller = _idle(cold_line("basin"))
    revision = controller.revision
    out = controller.handle(TemperatureReading(fixture="basin", celsius=21.0, at=1.0), 1.0)
    assert out == []
    assert controller.revision == revision
    assert controller.snapshot().fixtures["basin"].temperature_c == 21.0
    controller.handle(Tick(), 2.0)
    assert controller.revision > revision


def test_a_reading_across_a_threshold_takes_the_full_pass() -> None:
    settings = cold_line("basin", freeze_protect_c=10.0)
    controller = _idle(settings)
    revision = controller.revision
    # below the freeze threshold: a freeze-protection cycle starts
    out = controller.handle(TemperatureReading(fixture="basin", celsius=9.0, at=1.0), 1.0)
    assert controller.revision > revision
    assert out  # the cycle and its valve


def test_a_sensor_that_fails_takes_the_full_pass() -> None:
    controller = _idle(cold_line("basin", cooldown_s=0.0))
    revision = controller.revision
    # a sensor gone unavailable: believed no longer
    controller.handle(TemperatureReading(fixture="basin", celsius=None, at=1.0), 1.0)
    assert controller.revision > revision
    assert not controller.snapshot().fixtures["basin"].sensor_ok


def test_aged_prediction_statistics_bump_the_revision() -> None:
    """A quiet reading still shows statistics that time changed (a draw a week old ages out)."""
    learned = LearnedData(draws=(DrawRecord(at=-7 * DAY_S + 30.0, fixture="basin", hit=True),))
    controller = _idle(cold_line("basin"), learned=learned)
    assert controller.snapshot().prediction.draws_7d == 1
    revision = controller.revision
    out = controller.handle(TemperatureReading(fixture="basin", celsius=20.5, at=90.0), 90.0)
    assert out == []
    assert controller.revision == revision + 1
    assert controller.snapshot().prediction.draws_7d == 0


# Scenarios random events seldom reach; the rig's full-pass twin checks every step (helpers.Rig).


def test_a_preheat_that_ages_out_while_ready_is_resolved_by_a_reading() -> None:
    rig = Rig(cold_line("basin"), mode=Mode.PREDICTIVE, learned=routine(3))
    rig.read("basin", 20.0, at=3 * DAY_S)
    assert rig.wakeup is not None
    rig.read("basin", 20.0, at=rig.wakeup - 60.0)  # a sensor that is believed at the start
    assert started(rig.run_until(rig.wakeup), TriggerReason.PREDICTION)
    heat(rig)
    began = rig.c.learned.preheats[-1].at
    for minutes in range(10, 70, 10):  # still hot, still ready: the pre-heat stays open
        rig.read("basin", 45.0, at=began + minutes * 60.0)
    rig.read("basin", 45.0, at=began + PREHEAT_EXPIRY_S + 1.0)
    assert rig.c.learned.preheats[-1].outcome is PreheatOutcome.WASTED


def test_a_reading_on_a_new_local_day_takes_the_full_pass() -> None:
    """The pre-heat limit counts per local day, and a new day is no wakeup: look again."""
    controller = _idle(cold_line("basin", sensor_stale_after_s=2 * DAY_S))
    revision = controller.revision
    controller.handle(TemperatureReading(fixture="basin", celsius=20.5, at=DAY_S - 60), DAY_S - 60)
    assert controller.revision == revision
    controller.handle(TemperatureReading(fixture="basin", celsius=20.0, at=DAY_S + 60), DAY_S + 60)
    assert controller.revision > revision
