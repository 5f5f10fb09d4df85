"""Shared fixtures: a real Home Assistant with stand-ins for the user's hardware."""

from __future__ import annotations

from typing import Any

from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water.const import CONF_PUMP, CONF_TOPOLOGY, DOMAIN, Topology

PUMP = "input_boolean.pump"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Let Home Assistant load this custom integration in every test that runs a `hass`."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


@pytest.fixture
async def hardware(hass: HomeAssistant) -> None:
    """Real input_boolean entities standing in for the pump and a valve."""
    assert await async_setup_component(
        hass,
        "input_boolean",
        {"input_boolean": {"pump": {"name": "Pump"}, "valve": {"name": "Valve"}}},
    )
    await hass.async_block_till_done()


def entry_data(**overrides: Any) -> dict[str, Any]:
    """Config entry data of a cold-line installation with the stand-in pump."""
    return {CONF_TOPOLOGY: Topology.COLD_LINE.value, CONF_PUMP: PUMP, **overrides}


@pytest.fixture
def config_entry() -> MockConfigEntry:
    """A cold-line installation called Home."""
    return MockConfigEntry(domain=DOMAIN, title="Home", data=entry_data(), version=1)


__all__ = ["CONF_NAME", "PUMP", "entry_data"]
