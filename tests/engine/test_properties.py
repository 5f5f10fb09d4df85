"""Property tests: whatever arrives, in whatever order, every safety rule holds after every event."""

from __future__ import annotations

from dataclasses import dataclass, replace
import math

from hypothesis import event, given, strategies as st

from custom_components.zero_cold_water.engine import (
    JUNCTION,
    Actuator,
    ActuatorReading,
    ActuatorState,
    Command,
    Controller,
    CycleFinished,
    CycleStarted,
    DrawObserved,
    Event,
    FixtureLearning,
    FixtureSettings,
    FixtureState,
    InstallationSettings,
    LearnedData,
    Line,
    LocalTime,
    Mode,
    ModeChanged,
    Presence,
    Refused,
    ResetUsage,
    ScheduleState,
    ScheduleWakeup,
    SetPump,
    SettingsChanged,
    SetValve,
    Shutdown,
    Start,
    Startup,
    Stop,
    TemperatureReading,
    Tick,
    Topology,
    TriggerReason,
)
from custom_components.zero_cold_water.engine.prediction import UsageProfile

from .helpers import echo, profile

NAMES = ("a", "b", "c")


@st.composite
def installations(draw: st.DrawFn) -> InstallationSettings:
    topology = draw(st.sampled_from(list(Topology)))
    count = draw(st.integers(1, 3))
    fixtures = []
    for i, name in enumerate(NAMES[:count]):
        has_sensor = draw(st.booleans()) if i else True
        own_valve = topology is not Topology.RETURN_LINE and (i == 0 or draw(st.booleans()))
        fixtures.append(
            FixtureSettings(
                name=name,
                has_sensor=has_sensor,
                has_cold_sensor=draw(st.booleans()),
                has_valve=own_valve,
                served_by=None if own_valve or topology is Topology.RETURN_LINE else "a",
                target_c=40.0,
                cold_line_limit_c=draw(st.sampled_from([None, 40.0, 45.0])),
                tap_flow_lpm=8.0 if topology is Topology.DRAIN else None,
                configured_volume_l=None if has_sensor else 1.5,
                keep_warm=draw(st.booleans()) if i else True,
                has_draw_sensor=draw(st.booleans()),
            )
        )
    return InstallationSettings(
        topology=topology,
        fixtures=tuple(fixtures),
        pump_flow_lpm=None
        if topology is Topology.DRAIN
        else draw(st.sampled_from([4.0, 6.0, 10.0])),
        junction_valve=topology is Topology.RETURN_LINE and draw(st.booleans()),
        max_run_s=draw(st.sampled_from([30.0, 120.0, 300.0])),
        daily_pump_cap_s=draw(st.sampled_from([60.0, 3600.0])),
        cooldown_s=draw(st.sampled_from([0.0, 15.0])),
        valve_confirm_timeout_s=draw(st.sampled_from([5.0, 60.0])),
        pump_confirm_timeout_s=draw(st.sampled_from([5.0, 30.0])),
        keep_warm_min_interval_s=draw(st.sampled_from([0.0, 60.0, 1800.0])),
        freeze_protect_c=draw(st.sampled_from([None, 10.0])),
        vacation_after_s=draw(st.sampled_from([30.0, 86400.0])),
        preheat_daily_limit=draw(st.sampled_from([0, 2, 6])),
        preheat_threshold=draw(st.sampled_from([0.0, 0.5])),
    )


temperatures = st.one_of(
    st.none(),
    st.sampled_from([85.0, -127.0, math.nan, math.inf, -math.inf, 150.0, -40.0]),
    st.floats(-30.0, 110.0),
    st.floats(15.0, 60.0).map(lambda v: round(v * 2) / 2),
)
fixture_names = st.sampled_from([*NAMES, "ghost", JUNCTION])
jitter = st.floats(-120.0, 5.0) | st.just(math.nan)


