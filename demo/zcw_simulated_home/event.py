"""The fixtures' remotes: simulated people press them before some of their draws."""

from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from .entity import SimEntity, live_home, title
from .live import Change, LiveHome


async def async_setup_platform(
    hass: HomeAssistant,
    config: ConfigType,
    async_add_entities: AddEntitiesCallback,
    discovery_info: DiscoveryInfoType | None = None,
) -> None:
    """Add a remote per fixture."""
    if discovery_info is None:
        return
    home = live_home(hass)
    async_add_entities(Remote(home, fixture) for fixture in home.fixtures)


class Remote(SimEntity, EventEntity):
    """A wireless button at the fixture; fires "press" when a simulated person presses it."""

    _attr_event_types = ["press"]  # noqa: RUF012 - Home Assistant's attribute convention
    _attr_icon = "mdi:gesture-tap-button"

    def __init__(self, home: LiveHome, fixture: str) -> None:
        """The remote at ``fixture``."""
        super().__init__(home, f"remote_{fixture}", f"{title(fixture)} remote", set())
        self._fixture = fixture

    @callback
    def _changed(self, changes: list[Change]) -> None:
        if any(c.kind == "remote" and c.name == self._fixture for c in changes):
            self._trigger_event("press")
            self.async_write_ha_state()
