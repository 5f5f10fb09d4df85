"""Draw hot water at a fixture now, as a person would."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from .entity import SimEntity, live_home, title
from .live import LiveHome


async def async_setup_platform(
    hass: HomeAssistant,
    config: ConfigType,
    async_add_entities: AddEntitiesCallback,
    discovery_info: DiscoveryInfoType | None = None,
) -> None:
    """Add a "draw water" and a "press remote" button per fixture."""
    if discovery_info is None:
        return
    home = live_home(hass)
    async_add_entities(DrawWater(home, fixture) for fixture in home.fixtures)
    async_add_entities(PressRemote(home, fixture) for fixture in home.fixtures)


class DrawWater(SimEntity, ButtonEntity):
    """Open the fixture's hot tap: the person waits for hot water, uses it, and closes the tap."""

    _attr_icon = "mdi:faucet-variant"

    def __init__(self, home: LiveHome, fixture: str) -> None:
        """A button for ``fixture``."""
        super().__init__(home, f"draw_{fixture}", f"{title(fixture)} draw water", set())
        self._fixture = fixture

    async def async_press(self) -> None:
        """Open the tap (nothing happens if it is already open)."""
        self.home.draw_water(self._fixture)


class PressRemote(SimEntity, ButtonEntity):
    """Press the wireless remote at the fixture (its event entity fires "press")."""

    _attr_icon = "mdi:gesture-tap-button"

    def __init__(self, home: LiveHome, fixture: str) -> None:
        """A button for ``fixture``'s remote."""
        super().__init__(home, f"press_{fixture}", f"{title(fixture)} press remote", set())
        self._fixture = fixture

    async def async_press(self) -> None:
        """Press it."""
        self.home.press_remote(self._fixture)
