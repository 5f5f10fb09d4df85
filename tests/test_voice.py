"""Voice: HA's real default conversation agent (hassil + home-assistant-intents), en and zh-Hans.

The built-in intents (HassTurnOn/HassTurnOff/HassGetState) on the fixtures' "Hot water" switches,
and the integration's own intents through the shipped example custom sentences.
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
import shutil
from typing import Any

from homeassistant.components import conversation
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
    llm,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water.const import (
    CONF_COOLDOWN,
    DEFAULT_OPTIONS,
    DOMAIN,
    SUBENTRY_FIXTURE,
)
from custom_components.zero_cold_water.intent import (
    INTENT_READY,
    INTENT_START,
    compact_name,
)

from .conftest import ENTRY_ID, entry_data, fixture_data, set_temperature, settle

SENTENCES = Path(__file__).parent.parent / "custom_sentences"
NAMES = {"en": ("Kitchen", "Bathroom"), "zh-Hans": ("厨房", "浴室")}


async def _home(hass: HomeAssistant, tmp_path: Path, language: str) -> MockConfigEntry:
    """A cold-line installation with two fixtures, each in the area of its name."""
    hass.config.language = language
    hass.config.config_dir = str(tmp_path)
    # HA looks for custom sentences under the language variant it matched: zh-cn (2025.x) or
    # zh-CN (2026.x) for zh-Hans.
    for folder in ("en", "zh-cn", "zh-CN"):
        source = SENTENCES / ("en" if folder == "en" else "zh-Hans")
        shutil.copytree(source, tmp_path / "custom_sentences" / folder)
    for domain in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, domain, {})
    names = NAMES[language]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data=entry_data(),
        options={**DEFAULT_OPTIONS, CONF_COOLDOWN: 0.0},
        version=1,
        minor_version=2,
        entry_id=ENTRY_ID,
        subentries_data=[
            {
                "data": fixture_data(index),
                "subentry_id": f"fixture_{index}",
                "subentry_type": SUBENTRY_FIXTURE,
                "title": name,
                "unique_id": None,
            }
            for index, name in enumerate(names)
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    areas = ar.async_get(hass)
    devices = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
        if device.name in names:
            devices.async_update_device(device.id, area_id=areas.async_create(device.name).id)
    await settle(hass)
    return entry


async def _say(hass: HomeAssistant, text: str, language: str) -> intent.IntentResponse:
    result = await conversation.async_converse(hass, text, None, Context(), language=language)
    await settle(hass)
    return result.response


def _switch(hass: HomeAssistant, fixture: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("switch", DOMAIN, f"{fixture}_hot_water")
    assert entity_id is not None
    return entity_id


@pytest.mark.parametrize(
    ("language", "turn_on", "is_on", "turn_off"),
    [
        (
            "en",
            "turn on the kitchen hot water",
            "is the kitchen hot water on",
            "turn off the kitchen hot water",
        ),
        ("zh-Hans", "打开厨房热水", "厨房热水开了吗", "关闭厨房热水"),
    ],
)
async def test_builtin_intents_on_the_hot_water_switch(  # noqa: PLR0917
    hass: HomeAssistant,
    hardware: None,
    tmp_path: Path,
    language: str,
    turn_on: str,
    is_on: str,
    turn_off: str,
) -> None:
    await _home(hass, tmp_path, language)
    switch = _switch(hass, "fixture_0")

    response = await _say(hass, turn_on, language)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE, response.speech
    assert response.intent is not None
    assert response.intent.intent_type == intent.INTENT_TURN_ON
    # A real cycle: the kitchen valve opened and the pump runs.
    assert hass.states.get(switch).state == STATE_ON
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_ON
    assert hass.states.get("input_boolean.pump").state == STATE_ON

    response = await _say(hass, is_on, language)
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER, response.speech
    assert response.intent is not None
    assert response.intent.intent_type == intent.INTENT_GET_STATE
    assert [state.entity_id for state in response.matched_states] == [switch]

    response = await _say(hass, turn_off, language)
    assert response.response_type is intent.IntentResponseType.ACTION_DONE, response.speech
    assert hass.states.get(switch).state == STATE_OFF
    assert hass.states.get("input_boolean.pump").state == STATE_OFF
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_OFF


@pytest.mark.parametrize(
    ("language", "start_area", "start_name", "ready", "ready_all", "answers"),
    [
        (
            "en",
            "heat the hot water in the kitchen",
            "prepare the hot water for bathroom",
            "is the kitchen hot water ready",
            "is the hot water ready",
            ("Not yet", "Yes"),
        ),
        (
            "zh-Hans",
            "预热厨房的热水",
            "预热一下浴室的热水",
            "厨房的热水好了吗",
            "热水好了吗",
            ("还没有", "是的"),
        ),
    ],
)
async def test_own_intents_with_the_example_sentences(  # noqa: PLR0917
    hass: HomeAssistant,
    hardware: None,
    tmp_path: Path,
    language: str,
    start_area: str,
    start_name: str,
    ready: str,
    ready_all: str,
    answers: tuple[str, str],
) -> None:
    await _home(hass, tmp_path, language)
    kitchen, bathroom = _switch(hass, "fixture_0"), _switch(hass, "fixture_1")

    response = await _say(hass, start_area, language)
    assert response.intent is not None, response.speech
    assert response.intent.intent_type == INTENT_START
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert hass.states.get(kitchen).state == STATE_ON
    assert hass.states.get(bathroom).state == STATE_OFF

    response = await _say(hass, ready, language)
    assert response.intent is not None
    assert response.intent.intent_type == INTENT_READY
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert response.speech["plain"]["speech"].startswith(answers[0])

    # The water arrives: the kitchen is ready.
    set_temperature(hass, "sensor.kitchen_pipe", 45.0)
    await settle(hass)
    response = await _say(hass, ready, language)
    assert response.speech["plain"]["speech"].startswith(answers[1]), response.speech

    # By the fixture's name (not an area).
    await hass.services.async_call(DOMAIN, "stop", {"entity_id": kitchen}, blocking=True)
    response = await _say(hass, start_name, language)
    assert response.intent is not None
    assert response.intent.intent_type == INTENT_START
    slots: dict[str, Any] = response.speech_slots
    assert slots["started"] == [NAMES[language][1]]
    assert hass.states.get(bathroom).state == STATE_ON

    response = await _say(hass, ready_all, language)
    assert response.intent is not None
    assert response.intent.intent_type == INTENT_READY


async def test_intents_for_llm_assistants(
    hass: HomeAssistant, hardware: None, tmp_path: Path
) -> None:
    """The Assist API offers both intents as tools; a tool call starts a cycle."""
    await _home(hass, tmp_path, "en")
    response = await intent.async_handle(
        hass, "test", INTENT_START, {"area": {"value": "Kitchen"}}, language="en"
    )
    assert response.speech_slots["started"] == ["Kitchen"]
    await settle(hass)
    assert hass.states.get("input_boolean.pump").state == STATE_ON

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

    with pytest.raises(intent.IntentHandleError):
        await intent.async_handle(
            hass, "test", INTENT_READY, {"name": {"value": "Garage"}}, language="en"
        )


def test_compact_name() -> None:
    assert compact_name("厨房 热水") == "厨房热水"
    assert compact_name("Kitchen Hot water") == "Kitchen Hot water"
