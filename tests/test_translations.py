"""Both languages complete and consistent with the code, services.yaml and icons.json."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import pytest
import yaml

from custom_components.zero_cold_water import (
    binary_sensor,
    button,
    event,
    number,
    select,
    sensor,
    switch,
    valve,
)
from custom_components.zero_cold_water.const import DOMAIN
from custom_components.zero_cold_water.engine import (
    FaultKind,
    InstallationState,
    Mode,
    Outcome,
    RefusalReason,
    SettingsErrorCode,
    TriggerReason,
)

PACKAGE = Path(__file__).parent.parent / "custom_components" / DOMAIN
EN = json.loads((PACKAGE / "translations" / "en.json").read_text(encoding="utf-8"))
ZH = json.loads((PACKAGE / "translations" / "zh-Hans.json").read_text(encoding="utf-8"))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_same_keys_and_placeholders() -> None:
    en, zh = _flatten(EN), _flatten(ZH)
    assert set(en) == set(zh)
    for key, text in en.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", zh[key])), key
        assert zh[key].strip(), key
        assert zh[key] != text or not re.search("[a-z]{4}", text), f"untranslated: {key}"


def test_every_entity_has_a_name() -> None:
    descriptions = [
        (binary_sensor, [binary_sensor.READY, binary_sensor.PROBLEM]),
        (button, [button.HEAT_NOW, button.RESET_USAGE]),
        (event, [event.CYCLE]),
        (number, list(number.TUNABLES)),
        (select, [select.MODE]),
        (sensor, [*sensor.INSTALLATION_SENSORS, *sensor.FIXTURE_SENSORS]),
        (switch, [switch.HOT_WATER, switch.PUMP]),
        (valve, [valve.VALVE]),
    ]
    for module, items in descriptions:
        platform = module.__name__.rsplit(".", 1)[-1]
        for description in items:
            if description.translation_key is None:
                assert description.device_class is not None  # named by its device class
                continue
            assert "name" in EN["entity"][platform][description.translation_key]
    states = EN["entity"]["sensor"]["state"]["state"]
    assert set(states) == {state.value for state in InstallationState}
    assert set(EN["entity"]["select"]["mode"]["state"]) == {mode.value for mode in Mode}
    outcomes = EN["entity"]["event"]["cycle"]["state_attributes"]["event_type"]["state"]
    assert set(outcomes) == {outcome.value for outcome in Outcome}
    triggers = EN["entity"]["event"]["cycle"]["state_attributes"]["trigger"]["state"]
    assert set(triggers) == {reason.value for reason in TriggerReason}


def test_options_form_and_selectors() -> None:
    """Every field of the options form (its section too) has a label and a description."""
    from custom_components.zero_cold_water.const import RESET_SCOPES
    from custom_components.zero_cold_water.options_flow import AUTOMATIC_KEYS

    section = EN["options"]["step"]["init"]["sections"]["automatic"]
    assert set(section["data"]) == set(AUTOMATIC_KEYS) == set(section["data_description"])
    assert set(EN["selector"]["forget"]["options"]) == set(RESET_SCOPES)


def test_every_exception_and_issue() -> None:
    exceptions = set(EN["exceptions"])
    assert {f"refused_{reason.value}" for reason in RefusalReason} <= exceptions
    assert {"no_fixtures", "out_of_range", "no_response", "refused_several"} <= exceptions
    assert {"option_out_of_range", "option_limit_below_target"} <= exceptions
    assert {f"fault_{kind.value}" for kind in FaultKind} <= set(EN["issues"])
    errors = EN["config_subentries"]["fixture"]["error"]
    assert {f"settings_{code.value}" for code in SettingsErrorCode} <= set(errors)


def test_services_and_icons() -> None:
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text(encoding="utf-8"))
    assert set(services) == set(EN["services"])
    for name, service in services.items():
        assert set(service.get("fields", {})) == set(EN["services"][name].get("fields", {}))
    icons = json.loads((PACKAGE / "icons.json").read_text(encoding="utf-8"))
    assert set(icons["services"]) == set(services)
    for platform, keys in icons["entity"].items():
        assert set(keys) <= set(EN["entity"][platform]), platform


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
async def test_home_assistant_loads_them(
    hass: HomeAssistant, enable_custom_integrations: None, language: str
) -> None:
    translations = await async_get_translations(hass, language, "entity", {DOMAIN})
    key = f"component.{DOMAIN}.entity.switch.hot_water.name"
    assert translations[key] == {"en": "Hot water", "zh-Hans": "热水"}[language]


async def test_service_descriptions_load(
    hass: HomeAssistant, enable_custom_integrations: None
) -> None:
    """services.yaml passes Home Assistant's own schema, with translated names."""
    assert await async_setup_component(hass, DOMAIN, {})
    descriptions = await async_get_all_descriptions(hass)
    start = descriptions[DOMAIN]["start"]
    assert set(start["fields"]) == {"target_temperature", "max_run_time"}
    assert start["target"]["entity"] == [{"integration": DOMAIN}]
    assert set(descriptions[DOMAIN]["reset_learning"]["fields"]) == {"forget"}
