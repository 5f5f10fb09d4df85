# ruff: noqa: RUF001 - Chinese speech uses full-width punctuation
"""Voice rules: refusals said in the asker's language, other entities left alone, LLM tools.

A refusal spoken through Assist is the translated service error (which rule, what to do), never
HA's generic "unexpected error" and never an exception in the log; a light or heater of the
user's own that is called hot water (or 热水器) still answers to its name.
"""

from __future__ import annotations

import contextlib
import importlib
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er, intent, llm
from homeassistant.setup import async_setup_component
import pytest

from custom_components.zero_cold_water.const import CONF_DAILY_PUMP_CAP
from custom_components.zero_cold_water.intent import INTENT_READY, INTENT_START

from .assist import (
    AREAS,
    KITCHEN,
    entity,
    home,
    hot_water,
    make_home,
    open_valves,
    place_fixtures,
    say,
    setup_assist,
    speech,
    tick,
)
from .conftest import ENTRY_ID, VALVES, settle

pytestmark = pytest.mark.usefixtures("hardware")

MODE_OFF = {
    "en": "Hot water cannot start at Kitchen sink: Home is off. "
    "Choose another mode in its Mode select first.",
    "zh-Hans": "厨房水槽现在不能预热：Home处于关闭模式。请先在其“模式”选择实体中选择其他模式。",
}
ASK = {
    "en": ("turn on the hot water in the kitchen", "switch on Kitchen sink Hot water"),
    "zh-Hans": ("打开厨房的热水", "打开厨房水槽热水"),
}


def _no_errors(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


@pytest.mark.parametrize(
    ("language", "asked_in"), [("en", "en"), ("zh-Hans", "zh-Hans"), ("zh-Hans", "zh-CN")]
)
async def test_mode_off_is_said(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, language: str, asked_in: str
) -> None:
    """By area, by the switch's own name, and through the intent an LLM calls.

    A pipeline may name the asker's language zh-CN where Home Assistant's is zh-Hans.
    """
    await home(hass, language)
    mode = entity(hass, "select", f"{ENTRY_ID}_mode")
    await hass.services.async_call(
        "select", "select_option", {"entity_id": mode, "option": "off"}, blocking=True
    )
    for text in ASK[language]:
        assert speech(await say(hass, text, asked_in)) == MODE_OFF[language]
    kitchen = {"area": {"value": AREAS[language][0]}}
    response = await intent.async_handle(hass, "test", INTENT_START, kitchen, language=asked_in)
    assert response.response_type is intent.IntentResponseType.ERROR
    assert speech(response) == MODE_OFF[language]
    assert open_valves(hass) == set()
    _no_errors(caplog)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            (
                "Hot water cannot start at Kitchen sink: input_boolean.kitchen_valve is "
                "unavailable. Check its power and connection."
            ),
        ),
        (
            "zh-Hans",
            "厨房水槽现在不能预热：input_boolean.kitchen_valve不可用。请检查其电源和连接。",
        ),
    ],
)
async def test_an_unavailable_valve_is_named(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, language: str, said: str
) -> None:
    await home(hass, language)
    hass.states.async_set(VALVES[0], STATE_UNAVAILABLE)
    await settle(hass)
    for text in ASK[language]:
        assert speech(await say(hass, text, language)) == said
    assert hass.states.get("input_boolean.pump").state == STATE_OFF
    _no_errors(caplog)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            (
                "Hot water cannot start at Kitchen sink: the pump of Home has run its daily "
                "limit of 10 min in the last 24 hours. It can run again at 10:01, or raise the "
                "Daily pump limit."
            ),
        ),
        (
            "zh-Hans",
            (
                "厨房水槽现在不能预热：Home的循环泵在过去 24 小时内已运行到每日上限 10 min。"
                "10:01 起可再次运行，也可以调高“循环泵每日运行上限”。"
            ),
        ),
    ],
)
async def test_the_daily_cap_is_said(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    language: str,
    said: str,
) -> None:
    freezer.move_to("2026-12-04 10:00:00-08:00")
    await home(hass, language, **{CONF_DAILY_PUMP_CAP: 600.0})
    for _ in range(2):  # two cycles of the maximum 300 s: the 600 s cap is used up
        await say(hass, ASK[language][0], language)
        assert open_valves(hass) == {KITCHEN}
        for _ in range(32):
            await tick(hass, freezer, 10)
    assert speech(await say(hass, ASK[language][0], language)) == said
    assert open_valves(hass) == set()
    # The cycles that ran into their maximum run time log a warning, not an error.
    _no_errors(caplog)


async def _foreign(hass: HomeAssistant, name: str, area: str | None) -> str:
    """One of the user's own entities, called ``name``, in ``area``."""
    entity_id = "input_boolean.valve"  # a stand-in the cold-line installation does not use
    area_id = ar.async_get(hass).async_get_or_create(area).id if area else None
    er.async_get(hass).async_update_entity(entity_id, name=name, area_id=area_id)
    async_expose_entity(hass, conversation.DOMAIN, entity_id, True)
    await settle(hass)
    return entity_id


