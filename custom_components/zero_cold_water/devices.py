"""Readable device models, in the language Home Assistant runs in.

Home Assistant translates a device's name but not its model, so the model is looked up in this
integration's own translations (loaded before its entries are set up) when the device is made:
the installation's topology as the config flow shows it, a fixture or remote as its subentry type.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_cached_translations

from .const import DOMAIN, Topology


def _translated(hass: HomeAssistant, category: str, key: str, fallback: str) -> str:
    translations = async_get_cached_translations(hass, hass.config.language, category, DOMAIN)
    return translations.get(f"component.{DOMAIN}.{category}.{key}", fallback)


def installation_model(hass: HomeAssistant, topology: str) -> str:
    """The installation's model: where its cold water goes ("Dedicated return line", ...)."""
    return _translated(hass, "selector", f"topology.options.{Topology(topology).value}", topology)


def subentry_model(hass: HomeAssistant, subentry_type: str) -> str:
    """A fixture's or remote's model: its subentry type as the UI names it ("Fixture", ...)."""
    return _translated(hass, "config_subentries", f"{subentry_type}.entry_type", subentry_type)
