"""Form pieces the config, options, subentry and repair flows share.

Entity and number pickers, and why a chosen entity cannot serve.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.helpers import selector

from .const import (
    CONF_DRAW_SENSOR,
    DOMAIN,
    DRAW_SENSOR_DOMAINS,
)
from .settings import (
    hide_entities,
    input_entities,
    wrapped_entities,
)
from .states import UNKNOWN_STATES


def number_selector(
    bounds: tuple[float, float], step: float, unit: str | None = None
) -> selector.NumberSelector:
    """A number box within ``bounds``."""
    config = selector.NumberSelectorConfig(
        min=bounds[0], max=bounds[1], step=step, mode=selector.NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)


def entity_selector(
    domains: tuple[str, ...], device_class: str | None = None, *, multiple: bool = False
) -> selector.EntitySelector:
    """An entity picker narrowed to ``domains`` (and a device class)."""
    # Literal filters: their TypedDict differs between HA 2025.4 and 2026.x.
    if device_class is None:
        return selector.EntitySelector(
            selector.EntitySelectorConfig(filter=[{"domain": list(domains)}], multiple=multiple)
        )
    return selector.EntitySelector(
        selector.EntitySelectorConfig(
            filter=[{"domain": list(domains), "device_class": device_class}]
        )
    )


def entity_error(
    hass: HomeAssistant, entity_id: str, domains: tuple[str, ...], wrong_domain: str
) -> str | None:
    """Why ``entity_id`` cannot serve (wrong domain, missing), or None."""
    if split_entity_id(entity_id)[0] not in domains:
        return wrong_domain
    if hass.states.get(entity_id) is None:
        return "entity_not_found"
    return None


def draw_sensor_error(hass: HomeAssistant, entity_id: str) -> str | None:
    """Why ``entity_id`` cannot tell when hot water is drawn, or None.

    A binary sensor or input boolean (on while drawing: a flow switch, the heater's burner) or a
    numeric sensor (a flow above zero), but not a temperature.
    """
    if error := entity_error(hass, entity_id, DRAW_SENSOR_DOMAINS, "draw_sensor_wrong_domain"):
        return error
    state = hass.states.get(entity_id)
    if split_entity_id(entity_id)[0] == "sensor" and state is not None:
        if state.attributes.get("device_class") == "temperature":
            return "draw_sensor_not_flow"
        if state.state not in UNKNOWN_STATES:
            try:
                float(state.state)
            except ValueError:
                return "draw_sensor_not_flow"
    return None


def sensor_error(hass: HomeAssistant, entity_id: str) -> str | None:
    """Why ``entity_id`` cannot serve as a pipe temperature sensor, or None."""
    if split_entity_id(entity_id)[0] != "sensor":
        return "not_temperature_sensor"
    state = hass.states.get(entity_id)
    if state is None:
        return "entity_not_found"
    if state.attributes.get("device_class") != "temperature":
        return "not_temperature_sensor"
    return None


def entities_in_use(
    hass: HomeAssistant, *, exclude_entry: str | None, exclude_fixture: str | None
) -> set[str]:
    """Entities already wrapped by any installation, except the part being edited."""
    used: set[str] = set()
    for entry in hass.config_entries.async_entries(DOMAIN):
        draw_sensors = [w for w in input_entities(entry) if w.role == CONF_DRAW_SENSOR]
        for wrapped in [*wrapped_entities(entry), *draw_sensors]:
            if entry.entry_id == exclude_entry and (
                (wrapped.fixture is None and exclude_fixture is None)
                or (wrapped.fixture is not None and wrapped.fixture == exclude_fixture)
            ):
                continue
            used.add(wrapped.entity_id)
    return used


def subentry_suggested(
    entry: ConfigEntry, user_input: Mapping[str, Any] | None, subentry_id: str | None
) -> Mapping[str, Any]:
    """What a subentry form shows: the input being corrected, or the subentry being edited."""
    if user_input is not None:
        return user_input
    if subentry_id is not None:
        subentry = entry.subentries[subentry_id]
        return {CONF_NAME: subentry.title, **subentry.data}
    return {}


def hide_chosen(hass: HomeAssistant, data: Mapping[str, Any]) -> None:
    """Hide the pump and valves just chosen (sensors stay visible)."""
    chosen = [
        (key, value) for key, value in data.items() if isinstance(value, str) and "." in value
    ]
    hide_entities(hass, [value for _, value in chosen], roles=[key for key, _ in chosen])
