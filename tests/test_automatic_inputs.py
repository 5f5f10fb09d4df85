"""The shell's side of the automatic cycles: what it tells the engine, and when.

Presence, the keep-warm schedule, draw sensors and the local time become engine events; a mode
the engine switched by itself is kept across restarts. The engine's own decisions are tested in
test_automatic.py; here a spy records the events the engine gets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.zero_cold_water.const import (
    CONF_DRAW_SENSOR,
    CONF_PRESENCE,
    CONF_SCHEDULE,
    CONF_VACATION_AFTER,
    DOMAIN,
)
from custom_components.zero_cold_water.engine import (
    Controller,
    DrawObserved,
    Event,
    LocalTime,
    Mode,
    Presence,
    ResetUsage,
    ScheduleState,
)
from custom_components.zero_cold_water.states import presence_of

from .conftest import ENTRY_ID, FIXTURE_IDS, fix_issue, make_entry, settle, setup_entry

pytestmark = pytest.mark.usefixtures("hardware")

SCHEDULE = "schedule.hot_water"
PERSON = "person.ann"
TRACKER = "device_tracker.bob_phone"
ZONE = "zone.home"
GUEST = "input_boolean.guest_mode"


@pytest.fixture
def engine_events(monkeypatch: pytest.MonkeyPatch) -> list[Event]:
    """Every event any engine gets, in order."""
    seen: list[Event] = []
    original = Controller.handle

    def handle(self: Controller, event: Event, now: float) -> Any:
        seen.append(event)
        return original(self, event, now)

    monkeypatch.setattr(Controller, "handle", handle)
    return seen


def _of[T](events: list[Event], kind: type[T]) -> list[T]:
    return [event for event in events if isinstance(event, kind)]


@pytest.mark.parametrize(
    ("states", "home"),
    [
        ([], None),
        ([None, State(PERSON, "unknown"), State(ZONE, "unavailable")], None),
        ([State(PERSON, "home")], True),
        ([State(PERSON, "not_home")], False),
        ([State(PERSON, "Work")], False),  # another zone is away
        ([State(TRACKER, "not_home"), State(ZONE, "2")], True),
        ([State(ZONE, "0"), State(GUEST, "off")], False),
        ([State(ZONE, "many")], None),
        ([State(GUEST, "on"), State(PERSON, "not_home")], True),
        ([State("binary_sensor.occupied", "off"), State(PERSON, "unavailable")], False),
        ([State("binary_sensor.occupied", "open")], None),
    ],
)
def test_presence_of(states: list[State | None], home: bool | None) -> None:
    assert presence_of(states) is home


async def test_presence_and_schedule_reach_the_engine(
    hass: HomeAssistant, engine_events: list[Event]
) -> None:
    hass.states.async_set(PERSON, "not_home")
    hass.states.async_set(ZONE, "0")
    hass.states.async_set(SCHEDULE, "unavailable")
    await setup_entry(
        hass,
        make_entry(options={CONF_PRESENCE: [PERSON, ZONE], CONF_SCHEDULE: SCHEDULE}),
    )
    # At start: the local time, nobody home, and no keep-warm until the schedule is known.
    assert _of(engine_events, LocalTime)
    assert _of(engine_events, Presence) == [Presence(home=False)]
    assert _of(engine_events, ScheduleState) == [ScheduleState(active=False)]

    engine_events.clear()
    hass.states.async_set(ZONE, "1")
    await settle(hass)
    hass.states.async_set(PERSON, "home")  # still someone home: nothing new
    await settle(hass)
    hass.states.async_set(SCHEDULE, "on")
    await settle(hass)
    hass.states.async_set(SCHEDULE, STATE_UNAVAILABLE)  # kept as it was
    await settle(hass)
    hass.states.async_set(SCHEDULE, "off")
    await settle(hass)
    hass.states.async_set(ZONE, "0")
    hass.states.async_set(PERSON, "not_home")
    await settle(hass)
    assert [e for e in engine_events if isinstance(e, Presence | ScheduleState)] == [
        Presence(home=True),
        ScheduleState(active=True),
        ScheduleState(active=False),
        Presence(home=False),
    ]


async def test_without_inputs_only_the_local_time(
    hass: HomeAssistant, engine_events: list[Event]
) -> None:
    await setup_entry(hass, make_entry())
    assert _of(engine_events, LocalTime)
    assert not _of(engine_events, Presence)
    assert not _of(engine_events, ScheduleState)


async def test_local_time_follows_daylight_saving(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, engine_events: list[Event]
) -> None:
    # US/Pacific (the tests' time zone) springs forward at 2:00 on 8 March 2026 (10:00 UTC).
    freezer.move_to("2026-03-08 09:20:00+00:00")
    await setup_entry(hass, make_entry())
    assert _of(engine_events, LocalTime) == [LocalTime(utc_offset_s=-8 * 3600.0)]
    for minutes in (15, 15, 15, 15):
        freezer.tick(timedelta(minutes=minutes))
        async_fire_time_changed(hass)
        await settle(hass)
    # Sent once, on the change.
    assert _of(engine_events, LocalTime) == [
        LocalTime(utc_offset_s=-8 * 3600.0),
        LocalTime(utc_offset_s=-7 * 3600.0),
    ]


async def test_time_zone_change(hass: HomeAssistant, engine_events: list[Event]) -> None:
    await setup_entry(hass, make_entry())
    await hass.config.async_update(time_zone="Asia/Shanghai")
    await settle(hass)
    assert _of(engine_events, LocalTime)[-1] == LocalTime(utc_offset_s=8 * 3600.0)


@pytest.mark.parametrize(
    ("entity_id", "states", "draws"),
    [
        ("binary_sensor.kitchen_flow", ["off", "on", "on", "off", "on"], 2),
        ("binary_sensor.kitchen_flow", ["unavailable", "on", "off"], 0),
        ("input_boolean.kitchen_flow", ["off", "on"], 1),
        ("sensor.kitchen_flow", ["0.0", "2.5", "3.0", "0", "unknown", "4.0", "x", "1"], 1),
    ],
)
async def test_draw_sensor_rising_edges(
    hass: HomeAssistant,
    engine_events: list[Event],
    entity_id: str,
    states: list[str],
    draws: int,
) -> None:
    hass.states.async_set(entity_id, states[0])
    await setup_entry(hass, make_entry(fixture_extra={0: {CONF_DRAW_SENSOR: entity_id}}))
    for state in states[1:]:
        hass.states.async_set(entity_id, state)
        await settle(hass)
    observed = _of(engine_events, DrawObserved)
    assert len(observed) == draws
    assert all(event.fixture == FIXTURE_IDS[0] for event in observed)


async def test_mode_switched_by_the_engine_is_kept(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The shell's part of a vacation: the select follows, the Store keeps mode and return."""
    hass.states.async_set(PERSON, "home")
    entry = await setup_entry(
        hass, make_entry(options={CONF_PRESENCE: [PERSON], CONF_VACATION_AFTER: 1.0})
    )
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_set_mode(Mode.PREDICTIVE)
    hass.states.async_set(PERSON, "not_home")
    await settle(hass)
    for _ in range(3):  # away for longer than the vacation time
        freezer.tick(timedelta(minutes=30))
        async_fire_time_changed(hass)
        await settle(hass)
    assert hass.states.get("select.home_mode").state == "vacation"
    assert coordinator.mode is Mode.VACATION
    assert coordinator.resume_mode is Mode.PREDICTIVE
    stored = await coordinator.store.async_load()
    assert stored is not None
    assert (stored["mode"], stored["resume_mode"]) == ("vacation", "predictive")

    # A restart starts the engine in vacation, with the mode to return to.
    created: list[dict[str, Any]] = []
    original: Callable[..., None] = Controller.__init__

    def init(self: Controller, settings: Any, **kwargs: Any) -> None:
        created.append(kwargs)
        original(self, settings, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Controller, "__init__", init)
        await hass.config_entries.async_reload(entry.entry_id)
        await settle(hass)
    assert created[-1]["mode"] is Mode.VACATION
    assert created[-1]["resume_mode"] is Mode.PREDICTIVE
    assert entry.runtime_data.coordinator.resume_mode is Mode.PREDICTIVE