def events(settings: InstallationSettings) -> st.SearchStrategy[tuple[float, Event]]:
    """(time step, event) pairs; steps may be negative (late, out of order) or zero."""
    reading = st.builds(
        lambda f, c, j, line: ("reading", f, c, j, line),
        fixture_names,
        temperatures,
        jitter,
        st.sampled_from(list(Line)),
    )
    actuator = st.builds(
        lambda kind, f, state, j: ("actuator", kind, f, state, j),
        st.sampled_from(list(Actuator)),
        fixture_names,
        st.sampled_from(list(ActuatorReading)),
        jitter,
    )
    start = st.builds(
        lambda fs, r, t, m: Start(fixtures=tuple(fs), reason=r, target_c=t, max_run_s=m),
        st.lists(fixture_names, max_size=3),
        st.sampled_from(list(TriggerReason)),
        st.none() | st.sampled_from([38.0, 42.0, math.nan]),
        st.none() | st.sampled_from([10.0, 60.0, -1.0, 1e9]),
    )
    valid_start = st.builds(
        lambda fs: Start(fixtures=tuple(fs)),
        st.lists(st.sampled_from(settings.names), min_size=1, max_size=3, unique=True),
    )
    hot_reading = st.builds(
        lambda f, c: ("reading", f, c, 0.0, Line.HOT),
        st.sampled_from(settings.names),
        st.sampled_from([20.0, 20.5, 21.5, 25.0, 41.0]),
    )
    other = st.sampled_from(
        [
            Tick(),
            Tick(),
            Stop(),
            Stop(fixtures=("a",)),
            ModeChanged(mode=Mode.OFF),
            ModeChanged(mode=Mode.ON_DEMAND),
            ModeChanged(mode=Mode.KEEP_WARM),
            ModeChanged(mode=Mode.PREDICTIVE),
            ModeChanged(mode=Mode.VACATION),
            Presence(home=True),
            Presence(home=False),
            Presence(home=False),
            Presence(home=None),
            ScheduleState(active=True),
            ScheduleState(active=False),
            LocalTime(utc_offset_s=8 * 3600.0),
            LocalTime(utc_offset_s=math.nan),
            LocalTime(utc_offset_s=-5 * 3600.0),
            ResetUsage(),
            ResetUsage(fixtures=("a",)),
            Startup(),
            Shutdown(),
            SettingsChanged(settings=settings),
            SettingsChanged(settings=InstallationSettings(topology=settings.topology, fixtures=())),
        ]
    )
    draw_seen = st.builds(lambda f, j: ("draw", f, j), fixture_names, jitter)
    step = (
        st.floats(0.0, 20.0)
        | st.floats(-10.0, 400.0)
        | st.just(0.0)
        | st.just(math.nan)
        | st.floats(1000.0, 90000.0)
    )
    return st.tuples(
        step,
        st.one_of(
            valid_start,
            hot_reading,
            reading,
            actuator,
            valid_start,
            start,
            hot_reading,
            other,
            draw_seen,
        ),
    )


@dataclass
class Running:
    started: float
    max_run: float


def build(raw: object, now: float) -> Event:
    if isinstance(raw, tuple) and raw[0] == "reading":
        _, f, c, j, line = raw
        return TemperatureReading(fixture=f, celsius=c, at=now + j, line=line)
    if isinstance(raw, tuple) and raw[0] == "actuator":
        _, kind, f, state, j = raw
        return ActuatorState(
            actuator=kind, fixture=None if kind is Actuator.PUMP else f, state=state, at=now + j
        )
    if isinstance(raw, tuple) and raw[0] == "draw":
        _, f, j = raw
        return DrawObserved(fixture=f, at=now + j)
    assert not isinstance(raw, tuple)
    return raw


def check_output(
    out: list[Command], settings: InstallationSettings, queued: frozenset[str] = frozenset()
) -> None:
    actuators = [c for c in out if isinstance(c, SetPump | SetValve)]
    if SetPump(on=False) in actuators:
        stop = actuators.index(SetPump(on=False))
        closes = [
            i
            for i, c in enumerate(actuators)
            if c == SetValve(fixture=getattr(c, "fixture", ""), open=False)
        ]
        assert all(stop < i for i in closes), "pump must stop before valves close"
    if SetPump(on=True) in actuators:
        assert actuators[-1] == SetPump(on=True), "pump starts last"
    if not settings.topology.has_pump:
        assert not [c for c in actuators if isinstance(c, SetPump) and c.on]
    # A refused fixture is not started by the engine in the same breath; a start that waited
    # for the cooldown (``queued`` before the step) is an earlier request of its own.
    refused = {f for c in out if isinstance(c, Refused) for f in c.fixtures}
    started = {c.fixture for c in out if isinstance(c, CycleStarted)}
    assert not (refused & started) - queued


