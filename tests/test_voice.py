# ruff: noqa: RUF001 - Chinese speech uses full-width punctuation
"""Voice as people say it, through HA's real default agent (hassil + home-assistant-intents).

Each phrasing acts on the right fixture (its valve) and answers in the asker's language; asking
twice and asking during the cooldown are answers, not errors. Nothing is copied into the config.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, device_registry as dr, entity_registry as er
import pytest

from custom_components.zero_cold_water.intent import compact_name
from custom_components.zero_cold_water.sentences import Action
from custom_components.zero_cold_water.voice import DATA_VOICE

from .assist import (
    BASIN,
    KITCHEN,
    SHOWER,
    entity,
    home,
    hot_water,
    open_valves,
    say,
    speech,
    tick,
    title,
)
from .conftest import ENTRY_ID, FIXTURE_IDS, PUMP, SENSORS, set_temperature, settle

pytestmark = pytest.mark.usefixtures("hardware")

START, STOP, READY = Action.START, Action.STOP, Action.READY
ENGLISH = [
    ("turn on hot water in the kitchen", START, {KITCHEN}),
    ("Turn on the hot water in the bathroom.", START, {BASIN}),
    ("turn on the kitchen hot water", START, {KITCHEN}),
    ("heat the hot water for the shower", START, {SHOWER}),
    ("get hot water to the bathroom", START, {BASIN}),
    ("preheat the kitchen sink", START, {KITCHEN}),
    ("i'd like some hot water in the restroom", START, {BASIN}),
    ("switch on the Bathroom basin Hot water", START, {BASIN}),
    ("warm up the hot water at the kitchen sink please", START, {KITCHEN}),
    ("i want to take a shower", START, {BASIN, SHOWER}),
    ("turn off the hot water in the kitchen", STOP, {KITCHEN}),
    ("stop the shower hot water", STOP, {SHOWER}),
    ("shut the hot water in the bathroom off", STOP, {BASIN}),
    ("is the hot water ready in the kitchen", READY, {KITCHEN}),
    ("is there hot water in the bathroom yet", READY, {BASIN}),
    ("has the hot water arrived at the shower", READY, {SHOWER}),
    ("is the kitchen hot water on", READY, {KITCHEN}),
]
CHINESE = [
    ("打开卫生间的热水", START, {BASIN}),
    ("打开厨房热水", START, {KITCHEN}),
    ("开一下洗手间的热水", START, {BASIN}),
    ("把浴室的热水打开", START, {BASIN}),
    ("预热一下淋浴的热水", START, {SHOWER}),
    ("给厨房来点热水", START, {KITCHEN}),
    ("卫生间要用热水", START, {BASIN}),
    ("请帮我启动厨房的零冷水", START, {KITCHEN}),
    ("打开洗手盆的热水器", START, {BASIN}),
    ("预热淋浴", START, {SHOWER}),
    ("我要洗澡", START, {BASIN, SHOWER}),
    ("关闭厨房的热水", STOP, {KITCHEN}),
    ("把卫生间的热水关掉", STOP, {BASIN}),
    ("淋浴的热水不用了", STOP, {SHOWER}),
    ("厨房的热水好了吗", READY, {KITCHEN}),
    ("卫生间有热水了吗？", READY, {BASIN}),
    ("淋浴热水到了没有", READY, {SHOWER}),
]
ANSWERS = {
    "en": {
        START: "Heating the hot water for {}.",
        STOP: "Stopped the hot water for {}.",
        READY: "Yes, hot water is ready at {}.",
    },
    "zh-Hans": {
        START: "正在为{}预热热水。",
        STOP: "已停止{}的热水。",
        READY: "是的，{}的热水已经就绪。",
    },
}
SEPARATOR = {"en": ", ", "zh-Hans": "、"}


def _names(language: str, fixtures: set[str]) -> str:
    ordered = [f for f in FIXTURE_IDS if f in fixtures]
    return SEPARATOR[language].join(title(language, f) for f in ordered)


@pytest.mark.parametrize(
    ("language", "text", "action", "fixtures"),
    [("en", *row) for row in ENGLISH] + [("zh-Hans", *row) for row in CHINESE],
)
async def test_what_people_say(
    hass: HomeAssistant, language: str, text: str, action: Action, fixtures: set[str]
) -> None:
    """A start opens only the fixtures asked for; a stop closes only them; a question names them."""
    await home(hass, language)
    if action is not START:  # every fixture heating: the pump switch heats them all
        pump = entity(hass, "switch", f"{ENTRY_ID}_pump")
        await hass.services.async_call("switch", "turn_on", {"entity_id": pump}, blocking=True)
        await settle(hass)
        assert open_valves(hass) == set(FIXTURE_IDS)
    if action is READY:  # the water arrived at the fixtures asked about, nowhere else
        for fixture in fixtures:
            set_temperature(hass, SENSORS[FIXTURE_IDS.index(fixture)], 45.0)
        await settle(hass)

    response = await say(hass, text, language)

    assert speech(response) == ANSWERS[language][action].format(_names(language, fixtures))
    expected = {START: fixtures, STOP: set(FIXTURE_IDS) - fixtures, READY: set(FIXTURE_IDS)}
    assert open_valves(hass) == expected[action] - (fixtures if action is READY else set())


@pytest.mark.parametrize(
    ("language", "steps"),
    [
        (
            "en",
            (
                "is the kitchen hot water ready",
                "No, the water at Kitchen sink is not hot.",
                "turn on the hot water in the kitchen",
                "Heating the hot water for Kitchen sink.",
                "Hot water is already on its way to Kitchen sink.",
                "turn off the hot water in the kitchen",
                "Stopped the hot water for Kitchen sink.",
                "turn on the hot water in the bathroom",
                "Hot water for Bathroom basin starts in 15 seconds.",
                "is the hot water ready in the bathroom",
                "Not yet, hot water is on its way to Bathroom basin.",
                "Yes, hot water is ready at Bathroom basin.",
                "Hot water is already there at Bathroom basin.",
                "The hot water for Kitchen sink was not on.",
            ),
        ),
        (
            "zh-Hans",
            (
                "厨房热水好了吗",
                "没有，厨房水槽的水还不热。",
                "打开厨房的热水",
                "正在为厨房水槽预热热水。",
                "厨房水槽的热水已经在路上了。",
                "关闭厨房的热水",
                "已停止厨房水槽的热水。",
                "打开卫生间的热水",
                "洗手盆的热水将在15秒后开始预热。",
                "卫生间的热水好了吗",
                "还没有，洗手盆的热水正在路上。",
                "是的，洗手盆的热水已经就绪。",
                "洗手盆已经有热水了。",
                "厨房水槽的热水本来就没有开。",
            ),
        ),
    ],
)
async def test_asking_twice_and_during_the_cooldown(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, language: str, steps: tuple[str, ...]
) -> None:
    (
        cold,
        no,
        start,
        started,
        again,
        stop,
        stopped,
        start_bath,
        waits,
        ask,
        not_yet,
        yes,
        hot,
        idle,
    ) = steps
    await home(hass, language)
    assert speech(await say(hass, cold, language)) == no

    assert speech(await say(hass, start, language)) == started
    assert open_valves(hass) == {KITCHEN}
    assert speech(await say(hass, start, language)) == again
    assert open_valves(hass) == {KITCHEN}
    assert speech(await say(hass, stop, language)) == stopped
    assert open_valves(hass) == set()
    assert hass.states.get(PUMP).state == STATE_OFF

    # In the cooldown after that cycle: the bathroom waits for its end, and says so.
    assert speech(await say(hass, start_bath, language)) == waits
    assert open_valves(hass) == set()
    assert hass.states.get(hot_water(hass, BASIN)).state == STATE_ON
    assert speech(await say(hass, ask, language)) == not_yet
    await tick(hass, freezer, 16)
    assert open_valves(hass) == {BASIN}
    assert hass.states.get(PUMP).state == STATE_ON

    set_temperature(hass, SENSORS[1], 45.0)
    await settle(hass)
    assert speech(await say(hass, ask, language)) == yes
    assert speech(await say(hass, start_bath, language)) == hot
    assert speech(await say(hass, stop, language)) == idle


@pytest.mark.parametrize(
    ("language", "text", "here", "everywhere"),
    [
        (
            "en",
            "turn on the hot water",
            "Heating the hot water for Kitchen sink.",
            (
                "Heating the hot water for Bathroom basin, Shower. "
                "Hot water is already on its way to Kitchen sink."
            ),
        ),
        (
            "zh-Hans",
            "搞点热水",
            "正在为厨房水槽预热热水。",
            "正在为洗手盆、淋浴预热热水。厨房水槽的热水已经在路上了。",
        ),
    ],
)
async def test_no_place_means_where_the_asker_is(
    hass: HomeAssistant, language: str, text: str, here: str, everywhere: str
) -> None:
    """From a satellite in the kitchen, the kitchen; from nowhere in particular, everywhere."""
    await home(hass, language)
    devices = dr.async_get(hass)
    satellite = devices.async_get_or_create(
        config_entry_id=ENTRY_ID, identifiers={("test", "satellite")}, name="Satellite"
    )
    kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen" if language == "en" else "厨房")
    assert kitchen is not None
    devices.async_update_device(satellite.id, area_id=kitchen.id)

    assert speech(await say(hass, text, language, device_id=satellite.id)) == here
    assert open_valves(hass) == {KITCHEN}
    assert speech(await say(hass, text, language)) == everywhere
    assert open_valves(hass) == set(FIXTURE_IDS)


async def test_names_follow_the_registries(hass: HomeAssistant) -> None:
    """A renamed area, a new area alias, an unloaded installation: the sentences follow."""
    entry = await home(hass, "zh-Hans")
    areas = ar.async_get(hass)
    bathroom = areas.async_get_area_by_name("卫生间")
    assert bathroom is not None
    areas.async_update(bathroom.id, name="主卫", aliases={"厕所"})
    await settle(hass)
    assert speech(await say(hass, "打开主卫的热水", "zh-Hans")) == "正在为洗手盆预热热水。"
    assert speech(await say(hass, "关闭厕所的热水", "zh-Hans")) == "已停止洗手盆的热水。"
    response = await say(hass, "打开卫生间的热水", "zh-Hans")
    assert response.error_code is not None  # no area of that name any more

    # The switch's own spoken alias, without HA's space between device and entity name.
    switch = er.async_get(hass).async_get(hot_water(hass, KITCHEN))
    assert switch is not None
    assert compact_name(f"{title('zh-Hans', KITCHEN)} 热水") in switch.aliases

    # Deleted by the user, it stays deleted.
    kept = type(switch.aliases)(
        a for a in switch.aliases if a != compact_name(f"{title('zh-Hans', KITCHEN)} 热水")
    )
    er.async_get(hass).async_update_entity(switch.entity_id, aliases=kept)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle(hass)
    switch = er.async_get(hass).async_get(switch.entity_id)
    assert switch is not None
    assert switch.aliases == kept
    assert speech(await say(hass, "打开厨房水槽热水", "zh-Hans")) == "正在为厨房水槽预热热水。"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await settle(hass)
    response = await say(hass, "打开主卫的热水", "zh-Hans")  # HA's own intents answer
    assert "洗手盆" not in speech(response)
    assert open_valves(hass) == set()
    assert not hass.data[DATA_VOICE]._unregister