async def test_reset_learning_scopes(hass: HomeAssistant, engine_events: list[Event]) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    controller = coordinator.controller

    # Only the usage profile of the targeted fixture: the learned volumes stay.
    await hass.services.async_call(
        DOMAIN,
        "reset_learning",
        {"entity_id": "switch.kitchen_sink_hot_water", "forget": "usage_profile"},
        blocking=True,
    )
    assert _of(engine_events, ResetUsage) == [ResetUsage(fixtures=(FIXTURE_IDS[0],))]
    assert coordinator.controller is controller

    # Every fixture of the installation: all of it.
    engine_events.clear()
    await hass.services.async_call(
        DOMAIN, "reset_learning", {"entity_id": "select.home_mode", "forget": "all"}, blocking=True
    )
    assert _of(engine_events, ResetUsage) == [ResetUsage(fixtures=())]
    assert coordinator.controller is not controller  # the pipe volumes were reset too
    # The new engine was told the local time again.
    assert _of(engine_events, LocalTime)

    # The default: the pipe volumes only.
    engine_events.clear()
    await hass.services.async_call(
        DOMAIN, "reset_learning", {"entity_id": "select.home_mode"}, blocking=True
    )
    assert not _of(engine_events, ResetUsage)

    # The button: the whole usage profile.
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.home_reset_usage_profile"}, blocking=True
    )
    assert _of(engine_events, ResetUsage) == [ResetUsage(fixtures=())]


