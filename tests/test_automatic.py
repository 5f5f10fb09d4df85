"""Automatic cycles in a real Home Assistant: keep warm, presence and vacation, pre-heat, freezing.

One fixture (the kitchen sink: target 40 °C, sensor sensor.kitchen_pipe) unless a test says
otherwise; the clock is pinned (phcc's time zone is US/Pacific) and moved with freezer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.zero_cold_water.const import (
    CONF_COOLDOWN,
    CONF_DRAW_SENSOR,
    CONF_FREEZE_PROTECT,
    CONF_PRESENCE,
    CONF_SCHEDULE,
    CONF_VACATION_AFTER,
    EVENT_CYCLE,
)
from custom_components.zero_cold_water.engine import Mode

from .conftest import PUMP, SENSORS, VALVES, make_entry, set_temperature, settle, setup_entry

pytestmark = pytest.mark.usefixtures("hardware")

SCHEDULE = "schedule.hot_water"
PERSON = "person.ann"
FLOW = "binary_sensor.kitchen_flow"
KITCHEN = SENSORS[0]
MODE = "select.home_mode"
START = "2026-01-14 10:00:00-08:00"
"""A Wednesday morning, local time."""


async def _tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float, pipe: float | None = None
) -> None:
    """Let time pass; the pipe sensor reports (``pipe``, or its value again) meanwhile."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    state = hass.states.get(KITCHEN)
    set_temperature(hass, KITCHEN, pipe if pipe is not None else float(state.state))
    await settle(hass)


async def _mode(hass: HomeAssistant, mode: str) -> None:
    await hass.services.async_call(
        "select", "select_option", {"entity_id": MODE, "option": mode}, blocking=True
    )
    await settle(hass)


def _running(hass: HomeAssistant) -> bool:
    return hass.states.get(PUMP).state == STATE_ON and hass.states.get(VALVES[0]).state == STATE_ON


async def _heat_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, outcomes: list[Event]
) -> dict[str, Any]:
    """The hot water arrives at the kitchen sink; returns the cycle's outcome event data.

    The engine stops on the onset of the rise; the strapped-on sensor goes on rising after.
    """
    count = len(outcomes)
    for celsius in (21.0, 24.0, 30.0, 36.0, 41.0, 42.0):
        await _tick(hass, freezer, 4, celsius)
    assert len(outcomes) == count + 1, "the cycle did not finish"
    assert hass.states.get(PUMP).state == STATE_OFF
    return dict(outcomes[-1].data)


async def _setup(hass: HomeAssistant, **options: Any) -> MockConfigEntry:
    extra = options.pop("fixture_extra", None)
    return await setup_entry(
        hass,
        make_entry(fixtures=1, options={CONF_COOLDOWN: 0.0, **options}, fixture_extra=extra),
    )