async def test_a_hot_water_light_of_the_users_still_answers(hass: HomeAssistant) -> None:
    await home(hass, "en")
    light = await _foreign(hass, "Hot water", "Garage")
    response = await say(hass, "turn on the hot water in the garage", "en")
    assert response.intent is not None
    assert response.intent.intent_type == intent.INTENT_TURN_ON
    assert hass.states.get(light).state == STATE_ON
    assert open_valves(hass) == set()

    # Moved to the kitchen: the kitchen's "hot water" is that entity now, the bathroom's is ours.
    await _foreign(hass, "Hot water", "Kitchen")
    response = await say(hass, "turn off the hot water in the kitchen", "en")
    assert response.intent is not None
    assert response.intent.intent_type == intent.INTENT_TURN_OFF
    assert hass.states.get(light).state == STATE_OFF
    response = await say(hass, "turn on the hot water in the bathroom", "en")
    assert speech(response) == "Heating the hot water for Bathroom basin."


async def test_a_heater_of_the_users_still_answers(hass: HomeAssistant) -> None:
    await home(hass, "zh-Hans")
    heater = await _foreign(hass, "热水器", None)
    response = await say(hass, "打开热水器", "zh-Hans")
    assert response.intent is not None
    assert response.intent.intent_type == intent.INTENT_TURN_ON
    assert hass.states.get(heater).state == STATE_ON
    assert open_valves(hass) == set()
    assert (
        speech(await say(hass, "打开热水", "zh-Hans")) == "正在为厨房水槽、洗手盆、淋浴预热热水。"
    )

    # Renamed: 热水器 is hot water again.
    await _foreign(hass, "锅炉", None)
    response = await say(hass, "打开热水器", "zh-Hans")
    assert speech(response) == "厨房水槽、洗手盆、淋浴的热水已经在路上了。"
    assert hass.states.get(heater).state == STATE_ON  # left as it was


async def test_a_fixture_not_exposed_to_assist_is_left_out(hass: HomeAssistant) -> None:
    """As Home Assistant's own intents serve only exposed entities: its Hot water switch decides."""
    await home(hass, "en")
    async_expose_entity(hass, conversation.DOMAIN, hot_water(hass, KITCHEN), False)
    await settle(hass)
    response = await say(hass, "turn on the hot water in the kitchen", "en")
    assert "Kitchen sink" not in speech(response)
    assert open_valves(hass) == set()
    response = await say(hass, "turn on the hot water", "en")
    assert speech(response) == "Heating the hot water for Bathroom basin, Shower."

    async_expose_entity(hass, conversation.DOMAIN, hot_water(hass, KITCHEN), True)
    await settle(hass)
    response = await say(hass, "turn on the hot water in the kitchen", "en")
    assert speech(response) == "Heating the hot water for Kitchen sink."


async def test_a_name_with_template_characters(hass: HomeAssistant) -> None:
    """Brackets and bars in an area's name are spoken as words."""
    await home(hass, "en")
    areas = ar.async_get(hass)
    bathroom = areas.async_get_area_by_name("Bathroom")
    assert bathroom is not None
    areas.async_update(bathroom.id, name="Bathroom (upstairs)")
    await settle(hass)
    response = await say(hass, "turn on the hot water in the bathroom upstairs", "en")
    assert speech(response) == "Heating the hot water for Bathroom basin."


async def test_sentences_arrive_with_the_conversation_integration(hass: HomeAssistant) -> None:
    """Set up before Assist (as at a start-up in that order): the sentences come with it."""
    hass.config.language = "en"
    entry = make_home("en")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await setup_assist(hass, "en")
    await place_fixtures(hass, "en")
    response = await say(hass, "turn on the hot water in the kitchen", "en")
    assert speech(response) == "Heating the hot water for Kitchen sink."


async def test_intents_for_llm_assistants(hass: HomeAssistant) -> None:
    """The Assist API offers both intents as tools; a tool call starts a cycle."""
    await home(hass, "en")
    response = await intent.async_handle(
        hass, "test", INTENT_START, {"area": {"value": "Kitchen"}}, language="en"
    )
    assert response.speech_slots["started"] == ["Kitchen sink"]
    assert open_valves(hass) == {KITCHEN}
    response = await intent.async_handle(
        hass, "test", INTENT_READY, {"name": {"value": "kitchen sink"}}, language="en"
    )
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == "Not yet, hot water is on its way to Kitchen sink."

    with contextlib.suppress(ImportError):  # the llm integration: HA 2026.x on
        importlib.import_module("homeassistant.components.llm")
        assert await async_setup_component(hass, "llm", {})
    api = await llm.async_get_api(
        hass,
        llm.LLM_API_ASSIST,
        llm.LLMContext(
            platform="test",
            context=Context(),
            language="en",
            assistant=conversation.DOMAIN,
            device_id=None,
            **(
                {"user_prompt": None}
                if "user_prompt" in llm.LLMContext.__dataclass_fields__
                else {}
            ),
        ),
    )
    # Named "zero_cold_water__<intent>" from HA 2026.x on, by the intent alone before.
    tools = {tool.name.rpartition("__")[2] for tool in api.tools}
    assert {INTENT_START, INTENT_READY} <= tools

    for intent_type in (INTENT_START, INTENT_READY):
        response = await intent.async_handle(
            hass, "test", intent_type, {"name": {"value": "Garage"}}, language="en"
        )
        assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
        assert speech(response) == "I don't know a hot-water fixture called Garage."