async def test_inputs_follow_renames_and_removals(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, issue_registry: ir.IssueRegistry
) -> None:
    for entity_id in (SCHEDULE, PERSON, ZONE, "binary_sensor.kitchen_flow"):
        domain, object_id = entity_id.split(".")
        entity_registry.async_get_or_create(
            domain, "test", object_id, suggested_object_id=object_id
        )
        hass.states.async_set(entity_id, "on" if domain != "person" else "home")
    entry = await setup_entry(
        hass,
        make_entry(
            options={CONF_SCHEDULE: SCHEDULE, CONF_PRESENCE: [PERSON, ZONE]},
            fixture_extra={0: {CONF_DRAW_SENSOR: "binary_sensor.kitchen_flow"}},
        ),
    )
    # Renames are followed (the installation reloads with the new ids).
    entity_registry.async_update_entity(SCHEDULE, new_entity_id="schedule.warm_water")
    entity_registry.async_update_entity(PERSON, new_entity_id="person.anna")
    entity_registry.async_update_entity(
        "binary_sensor.kitchen_flow", new_entity_id="binary_sensor.sink_flow"
    )
    await settle(hass)
    assert entry.options[CONF_SCHEDULE] == "schedule.warm_water"
    assert entry.options[CONF_PRESENCE] == ["person.anna", ZONE]
    assert entry.subentries[FIXTURE_IDS[0]].data[CONF_DRAW_SENSOR] == "binary_sensor.sink_flow"

    # A removed presence entity raises an issue whose fix picks a replacement.
    entity_registry.async_remove(ZONE)
    await hass.async_block_till_done()
    issue_id = f"missing_{ENTRY_ID}_presence_{ZONE}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    hass.states.async_set("device_tracker.bob", "home")
    result = await fix_issue(hass, issue_id, {"entity": "light.lamp"})
    assert result["errors"] == {"entity": "wrong_domain"}
    result = await fix_issue(hass, issue_id, {"entity": "device_tracker.bob"})
    assert result["type"] == "create_entry"
    await settle(hass)
    assert entry.options[CONF_PRESENCE] == ["person.anna", "device_tracker.bob"]

    # A removed draw sensor: the fix checks it can tell draws.
    entity_registry.async_remove("binary_sensor.sink_flow")
    await hass.async_block_till_done()
    issue_id = f"missing_{ENTRY_ID}_draw_sensor_{FIXTURE_IDS[0]}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    hass.states.async_set("sensor.sink_flow", "0.0")
    result = await fix_issue(hass, issue_id, {"entity": "sensor.kitchen_pipe"})
    assert result["errors"] == {"entity": "draw_sensor_not_flow"}
    result = await fix_issue(hass, issue_id, {"entity": "sensor.sink_flow"})
    assert result["type"] == "create_entry"
    await settle(hass)
    assert entry.subentries[FIXTURE_IDS[0]].data[CONF_DRAW_SENSOR] == "sensor.sink_flow"


async def test_options_change_follows_new_inputs(
    hass: HomeAssistant, engine_events: list[Event]
) -> None:
    """New presence or schedule entities reload the installation; tunables alone do not."""
    hass.states.async_set(PERSON, "not_home")
    hass.states.async_set(GUEST, "on")
    entry = await setup_entry(hass, make_entry(options={CONF_PRESENCE: [PERSON]}))
    coordinator = entry.runtime_data.coordinator
    assert _of(engine_events, Presence) == [Presence(home=False)]

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "keep_warm_hysteresis_k": 3.0}
    )
    await settle(hass)
    assert entry.runtime_data.coordinator is coordinator
    assert coordinator.controller is not None
    assert coordinator.controller.settings.keep_warm_hysteresis_c == 3.0

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_PRESENCE: [PERSON, GUEST]}
    )
    await settle(hass)
    assert entry.runtime_data.coordinator is not coordinator
    assert _of(engine_events, Presence)[-1] == Presence(home=True)
