"""A home to talk to: three named fixtures in areas, HA's real default agent, en or zh-Hans.

Kitchen sink in the Kitchen (厨房水槽 in 厨房), Bathroom basin in the Bathroom (洗手盆 in 卫生间,
aliases Restroom / 洗手间, 浴室), and a Shower in no area (淋浴), found only by its name.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.const import STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
)
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.zero_cold_water.const import DEFAULT_OPTIONS, DOMAIN, SUBENTRY_FIXTURE

from .conftest import ENTRY_ID, FIXTURE_IDS, VALVES, entry_data, fixture_data, settle

KITCHEN, BASIN, SHOWER = FIXTURE_IDS
TITLES = {
    "en": ("Kitchen sink", "Bathroom basin", "Shower"),
    "zh-Hans": ("厨房水槽", "洗手盆", "淋浴"),
}
AREAS = {"en": ("Kitchen", "Bathroom"), "zh-Hans": ("厨房", "卫生间")}
ALIASES = {"en": {"Restroom"}, "zh-Hans": {"洗手间", "浴室"}}
VALVE = dict(zip(FIXTURE_IDS, VALVES, strict=True))


def title(language: str, fixture: str) -> str:
    """A fixture's name in the home of ``language``."""
    return TITLES[language][FIXTURE_IDS.index(fixture)]


def make_home(language: str, **options: Any) -> MockConfigEntry:
    """The installation, fixtures named in ``language``."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data=entry_data(),
        options={**DEFAULT_OPTIONS, **options},
        version=1,
        minor_version=2,
        entry_id=ENTRY_ID,
        subentries_data=[
            {
                "data": fixture_data(index),
                "subentry_id": FIXTURE_IDS[index],
                "subentry_type": SUBENTRY_FIXTURE,
                "title": name,
                "unique_id": None,
            }
            for index, name in enumerate(TITLES[language])
        ],
    )


async def setup_assist(hass: HomeAssistant, language: str) -> None:
    """HA in ``language`` with the default agent."""
    hass.config.language = language
    for domain in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, domain, {})


async def place_fixtures(hass: HomeAssistant, language: str) -> None:
    """Put the kitchen's and the bathroom's fixture devices in their areas."""
    areas = ar.async_get(hass)
    devices = dr.async_get(hass)
    kitchen, bathroom = AREAS[language]
    where = {
        title(language, KITCHEN): areas.async_create(kitchen).id,
        title(language, BASIN): areas.async_create(bathroom, aliases=ALIASES[language]).id,
    }
    for device in dr.async_entries_for_config_entry(devices, ENTRY_ID):
        if device.name in where:
            devices.async_update_device(device.id, area_id=where[device.name])
    await settle(hass)


async def home(hass: HomeAssistant, language: str, **options: Any) -> MockConfigEntry:
    """The whole home, set up and placed."""
    await setup_assist(hass, language)
    entry = make_home(language, **options)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await place_fixtures(hass, language)
    return entry


async def say(
    hass: HomeAssistant, text: str, language: str, device_id: str | None = None
) -> intent.IntentResponse:
    """Ask HA's default agent, as a person would."""
    result = await conversation.async_converse(
        hass, text, None, Context(), language=language, device_id=device_id
    )
    await settle(hass)
    return result.response


def speech(response: intent.IntentResponse) -> str:
    """What the agent said."""
    return str(response.speech["plain"]["speech"])


def entity(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    """The entity id of one of the integration's entities."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None
    return entity_id


def hot_water(hass: HomeAssistant, fixture: str) -> str:
    """A fixture's Hot water switch."""
    return entity(hass, "switch", f"{fixture}_hot_water")


def open_valves(hass: HomeAssistant) -> set[str]:
    """The fixtures whose valve is open."""
    return {f for f, valve in VALVE.items() if hass.states.get(valve).state == STATE_ON}


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let time pass."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await settle(hass)
