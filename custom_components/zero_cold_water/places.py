"""Where each fixture is and what people call it: the names voice commands are matched against.

Voice serves the fixtures whose Hot water switch is exposed to the assistant (switches are, unless
the user says otherwise), as Home Assistant's own intents serve only exposed entities. A fixture
answers to its own name (the fixture's title, its device's name if the user changed
it), to the names and aliases of the Hot water switch, and to the area it is in (its device's
area, or the switch's own area when the user moved the switch), with the area's aliases. Names
are compared by ``spoken_key``: case, spaces and punctuation do not count.
"""

from __future__ import annotations

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)

from .const import DOMAIN
from .coordinator import ZeroColdWaterCoordinator
from .targets import loaded_coordinators

type Target = tuple[ZeroColdWaterCoordinator, str]
"""A fixture (subentry id) of a loaded installation."""

HOT_WATER_KEY = "hot_water"
"""The entity description key of a fixture's Hot water switch (its unique id ends with it)."""


def spoken_key(text: str) -> str:
    """What counts in a spoken name: its letters and digits, case folded."""
    return "".join(char for char in text.casefold() if char.isalnum())


def loaded_targets(hass: HomeAssistant) -> list[Target]:
    """Every fixture of every loaded installation."""
    return [
        (coordinator, fixture)
        for coordinator in loaded_coordinators(hass)
        for fixture in coordinator.fixtures()
    ]


def voice_targets(hass: HomeAssistant, assistant: str | None) -> list[Target]:
    """The fixtures whose Hot water switch is exposed to ``assistant`` (every one for None)."""
    return [
        (coordinator, fixture)
        for coordinator, fixture in loaded_targets(hass)
        if assistant is None
        or (
            (switch := hot_water_switch(hass, coordinator, fixture)) is not None
            and async_should_expose(hass, assistant, switch.entity_id)
        )
    ]


def area_names(hass: HomeAssistant, area_id: str | None) -> list[str]:
    """An area's name and aliases."""
    if area_id is None or (area := ar.async_get(hass).async_get_area(area_id)) is None:
        return []
    return [area.name, *sorted(alias for alias in area.aliases if alias.strip())]


def hot_water_switch(
    hass: HomeAssistant, coordinator: ZeroColdWaterCoordinator, fixture: str
) -> er.RegistryEntry | None:
    """The registry entry of a fixture's Hot water switch."""
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id("switch", DOMAIN, f"{fixture}_{HOT_WATER_KEY}")
    return registry.async_get(entity_id) if entity_id is not None else None


def fixture_area_ids(
    hass: HomeAssistant, coordinator: ZeroColdWaterCoordinator, fixture: str
) -> set[str]:
    """The areas a fixture is in: its device's, and its switch's when that was moved."""
    areas: set[str] = set()
    device_id = coordinator.fixture_device_id(fixture)
    if device_id is not None and (device := dr.async_get(hass).async_get(device_id)) is not None:
        areas.add(device.area_id or "")
    if (switch := hot_water_switch(hass, coordinator, fixture)) is not None:
        areas.add(switch.area_id or "")
    return areas - {""}


def fixture_area_names(
    hass: HomeAssistant, coordinator: ZeroColdWaterCoordinator, fixture: str
) -> list[str]:
    """The names and aliases of the areas a fixture is in."""
    return [
        name
        for area_id in sorted(fixture_area_ids(hass, coordinator, fixture))
        for name in area_names(hass, area_id)
    ]


def fixture_own_names(
    hass: HomeAssistant, coordinator: ZeroColdWaterCoordinator, fixture: str
) -> list[str]:
    """The fixture's title, and its device's name when the user gave it another."""
    names = [coordinator.fixture_name(fixture)]
    device_id = coordinator.fixture_device_id(fixture)
    if device_id is not None and (device := dr.async_get(hass).async_get(device_id)) is not None:
        names.append(device.name_by_user or "")
    return [name for name in names if name.strip()]


def switch_names(
    hass: HomeAssistant, coordinator: ZeroColdWaterCoordinator, fixture: str
) -> list[str]:
    """What the Hot water switch itself is called: its full name and its aliases."""
    switch = hot_water_switch(hass, coordinator, fixture)
    if switch is None:
        return []
    names = [alias for alias in switch.aliases if isinstance(alias, str) and alias.strip()]
    if (state := hass.states.get(switch.entity_id)) is not None:
        names.insert(0, state.name)
    return names
