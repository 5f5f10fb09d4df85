"""Every path of the installation config flow."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water.const import CONF_PUMP, CONF_TOPOLOGY, DOMAIN, Topology

from .conftest import PUMP

pytestmark = pytest.mark.usefixtures("hardware")


async def _start(hass: HomeAssistant, name: str, topology: Topology) -> dict:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: name, CONF_TOPOLOGY: topology.value}
    )


@pytest.mark.parametrize("topology", [Topology.COLD_LINE, Topology.RETURN_LINE])
async def test_pumped_installation(hass: HomeAssistant, topology: Topology) -> None:
    result = await _start(hass, "  Home ", topology)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pump"
    assert result["description_placeholders"] == {"topology": topology.value}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PUMP: PUMP})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Home"
    assert result["data"] == {CONF_TOPOLOGY: topology.value, CONF_PUMP: PUMP}
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.title == "Home"
    assert entry.runtime_data.topology is topology


async def test_drain_installation_has_no_pump_step(hass: HomeAssistant) -> None:
    result = await _start(hass, "Flat", Topology.DRAIN)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_TOPOLOGY: "drain"}
    assert CONF_PUMP not in result["data"]


@pytest.mark.parametrize(
    ("name", "error"),
    [("   ", "name_empty"), ("home", "name_in_use"), ("HOME", "name_in_use")],
)
async def test_name_errors_then_recover(hass: HomeAssistant, name: str, error: str) -> None:
    MockConfigEntry(domain=DOMAIN, title="Home", data={CONF_TOPOLOGY: "drain"}).add_to_hass(hass)
    result = await _start(hass, name, Topology.DRAIN)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {CONF_NAME: error}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Cottage", CONF_TOPOLOGY: "drain"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Cottage"


@pytest.mark.parametrize(
    ("pump", "error"),
    [
        ("light.kitchen", "pump_not_switch"),
        ("sensor.pump_power", "pump_not_switch"),
        ("switch.does_not_exist", "entity_not_found"),
        ("input_boolean.missing", "entity_not_found"),
    ],
)
async def test_pump_errors_then_recover(hass: HomeAssistant, pump: str, error: str) -> None:
    result = await _start(hass, "Home", Topology.COLD_LINE)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PUMP: pump})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pump"
    assert result["errors"] == {CONF_PUMP: error}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PUMP: PUMP})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_same_pump_twice(hass: HomeAssistant) -> None:
    MockConfigEntry(
        domain=DOMAIN, title="Home", data={CONF_TOPOLOGY: "cold_line", CONF_PUMP: PUMP}
    ).add_to_hass(hass)
    result = await _start(hass, "Second home", Topology.RETURN_LINE)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_PUMP: PUMP})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PUMP: "pump_in_use"}
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_a_switch_entity_is_accepted(hass: HomeAssistant) -> None:
    hass.states.async_set("switch.recirculation", "off")
    result = await _start(hass, "Home", Topology.COLD_LINE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: "switch.recirculation"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PUMP] == "switch.recirculation"
