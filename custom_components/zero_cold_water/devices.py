"""The installation's devices: one for the installation, one per fixture and per remote.

Home Assistant translates a device's name but not its model, so the model is looked up in this
integration's own translations (loaded before its entries are set up) when the device is made:
the installation's topology as the config flow shows it, a fixture or remote as its subentry type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.translation import async_get_cached_translations

from .compat import child_device_info
from .const import CONF_TOPOLOGY, DOMAIN, Topology
from .settings import fixture_subentries

MANUFACTURER = "Zero Cold Water"


def _translated(hass: HomeAssistant, category: str, key: str, fallback: str) -> str:
    translations = async_get_cached_translations(hass, hass.config.language, category, DOMAIN)
    return translations.get(f"component.{DOMAIN}.{category}.{key}", fallback)


def installation_model(hass: HomeAssistant, topology: str) -> str:
    """The installation's model: where its cold water goes ("Dedicated return line", ...)."""
    return _translated(hass, "selector", f"topology.options.{Topology(topology).value}", topology)


def subentry_model(hass: HomeAssistant, subentry_type: str) -> str:
    """A fixture's or remote's model: its subentry type as the UI names it ("Fixture", ...)."""
    return _translated(hass, "config_subentries", f"{subentry_type}.entry_type", subentry_type)


def device_info(
    hass: HomeAssistant,
    entry: ConfigEntry,
    subentry_id: str | None = None,
    *,
    installation_device_id: str = "",
) -> DeviceInfo:
    """The device of the installation, or of one of its fixtures or remotes (``subentry_id``).

    A subentry's device hangs off the installation's (``installation_device_id``: HA 2026.x links
    by device id, HA 2025.4 by identifier).
    """
    if subentry_id is None:
        return DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer=MANUFACTURER,
            model=installation_model(hass, entry.data[CONF_TOPOLOGY]),
        )
    subentry = entry.subentries[subentry_id]
    return child_device_info(
        {
            "identifiers": {(DOMAIN, subentry_id)},
            "name": subentry.title,
            "manufacturer": MANUFACTURER,
            "model": subentry_model(hass, subentry.subentry_type),
        },
        (DOMAIN, entry.entry_id),
        installation_device_id,
    )


@dataclass(slots=True)
class Devices:
    """The device registry ids of an installation and of its fixtures."""

    installation: str = ""
    fixtures: dict[str, str] = field(default_factory=dict)

    def register(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Create (or find) the devices; the installation's first, the fixtures link to it."""
        registry = dr.async_get(hass)
        self.installation = registry.async_get_or_create(
            config_entry_id=entry.entry_id, **device_info(hass, entry)
        ).id
        self.fixtures = {
            fixture: registry.async_get_or_create(
                config_entry_id=entry.entry_id,
                config_subentry_id=fixture,
                **device_info(hass, entry, fixture, installation_device_id=self.installation),
            ).id
            for fixture, _ in fixture_subentries(entry)
        }