async def test_keep_warm_follows_the_schedule(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    hass.states.async_set(SCHEDULE, STATE_OFF)
    await _setup(hass, **{CONF_SCHEDULE: SCHEDULE})
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _mode(hass, "keep_warm")
    assert hass.states.get(MODE).state == "keep_warm"

    # The pipe is cold (20 °C, below 40 - 5) but the schedule is off: nothing runs.
    await _tick(hass, freezer, 60)
    assert not _running(hass)

    # The schedule turns on: the kitchen sink is heated, and the cycle says why.
    hass.states.async_set(SCHEDULE, STATE_ON)
    await settle(hass)
    assert _running(hass)
    data = await _heat_up(hass, freezer, outcomes)
    assert (data["outcome"], data["trigger"]) == ("ready", "keep_warm")
    assert hass.states.get("event.home_cycle").attributes["trigger"] == "keep_warm"

    # Cooling within the hysteresis (38 °C > 35 °C): nothing starts.
    await _tick(hass, freezer, 31 * 60, 38.0)
    assert not _running(hass)

    # Below the hysteresis while the schedule is off: nothing starts either.
    hass.states.async_set(SCHEDULE, STATE_OFF)
    await settle(hass)
    await _tick(hass, freezer, 31 * 60, 30.0)
    await _tick(hass, freezer, 60, 25.0)
    assert not _running(hass)

    # The schedule on again: it starts.
    hass.states.async_set(SCHEDULE, STATE_ON)
    await settle(hass)
    assert _running(hass)


async def test_presence_away_blocks_automatic_cycles(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    hass.states.async_set(PERSON, "not_home")
    hass.states.async_set("zone.home", "0")
    await _setup(hass, **{CONF_PRESENCE: [PERSON, "zone.home"]})
    await _mode(hass, "keep_warm")
    await _tick(hass, freezer, 60)
    await _tick(hass, freezer, 60)
    assert not _running(hass)
    # Away for less than the vacation time: the mode stays keep-warm (only its cycles wait).
    assert hass.states.get(MODE).state == "keep_warm"

    hass.states.async_set("zone.home", "1")
    await settle(hass)
    assert _running(hass)


async def test_vacation_after_the_configured_absence_and_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    hass.states.async_set(PERSON, "home")
    set_temperature(hass, KITCHEN, 45.0)  # hot: keep warm has nothing to do meanwhile
    entry = await _setup(hass, **{CONF_PRESENCE: [PERSON], CONF_VACATION_AFTER: 2.0})
    await _mode(hass, "keep_warm")

    hass.states.async_set(PERSON, "not_home")
    await settle(hass)
    await _tick(hass, freezer, 3600, 45.0)
    assert hass.states.get(MODE).state == "keep_warm"
    await _tick(hass, freezer, 3600 + 60, 45.0)
    assert hass.states.get(MODE).state == "vacation"
    assert entry.runtime_data.coordinator.resume_mode is Mode.KEEP_WARM

    # It survives a reload (and a restart: the Store keeps mode and the mode to return to).
    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)
    assert hass.states.get(MODE).state == "vacation"
    assert entry.runtime_data.coordinator.resume_mode is Mode.KEEP_WARM
    stored = await entry.runtime_data.coordinator.store.async_load()
    assert (stored["mode"], stored["resume_mode"]) == ("vacation", "keep_warm")

    # Someone comes home: back to keep warm.
    hass.states.async_set(PERSON, "home")
    await settle(hass)
    assert hass.states.get(MODE).state == "keep_warm"
    assert entry.runtime_data.coordinator.resume_mode is None


async def test_freeze_protection_starts_a_cycle(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    await _setup(hass, **{CONF_FREEZE_PROTECT: 4.0})
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    assert hass.states.get(MODE).state == "on_demand"
    await _tick(hass, freezer, 60, 5.0)
    assert not _running(hass)
    await _tick(hass, freezer, 60, 3.5)
    assert _running(hass)
    data = await _heat_up(hass, freezer, outcomes)
    assert data["trigger"] == "freeze"


async def test_predictive_preheat_and_its_figures(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Hot water drawn at 07:00 every morning: soon it is hot before 07:00.

    The first pre-heat is met by the draw (a hit); the next one is not (wasted).
    """
    hass.states.async_set(FLOW, STATE_OFF)
    freezer.move_to("2026-01-12 06:00:00-08:00")  # a Monday
    entry = await _setup(hass, fixture_extra={0: {CONF_DRAW_SENSOR: FLOW}})
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _mode(hass, "predictive")
    assert hass.states.get("sensor.home_pre_heat_hit_rate").state == "unknown"
    assert hass.states.get("sensor.home_pre_heats_today").state == "0"

    async def draw() -> None:
        hass.states.async_set(FLOW, STATE_ON)
        await _tick(hass, freezer, 30, 38.0)
        hass.states.async_set(FLOW, STATE_OFF)
        await _tick(hass, freezer, 60, 30.0)

    async def morning(n: int) -> dict[str, Any] | None:
        """06:30 to 07:00 of day ``n``: the pre-heat's outcome, if one ran."""
        freezer.move_to(day + timedelta(days=n, minutes=-30))
        await _tick(hass, freezer, 1, 20.0)
        # Minutes, then 10 s steps close to 07:00 (a timer fires when the clock passes it).
        for seconds in [60] * 28 + [10] * 12:
            if _running(hass):
                started = hass.states.get(PUMP).last_changed
                assert started < (day + timedelta(days=n)).astimezone(started.tzinfo)
                return await _heat_up(hass, freezer, outcomes)
            await _tick(hass, freezer, seconds, 20.0)
        assert not _running(hass)
        return None

    day = datetime.fromisoformat("2026-01-12 07:00:00-08:00")
    preheats: list[int] = []
    for n in range(21):
        data = await morning(n)
        if data is not None:
            assert (data["outcome"], data["trigger"]) == ("ready", "prediction")
            assert hass.states.get("sensor.home_pre_heats_today").state == "1"
            preheats.append(n)
        if len(preheats) == 2:
            break  # nobody comes to the sink this morning
        await draw()
        if len(preheats) == 1 and preheats[0] == n:
            # The draw found the water hot: a hit.
            assert hass.states.get("sensor.home_wasted_pre_heats_today").state == "0"
            hit_rate = hass.states.get("sensor.home_pre_heat_hit_rate")
            assert hit_rate.attributes["unit_of_measurement"] == "%"
            assert float(hit_rate.state) > 0
    assert len(preheats) == 2, f"pre-heats on days {preheats} of 21"
    assert preheats[0] >= 1  # not before the first draw

    # The pre-heat's water cools with no draw: it was wasted.
    for _ in range(8):
        await _tick(hass, freezer, 15 * 60, 30.0)
    assert hass.states.get("sensor.home_pre_heats_today").state == "1"
    assert hass.states.get("sensor.home_wasted_pre_heats_today").state == "1"
    assert float(hass.states.get("sensor.home_pre_heat_hit_rate").state) > 0

    # What was learned survives a reload (a restart) as it is.
    figures = [
        hass.states.get(f"sensor.home_{key}").state
        for key in ("pre_heat_hit_rate", "pre_heats_today", "wasted_pre_heats_today")
    ]
    for _ in range(2):  # the second start saves what the first one loaded
        assert await hass.config_entries.async_reload(entry.entry_id)
        await settle(hass)
    assert [
        hass.states.get(f"sensor.home_{key}").state
        for key in ("pre_heat_hit_rate", "pre_heats_today", "wasted_pre_heats_today")
    ] == figures
    assert entry.runtime_data.coordinator.learned.usage.weights

    # Reset: the profile and the figures are gone.
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.home_reset_usage_profile"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get("sensor.home_pre_heat_hit_rate").state == "unknown"
    assert hass.states.get("sensor.home_pre_heats_today").state == "0"
    assert hass.states.get("sensor.home_wasted_pre_heats_today").state == "0"
