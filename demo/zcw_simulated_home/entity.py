"""The base of the simulated home's entities: a view of the `LiveHome`, updated on its changes."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity

from .live import Change, LiveHome

DOMAIN = "zcw_simulated_home"


def live_home(hass: HomeAssistant) -> LiveHome:
    """The running simulated home."""
    home: LiveHome = hass.data[DOMAIN]
    return home


class SimEntity(Entity):
    """One entity of the simulated home; it writes its state when ``watch`` changes."""

    _attr_should_poll = False
    _attr_has_entity_name = False

    def __init__(self, home: LiveHome, key: str, name: str, watch: set[tuple[str, str]]) -> None:
        """Name the entity and remember which changes concern it ((kind, name) pairs)."""
        self.home = home
        self._watch = watch
        self._attr_name = name
        self._attr_unique_id = f"{DOMAIN}_{home.home.name.lower()}_{key}"

    async def async_added_to_hass(self) -> None:
        """Follow the home."""
        self.home.listeners.append(self._changed)
        self.async_on_remove(lambda: self.home.listeners.remove(self._changed))

    @callback
    def _changed(self, changes: list[Change]) -> None:
        if any((c.kind, c.name) in self._watch for c in changes):
            self.async_write_ha_state()


def title(fixture: str) -> str:
    """A fixture's name as people write it."""
    return fixture.replace("_", " ").capitalize()
