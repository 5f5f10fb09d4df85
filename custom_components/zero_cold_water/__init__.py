"""Zero Cold Water: on-demand hot-water recirculation (零冷水) for Home Assistant."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import CONF_PUMP, CONF_TOPOLOGY, Topology


@dataclass(slots=True)
class ZeroColdWaterData:
    """What a loaded installation keeps while it runs."""

    topology: Topology
    pump: str | None


type ZeroColdWaterConfigEntry = ConfigEntry[ZeroColdWaterData]


async def async_setup_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Set up an installation from its config entry."""
    entry.runtime_data = ZeroColdWaterData(
        topology=Topology(entry.data[CONF_TOPOLOGY]), pump=entry.data.get(CONF_PUMP)
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Unload an installation."""
    return True
