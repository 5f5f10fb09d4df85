"""Repair issues and their fix flows."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest

from custom_components.zero_cold_water.const import CONF_PUMP, CONF_SENSOR, CONF_VALVE, DOMAIN
from custom_components.zero_cold_water.repairs import async_create_fix_flow

from .conftest import (
    ENTRY_ID,
    FIXTURE_IDS,
    PUMP,
    SENSORS,
    VALVES,
    fix_issue,
    make_entry,
    setup_entry,
)

pytestmark = pytest.mark.usefixtures("hardware")


@pytest.mark.parametrize(
    "case",
    [
        (VALVES[1], CONF_VALVE, FIXTURE_IDS[1], "input_boolean.valve", "light.x", "wrong_domain"),
        (PUMP, CONF_PUMP, None, "input_boolean.junction", VALVES[0], "entity_in_use"),
        (
            SENSORS[2],
            CONF_SENSOR,
            FIXTURE_IDS[2],
            "sensor.ro_new",
            "sensor.humidity",
            "not_temperature_sensor",
        ),
    ],
)
async def test_replace_a_removed_entity(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
    case: tuple[str, str, str | None, str, str, str],
) -> None:
    entity_id, role, fixture, replacement, bad, error = case
    hass.states.async_set("sensor.ro_new", "20", {"device_class": "temperature"})
    entry = await setup_entry(hass, make_entry())
    if entity_registry.async_get(entity_id):
        entity_registry.async_remove(entity_id)
    else:  # a state-only stand-in: it vanishes and the installation is reloaded
        hass.states.async_remove(entity_id)
        await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    issue_id = f"missing_{ENTRY_ID}_{role}_{fixture or 'installation'}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    result = await fix_issue(hass, issue_id, None)
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"]["entity_id"] == entity_id
    result = await fix_issue(hass, issue_id, {"entity": bad})
    assert result["errors"] == {"entity": error}
    result = await fix_issue(hass, issue_id, {"entity": replacement})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    data = entry.data if fixture is None else entry.subentries[fixture].data
    assert data[role] == replacement
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_outdated_issue_aborts(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    flow = await async_create_fix_flow(
        hass,
        "x",
        {"entry_id": entry.entry_id, "role": "valve", "fixture": "gone", "entity_id": "x.y"},
    )
    flow.hass = hass
    result = await flow.async_step_init(None)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "issue_outdated"


async def test_other_issues_only_confirm(hass: HomeAssistant) -> None:
    flow = await async_create_fix_flow(hass, "fault_x", None)
    assert type(flow).__name__ == "ConfirmRepairFlow"


async def test_removing_the_installation_removes_its_issues(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, issue_registry: ir.IssueRegistry
) -> None:
    entry = await setup_entry(hass, make_entry())
    entity_registry.async_remove(VALVES[0])
    await hass.async_block_till_done()
    assert [i for i in issue_registry.issues if i[0] == DOMAIN]
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert not [i for i in issue_registry.issues if i[0] == DOMAIN]