def starting_data(transit: float | None, *, routine: bool) -> LearnedData:
    """Learned data to start from: ``a``'s transit if given, and a routine (a draw a day at
    00:10 for three days, every fixture) if asked."""
    learned = (
        LearnedData()
        if transit is None
        else LearnedData(fixtures={"a": FixtureLearning(transit_samples=(transit,))})
    )
    if routine:
        usage = UsageProfile()
        for day in range(-3, 0):
            for name in NAMES:
                usage = usage.with_draw(name, day * 86400.0 + 600.0)
        learned = replace(learned, usage=usage)
    return learned


def drive(
    settings: InstallationSettings,
    steps: list[tuple[float, object]],
    confirm: bool,
    learned: LearnedData | None,
    mode: Mode = Mode.ON_DEMAND,
) -> list[list[Command]]:
    controller = Controller(
        settings,
        learned=learned,
        mode=mode,
        resume_mode=Mode.KEEP_WARM if mode is Mode.VACATION else None,
    )
    now = 0.0
    running: dict[str, Running] = {}
    outputs: list[list[Command]] = []
    queue: list[Event] = []
    current = settings
    for step, raw in steps:
        now = now + step if math.isfinite(step) else now
        queue.append(build(raw, now))
        while queue:
            event = queue.pop(0)
            queued = frozenset(
                name
                for name, view in controller.snapshot().fixtures.items()
                if view.state is FixtureState.QUEUED
            )
            out = controller.handle(event, now)
            outputs.append(out)
            current = controller.settings
            assert controller.safety_violations() == [], (event, out)
            check_output(out, current, queued)
            at = controller.snapshot().now
            for cmd in out:
                if isinstance(cmd, ScheduleWakeup):
                    assert cmd.at is None or cmd.at > at, "a wakeup must lie in the future"
                if isinstance(cmd, CycleStarted):
                    running[cmd.fixture] = Running(started=at, max_run=cmd.max_run_s)
                elif isinstance(cmd, CycleFinished):
                    running.pop(cmd.fixture, None)
                    assert cmd.figures.ended_at - cmd.figures.started_at >= 0
                    assert cmd.figures.litres_moved >= 0
                if confirm and (report := echo(cmd, now)) is not None:
                    queue.append(report)
            for name, run in running.items():
                assert at - run.started < run.max_run, f"{name} outlived its maximum run time"
    return outputs


@profile()
@given(
    data=st.data(),
    settings=installations(),
    confirm=st.booleans(),
    transit=st.none() | st.floats(0.1, 5.0),
    mode=st.sampled_from(list(Mode)),
    routine=st.booleans(),
)
def test_safety_holds_after_every_event(  # noqa: PLR0917 - hypothesis passes them by name
    data: st.DataObject,
    settings: InstallationSettings,
    confirm: bool,
    transit: float | None,
    mode: Mode,
    routine: bool,
) -> None:
    steps = data.draw(st.lists(events(settings), min_size=8, max_size=80))
    learned = starting_data(transit, routine=routine)
    outputs = drive(settings, steps, confirm, learned, mode)
    flat = [c for out in outputs for c in out]
    event(f"pump started: {SetPump(on=True) in flat}")
    event(f"cycle finished: {any(isinstance(c, CycleFinished) for c in flat)}")


@profile()
@given(data=st.data(), settings=installations(), confirm=st.booleans())
def test_the_engine_is_deterministic(
    data: st.DataObject, settings: InstallationSettings, confirm: bool
) -> None:
    steps = data.draw(st.lists(events(settings), min_size=4, max_size=30))
    assert drive(settings, steps, confirm, None) == drive(settings, steps, confirm, None)
